"""Typed, total accessors for decoded manifest data.

Manifests are untrusted: any field may hold any type. Rules read data only through these helpers,
which answer `None` (or an empty container) instead of raising when a value has the wrong shape.
"""

from __future__ import annotations

from collections.abc import Iterator

from netlint.input.document import Node

EMPTY_MAP: dict[str, Node] = {}  # shared: never mutate it


def as_map(node: Node) -> dict[str, Node] | None:
    return node if isinstance(node, dict) else None


def as_list(node: Node) -> list[Node] | None:
    return node if isinstance(node, list) else None


def as_str(node: Node) -> str | None:
    return node if isinstance(node, str) else None


def as_int(node: Node) -> int | None:
    """An integer that is not a bool (YAML `yes` decodes to a bool, which is an int in Python)."""
    return node if isinstance(node, int) and not isinstance(node, bool) else None


def dig(node: Node, *path: str | int) -> Node:
    """The value at `path`, or None as soon as a step does not exist or has the wrong type."""
    for step in path:
        # Nearly every step is a key of a plain dict, which the exact type checks answer
        # first: rules call this about 50 times per object.
        if type(node) is dict and type(step) is str:
            node = node.get(step)
        elif isinstance(step, str):
            if not isinstance(node, dict):
                return None
            node = node.get(step)
        else:
            if not isinstance(node, list) or not -len(node) <= step < len(node):
                return None
            node = node[step]
    return node


def map_at(node: Node, *path: str | int) -> dict[str, Node]:
    """The mapping at `path`, or an empty mapping (never mutate the result)."""
    found = dig(node, *path)
    return found if isinstance(found, dict) else EMPTY_MAP


_NO_ITEMS: tuple[tuple[int, Node], ...] = ()


def items_at(node: Node, *path: str | int) -> Iterator[tuple[int, Node]]:
    """(index, item) of the sequence at `path`; nothing when it is absent or not a sequence.
    An iterator, not a generator: about 20 calls per object, most of them finding nothing."""
    found = dig(node, *path)
    return enumerate(found) if isinstance(found, list) else iter(_NO_ITEMS)


def string_map(node: Node) -> dict[str, str]:
    """The string-valued entries of a label-like mapping (other values are another rule's problem)."""
    if not isinstance(node, dict):
        return {}
    return {key: value for key, value in node.items() if isinstance(value, str)}
