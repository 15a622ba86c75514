"""The Kubernetes list library (k8s.io/apiserver/pkg/cel/library `Lists`): isSorted, sum,
min, max, indexOf, lastIndexOf; indexOf and lastIndexOf also stand for the strings library's
functions of those names, since the evaluator looks functions up by name."""

from __future__ import annotations

import datetime
import itertools
from typing import Any, cast

from celpy import celtypes

from netlint.cel.calls import Failed, Function, cel_function, type_name
from netlint.cel.strings import string_index_of, string_last_index_of

_INT64 = (-(2**63), 2**63 - 1)


def _items(value: object, function: str) -> list[Any]:
    if not isinstance(value, list):
        raise Failed(f"no such overload: {type_name(value)}.{function}()")
    return cast("list[Any]", value)


def _less(a: Any, b: Any) -> bool:
    if type_name(a) != type_name(b) and not (
        isinstance(a, (int, float)) and isinstance(b, (int, float))
    ):
        raise Failed(f"no such overload: {type_name(a)} < {type_name(b)}")
    return bool(a < b)


def is_sorted(value: object) -> celtypes.BoolType:
    items = _items(value, "isSorted")
    return celtypes.BoolType(all(not _less(b, a) for a, b in itertools.pairwise(items)))


def total(value: object) -> Any:
    """Sum of ints, uints, doubles or durations; an empty list sums to int 0."""
    items = _items(value, "sum")
    if not items:
        return celtypes.IntType(0)
    kinds = {type_name(i) for i in items}
    if len(kinds) != 1:
        raise Failed(f"no such overload: sum of {', '.join(sorted(kinds))}")
    first = items[0]
    if isinstance(first, celtypes.DurationType):
        return celtypes.DurationType(sum(items, datetime.timedelta()))
    if isinstance(first, (celtypes.BoolType, bool)) or not isinstance(first, (int, float)):
        raise Failed(f"no such overload: sum of {type_name(first)}")
    result = sum(items)
    if isinstance(first, float):
        return celtypes.DoubleType(result)
    low, high = (0, 2**64 - 1) if isinstance(first, celtypes.UintType) else _INT64
    if not low <= result <= high:
        raise Failed("integer overflow")
    return type(first)(result)


def _extreme(value: object, function: str, pick: bool) -> Any:
    items = _items(value, function)
    if not items:
        raise Failed(f"{function} called on empty list")
    best = items[0]
    for item in items[1:]:
        if _less(best, item) == pick:
            best = item
    return best


def maximum(value: object) -> Any:
    return _extreme(value, "max", True)


def minimum(value: object) -> Any:
    return _extreme(value, "min", False)


def index_of(value: object, item: object, offset: object = None) -> celtypes.IntType:
    if isinstance(value, str):
        return string_index_of(value, item, offset)
    items = _items(value, "indexOf")
    for index, element in enumerate(items):
        if type_name(element) == type_name(item) and element == item:
            return celtypes.IntType(index)
    return celtypes.IntType(-1)


def last_index_of(value: object, item: object, offset: object = None) -> celtypes.IntType:
    if isinstance(value, str):
        return string_last_index_of(value, item, offset)
    items = _items(value, "lastIndexOf")
    for index in range(len(items) - 1, -1, -1):
        if type_name(items[index]) == type_name(item) and items[index] == item:
            return celtypes.IntType(index)
    return celtypes.IntType(-1)


FUNCTIONS: dict[str, Function] = {
    "isSorted": cel_function(is_sorted),
    "sum": cel_function(total),
    "max": cel_function(maximum),
    "min": cel_function(minimum),
    "indexOf": cel_function(index_of),
    "lastIndexOf": cel_function(last_index_of),
}
