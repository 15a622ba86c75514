"""`python -m netlint.bench --scaling`: how the time of a whole run grows with each input shape.

Each shape of `netlint.bench.shapes` is written as one file at every size and linted by a whole
`netlint check` process (text output, no cache), as CI would run it, with its bytecode compiled
as an installed netlint has it (`figures.installed_env`); the best of `repeat` runs counts. The
exponent is the slope of log(time) against log(size), by least squares: 1 is linear, 2
quadratic. It is fitted to the time above that of a run on a one-object file (the interpreter,
imports and schemas, which do not grow), and to the whole time. A run is stopped
at `timeout` seconds and its address space capped at `memory_cap` MiB, so that a shape that
still explodes is reported, not waited for (nor allowed to take the machine).
"""

from __future__ import annotations

import math
import os
import resource
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from netlint.bench.figures import installed_env
from netlint.bench.shapes import SHAPES, Shape


@dataclass(frozen=True, slots=True)
class Timing:
    seconds: float | None  # None: it did not finish (see `failure`)
    peak_mib: float  # the largest resident set of the run's processes
    failure: str = ""


def run_once(
    path: Path, jobs: int, timeout: float, memory_cap: int, env: dict[str, str] | None = None
) -> Timing:
    """One `netlint check` of `path`: its wall time and the peak resident set of its processes."""
    command = [
        sys.executable, "-m", "netlint", "check", str(path), "--no-cache", "--exit-zero",
        "--jobs", str(jobs), "--output-file", os.devnull,
    ]  # fmt: skip
    started = time.perf_counter()
    process = subprocess.Popen(
        command,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
        start_new_session=True,  # its own process group: a timeout stops its workers too
    )
    # Capped from here rather than in the child before exec (no preexec_fn): the interpreter
    # is still starting, and the workers it forks inherit the cap.
    cap = memory_cap * 2**20
    resource.prlimit(process.pid, resource.RLIMIT_AS, (cap, cap))
    deadline = started + timeout
    while True:
        pid, status, usage = os.wait4(process.pid, os.WNOHANG)
        if pid:
            break
        if time.perf_counter() > deadline:
            os.killpg(process.pid, signal.SIGKILL)
            _, status, usage = os.wait4(process.pid, 0)
            return Timing(None, usage.ru_maxrss / 1024, f"over {timeout:g} s")
        time.sleep(0.005)
    seconds = time.perf_counter() - started
    peak = usage.ru_maxrss / 1024  # KiB on Linux
    code = os.waitstatus_to_exitcode(status)
    process.returncode = code  # reaped here, not by Popen
    if code != 0:
        return Timing(None, peak, f"exit {code} (memory capped at {memory_cap} MiB)")
    return Timing(seconds, peak)


def best_of(
    path: Path,
    repeat: int,
    jobs: int,
    timeout: float,
    memory_cap: int,
    env: dict[str, str] | None = None,
) -> Timing:
    """The fastest of `repeat` runs (a shared machine's noise only ever adds time); a run that
    fails is not repeated."""
    best: Timing | None = None
    for _ in range(repeat):
        timing = run_once(path, jobs, timeout, memory_cap, env)
        if timing.seconds is None:
            return timing
        if best is None or best.seconds is None or timing.seconds < best.seconds:
            best = timing
    assert best is not None
    return best


def exponent(points: Sequence[tuple[int, float]]) -> float | None:
    """The least-squares slope of log(seconds) against log(size); None below two points."""
    usable = [(math.log(size), math.log(seconds)) for size, seconds in points if seconds > 0]
    if len(usable) < 2:
        return None
    mean_x = sum(x for x, _ in usable) / len(usable)
    mean_y = sum(y for _, y in usable) / len(usable)
    spread = sum((x - mean_x) ** 2 for x, _ in usable)
    if spread == 0:
        return None
    return sum((x - mean_x) * (y - mean_y) for x, y in usable) / spread


@dataclass(frozen=True, slots=True)
class Options:
    sizes: Sequence[int]
    shapes: Sequence[Shape]
    repeat: int
    jobs: int
    timeout: float
    memory_cap: int  # MiB
    target: float  # seconds at the largest size


def _cell(timing: Timing) -> str:
    return f"{timing.seconds:9.2f}s" if timing.seconds is not None else f"{'-':>10}"


def _fit_text(points: list[tuple[int, float]], floor: float) -> str:
    above = exponent([(size, seconds - floor) for size, seconds in points])
    whole = exponent(points)
    if above is None or whole is None:
        return "exponent: too few finished sizes"
    return f"exponent {above:.2f} above a one-object run ({whole:.2f} whole)"


def report(options: Options, write: Callable[[str], None] = print) -> bool:
    """Lint every shape at every size and print the table; True when every shape finished its
    largest size within the target."""
    sizes = sorted(options.sizes)
    with tempfile.TemporaryDirectory(prefix="netlint-bench-scaling-") as scratch:
        root = Path(scratch)
        small = root / "one.yaml"
        small.write_text(SHAPES[0].text(1), encoding="utf-8")
        # With bytecode, as an install runs (`installed_env`): the first run compiles it.
        env = installed_env(root / "pycache")
        run_once(small, options.jobs, options.timeout, options.memory_cap, env)
        floor = best_of(
            small, options.repeat, options.jobs, options.timeout, options.memory_cap, env
        )
        write(
            f"scaling: whole `netlint check` runs (--no-cache, --jobs {options.jobs}), best of "
            f"{options.repeat}, with bytecode as installed; a one-object run takes "
            f"{floor.seconds or 0:.2f}s, "
            f"{floor.peak_mib:.0f} MiB"
        )
        write(f"{'shape':<16}" + "".join(f"{size:>10,}" for size in sizes))
        all_met = True
        for shape in options.shapes:
            timings: list[Timing] = []
            for size in sizes:
                path = root / f"{shape.name}-{size}.yaml"
                path.write_text(shape.text(size), encoding="utf-8")
                args = (options.repeat, options.jobs, options.timeout, options.memory_cap, env)
                timings.append(best_of(path, *args))
                path.unlink()
                if timings[-1].seconds is None:
                    break  # a larger size only fails later
            finished = zip(sizes, timings, strict=False)
            points = [(size, t.seconds) for size, t in finished if t.seconds is not None]
            last = timings[-1] if len(timings) == len(sizes) else None
            met = last is not None and last.seconds is not None and last.seconds < options.target
            all_met = all_met and met
            failures = [
                f"{size:,}: {t.failure}"
                for size, t in zip(sizes, timings, strict=False)
                if t.failure
            ]
            write(
                f"{shape.name:<16}"
                + "".join(_cell(t) for t in timings)
                + " " * 10 * (len(sizes) - len(timings))
                + f"  {_fit_text(points, floor.seconds or 0.0)}; "
                + f"{sizes[-1]:,} {'under' if met else 'NOT under'} {options.target:g}s"
                + (f" ({'; '.join(failures)})" if failures else "")
            )
            write(
                f"{'  peak MiB':<16}"
                + "".join(f"{t.peak_mib:10.0f}" for t in timings)
                + f"  {shape.what}"
            )
    return all_met
