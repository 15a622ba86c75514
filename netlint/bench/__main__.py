"""`python -m netlint.bench`: how fast netlint lints a generated tree, against a bare parse.

    python -m netlint.bench                              # the four figures of issue 31 (--all)
    python -m netlint.bench --cold --warm --rounds 7     # some of them, more rounds
    python -m netlint.bench --throughput --objects 10000 # objects per second, memory
    python -m netlint.bench --throughput --objects 1000,10000,100000  # several sizes
    python -m netlint.bench --throughput --objects 1000 --keep DIR    # keep the tree in DIR
    python -m netlint.bench --throughput --path DIR      # measure an existing tree
    python -m netlint.bench --scaling                    # time vs size of each hostile shape
    python -m netlint.bench --scaling --sizes 250,500 --shapes statefulsets

By default (or with `--all`, or with the flags of some figures) it prints the figures of
`figures.py`, each a ratio of whole processes measured in the same round, the median of
`--rounds` rounds (at least 5) over one generated tree of `--objects` (default 10000), with the
machine they were taken on: cold (`netlint check`, all rules, SARIF, no cache / the bare
`CSafeLoader` parse of the same files), one file (one small file / `python -c pass`), warm (the
unchanged tree from the cache / the parse) and the hook (one staged file against the warm tree
/ the parse). A figure whose module is not in this tree is listed as such.

`--throughput`: each figure is the best of `--repeat` rounds (default 3). For each tree it prints objects per
second for the YAML parse with positions alone and for the whole run (every rule, schemas, SARIF
output; `--jobs 0`, so one process per core on a large tree), and the ratio of each to the bare PyYAML
`CSafeLoader` parse of the same files measured in the same process (DESIGN §9: 1.0 means as fast
as the bare parse; lower is better); then the whole run again with every file's per-file result
in the cache (a re-run on an unchanged tree). Peak memory is the peak resident memory of all
netlint processes of a `netlint check` run (sampled from /proc), above that of an idle netlint
process with its imports loaded, and as a multiple of the input size. PyYAML is in the `dev` extra.

`--scaling` instead lints each input shape that once grew faster than the input (the same
object as N documents or list items, an Ingress with N identical paths, ...: `shapes.py`) at
each of `--sizes`, with whole `netlint check` processes, and prints the time per size, the peak
memory and the fitted exponent of time against size (`scaling.py`). It exits 1 when a shape
misses `--target` seconds at the largest size.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from netlint.bench.figures import FIGURES, Bench, FigureSpec, machine, run_figures
from netlint.bench.generate import generate
from netlint.bench.memory import peak_tree_rss
from netlint.bench.scaling import Options, report
from netlint.bench.shapes import SHAPES


def _files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.suffix in (".yaml", ".yml", ".json"))


def _baseline_parse(texts: list[str]) -> tuple[float, int]:
    import yaml  # PyYAML: the baseline only, never used by netlint itself

    loader = yaml.CSafeLoader
    started = time.perf_counter()
    count = 0
    for text in texts:
        for document in yaml.load_all(text, Loader=loader):
            if document is not None:
                count += 1
    return time.perf_counter() - started, count


def _netlint_parse(texts: list[str], paths: list[str]) -> float:
    from netlint.input.loader import load_yaml

    started = time.perf_counter()
    for text, path in zip(texts, paths, strict=True):
        load_yaml(text, path)
    return time.perf_counter() - started


def _netlint_run(root: Path, jobs: int, cache_dir: Path | None = None) -> tuple[float, int, int]:
    from netlint import __version__
    from netlint.input.sources import PathMatcher
    from netlint.model.kube_versions import DEFAULT_KUBE_VERSION
    from netlint.policy.schema_checker import BundledSchemas
    from netlint.report.sarif import render_sarif
    from netlint.run.engine import RunOptions, collector_paused, run
    from netlint.run.registry import load_rules

    rules = load_rules()
    schemas = BundledSchemas(DEFAULT_KUBE_VERSION)
    started = time.perf_counter()
    options = RunOptions(
        paths=[str(root)],
        excludes=PathMatcher((), root),
        cwd=root,
        jobs=jobs,
        cache_dir=cache_dir,
    )
    report = run(options, rules, schemas)
    with collector_paused():  # as `netlint check` renders
        render_sarif(report, cwd=root, tool_version=__version__)
    return time.perf_counter() - started, report.objects, len(report.active)


def _memory(root: Path, jobs: int) -> tuple[float, float]:
    """(peak MiB of a `netlint check` run, peak MiB of an idle netlint process)."""
    check = [
        sys.executable, "-m", "netlint", "check", str(root), "--no-cache", "--exit-zero",
        "--jobs", str(jobs), "--output-format", "sarif", "--output-file", "/dev/null",
    ]  # fmt: skip
    idle = [sys.executable, "-c", "import netlint.cli, time; time.sleep(0.3)"]
    return peak_tree_rss(check) / 2**20, peak_tree_rss(idle) / 2**20


def measure(root: Path, jobs: int, repeat: int) -> None:
    paths = _files(root)
    texts = [p.read_text(encoding="utf-8") for p in paths]
    size = sum(len(t.encode("utf-8")) for t in texts)
    # Best of `repeat` interleaved rounds: a shared machine's noise only ever adds time.
    base_seconds = parse_seconds = run_seconds = warm_seconds = float("inf")
    base_objects = objects = findings = 0
    with tempfile.TemporaryDirectory(prefix="netlint-bench-cache-") as cache:
        _netlint_run(root, jobs, Path(cache))  # fills the cache for the warm runs
        for _ in range(repeat):
            seconds, base_objects = _baseline_parse(texts)
            base_seconds = min(base_seconds, seconds)
            parse_seconds = min(parse_seconds, _netlint_parse(texts, [str(p) for p in paths]))
            seconds, objects, findings = _netlint_run(root, jobs)
            run_seconds = min(run_seconds, seconds)
            warm_seconds = min(warm_seconds, _netlint_run(root, jobs, Path(cache))[0])
    peak, idle = _memory(root, jobs)
    above = max(peak - idle, 0.0)
    print(f"input: {len(paths)} files, {size / 2**20:.1f} MiB, {base_objects} objects")
    print(
        f"  baseline PyYAML CSafeLoader parse: {base_seconds:7.2f}s {base_objects / base_seconds:8.0f} objects/s"
    )
    print(
        f"  netlint parse + locate:            {parse_seconds:7.2f}s {base_objects / parse_seconds:8.0f} objects/s"
        f"  ratio {parse_seconds / base_seconds:.2f}"
    )
    print(
        f"  netlint full run + SARIF:          {run_seconds:7.2f}s {objects / run_seconds:8.0f} objects/s"
        f"  ratio {run_seconds / base_seconds:.2f}  ({findings} findings)"
    )
    print(
        f"  netlint warm run (cache, unchanged): {warm_seconds:7.2f}s {objects / warm_seconds:8.0f} objects/s"
    )
    print(
        f"  peak memory: {peak:.0f} MiB, {above:.0f} MiB above an idle netlint ({idle:.0f} MiB), "
        f"{above * 2**20 / size:.1f}x the input"
        if size
        else "empty input"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m netlint.bench",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--all", action="store_true", help="every figure (the default)")
    for spec in FIGURES:
        parser.add_argument(
            spec.flag, dest=f"figure_{spec.name}", action="store_true", help=f"figure: {spec.what}"
        )
    parser.add_argument(
        "--rounds", type=int, default=5, help="figures: rounds, the median counts (at least 5)"
    )
    parser.add_argument(
        "--throughput", action="store_true", help="objects per second and memory per tree size"
    )
    parser.add_argument(
        "--objects",
        default=None,
        help="size(s) of the generated tree, comma-separated (figures: one size, default 10000;"
        " --throughput: default 1000)",
    )
    parser.add_argument("--path", type=Path, help="measure this tree instead of generating one")
    parser.add_argument("--keep", type=Path, help="generate into this folder and keep it")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--jobs", type=int, default=0, help="as netlint check --jobs (default 0)")
    parser.add_argument(
        "--repeat", type=int, default=3, help="rounds per tree; the best one counts (default 3)"
    )
    parser.add_argument(
        "--scaling", action="store_true", help="time each hostile input shape at --sizes"
    )
    parser.add_argument(
        "--sizes", default="1000,2000,4000,8000", help="--scaling: items per shape, comma-separated"
    )
    parser.add_argument(
        "--shapes",
        default=",".join(shape.name for shape in SHAPES),
        help="--scaling: which shapes, comma-separated (default: all)",
    )
    parser.add_argument(
        "--timeout", type=float, default=60.0, help="--scaling: seconds before a run is stopped"
    )
    parser.add_argument(
        "--memory-cap", type=int, default=4096, help="--scaling: address space of a run, MiB"
    )
    parser.add_argument(
        "--target", type=float, default=2.0, help="--scaling: seconds allowed at the largest size"
    )
    args = parser.parse_args(argv)

    if args.scaling:
        return _scaling(args)
    if not args.throughput:
        return _figures(args)
    if args.path is not None:
        if not _files(args.path):
            print(
                f"netlint.bench: no .yaml, .yml or .json files under {args.path}", file=sys.stderr
            )
            return 2
        measure(args.path, args.jobs, args.repeat)
        return 0
    for size in (int(part) for part in (args.objects or "1000").split(",")):
        with tempfile.TemporaryDirectory(prefix="netlint-bench-") as scratch:
            root = (args.keep / str(size)) if args.keep else Path(scratch) / "tree"
            files, objects = generate(root, size, args.seed)
            print(f"generated {objects} objects in {files} files")
            measure(root, args.jobs, args.repeat)
    return 0


def _figures(args: argparse.Namespace) -> int:
    chosen = [spec for spec in FIGURES if getattr(args, f"figure_{spec.name}")]
    specs = FIGURES if args.all or not chosen else tuple(chosen)
    rounds = max(5, int(args.rounds))
    with tempfile.TemporaryDirectory(prefix="netlint-bench-") as scratch:
        scratch_root = Path(scratch)
        if args.path is not None:
            root = args.path.resolve()
            files = tuple(_files(root))
            if not files:
                print(f"netlint.bench: no .yaml, .yml or .json files under {root}", file=sys.stderr)
                return 2
            objects = 0  # not counted: the figures do not need it
        else:
            size = int((args.objects or "10000").split(",")[0])
            root = (args.keep / str(size)) if args.keep else scratch_root / "tree"
            objects = generate(root, size, args.seed)[1]
            files = tuple(_files(root))
        print(f"machine: {machine()}")
        print(
            f"tree: {len(files)} files, {objects or 'uncounted'} objects; --jobs {args.jobs}; "
            f"medians of {rounds} rounds (figures in turn)"
        )

        def make_bench(spec: FigureSpec) -> Bench:
            own = scratch_root / f"figure-{spec.name}"
            own.mkdir()
            return Bench(root, files, objects, args.jobs, own)

        figures = run_figures(specs, make_bench, rounds)
    return 0 if all(figure.passed for figure in figures) else 1


def _scaling(args: argparse.Namespace) -> int:
    by_name = {shape.name: shape for shape in SHAPES}
    names = [name.strip() for name in str(args.shapes).split(",") if name.strip()]
    unknown = [name for name in names if name not in by_name]
    if unknown:
        known = ", ".join(by_name)
        print(f"netlint.bench: unknown shape {unknown[0]!r} (known: {known})", file=sys.stderr)
        return 2
    options = Options(
        sizes=[int(part) for part in str(args.sizes).split(",")],
        shapes=[by_name[name] for name in names],
        repeat=args.repeat,
        jobs=args.jobs,
        timeout=args.timeout,
        memory_cap=args.memory_cap,
        target=args.target,
    )
    return 0 if report(options) else 1


if __name__ == "__main__":
    sys.exit(main())
