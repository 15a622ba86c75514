"""The earliest item that differs from a query in every coordinate, without scanning them all.

Conflict rules ask, for each of N occurrences, "which is the first other occurrence that
routes the same path to another backend, from another object, in another file?": a scan of the
others for each is O(N²) on one Ingress with N identical paths. Each of those conditions is
"differs from mine in this coordinate", and for such questions a few items answer for all.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import Generic, TypeVar

T = TypeVar("T")

Coordinates = Sequence[Hashable]


class EarliestDiffering(Generic[T]):
    """Items added in order, each with k coordinates; `earliest(query)` is the first item added
    whose coordinates all differ from the query's.

    The first item added answers unless the query equals it in some coordinate j; then the
    answer differs from that first item in j, so it is the earliest of the items that do: a
    structure of the same kind over those items (`_children[j]`), in which coordinate j needs
    no checking any more (each of its items differs from the query there). So a query follows
    one path of at most k nodes, and an item is added to at most 1 + k + k(k-1) + ... + k!
    nodes (5 for two coordinates, 16 for three), whatever the number of items.
    """

    __slots__ = ("_children", "_first", "_free")

    def __init__(self, free: Sequence[int] | int) -> None:
        """`free`: the number of coordinates, or (inside) those that may still be equal."""
        self._free: tuple[int, ...] = tuple(range(free)) if isinstance(free, int) else tuple(free)
        self._first: tuple[Coordinates, T] | None = None
        self._children: dict[int, EarliestDiffering[T]] = {}

    def add(self, coordinates: Coordinates, item: T) -> None:
        """Add `item`, later than every item added before."""
        if self._first is None:
            self._first = (coordinates, item)
            return
        first = self._first[0]
        for j in self._free:
            if coordinates[j] != first[j]:
                child = self._children.get(j)
                if child is None:
                    child = self._children[j] = EarliestDiffering([c for c in self._free if c != j])
                child.add(coordinates, item)

    def earliest(self, query: Coordinates) -> T | None:
        node: EarliestDiffering[T] | None = self
        while node is not None and node._first is not None:
            coordinates, item = node._first
            equal = next((j for j in node._free if coordinates[j] == query[j]), None)
            if equal is None:
                return item
            node = node._children.get(equal)
        return None
