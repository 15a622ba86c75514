"""The Kubernetes regex library (k8s.io/apiserver/pkg/cel/library `Regex`): find and findAll,
with RE2 (Go's regexp is RE2, and so is `matches` in the evaluator)."""

from __future__ import annotations

from typing import Any

import re2  # pyright: ignore[reportMissingTypeStubs]
from celpy import celtypes

from netlint.cel.calls import Failed, Function, cel_function, integer, string


def _compile(pattern: object) -> Any:
    try:
        return re2.compile(string(pattern))  # pyright: ignore[reportUnknownMemberType]
    except re2.error as error:  # pyright: ignore[reportUnknownMemberType, reportUnknownVariableType]
        arguments: tuple[object, ...] = tuple(error.args)  # pyright: ignore[reportUnknownMemberType, reportUnknownArgumentType]
        reason = arguments[0] if arguments else ""
        if isinstance(reason, bytes):
            reason = reason.decode(errors="replace")
        raise Failed(f"error parsing regexp: {reason}") from None


def find(text: object, pattern: object) -> celtypes.StringType:
    """The leftmost match, or '' (Go's Regexp.FindString)."""
    match = _compile(pattern).search(string(text))
    return celtypes.StringType("" if match is None else match.group(0))


def find_all(text: object, pattern: object, limit: object = None) -> celtypes.ListType:
    """Go's Regexp.FindAllString: successive non-overlapping matches, an empty match that
    abuts the previous match skipped; a negative limit means all."""
    count = -1 if limit is None else integer(limit)
    found: list[celtypes.StringType] = []
    previous_end = -1
    for match in _compile(pattern).finditer(string(text)):
        if count >= 0 and len(found) >= count:
            break
        start, end = match.span()
        if start == end and start == previous_end:
            previous_end = end
            continue
        previous_end = end
        found.append(celtypes.StringType(match.group(0)))
    return celtypes.ListType(found)


FUNCTIONS: dict[str, Function] = {
    "find": cel_function(find),
    "findAll": cel_function(find_all),
}
