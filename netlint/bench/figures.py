"""The four figures of issue 31, each a ratio measured in the same run: the registry and its runner.

A figure is one paired measurement, repeated: netlint as a whole process, and a reference (the
bare PyYAML parse of the same files, a bare interpreter start) measured right beside it, so that
the load of a shared machine weighs on both sides alike. Each figure's module provides a function
`(Bench) -> Sample` for one round, and may provide a setup run once before the rounds; the
runner calls every figure once per round, in turn, so the figures alternate, and reports the
median ratio of at least five rounds. Figures whose module is not part of this tree are listed as
such and skipped (`FIGURES` names the modules, which are imported only when they are run).
"""

from __future__ import annotations

import importlib
import importlib.util
import os
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import cast


@dataclass(frozen=True, slots=True)
class Bench:
    """What every figure gets: the shared generated tree, which figures must not change."""

    root: Path
    files: tuple[Path, ...]  # its .yaml, .yml and .json files, sorted
    objects: int
    jobs: int  # `--jobs` of the netlint runs
    scratch: Path  # an empty folder of the figure's own (caches, git repositories, copies)


@dataclass(frozen=True, slots=True)
class Sample:
    """One round of a figure: netlint's whole-process time and its reference's, back to back."""

    seconds: float
    reference_seconds: float

    @property
    def ratio(self) -> float:
        return self.seconds / self.reference_seconds


@dataclass(frozen=True, slots=True)
class FigureSpec:
    name: str
    flag: str  # the command-line flag that runs this figure alone
    module: str
    function: str  # (Bench) -> Sample, one round
    setup: str | None  # (Bench) -> None, run once before the rounds
    target: float  # the ratio issue 31 asks for: the figure passes below it
    what: str  # netlint's side and the reference, in a few words


FIGURES: tuple[FigureSpec, ...] = (
    FigureSpec(
        "cold",
        "--cold",
        "netlint.bench.cold",
        "cold_sample",
        "cold_setup",
        0.7,
        "`netlint check` (all rules, SARIF, --no-cache) / one-process CSafeLoader parse",
    ),
    FigureSpec(
        "one-file",
        "--startup",
        "netlint.bench.startup",
        "startup_sample",
        "startup_setup",
        6.0,
        "`netlint check` of one small file / `python -c pass`",
    ),
    FigureSpec(
        "warm",
        "--warm",
        "netlint.bench.warm",
        "warm_sample",
        "warm_setup",
        0.15,
        "`netlint check` of the unchanged tree, cached / one-process CSafeLoader parse",
    ),
    FigureSpec(
        "hook",
        "--hook",
        "netlint.bench.warm",
        "hook_sample",
        "hook_setup",
        0.19,
        "the pre-commit hook, one staged file, warm tree as context / the parse",
    ),
)


def netlint_argv(*args: str) -> list[str]:
    return [sys.executable, "-m", "netlint", *args]


# The reference of the cold and warm figures, as its own process: PyYAML's libyaml loader on
# every file, in file order, with nothing of netlint imported.
_PARSE_SCRIPT = """
import sys, yaml
from pathlib import Path
loader = yaml.CSafeLoader
for path in sorted(Path(sys.argv[1]).rglob("*")):
    if path.suffix in (".yaml", ".yml", ".json"):
        for _ in yaml.load_all(path.read_text(encoding="utf-8"), Loader=loader):
            pass
"""


def installed_env(pycache: Path) -> dict[str, str]:
    """The environment of the measured processes: this one's, with Python's bytecode cache
    allowed and kept under `pycache`. An installed netlint has its modules compiled (pip writes
    the .pyc files at install time, as it did for PyYAML and every other dependency), so a run
    recompiling netlint's own modules measures a checkout with `PYTHONDONTWRITEBYTECODE` set, not
    what users run: on this kind of machine that is 0.25 s per process. The prefix keeps the
    compiled files out of the checkout; the first process to import a module writes them."""
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(pycache)
    return env


def parse_argv(root: Path) -> list[str]:
    """A whole process that parses every file under `root` with PyYAML's `CSafeLoader`."""
    return [sys.executable, "-c", _PARSE_SCRIPT, str(root)]


def timed(
    argv: Sequence[str],
    cwd: Path | None = None,
    env: dict[str, str] | None = None,
    ok_codes: Sequence[int] = (0,),
) -> float:
    """Wall seconds of one whole process; a surprising exit status is an error, not a figure."""
    started = time.perf_counter()
    completed = subprocess.run(
        list(argv),
        cwd=cwd,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        check=False,
    )
    seconds = time.perf_counter() - started
    if completed.returncode not in ok_codes:
        error = completed.stderr.decode(errors="replace").strip()[-400:]
        raise RuntimeError(f"{' '.join(argv[:4])}... exited {completed.returncode}: {error}")
    return seconds


def machine() -> str:
    """The CPU model, the cores this process may use and the Python that runs the figures."""
    model = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.partition(":")[2].strip()
                break
    except OSError:
        pass
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return f"{model}, {cores} cores, Python {platform.python_version()}"


@dataclass(frozen=True, slots=True)
class Figure:
    """A figure's result over all rounds."""

    spec: FigureSpec
    samples: tuple[Sample, ...]

    @property
    def ratio(self) -> float:
        return statistics.median(sample.ratio for sample in self.samples)

    @property
    def passed(self) -> bool:
        return self.ratio < self.spec.target

    def line(self) -> str:
        seconds = statistics.median(sample.seconds for sample in self.samples)
        reference = statistics.median(sample.reference_seconds for sample in self.samples)
        ratios = [sample.ratio for sample in self.samples]
        return (
            f"{self.spec.name:<9} {self.ratio:6.2f}x  (target < {self.spec.target:g}x: "
            f"{'PASS' if self.passed else 'MISS'})  {seconds:6.3f}s vs {reference:6.3f}s, "
            f"{min(ratios):.2f}..{max(ratios):.2f} over {len(ratios)} rounds; {self.spec.what}"
        )


def present(spec: FigureSpec) -> bool:
    """Whether the figure's module is part of this tree and provides the figure's functions (the
    figures land one by one: a module may be there before its figure is)."""
    if importlib.util.find_spec(spec.module) is None:
        return False
    module = importlib.import_module(spec.module)
    names = [spec.function] if spec.setup is None else [spec.function, spec.setup]
    return all(callable(getattr(module, name, None)) for name in names)


def _function(spec: FigureSpec, name: str) -> Callable[[Bench], object]:
    return cast("Callable[[Bench], object]", getattr(importlib.import_module(spec.module), name))


def run_figures(
    specs: Sequence[FigureSpec],
    make_bench: Callable[[FigureSpec], Bench],
    rounds: int,
    write: Callable[[str], None] = print,
) -> list[Figure]:
    """Every spec's setup once, then `rounds` rounds of one sample of each, in turn; a line per
    figure. Specs not in this tree are reported and skipped."""
    usable = [spec for spec in specs if present(spec)]
    for spec in specs:
        if spec not in usable:
            write(f"{spec.name:<9} not in this tree ({spec.module}.{spec.function})")
    benches = {spec.name: make_bench(spec) for spec in usable}
    for spec in usable:
        if spec.setup is not None:
            _function(spec, spec.setup)(benches[spec.name])
    samples: dict[str, list[Sample]] = {spec.name: [] for spec in usable}
    for _ in range(rounds):
        for spec in usable:
            sample = _function(spec, spec.function)(benches[spec.name])
            samples[spec.name].append(cast("Sample", sample))
    figures = [Figure(spec, tuple(samples[spec.name])) for spec in usable]
    for figure in figures:
        write(figure.line())
    return figures
