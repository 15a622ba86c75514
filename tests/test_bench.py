"""The benchmark's scaling report (`python -m netlint.bench --scaling`): its fit and its output.
No timing is asserted here: speed is measured by the benchmark itself, not by tests."""

from __future__ import annotations

import platform
from pathlib import Path

import pytest

from netlint.bench.figures import FIGURES, Bench, FigureSpec, machine, present, run_figures
from netlint.bench.generate import generate
from netlint.bench.scaling import Options, exponent, report
from netlint.bench.shapes import SHAPES, Shape


def test_the_exponent_is_the_log_log_slope() -> None:
    assert exponent([(1000, 1.0), (2000, 2.0), (4000, 4.0)]) == pytest.approx(1.0)
    assert exponent([(1000, 1.0), (2000, 4.0), (4000, 16.0), (8000, 64.0)]) == pytest.approx(2.0)
    assert exponent([(1000, 1.0)]) is None
    assert exponent([(1000, 1.0), (2000, 0.0)]) is None  # no time above the floor: no fit


@pytest.mark.parametrize("shape", SHAPES, ids=lambda shape: shape.name)
def test_each_shape_is_deterministic_and_grows_with_its_size(shape: Shape) -> None:
    assert shape.text(5) == shape.text(5)
    assert len(shape.text(10)) > len(shape.text(5))


def test_the_report_has_a_row_per_shape_and_size_and_names_runs_that_did_not_finish() -> None:
    lines: list[str] = []
    options = Options(
        sizes=[2, 1], shapes=SHAPES[:1], repeat=1, jobs=1, timeout=60, memory_cap=4096, target=60
    )
    assert report(options, lines.append)
    assert lines[0].startswith("scaling: whole `netlint check` runs (--no-cache, --jobs 1)")
    assert lines[1].split() == ["shape", "1", "2"]
    assert lines[2].startswith("documents ") and "2 under 60s" in lines[2]
    assert lines[3].split()[:2] == ["peak", "MiB"]
    stopped = Options(
        sizes=[1], shapes=SHAPES[:1], repeat=1, jobs=1, timeout=0.001, memory_cap=4096, target=60
    )
    lines.clear()
    assert not report(stopped, lines.append)
    assert "1 NOT under 60s (1: over 0.001 s)" in lines[2]


def test_the_figures_run_in_turn_and_a_figure_not_in_the_tree_is_listed(tmp_path: Path) -> None:
    root = tmp_path / "tree"
    generate(root, 30, seed=3)
    files = tuple(sorted(root.rglob("*.yaml")))
    missing = FigureSpec("later", "--later", "netlint.bench.not_here", "f", None, 1.0, "x")
    # The module is there, the figure's function not yet.
    early = FigureSpec("early", "--early", "netlint.bench.shapes", "early_sample", None, 1.0, "x")
    cold = next(spec for spec in FIGURES if spec.name == "cold")
    lines: list[str] = []
    made: list[str] = []

    def bench(spec: FigureSpec) -> Bench:
        made.append(spec.name)
        (tmp_path / spec.name).mkdir()
        return Bench(root, files, 30, 1, tmp_path / spec.name)

    figures = run_figures([missing, early, cold], bench, rounds=2, write=lines.append)
    assert made == ["cold"]
    assert lines[0] == "later     not in this tree (netlint.bench.not_here.f)"
    assert lines[1] == "early     not in this tree (netlint.bench.shapes.early_sample)"
    assert [figure.spec.name for figure in figures] == ["cold"]
    assert len(figures[0].samples) == 2
    assert all(sample.seconds > 0 and sample.reference_seconds > 0 for sample in figures[0].samples)
    assert lines[2].startswith("cold ") and "(target < 0.7x: " in lines[2]
    assert "over 2 rounds" in lines[2]


def test_every_issue_31_figure_is_registered_with_its_flag() -> None:
    assert [(spec.name, spec.flag, spec.target) for spec in FIGURES] == [
        ("cold", "--cold", 0.7),
        ("one-file", "--startup", 6.0),
        ("warm", "--warm", 0.15),
        ("hook", "--hook", 0.19),
    ]
    assert machine().endswith(f"Python {platform.python_version()}")
    assert [spec.name for spec in FIGURES if present(spec)] == ["cold", "one-file", "warm", "hook"]


def test_the_one_file_figure_pairs_netlint_with_a_bare_start(tmp_path: Path) -> None:
    (one_file,) = [spec for spec in FIGURES if spec.name == "one-file"]
    lines: list[str] = []
    bench = Bench(tmp_path, (), 0, 1, tmp_path)
    (figure,) = run_figures([one_file], lambda _spec: bench, rounds=2, write=lines.append)
    assert (tmp_path / "small.yaml").is_file()
    assert len(figure.samples) == 2
    assert all(s.seconds > 0 and s.reference_seconds > 0 for s in figure.samples)
    assert lines[0].startswith("one-file ") and "(target < 6x: " in lines[0]


def test_measured_processes_run_with_bytecode_kept_outside_the_checkout(tmp_path: Path) -> None:
    import subprocess
    import sys

    from netlint.bench.figures import installed_env

    env = installed_env(tmp_path / "pycache")
    assert "PYTHONDONTWRITEBYTECODE" not in env
    code = "import sys, netlint.bench.shapes; print(sys.dont_write_bytecode, sys.pycache_prefix)"
    shown = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    assert shown.stdout.split() == ["False", str(tmp_path / "pycache")]
    assert list((tmp_path / "pycache").rglob("shapes*.pyc"))
