"""Walks and reads shared by the runs of one scope (`sharing_inputs`).

The diff-aware mode (`--staged`, `--changed-since`: `filters.changed`) lints the tree, then its
base: the same walk, and the same files but the few it gives another text. Within the scope, a
walk with the same arguments returns what the first one found, and a file read for the whole-run
cache's key (`run.whole_run`) is not read again. Outside it nothing is kept.
"""

from __future__ import annotations

from collections.abc import Callable, Generator, Hashable
from contextlib import contextmanager

from netlint.input.reading import Pending, Source, Unreadable
from netlint.input.sources import Skipped

Listed = Pending | Source | Unreadable


class _Shared:
    __slots__ = ("reads", "walks")

    def __init__(self) -> None:
        self.walks: dict[Hashable, tuple[list[Listed], Skipped]] = {}
        self.reads: dict[tuple[str, str, int], Source | Unreadable] = {}


_scopes: list[_Shared] = []


@contextmanager
def sharing_inputs() -> Generator[None]:
    _scopes.append(_Shared())
    try:
        yield
    finally:
        _scopes.pop()


def walked(
    key: Hashable, walk: Callable[[Skipped], list[Listed]], skipped: Skipped
) -> list[Listed]:
    """`walk(skipped)`, or within a scope what the walk of the same `key` found (what it left
    out added to `skipped` again)."""
    if not _scopes:
        return walk(skipped)
    walks = _scopes[-1].walks
    if key not in walks:
        own: Skipped = []
        walks[key] = (walk(own), own)
    items, left_out = walks[key]
    skipped.extend(left_out)
    return list(items)


def read(entry: Pending, max_file_size: int) -> Source | Unreadable:
    """`entry.read`, once per scope."""
    if not _scopes:
        return entry.read(max_file_size)
    reads = _scopes[-1].reads
    key = (entry.file, entry.path, max_file_size)
    found = reads.get(key)
    if found is None:
        found = reads[key] = entry.read(max_file_size)
    return found
