"""cel-go's sets extension (`ext.Sets`, which the Kubernetes CEL environment enables):
`sets.contains(list, sublist)`, `sets.equivalent(list, list)`, `sets.intersects(list, list)`,
with CEL's equality (`1 == 1.0`). `contains` is also the strings function: the evaluator looks
functions up by name, so a call whose receiver is the identifier `sets` is the set one."""

from __future__ import annotations

from typing import Any, cast

from celpy import celtypes
from celpy.evaluation import base_functions

from netlint.cel.calls import Function, cel_function, no_overload
from netlint.cel.equality import equal


class _Namespace:
    """What the identifier `sets` stands for: the receiver of contains(), equivalent()..."""

    def __call__(self, *_arguments: Any) -> Any:
        raise TypeError("sets is not a function")


NAMESPACE = _Namespace()


def _lists(function: str, *values: object) -> list[list[Any]]:
    if not all(isinstance(value, list) for value in values):
        raise no_overload(f"sets.{function}", *values)
    return [cast("list[Any]", value) for value in values]


def _has(items: list[Any], wanted: Any) -> bool:
    return any(equal(item, wanted) for item in items)


def _contains(receiver: object, *arguments: object) -> Any:
    if receiver is not NAMESPACE:
        return base_functions["contains"](receiver, *arguments)
    if len(arguments) != 2:
        raise no_overload("sets.contains", *arguments)
    items, wanted = _lists("contains", *arguments)
    return celtypes.BoolType(all(_has(items, value) for value in wanted))


def _equivalent(receiver: object, first: object, second: object) -> Any:
    if receiver is not NAMESPACE:
        raise no_overload("sets.equivalent", receiver)
    a, b = _lists("equivalent", first, second)
    return celtypes.BoolType(all(_has(b, x) for x in a) and all(_has(a, x) for x in b))


def _intersects(receiver: object, first: object, second: object) -> Any:
    if receiver is not NAMESPACE:
        raise no_overload("sets.intersects", receiver)
    a, b = _lists("intersects", first, second)
    return celtypes.BoolType(any(_has(b, x) for x in a))


FUNCTIONS: dict[str, Function] = {
    "sets": NAMESPACE,
    "contains": cel_function(_contains),
    "equivalent": cel_function(_equivalent),
    "intersects": cel_function(_intersects),
}
