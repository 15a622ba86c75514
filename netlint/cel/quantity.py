"""The Kubernetes quantity library (k8s.io/apiserver/pkg/cel/library `Quantity`):
quantity(), isQuantity(), sign(), isInteger(), asInteger(), asApproximateFloat(), add(),
sub(), compareTo(), isLessThan(), isGreaterThan(). Values are exact fractions; the syntax
is that of apimachinery's resource.ParseQuantity (a decimal number, then one binary-SI,
decimal-SI or decimal-exponent suffix)."""

from __future__ import annotations

import re
from fractions import Fraction

from celpy import celtypes

from netlint.cel.calls import Failed, Function, cel_function, integer, no_overload, string
from netlint.cel.values import Opaque

_SYNTAX = re.compile(
    r"(?P<number>[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+))"
    r"(?P<suffix>[KMGTPE]i|[numkMGTPE]|[eE][+-]?[0-9]+)?"
)
_BINARY = {"Ki": 10, "Mi": 20, "Gi": 30, "Ti": 40, "Pi": 50, "Ei": 60}
_DECIMAL = {"n": -9, "u": -6, "m": -3, "k": 3, "M": 6, "G": 9, "T": 12, "P": 15, "E": 18}
_INT64 = (-(2**63), 2**63 - 1)


class Quantity(Opaque):
    def __init__(self, value: Fraction, text: str) -> None:
        self.value = value
        self.text = text

    def __str__(self) -> str:
        return self.text

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Quantity) and self.value == other.value

    def __hash__(self) -> int:
        return hash(self.value)


def parse_quantity(text: str) -> Fraction:
    match = _SYNTAX.fullmatch(text)
    if match is None:
        raise Failed(
            "quantities must match the regular expression "
            "'^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"
        )
    value = Fraction(match["number"])
    suffix = match["suffix"] or ""
    if suffix in _BINARY:
        return value * 2 ** _BINARY[suffix]
    if suffix in _DECIMAL:
        return value * Fraction(10) ** _DECIMAL[suffix]
    if suffix:
        return value * Fraction(10) ** int(suffix[1:])
    return value


def _formatted(value: Fraction) -> str:
    if value.denominator == 1:
        return str(value.numerator)
    return str(float(value))


def quantity(value: object) -> Quantity:
    text = string(value)
    return Quantity(parse_quantity(text), text)


def is_quantity(value: object) -> celtypes.BoolType:
    try:
        parse_quantity(string(value))
    except Failed:
        return celtypes.BoolType(False)
    return celtypes.BoolType(True)


def _quantity(value: object, function: str) -> Fraction:
    if not isinstance(value, Quantity):
        raise no_overload(function, value)
    return value.value


def _operand(value: object, function: str) -> Fraction:
    if isinstance(value, Quantity):
        return value.value
    if isinstance(value, str):
        return parse_quantity(value)
    return Fraction(integer(value))


def sign(value: object) -> celtypes.IntType:
    number = _quantity(value, "sign")
    return celtypes.IntType((number > 0) - (number < 0))


def _fits(number: Fraction) -> bool:
    return number.denominator == 1 and _INT64[0] <= number.numerator <= _INT64[1]


def is_integer(value: object) -> celtypes.BoolType:
    return celtypes.BoolType(_fits(_quantity(value, "isInteger")))


def as_integer(value: object) -> celtypes.IntType:
    number = _quantity(value, "asInteger")
    if not _fits(number):
        raise Failed("cannot convert value to integer")
    return celtypes.IntType(number.numerator)


def as_approximate_float(value: object) -> celtypes.DoubleType:
    number = _quantity(value, "asApproximateFloat")
    try:
        return celtypes.DoubleType(float(number))
    except OverflowError:
        return celtypes.DoubleType(float("inf") if number > 0 else float("-inf"))


def add(receiver: object, value: object) -> Quantity:
    total = _quantity(receiver, "add") + _operand(value, "add")
    return Quantity(total, _formatted(total))


def sub(receiver: object, value: object) -> Quantity:
    total = _quantity(receiver, "sub") - _operand(value, "sub")
    return Quantity(total, _formatted(total))


def compare_to(receiver: object, value: object) -> celtypes.IntType:
    a, b = _quantity(receiver, "compareTo"), _quantity(value, "compareTo")
    return celtypes.IntType((a > b) - (a < b))


def is_less_than(receiver: object, value: object) -> celtypes.BoolType:
    return celtypes.BoolType(_quantity(receiver, "isLessThan") < _quantity(value, "isLessThan"))


def is_greater_than(receiver: object, value: object) -> celtypes.BoolType:
    a, b = _quantity(receiver, "isGreaterThan"), _quantity(value, "isGreaterThan")
    return celtypes.BoolType(a > b)


FUNCTIONS: dict[str, Function] = {
    "quantity": cel_function(quantity),
    "isQuantity": cel_function(is_quantity),
    "sign": cel_function(sign),
    "isInteger": cel_function(is_integer),
    "asInteger": cel_function(as_integer),
    "asApproximateFloat": cel_function(as_approximate_float),
    "add": cel_function(add),
    "sub": cel_function(sub),
    "compareTo": cel_function(compare_to),
    "isLessThan": cel_function(is_less_than),
    "isGreaterThan": cel_function(is_greater_than),
}
