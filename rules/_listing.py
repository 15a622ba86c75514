"""How a finding that stands for many occurrences lists the others: positions, capped.

A rule that groups N occurrences of one problem into one finding (the same object N times, one
path routed N times) names a few of the others and counts the rest, so that the finding, like
the run, grows linearly with the input and stays readable.
"""

from __future__ import annotations

from collections.abc import Sequence

from netlint.api import Manifest, Path
from netlint.k8s import SHOWN, capped


def position(manifest: Manifest, path: Path) -> str:
    """`file:line:col` (1-based) of the node at `path` of `manifest`, as findings show it."""
    line, column, _, _ = manifest.span_of(path)
    return f"{manifest.source_path}:{line + 1}:{column + 1}"


def positions_text(occurrences: Sequence[tuple[Manifest, Path]]) -> str:
    """The positions of `occurrences`, capped (only the shown ones are located)."""
    shown = [position(manifest, path) for manifest, path in occurrences[:SHOWN]]
    return capped(shown, len(occurrences))
