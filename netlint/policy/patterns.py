"""Policies' regular expressions, matched by jsonschema-rs's engine, never by Python's `re`.

A policy may come from the checkout being linted, and Python's backtracking engine takes
exponential time on patterns such as `^(a+)+$`: 28 characters took 8.8 s, doubling with each
one. The fast path (jsonschema-rs) already decides whether an object violates a policy; the
python-jsonschema pass that words the findings now asks the same engine about every `pattern`,
`patternProperties` and `additionalProperties` (`policy_keywords`), so the verdicts agree and
both are bounded (Rust's `regex`, or `fancy-regex` with its backtracking limit for lookaround
and backreferences)."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Protocol, cast

from netlint.policy.offline import refuse_retrieval

if TYPE_CHECKING:
    from jsonschema.exceptions import ValidationError

_RS: Any = importlib.import_module("jsonschema_rs")


class _Matcher(Protocol):
    def is_valid(self, instance: Any) -> bool: ...


@lru_cache(maxsize=4096)
def _matcher(pattern: str) -> _Matcher | None:
    try:
        return cast("_Matcher", _RS.validator_for({"pattern": pattern}, retriever=refuse_retrieval))
    except Exception:  # a pattern the engine does not take: refused when the policy loads
        return None


def pattern_problem(pattern: str) -> str | None:
    """Why netlint cannot match `pattern`, or None (checked when a policy is loaded)."""
    if _matcher(pattern) is None:
        return (
            f"regular expression {pattern!r} is not one netlint's engine takes (ECMA-262 "
            "syntax, as JSON Schema specifies; Python-only syntax such as \\Z or (?>...) is not)"
        )
    return None


def search(pattern: str, text: str, *, undecided: bool) -> bool:
    """Whether `pattern` matches somewhere in `text` (JSON Schema's `pattern`). `undecided` is
    the answer when the engine gives up (its backtracking limit): the one that reports nothing."""
    matcher = _matcher(pattern)
    if matcher is None:
        return undecided
    try:
        return matcher.is_valid(text)
    except Exception:
        return undecided


def _extras(instance: dict[str, Any], schema: dict[str, Any]) -> list[str]:
    """Keys that neither `properties` nor `patternProperties` cover (`additionalProperties`)."""
    properties = cast("dict[str, object]", schema.get("properties", {}))
    patterns = list(cast("dict[str, object]", schema.get("patternProperties", {})))
    return [
        key
        for key in instance
        if key not in properties and not any(search(p, key, undecided=True) for p in patterns)
    ]


# The keywords below run inside python-jsonschema's validator, which is imported by then: they
# import its error type where they make one, so that importing this module does not.
Keyword = Callable[[Any, Any, Any, dict[str, Any]], Iterator["ValidationError"]]


def _pattern(
    validator: Any, pattern: str, instance: Any, schema: dict[str, Any]
) -> Iterator[ValidationError]:
    from jsonschema.exceptions import ValidationError

    if validator.is_type(instance, "string") and not search(pattern, instance, undecided=True):
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


def _pattern_properties(
    validator: Any, patterns: dict[str, Any], instance: Any, schema: dict[str, Any]
) -> Iterator[ValidationError]:
    if not validator.is_type(instance, "object"):
        return
    for pattern, subschema in patterns.items():
        for key, value in instance.items():
            if search(pattern, key, undecided=False):
                yield from validator.descend(value, subschema, path=key, schema_path=pattern)


def _additional_properties(
    validator: Any, additional: Any, instance: Any, schema: dict[str, Any]
) -> Iterator[ValidationError]:
    from jsonschema.exceptions import ValidationError

    if not validator.is_type(instance, "object"):
        return
    extras = _extras(instance, schema)
    if validator.is_type(additional, "object"):
        for key in extras:
            yield from validator.descend(instance[key], additional, path=key)
    elif additional is False and extras:
        # Worded as python-jsonschema words it, which the messages of findings build on.
        listed = ", ".join(repr(key) for key in sorted(extras))
        if "patternProperties" in schema:
            verb = "does" if len(extras) == 1 else "do"
            regexes = ", ".join(repr(p) for p in sorted(schema["patternProperties"]))
            yield ValidationError(f"{listed} {verb} not match any of the regexes: {regexes}")
        else:
            were = "was" if len(extras) == 1 else "were"
            yield ValidationError(
                f"Additional properties are not allowed ({listed} {were} unexpected)"
            )


def first_extra(instance: dict[str, Any], schema: dict[str, Any]) -> str | None:
    """The first key `additionalProperties: false` refuses, for a finding's location."""
    extras = _extras(instance, schema)
    return extras[0] if extras else None


# python-jsonschema's keywords that match regular expressions, replaced. `unevaluatedProperties`
# does too, so a policy may not combine it with `patternProperties` (checked when it loads).
policy_keywords: dict[str, Keyword] = {
    "pattern": _pattern,
    "patternProperties": _pattern_properties,
    "additionalProperties": _additional_properties,
}
