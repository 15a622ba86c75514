"""The Kubernetes semver library (k8s.io/apiserver/pkg/cel/library `SemverLib`): semver(),
isSemver() (each with the `normalize` flag), major(), minor(), patch(), isGreaterThan(),
isLessThan(), compareTo(). Parsing and precedence follow blang/semver v4's `Parse` and
`Compare`, which upstream uses; normalizing follows upstream's `normalizeAndParse`."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from celpy import celtypes

from netlint.cel import quantity
from netlint.cel.calls import Failed, Function, cel_function, no_overload, string
from netlint.cel.values import Opaque

_NUMBER = re.compile(r"0|[1-9][0-9]*")
_IDENTIFIER = re.compile(r"[0-9A-Za-z-]+")


class Semver(Opaque):
    def __init__(self, major: int, minor: int, patch: int, pre: tuple[str, ...], text: str) -> None:
        self.major, self.minor, self.patch, self.pre = major, minor, patch, pre
        self.text = text

    def __str__(self) -> str:
        return self.text

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Semver) and compare(self, other) == 0

    def __hash__(self) -> int:
        return hash((self.major, self.minor, self.patch, self.pre))


def _number(text: str, what: str) -> int:
    if not text.isdigit() or not text.isascii():
        raise Failed(f"Invalid character(s) found in {what} number {text!r}")
    if not _NUMBER.fullmatch(text):
        raise Failed(f"{what.capitalize()} number must not contain leading zeroes {text!r}")
    return int(text)


def parse(text: str) -> Semver:
    """blang/semver v4 `Parse`: MAJOR.MINOR.PATCH[-PRERELEASE][+BUILD]."""
    core, plus, build = text.partition("+")
    if plus and not all(_IDENTIFIER.fullmatch(part) for part in build.split(".")):
        raise Failed(f"Invalid character(s) found in build meta data {build!r}")
    version, dash, prerelease = core.partition("-")
    parts = version.split(".")
    if len(parts) != 3:
        raise Failed("No Major.Minor.Patch elements found")
    major, minor, patch = (
        _number(parts[0], "major"),
        _number(parts[1], "minor"),
        _number(parts[2], "patch"),
    )
    pre: tuple[str, ...] = ()
    if dash:
        pre = tuple(prerelease.split("."))
        for part in pre:
            if not _IDENTIFIER.fullmatch(part):
                raise Failed(f"Invalid character(s) found in prerelease {part!r}")
            if part.isdigit() and not _NUMBER.fullmatch(part):
                raise Failed(f"Numeric PreRelease version must not contain leading zeroes {part!r}")
    return Semver(major, minor, patch, pre, text)


def normalize_and_parse(text: str) -> Semver:
    """Upstream's `normalizeAndParse`: no leading `v`, no leading zeros, `1` and `1.2` filled
    up to `1.0.0` and `1.2.0`."""
    text = text.removeprefix("v")
    parts = text.split(".", 2)
    for index, part in enumerate(parts):
        if len(part) > 1:
            trimmed = part.lstrip("0")
            if not trimmed or trimmed[0] not in "0123456789":
                trimmed = "0" + trimmed
            parts[index] = trimmed
    if len(parts) < 3:
        if any(char in parts[-1] for char in "+-"):
            raise Failed("short version cannot contain PreRelease/Build meta data")
        parts += ["0"] * (3 - len(parts))
    return parse(".".join(parts))


def _pre_key(part: str) -> tuple[int, int, str]:
    # Numeric identifiers sort below alphanumeric ones, numerically among themselves.
    return (0, int(part), "") if part.isdigit() else (1, 0, part)


def compare(a: Semver, b: Semver) -> int:
    """blang's `Compare`: the core, then the prerelease (a version without one is greater)."""
    for x, y in ((a.major, b.major), (a.minor, b.minor), (a.patch, b.patch)):
        if x != y:
            return 1 if x > y else -1
    if a.pre == b.pre:
        return 0
    if not a.pre or not b.pre:
        return -1 if a.pre else 1
    for x, y in zip(a.pre, b.pre, strict=False):
        kx, ky = _pre_key(x), _pre_key(y)
        if kx != ky:
            return 1 if kx > ky else -1
    return (len(a.pre) > len(b.pre)) - (len(a.pre) < len(b.pre))


def _flag(value: object, function: str) -> bool:
    if not isinstance(value, (bool, celtypes.BoolType)):
        raise no_overload(function, value)
    return bool(value)


def semver(value: object, normalize: object = False) -> Semver:
    text = string(value)
    return normalize_and_parse(text) if _flag(normalize, "semver") else parse(text)


def is_semver(value: object, normalize: object = False) -> celtypes.BoolType:
    try:
        semver(value, normalize)
    except Failed:
        if not isinstance(value, str):
            raise
        return celtypes.BoolType(False)
    return celtypes.BoolType(True)


def _version(value: object, function: str) -> Semver:
    if not isinstance(value, Semver):
        raise no_overload(function, value)
    return value


def _part(name: str) -> Function:
    def get(value: object) -> Any:
        return celtypes.IntType(getattr(_version(value, name), name))

    return cel_function(get)


def _greater(order: int) -> celtypes.BoolType:
    return celtypes.BoolType(order == 1)


def _less(order: int) -> celtypes.BoolType:
    return celtypes.BoolType(order == -1)


def _comparison(name: str, test: Callable[[int], Any]) -> Function:
    """`name` on two Semvers; on anything else, the quantity library's function of that name
    (the evaluator looks functions up by name alone)."""
    other_library = quantity.FUNCTIONS[name]

    def call(value: object, other: object) -> Any:
        if not isinstance(value, Semver):
            return other_library(value, other)
        return test(compare(value, _version(other, name)))

    return cel_function(call)


FUNCTIONS: dict[str, Function] = {
    "semver": cel_function(semver),
    "isSemver": cel_function(is_semver),
    "major": _part("major"),
    "minor": _part("minor"),
    "patch": _part("patch"),
    "isGreaterThan": _comparison("isGreaterThan", _greater),
    "isLessThan": _comparison("isLessThan", _less),
    "compareTo": _comparison("compareTo", celtypes.IntType),
}
