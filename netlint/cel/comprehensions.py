"""cel-go's two-variable comprehensions (`ext.TwoVarComprehensions`, in Kubernetes' base
environment from 1.32): `all`, `exists` and `existsOne` with an index (or key) and a value,
and `transformList`, `transformMap` and `transformMapEntry`, with or without a filter.

Each macro here takes the receiver and `step`, which evaluates one argument expression (by
its position) with the two variables bound; the accumulation follows the macro expansions
of cel-go's ext/comprehensions.go, errors included: `all` keeps an error until a false
decides, `exists` until a true does, and any other error is the result."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from celpy import celtypes
from celpy.evaluation import CELEvalError

from netlint.cel.errors import ErrorValue

# step(argument, first, second): argument `argument` of the macro call (0 and 1 are the
# variables' names) evaluated with the first and the second variable bound; an error is
# returned, not raised.
Step = Callable[[int, Any, Any], Any]

QUANTIFIERS = frozenset({"all", "exists", "existsOne"})
TRANSFORMS = frozenset({"transformList", "transformMap", "transformMapEntry"})
# The argument counts of each macro: two names and one or two expressions.
ARITIES: dict[str, frozenset[int]] = {
    **dict.fromkeys(QUANTIFIERS, frozenset({3})),
    **dict.fromkeys(TRANSFORMS, frozenset({3, 4})),
}


def is_two_variable(method: str, arguments: int) -> bool:
    """Whether `receiver.method(...)` with `arguments` arguments is one of these macros
    (`all(x, p)` with two arguments is the standard one-variable macro)."""
    return arguments in ARITIES.get(method, frozenset())


def _pairs(receiver: Any) -> Iterator[tuple[Any, Any]] | None:
    """(index, item) of a list, (key, value) of a map; None for any other receiver."""
    if isinstance(receiver, celtypes.MapType):
        return iter(receiver.items())
    if isinstance(receiver, list):
        items: list[Any] = receiver  # pyright: ignore[reportUnknownVariableType]
        return ((celtypes.IntType(index), item) for index, item in enumerate(items))
    return None


def _boolean(value: Any) -> Any:
    """A predicate's value: a bool, the error it is, or `no such overload` for a non-bool."""
    if isinstance(value, (celtypes.BoolType, CELEvalError)):
        return value
    return ErrorValue("no such overload")


def _quantify(method: str, pairs: Iterator[tuple[Any, Any]], step: Step) -> Any:
    if method == "existsOne":
        count = 0
        for first, second in pairs:
            holds = _boolean(step(2, first, second))
            if isinstance(holds, CELEvalError):
                return holds
            count += 1 if holds else 0
        return celtypes.BoolType(count == 1)
    deciding = method == "exists"  # true decides exists, false decides all
    error: CELEvalError | None = None
    for first, second in pairs:
        holds = _boolean(step(2, first, second))
        if isinstance(holds, CELEvalError):
            error = holds if error is None else error
        elif bool(holds) is deciding:
            return celtypes.BoolType(deciding)
    return error if error is not None else celtypes.BoolType(not deciding)


def _transform(method: str, pairs: Iterator[tuple[Any, Any]], step: Step, filtered: bool) -> Any:
    made: list[Any] = []
    entries: dict[Any, Any] = {}
    value_argument = 3 if filtered else 2
    for first, second in pairs:
        if filtered:
            kept = _boolean(step(2, first, second))
            if isinstance(kept, CELEvalError):
                return kept
            if not kept:
                continue
        value = step(value_argument, first, second)
        if isinstance(value, CELEvalError):
            return value
        if method == "transformList":
            made.append(value)
        elif method == "transformMap":
            entries[first] = value
        else:
            if not isinstance(value, celtypes.MapType):
                return ErrorValue("no such overload")
            for key, entry in value.items():
                if key in entries:
                    return ErrorValue(f"insert failed: key {key} already exists")
                entries[key] = entry
    if method == "transformList":
        return celtypes.ListType(made)
    return celtypes.MapType(entries)


def evaluate(method: str, receiver: Any, arguments: int, step: Step) -> Any:
    """`receiver.method(first, second, ...)`, a two-variable macro with `arguments`
    arguments (`is_two_variable`)."""
    if isinstance(receiver, CELEvalError):
        return receiver
    pairs = _pairs(receiver)
    if pairs is None:
        return ErrorValue("no such overload")
    if method in QUANTIFIERS:
        return _quantify(method, pairs, step)
    return _transform(method, pairs, step, filtered=arguments == 4)
