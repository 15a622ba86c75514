"""The benchmark's scaling report (`python -m netlint.bench --scaling`): its fit and its output.
No timing is asserted here: speed is measured by the benchmark itself, not by tests."""

from __future__ import annotations

import pytest

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
