"""How a finding that stands for many occurrences lists the others: positions, capped.

A rule that groups N occurrences of one problem into one finding (the same object N times, one
path routed N times) names a few of the others and counts the rest, so that the finding, like
the run, grows linearly with the input and stays readable.
"""

from __future__ import annotations

from collections.abc import Sequence

from netlint.api import Manifest, Path

POSITIONS_SHOWN = 10  # positions a grouped finding spells out; the rest are counted


def position(manifest: Manifest, path: Path) -> str:
    """`file:line:col` (1-based) of the node at `path` of `manifest`, as findings show it."""
    line, column, _, _ = manifest.span_of(path)
    return f"{manifest.source_path}:{line + 1}:{column + 1}"


def capped(shown: Sequence[str], total: int) -> str:
    """`a, b, c and 7,990 more`: the first `POSITIONS_SHOWN` of `shown`, out of `total`."""
    listed = ", ".join(shown[:POSITIONS_SHOWN])
    more = total - min(len(shown), POSITIONS_SHOWN)
    return f"{listed} and {more:,} more" if more > 0 else listed


def positions_text(occurrences: Sequence[tuple[Manifest, Path]]) -> str:
    """The positions of `occurrences`, capped (only the shown ones are located)."""
    shown = [position(manifest, path) for manifest, path in occurrences[:POSITIONS_SHOWN]]
    return capped(shown, len(occurrences))
