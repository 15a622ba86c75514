"""Equality and ordering as cel-go evaluates them in Kubernetes: heterogeneous equality (values
of different types are not equal, an error is not the answer: `1 == 'a'` is false), numbers
compared by value across int, uint and double (`1 == 1.0`, and CrossTypeNumericComparisons,
on since Kubernetes 1.29: `1 < 1.5`). celpy refuses both with "no such overload"."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, cast

from celpy import celtypes
from celpy.evaluation import CELEvalError

from netlint.cel.calls import Failed, Function, type_name
from netlint.cel.errors import ErrorValue
from netlint.cel.formatting import FUNCTIONS as FORMATTING

# `string` is netlint's conversion function, so `type(x) == string` compares with it.
_TYPE_OF_NAME: dict[int, type] = {id(FORMATTING["string"]): celtypes.StringType}


def _number(value: object) -> int | float | None:
    if isinstance(value, (bool, celtypes.BoolType)) or not isinstance(value, (int, float)):
        return None
    return int(value) if isinstance(value, int) else float(value)


def _as_type(value: object) -> object:
    return _TYPE_OF_NAME.get(id(value), value)


def equal(left: Any, right: Any) -> bool:
    left, right = _as_type(left), _as_type(right)
    a, b = _number(left), _number(right)
    if a is not None and b is not None:
        return a == b
    if left is None or right is None:
        return left is right
    if isinstance(left, type) or isinstance(right, type):
        return left is right
    kind: str = type_name(left)
    if kind != type_name(right):
        return False
    if isinstance(left, list):
        items_a, items_b = cast("list[Any]", left), cast("list[Any]", right)
        return len(items_a) == len(items_b) and all(map(equal, items_a, items_b))
    if isinstance(left, Mapping):
        map_a, map_b = cast("Mapping[Any, Any]", left), cast("Mapping[Any, Any]", right)
        if len(map_a) != len(map_b):
            return False
        return all(key in map_b and equal(value, map_b[key]) for key, value in map_a.items())
    return bool(left == right)


def _order(left: Any, right: Any, symbol: str) -> int:
    """-1, 0 or 1; numbers across types, other values of one type only."""
    a: Any = _number(left)
    b: Any = _number(right)
    if a is None or b is None:
        kinds = (type_name(left), type_name(right))
        if kinds[0] != kinds[1] or kinds[0] in ("list", "map"):
            raise Failed(f"no such overload: {kinds[0]} {symbol} {kinds[1]}")
        a, b = left, right
    return (a > b) - (a < b)


def _unless_error(function: Callable[[Any, Any], bool]) -> Function:
    """An operator on two values, an error operand being the result."""

    def call(left: Any, right: Any) -> Any:
        for value in (left, right):
            if isinstance(value, CELEvalError):
                return value
        try:
            return celtypes.BoolType(function(left, right))
        except Failed as error:
            return ErrorValue(str(error))

    return call


def _not_equal(left: Any, right: Any) -> bool:
    return not equal(left, right)


def _less(left: Any, right: Any) -> bool:
    return _order(left, right, "<") < 0


def _less_or_equal(left: Any, right: Any) -> bool:
    return _order(left, right, "<=") <= 0


def _greater(left: Any, right: Any) -> bool:
    return _order(left, right, ">") > 0


def _greater_or_equal(left: Any, right: Any) -> bool:
    return _order(left, right, ">=") >= 0


FUNCTIONS: dict[str, Function] = {
    "_==_": _unless_error(equal),
    "_!=_": _unless_error(_not_equal),
    "_<_": _unless_error(_less),
    "_<=_": _unless_error(_less_or_equal),
    "_>_": _unless_error(_greater),
    "_>=_": _unless_error(_greater_or_equal),
}
