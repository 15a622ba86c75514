"""`string.format(list)` of cel-go's strings library and `string(x)` for the Kubernetes
types: %s, %d, %f, %e, %b, %o, %x, %X and %% with an optional precision (`%.2f`), values
written as cel-go writes them (`true`, `null`, `[1, 2]`)."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from typing import Any, cast

from celpy import celtypes

from netlint.cel.calls import Failed, Function, cel_function, string, type_name
from netlint.cel.values import Opaque

_VERB = re.compile(r"%(?:\.(?P<precision>[0-9]+))?(?P<verb>[sdfeboxX%])?")


def text_of(value: Any) -> str:
    """A value as `%s` and `string()` write it."""
    if value is None:
        return "null"
    if isinstance(value, (bool, celtypes.BoolType)):
        return "true" if value else "false"
    if isinstance(value, float):
        return _double(value)
    if isinstance(value, (str, Opaque, int)):
        return str(value)
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    if isinstance(value, list):
        return "[" + ", ".join(text_of(v) for v in cast("list[Any]", value)) + "]"
    if isinstance(value, Mapping):
        pairs = cast("Mapping[Any, Any]", value).items()
        return "{" + ", ".join(f"{text_of(k)}: {text_of(v)}" for k, v in pairs) + "}"
    if isinstance(value, celtypes.DurationType):
        return f"{value.total_seconds():g}s"
    if isinstance(value, celtypes.TimestampType):
        return value.strftime("%Y-%m-%dT%H:%M:%SZ")
    return str(value)


def _double(number: float) -> str:
    value = float(number)  # celpy's DoubleType compares only with doubles
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "+Inf" if value > 0 else "-Inf"
    return repr(value) if value != int(value) or abs(value) >= 1e21 else str(int(value))


def _number(value: Any, verb: str) -> float | int:
    if isinstance(value, (bool, celtypes.BoolType)) or not isinstance(value, (int, float)):
        raise Failed(f"error during formatting: {type_name(value)} is not a number for %{verb}")
    return value


def _one(verb: str, precision: str | None, value: Any) -> str:
    if verb == "s":
        return text_of(value)
    if verb == "d":
        number = _number(value, verb)
        if isinstance(number, float):
            raise Failed("error during formatting: decimal clause can only be used on integers")
        return str(number)
    if verb in "fe":
        number = float(_number(value, verb))
        if math.isnan(number) or math.isinf(number):
            return _double(number)
        return f"{number:.{6 if precision is None else int(precision)}{verb}}"
    if verb in "boxX":
        if isinstance(value, str):
            if verb in "xX":
                hexed = value.encode().hex()
                return hexed.upper() if verb == "X" else hexed
            raise Failed(f"error during formatting: only integers and bools can use %{verb}")
        if isinstance(value, (bool, celtypes.BoolType)):
            value = int(value)
        number = _number(value, verb)
        if isinstance(number, float):
            raise Failed(f"error during formatting: only integers can use %{verb}")
        return format(number, verb)
    raise Failed(f"error during formatting: unrecognized formatting clause %{verb}")


def format_string(template: object, arguments: object) -> celtypes.StringType:
    text = string(template)
    if not isinstance(arguments, list):
        raise Failed("no such overload: format expects a list")
    values = cast("list[Any]", arguments)
    out: list[str] = []
    position = 0
    used = 0
    for match in _VERB.finditer(text):
        out.append(text[position : match.start()])
        position = match.end()
        verb = match["verb"]
        if verb is None:
            raise Failed("error during formatting: unterminated formatting clause")
        if verb == "%":
            out.append("%")
            continue
        if used >= len(values):
            raise Failed(f"index {used} out of range")
        out.append(_one(verb, match["precision"], values[used]))
        used += 1
    out.append(text[position:])
    return celtypes.StringType("".join(out))


def to_string(value: object) -> Any:
    """`string(x)`: the evaluator's conversion, with CEL's spelling of bools and doubles
    and the Kubernetes types' string forms."""
    if isinstance(value, (bool, celtypes.BoolType, float, Opaque)):
        return celtypes.StringType(text_of(value))
    if isinstance(value, (list, Mapping)) or value is None:
        kind: str = type_name(cast("object", value))
        raise Failed(f"no such overload: string({kind})")
    return celtypes.StringType(value)  # pyright: ignore[reportArgumentType]


FUNCTIONS: dict[str, Function] = {
    "format": cel_function(format_string),
    "string": cel_function(to_string),
}
