"""What a policy's expressions read that netlint cannot know offline, from the free names of
their compiled programs (`Program.references`): string literals, field selections such as
`x.authorizer` and comprehension variables are no reference."""

from __future__ import annotations

from collections.abc import Iterable

from netlint.policy.cel_runtime import compile_cel


def _references(expressions: Iterable[str]) -> frozenset[str]:
    found: set[str] = set()
    for expression in expressions:
        found |= compile_cel(expression).references  # compiled when loaded: cached
    return frozenset(found)


def offline_gap(expressions: Iterable[str]) -> str | None:
    """Why expressions that read this cannot be evaluated offline, if they do."""
    references = _references(expressions)
    if "authorizer" in references:
        return "its expressions call `authorizer`, which asks the cluster's authorizer"
    if "request.userInfo" in references:
        return "its expressions read `request.userInfo`, who makes the request"
    return None


def reads_namespace_object(expressions: Iterable[str]) -> bool:
    return "namespaceObject" in _references(expressions)
