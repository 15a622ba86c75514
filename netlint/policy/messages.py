"""The words of a policy's findings, from python-jsonschema's errors: the `{{ reason }}` texts,
the errors a message gathers, where a finding points and how a path is written."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any, cast

from netlint.findings import Path
from netlint.policy.patterns import first_extra as extra_key
from netlint.policy.template import Template
from netlint.policy.validator import meta_of

if TYPE_CHECKING:
    from jsonschema.exceptions import ValidationError

# The names a finding's templates read, for the node at `path` (`value`) and its `reason`:
# `PolicyRule._lookup` with the object and the bound parameters given.
LookupOf = Callable[[object, Path, str], Callable[[str], object]]


def render_path(path: Path) -> str:
    text = ""
    for step in path:
        text += f"[{step}]" if isinstance(step, int) else (f".{step}" if text else step)
    return text


def split_nested(
    errors: Iterable[ValidationError],
) -> tuple[list[ValidationError], list[ValidationError]]:
    """(errors this message gathers, errors of messages nested below it)."""
    own: list[ValidationError] = []
    nested: list[ValidationError] = []
    for error in errors:
        meta = meta_of(error)
        if meta is not None and meta.message is not None:
            nested.append(error)
        elif meta is not None and meta.reason is None:
            inner_own, inner_nested = split_nested(error.context)
            own.extend(inner_own)
            nested.extend(inner_nested)
        else:
            own.append(error)
    return own, nested


def relative(path: Path, steps: Sequence[str | int]) -> Path:
    result = list(path)
    for step in steps:
        if step == "..":
            if result:
                result.pop()
        else:
            result.append(step)
    return tuple(result)


def first_extra(error: ValidationError) -> str | None:
    """The first key an `additionalProperties: false` error refuses."""
    return extra_key(cast("dict[str, Any]", error.instance), cast("dict[str, Any]", error.schema))


def render(
    template: Template | None, lookup_of: LookupOf, value: object, path: Path, reason: str
) -> str:
    if template is None:
        return reason
    return template.render(lookup_of(value, path, reason))


def reason_of(error: ValidationError, lookup_of: LookupOf) -> str:
    """The text one plain error contributes to `{{ reason }}`."""
    if error.validator == "format" and error.cause is not None:
        return str(error.cause)
    if error.validator in ("anyOf", "oneOf") and error.context:
        own = [r for r in reasons(error.context, lookup_of) if r]
        if own and all(meta_of(child) is not None for child in error.context):
            return " or ".join(dict.fromkeys(own))
    return error.message


def reasons(errors: Iterable[ValidationError], lookup_of: LookupOf) -> list[str]:
    found: list[str] = []
    for error in errors:
        meta = meta_of(error)
        path: Path = tuple(error.absolute_path)
        if meta is None:
            found.append(reason_of(error, lookup_of))
        elif meta.reason is not None:
            found.append(render(meta.reason, lookup_of, error.instance, path, ""))
        elif meta.message is not None:
            inner = "; ".join(reasons(error.context, lookup_of))
            found.append(render(meta.message, lookup_of, error.instance, path, inner))
        else:
            found.extend(reasons(error.context, lookup_of))
    return list(dict.fromkeys(found))
