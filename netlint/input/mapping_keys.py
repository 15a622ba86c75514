"""Mappings whose keys do not simply follow one another: duplicate keys, `<<` merge keys, complex
keys and keys that decode to another scalar type.

While a mapping's keys are new plain strings, the builder (`tree_builder`) puts their spans in
the flat table in event order, which is the data's order. A mapping that breaks this is
`Tracked`: its entries are recorded, its merges applied when it ends as go-yaml v2 applies them,
and its part of the table rewritten in the data's order. Only such mappings come here: the
builder's loop handles the common case itself.
"""

from __future__ import annotations

from typing import Protocol

from netlint.input.document import COLUMN_BITS, Node, PackedSpan, node_size, packed_at
from netlint.input.scalars import key_text

MERGE_KEY = "<<"
MERGE_TAG = "tag:yaml.org,2002:merge"  # `!!merge <<: ...`, a merge key as go-yaml v2 reads it
_COMPLEX_KEY = "?"  # stands in for a mapping or sequence used as a key (already reported)

# Where a mapping entry's positions lie in the flat table being built: (key, or None for a `<<`
# merge key; index of the key's span; index of the value's first span).
_Entry = tuple[str | None, int, int]

# Where each key of a mapping in the data lies in the flat table: key -> (index of the key's
# span, index of the value's first span, index past the value's last span).
Places = dict[str, tuple[int, int, int]]


class Reporter(Protocol):
    """Where the problems found here go (the builder of the document)."""

    def problem(self, rule_id: str, message: str, span: PackedSpan) -> None: ...


class Tracked:
    """An open mapping whose entries stopped lining up with the flat table in event order: it has
    a duplicate, merge or complex key. Its entries are recorded from then on, so that its part
    of the table can be put in data order when it ends (`tree_builder.Builder.reorder`)."""

    __slots__ = ("entries", "merges")

    def __init__(self, entries: list[_Entry]) -> None:
        self.entries = entries
        # Each `<<` value: (value, index of its first span, index past its last span).
        self.merges: list[tuple[Node, int, int]] = []


def track_key(
    reporter: Reporter,
    mapping: dict[str, Node],
    start: int,
    flat: list[int],
    node: Node,
    here: int,
    merge: bool,
    tracked: Tracked | None,
) -> tuple[str, Tracked | None]:
    """A key that is not a new plain string: a duplicate, a `<<` merge key, a complex key,
    or a key that decodes to another scalar type. Returns the key and the tracking state."""
    if isinstance(node, (dict, list)):
        reporter.problem(
            "yaml-syntax",
            "a mapping key must be a scalar: Kubernetes cannot decode complex keys",
            packed_at(flat, here),
        )
        key = _COMPLEX_KEY
    else:
        key = key_text(node)
        merge = merge and key == MERGE_KEY
    is_complex = key is _COMPLEX_KEY
    if tracked is None:
        if not (merge or is_complex or key in mapping):
            return key, None
        # The entries so far still line up: their places follow from the data's sizes.
        entries: list[_Entry] = []
        at = start + 2
        for name, item in mapping.items():
            entries.append((name, at, at + 2))
            at += 2 + 2 * node_size(item)
        tracked = Tracked(entries)
    if not merge and key in mapping:
        previous = next((at for name, at, _ in reversed(tracked.entries) if name == key), here)
        reporter.problem(
            "yaml-duplicate-key",
            f"duplicate key {key!r}: already set at line "
            f"{(flat[previous] >> COLUMN_BITS) + 1}; the API server's strict decoding "
            "rejects the object, and kubectl keeps only the last value",
            packed_at(flat, here),
        )
    tracked.entries.append((None if merge else key, here, len(flat)))
    return key, tracked


def track_value(mapping: dict[str, Node], key: str, node: Node, tracked: Tracked, end: int) -> None:
    name, _, first = tracked.entries[-1]
    if name is None:  # a `<<` value: merged when the mapping ends
        tracked.merges.append((node, first, end))
    else:
        mapping[key] = node


def apply_merges(
    reporter: Reporter, flat: list[int], mapping: dict[str, Node], tracked: Tracked
) -> Places:
    """Apply a tracked mapping's `<<` merges as go-yaml v2 does (explicit keys win, then earlier
    sources); where each of its keys now lies in `flat`."""
    places: Places = {}
    entries = tracked.entries
    for number, (name, key_at, value_at) in enumerate(entries):
        if name is not None:  # the last of duplicates wins, as in the data
            value_end = entries[number + 1][1] if number + 1 < len(entries) else len(flat)
            places[name] = (key_at, value_at, value_end)
    for node, first, last in tracked.merges:
        for source, source_at in _merge_sources(reporter, node, first, last, flat):
            at = source_at + 2
            for name, item in source.items():
                size = 2 * node_size(item)
                if name not in mapping:
                    mapping[name] = item
                    places[name] = (at, at + 2, at + 2 + size)
                at += 2 + size
    return places


def put_in_data_order(
    flat: list[int], start: int, mapping: dict[str, Node], places: Places
) -> None:
    """Rewrite the part of `flat` of the mapping whose span is at `start` in the data's order."""
    ordered: list[int] = []
    for name in mapping:
        key_at, value_at, value_end = places[name]
        ordered += flat[key_at : key_at + 2]
        ordered += flat[value_at:value_end]
    flat[start + 2 :] = ordered


def _merge_sources(
    reporter: Reporter, node: Node, first: int, last: int, flat: list[int]
) -> list[tuple[dict[str, Node], int]]:
    """The mappings a `<<` value merges, each with the index of its span."""
    if isinstance(node, dict):
        return [(node, first)]
    if isinstance(node, list) and all(isinstance(item, dict) for item in node):
        sources: list[tuple[dict[str, Node], int]] = []
        at = first + 2
        for item in node:
            assert isinstance(item, dict)
            sources.append((item, at))
            at += 2 * node_size(item)
        return sources
    reporter.problem(
        "yaml-syntax",
        "a merge key (<<) needs a mapping or a list of mappings",
        packed_at(flat, first),
    )
    return []
