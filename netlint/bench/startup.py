"""One small file against a bare start of the same Python (issue 31, item 2).

The editor and a pre-commit hook on one change lint one small file: what the user waits for is
the whole `netlint check` process, mostly interpreter start and imports. The figure is the median
whole-process time of `netlint check small.yaml` (text output) over the median of `python -c
pass`, both with the interpreter running this module, measured alternately in the same run so a
loaded machine slows both alike.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from netlint.bench.figures import Bench, Sample, installed_env, netlint_argv, timed

# A Service with its Deployment: a file a hook sees on one change, with one cross-object join.
SMALL_FILE = """\
apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: shop
spec:
  selector:
    app: web
  ports:
    - name: http
      port: 80
      targetPort: http
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
        - name: web
          image: registry.example/web:1.0
          ports:
            - name: http
              containerPort: 8080
"""


@dataclass(frozen=True)
class StartupFigures:
    bare_ms: float  # median of `python -c pass`
    no_cache_ms: float  # median of `netlint check small.yaml --no-cache`
    cached_ms: float  # median of `netlint check small.yaml` with the file's result in the cache

    @property
    def no_cache_ratio(self) -> float:
        return self.no_cache_ms / self.bare_ms

    @property
    def cached_ratio(self) -> float:
        return self.cached_ms / self.bare_ms


def _wall_ms(command: list[str], cwd: Path, env: dict[str, str]) -> float:
    started = time.perf_counter()
    # Exit code 1 (findings) is as good a run as 0; anything else is a broken benchmark.
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, check=False)
    elapsed = (time.perf_counter() - started) * 1000
    if done.returncode not in (0, 1):
        raise RuntimeError(f"{' '.join(command)} exited {done.returncode}: {done.stderr!r}")
    return elapsed


def measure_startup(rounds: int = 7) -> StartupFigures:
    """Medians of `rounds` alternating runs of a bare start and the two one-file runs."""
    with tempfile.TemporaryDirectory(prefix="netlint-startup-") as folder:
        root = Path(folder)
        (root / "small.yaml").write_text(SMALL_FILE, encoding="utf-8")
        bare = [sys.executable, "-c", "pass"]
        check = [sys.executable, "-m", "netlint", "check", "small.yaml"]
        env = {**os.environ, "NETLINT_CACHE_DIR": str(root / "cache")}
        _wall_ms(check, root, env)  # fill the cache (and the OS's file cache)
        samples: tuple[list[float], list[float], list[float]] = ([], [], [])
        for _ in range(max(rounds, 1)):
            samples[0].append(_wall_ms(bare, root, env))
            samples[1].append(_wall_ms([*check, "--no-cache"], root, env))
            samples[2].append(_wall_ms(check, root, env))
    bare_ms, no_cache_ms, cached_ms = (statistics.median(s) for s in samples)
    return StartupFigures(bare_ms, no_cache_ms, cached_ms)


def startup_lines(figures: StartupFigures) -> list[str]:
    return [
        f"bare start (python -c pass): {figures.bare_ms:.1f} ms",
        f"one small file, no cache:    {figures.no_cache_ms:.1f} ms"
        f"  ({figures.no_cache_ratio:.1f}x bare start)",
        f"one small file, cached:      {figures.cached_ms:.1f} ms"
        f"  ({figures.cached_ratio:.1f}x bare start)",
    ]


# The registry's one-file figure (`python -m netlint.bench --startup`): the same two processes,
# with bytecode compiled as an install has it, one pair per round.


def _small_file(bench: Bench) -> Path:
    return bench.scratch / "small.yaml"


def _one_file_argv(bench: Bench) -> list[str]:
    return netlint_argv("check", str(_small_file(bench)), "--no-cache", "--exit-zero")


def startup_setup(bench: Bench) -> None:
    """The small file, and one run that compiles netlint's modules as an install has them."""
    _small_file(bench).write_text(SMALL_FILE, encoding="utf-8")
    timed(_one_file_argv(bench), cwd=bench.scratch, env=installed_env(bench.scratch / "pycache"))


def startup_sample(bench: Bench) -> Sample:
    env = installed_env(bench.scratch / "pycache")
    reference = timed([sys.executable, "-c", "pass"], cwd=bench.scratch, env=env)
    return Sample(timed(_one_file_argv(bench), cwd=bench.scratch, env=env), reference)


if __name__ == "__main__":
    for line in startup_lines(measure_startup()):
        print(line)
