"""CEL optional types (cel-go's `OptionalTypes`, on in Kubernetes since 1.29): the values
and functions; the syntax (`x.?f`, `x[?k]`) is the grammar's and the evaluator's, in
`syntax.py`. optional.of(), optional.none(), optional.ofNonZeroValue(), hasValue(), value(),
orValue(), or()."""

from __future__ import annotations

from typing import Any

from celpy import celtypes

from netlint.cel.calls import Failed, Function, cel_function, no_overload


class OptionalValue:
    """A value that may be absent: `present` False is optional.none()."""

    def __init__(self, value: Any = None, *, present: bool) -> None:
        self.value = value
        self.present = present

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, OptionalValue):
            return False
        return self.present == other.present and (not self.present or self.value == other.value)

    def __hash__(self) -> int:
        return hash(self.present)

    def __repr__(self) -> str:
        return f"optional.of({self.value!r})" if self.present else "optional.none()"


NONE = OptionalValue(present=False)


class _Namespace:
    """What the identifier `optional` stands for: the receiver of of(), none()..."""

    def __call__(self, *_arguments: Any) -> Any:
        raise TypeError("optional is not a function")


NAMESPACE = _Namespace()


def _namespace(receiver: object, function: str) -> None:
    if receiver is not NAMESPACE:
        raise no_overload(function, receiver)


def of(receiver: object, value: object) -> OptionalValue:
    _namespace(receiver, "optional.of")
    return OptionalValue(value, present=True)


def none(receiver: object) -> OptionalValue:
    _namespace(receiver, "optional.none")
    return NONE


def _zero(value: object) -> bool:
    return value is None or (not isinstance(value, OptionalValue) and not value)


def of_non_zero_value(receiver: object, value: object) -> OptionalValue:
    _namespace(receiver, "optional.ofNonZeroValue")
    return NONE if _zero(value) else OptionalValue(value, present=True)


def _optional(value: object, function: str) -> OptionalValue:
    if not isinstance(value, OptionalValue):
        raise no_overload(function, value)
    return value


def has_value(value: object) -> Any:
    return celtypes.BoolType(_optional(value, "hasValue").present)


def value_of(value: object) -> Any:
    optional = _optional(value, "value")
    if not optional.present:
        raise Failed("optional.none() dereference")
    return optional.value


def or_value(value: object, default: object) -> Any:
    optional = _optional(value, "orValue")
    return optional.value if optional.present else default


def either(value: object, other: object) -> Any:
    optional = _optional(value, "or")
    return optional if optional.present else _optional(other, "or")


FUNCTIONS: dict[str, Function] = {
    "optional": NAMESPACE,
    "of": cel_function(of),
    "none": cel_function(none),
    "ofNonZeroValue": cel_function(of_non_zero_value),
    "hasValue": cel_function(has_value),
    "value": cel_function(value_of),
    "orValue": cel_function(or_value),
    "or": cel_function(either),
}
