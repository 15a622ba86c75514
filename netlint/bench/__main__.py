"""`python -m netlint.bench`: how fast netlint lints a generated tree, against a bare parse.

    python -m netlint.bench --objects 10000            # generate into a temp dir, then measure
    python -m netlint.bench --objects 1000 --keep DIR  # keep the generated tree in DIR
    python -m netlint.bench --path DIR                 # measure an existing tree

It prints objects per second for the YAML parse with positions alone and for the whole run (all
rules, schemas, SARIF output), peak memory, and the ratio of each to the bare PyYAML
`CSafeLoader` parse of the same files measured in the same process (DESIGN §9: lower is better;
1.0 means as fast as the bare parse). PyYAML is in the `dev` extra.
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path

from netlint.bench.generate import generate


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
    from netlint.loader import load_yaml

    started = time.perf_counter()
    for text, path in zip(texts, paths, strict=True):
        load_yaml(text, path)
    return time.perf_counter() - started


def _netlint_run(root: Path) -> tuple[float, int, int]:
    from netlint import __version__
    from netlint.engine import RunOptions, run
    from netlint.registry import load_rules
    from netlint.report.sarif import render_sarif
    from netlint.schema_checker import BundledSchemas

    rules = load_rules()
    schemas = BundledSchemas("1.37")
    started = time.perf_counter()
    report = run(RunOptions(paths=[str(root)]), rules, schemas)
    render_sarif(report, cwd=root, tool_version=__version__)
    return time.perf_counter() - started, report.objects, len(report.active)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m netlint.bench",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--objects", type=int, default=1000, help="size of the generated tree")
    parser.add_argument("--path", type=Path, help="measure this tree instead of generating one")
    parser.add_argument("--keep", type=Path, help="generate into this folder and keep it")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="netlint-bench-") as scratch:
        if args.path is not None:
            root = args.path
        else:
            root = args.keep or Path(scratch) / "tree"
            files, objects = generate(root, args.objects, args.seed)
            print(f"generated {objects} objects in {files} files under {root}")
        paths = _files(root)
        texts = [p.read_text(encoding="utf-8") for p in paths]
        size = sum(len(t.encode("utf-8")) for t in texts)
        base_seconds, base_objects = _baseline_parse(texts)
        parse_seconds = _netlint_parse(texts, [str(p) for p in paths])
        run_seconds, objects, findings = _netlint_run(root)
        peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss

    print(f"input: {len(paths)} files, {size / 1e6:.1f} MB, {base_objects} objects")
    print(
        f"baseline  PyYAML CSafeLoader parse: {base_seconds:7.3f}s  {base_objects / base_seconds:9.0f} objects/s"
    )
    print(
        f"netlint   parse + locate:           {parse_seconds:7.3f}s  {base_objects / parse_seconds:9.0f} objects/s"
        f"  ratio {parse_seconds / base_seconds:.2f}"
    )
    print(
        f"netlint   full run + SARIF:         {run_seconds:7.3f}s  {objects / run_seconds:9.0f} objects/s"
        f"  ratio {run_seconds / base_seconds:.2f}  ({findings} findings)"
    )
    print(f"peak memory (process): {peak_kib / 1024:.0f} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
