"""The function table of an expression: the evaluator's standard functions with the
Kubernetes libraries over them, and the names the compile-time check accepts."""

from __future__ import annotations

from typing import Any

from celpy import celtypes
from celpy.evaluation import CELEvalError, base_functions

from netlint.cel import (
    authorizer,
    equality,
    formatting,
    lists,
    named_formats,
    net,
    optional,
    quantity,
    regex,
    semver,
    sets,
    strings,
    urls,
)
from netlint.cel.calls import Function
from netlint.cel.errors import ErrorValue

# The standard macros, which are syntax, not functions (celpy also reads `reduce`).
MACROS = frozenset({"has", "all", "exists", "exists_one", "map", "filter", "dyn"})


def _modulus(left: Any, right: Any) -> Any:
    """`_%_`, whose zero divisor cel-go names apart from `/`'s."""
    if isinstance(left, CELEvalError):
        return left
    if isinstance(right, CELEvalError):
        return right
    if isinstance(right, int) and not isinstance(right, celtypes.BoolType) and right == 0:
        return ErrorValue("modulus by zero")
    return base_functions["_%_"](left, right)


FUNCTIONS: dict[str, Function] = {
    **strings.FUNCTIONS,
    **lists.FUNCTIONS,
    **regex.FUNCTIONS,
    **urls.FUNCTIONS,
    **net.FUNCTIONS,
    **quantity.FUNCTIONS,
    **formatting.FUNCTIONS,
    **named_formats.FUNCTIONS,
    **equality.FUNCTIONS,
    **optional.FUNCTIONS,
    **sets.FUNCTIONS,
    **semver.FUNCTIONS,
    "_%_": _modulus,
}
# Names that stand for a value as well as a function: type names (`type(x) == string`) and
# `ip` (`ip.isCanonical(s)`); the authorizer's are no value, but a call needs them declared.
VALUE_NAMES = frozenset(base_functions) | frozenset(FUNCTIONS)
FUNCTIONS.update({n: f for n, f in authorizer.FUNCTIONS.items() if n not in FUNCTIONS})

KNOWN = frozenset(base_functions) | frozenset(FUNCTIONS) | MACROS
