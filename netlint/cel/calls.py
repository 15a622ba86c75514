"""How a library function meets the evaluator: celpy passes a method's receiver first and does
not stop at an argument that is an error, so each function is wrapped to hand the first
error argument on (CEL errors are values) and to name its own errors in cel-go's words."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from celpy import celtypes
from celpy.evaluation import CELEvalError

from netlint.cel.errors import ErrorValue

Function = Callable[..., Any]


class Failed(Exception):
    """Raised inside a library function: the call's CEL error, with this text."""


def cel_function(function: Function) -> Function:
    @wraps(function)
    def call(*arguments: Any) -> Any:
        for argument in arguments:
            if isinstance(argument, CELEvalError):
                return argument
        try:
            return function(*arguments)
        except Failed as error:
            return ErrorValue(str(error))

    return call


def no_overload(name: str, *arguments: object) -> Failed:
    kinds = ", ".join(type_name(a) for a in arguments)
    return Failed(f"no such overload: {name}({kinds})")


def type_name(value: object) -> str:
    """The CEL name of a value's type, for messages."""
    if value is None:
        return "null_type"
    for kind, name in (
        (celtypes.BoolType, "bool"),
        (bool, "bool"),
        (celtypes.UintType, "uint"),
        (int, "int"),
        (float, "double"),
        (str, "string"),
        (bytes, "bytes"),
        (list, "list"),
        (dict, "map"),
        (celtypes.DurationType, "google.protobuf.Duration"),
        (celtypes.TimestampType, "google.protobuf.Timestamp"),
    ):
        if isinstance(value, kind):
            return name
    return type(value).__name__


def string(value: object) -> str:
    """A string argument, or the call has no overload."""
    if isinstance(value, str):
        return str(value)
    raise Failed(f"no such overload: expected string, got {type_name(value)}")


def integer(value: object) -> int:
    if isinstance(value, int) and not isinstance(value, (bool, celtypes.BoolType)):
        return int(value)
    raise Failed(f"no such overload: expected int, got {type_name(value)}")
