"""Schemas resolve nothing outside themselves: a policy may come from the checkout being
linted (config `rules:`), so a `$ref` to `http://...` or `file:///...` would make netlint fetch
or read what the checkout names. A policy's references are refused when it is loaded
(`external_references`), and every validator is built so that it cannot retrieve anything
either (`no_retrieval()`, `refuse_retrieval`), as a second line."""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from typing import TYPE_CHECKING, NoReturn, cast

from netlint.policy.keywords import DATA_KEYWORDS

if TYPE_CHECKING:
    from referencing import Registry
    from referencing.jsonschema import Schema

DRAFT_2020_12 = "https://json-schema.org/draft/2020-12/schema"
_REFERENCES = ("$ref", "$dynamicRef", "$recursiveRef")


@cache
def no_retrieval() -> Registry[Schema]:
    """For python-jsonschema: an explicit registry turns off its automatic remote retrieval (its
    default registry fetches http(s) references); the meta-schemas are still known. Built on
    first use: python-jsonschema is only imported when a finding needs its words."""
    from referencing import Registry

    return Registry()


def refuse_retrieval(uri: str) -> NoReturn:
    """jsonschema-rs's `retriever`: every reference outside the schema is an error."""
    raise ValueError(f"netlint resolves no schema outside the policy file: {uri}")


def external_references(
    node: object, at: tuple[str | int, ...] = ()
) -> Iterator[tuple[tuple[str | int, ...], str]]:
    """(path, problem) of every keyword that would name a schema outside this one: a `$ref`
    that is not a fragment (`#/$defs/port`, `#anchor`), an `$id`, a `$schema` other than draft
    2020-12. Values of data keywords (`const`, `enum`, ...) are data, not references."""
    if isinstance(node, list):
        for index, item in enumerate(cast("list[object]", node)):
            yield from external_references(item, (*at, index))
        return
    if not isinstance(node, dict):
        return
    for key, value in cast("dict[str, object]", node).items():
        where = (*at, key)
        if key in DATA_KEYWORDS:
            continue
        if key in _REFERENCES and not (isinstance(value, str) and value.startswith("#")):
            yield (
                where,
                f"{key} {value!r} points outside the policy: only #/... references are resolved",
            )
        elif key == "$id":
            yield where, f"$id {value!r}: a policy's schema is one document, without $id"
        elif key == "$schema" and value != DRAFT_2020_12:
            yield where, f"$schema {value!r}: policies are JSON Schema {DRAFT_2020_12}"
        else:
            yield from external_references(value, where)
