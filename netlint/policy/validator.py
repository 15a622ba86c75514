"""A policy's schema compiled into validators: python-jsonschema extended with the `x-netlint`
keyword that carries netlint's keywords (parsed into `Meta`), after local `$ref`s are inlined;
and jsonschema-rs on the same schema, which only answers whether there is any finding."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator, Mapping
from functools import cache
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol, cast

from netlint.findings import Severity
from netlint.policy.formats import NETLINT_FORMATS, format_checker
from netlint.policy.keywords import DATA_KEYWORDS, KEYWORDS, ROOT_KEYS, WRAPPER
from netlint.policy.offline import no_retrieval, refuse_retrieval
from netlint.policy.params import substitute
from netlint.policy.patterns import policy_keywords
from netlint.policy.template import Template, parse_template

if TYPE_CHECKING:
    from jsonschema.exceptions import ValidationError


class Validator(Protocol):
    def iter_errors(self, instance: Any) -> Iterator[ValidationError]: ...

    def is_valid(self, instance: Any) -> bool: ...

    def descend(self, instance: Any, schema: Any) -> Iterator[ValidationError]: ...


class FastValidator(Protocol):
    def is_valid(self, instance: Any) -> bool: ...


def _netlint_keyword(
    validator: Validator, value: dict[str, Any], instance: Any, schema: Any
) -> Iterator[ValidationError]:
    """`x-netlint`: the wrapped subschema's errors, as one error carrying netlint's metadata."""
    from jsonschema.exceptions import ValidationError

    errors = list(validator.descend(instance, value["schema"]))
    if errors:
        yield ValidationError("netlint", context=errors)


@cache
def _policy_validator_class() -> Any:
    """python-jsonschema's draft 2020-12 with netlint's keywords. Built on first use: a run
    whose objects all pass jsonschema-rs's check never imports python-jsonschema."""
    from jsonschema import Draft202012Validator, validators

    return cast(
        "Any",
        validators.extend(  # pyright: ignore[reportUnknownMemberType]
            Draft202012Validator, {WRAPPER: _netlint_keyword, **policy_keywords}
        ),
    )


# jsonschema-rs ships no type information: one untyped handle, used through Protocols below.
_RS: Any = importlib.import_module("jsonschema_rs")


def meta_schema_problem(schema: object) -> tuple[tuple[str | int, ...], str] | None:
    """(path, problem) when `schema` breaks the draft 2020-12 meta-schema (jsonschema-rs checks
    it about 100x faster than python-jsonschema's check_schema)."""
    try:
        _RS.meta.validate(schema)
    except Exception as error:
        path = cast("list[str | int]", getattr(error, "instance_path", []))
        return tuple(path), str(getattr(error, "message", error))
    return None


def new_validator(schema: object) -> Validator:
    return cast(
        "Validator",
        _policy_validator_class()(schema, format_checker=format_checker(), registry=no_retrieval()),
    )


class Hint(NamedTuple):
    when: Validator | None
    template: Template


class FixSpec(NamedTuple):
    """`x-netlint-fix`: the node's new value, and when it is offered."""

    when: Validator | None
    title: Template
    value: Template
    unsafe: bool


class Meta(NamedTuple):
    """netlint's keywords of one subschema, parsed."""

    message: Template | None
    reason: Template | None
    hints: tuple[Hint, ...]
    severity: Severity | None
    path: tuple[str | int, ...] | None  # relative; ".." goes up
    on_key: bool
    fix: FixSpec | None = None


def _pointer(root: object, ref: str) -> object | None:
    """The subschema a local `$ref` (`#/$defs/name`) points at; None when it is not local."""
    if not ref.startswith("#/"):
        return None
    node = root
    for raw in ref[2:].split("/"):
        step = raw.replace("~1", "/").replace("~0", "~")
        if isinstance(node, dict) and step in node:
            node = cast("dict[str, object]", node)[step]
        elif (
            isinstance(node, list)
            and step.isdigit()
            and int(step) < len(cast("list[object]", node))
        ):
            node = cast("list[object]", node)[int(step)]
        else:
            return None
    return node


def inline(node: object, root: object, active: tuple[str, ...] = ()) -> object:
    """Local `$ref`s replaced by what they point at (recursive ones are kept): python-jsonschema
    resolves a `$ref` at every use, which costs more than the whole rest of a policy."""
    if isinstance(node, list):
        return [inline(item, root, active) for item in cast("list[object]", node)]
    if not isinstance(node, dict):
        return node
    mapping = cast("dict[str, object]", node)
    result: dict[str, object] = {
        key: value if key in DATA_KEYWORDS else inline(value, root, active)
        for key, value in mapping.items()
        if key != "$ref"
    }
    ref = mapping.get("$ref")
    if isinstance(ref, str):
        target = _pointer(root, ref)
        if target is None or ref in active:
            result["$ref"] = ref
        else:
            inlined = inline(target, root, (*active, ref))
            if not result:
                return inlined
            result["allOf"] = [inlined, *cast("list[object]", result.get("allOf", []))]
    return result


def wrap(node: object, compile_keywords: Callable[[dict[str, Any]], Meta]) -> object:
    """The schema with every subschema that carries netlint keywords wrapped in `x-netlint`."""
    if isinstance(node, list):
        return [wrap(item, compile_keywords) for item in cast("list[object]", node)]
    if not isinstance(node, dict):
        return node
    mapping = cast("dict[str, object]", node)
    inner: dict[str, object] = {}
    for key, value in mapping.items():
        inner[key] = value if key in DATA_KEYWORDS else wrap(value, compile_keywords)
    keywords = {key: inner.pop(key) for key in KEYWORDS if key in inner}
    if not keywords:
        return inner
    outer = {key: inner.pop(key) for key in ROOT_KEYS if key in inner}
    outer[WRAPPER] = {"meta": compile_keywords(keywords), "schema": inner}
    return outer


def fast_validator(schema: object) -> FastValidator | None:
    """A compiled validator that only answers valid or not (DESIGN §9: python-jsonschema alone
    costs more than the whole budget per object); None if jsonschema-rs cannot take the schema."""
    formats = {name: _accepts(problems) for name, problems in NETLINT_FORMATS.items()}
    try:
        return cast(
            "FastValidator",
            _RS.validator_for(
                schema, formats=formats, validate_formats=True, retriever=refuse_retrieval
            ),
        )
    except Exception:  # a construct jsonschema-rs reads differently: python-jsonschema decides
        return None


def _accepts(problems: Callable[[str], list[str]]) -> Callable[[str], bool]:
    return lambda value: not problems(value)


def meta_of(error: ValidationError) -> Meta | None:
    if error.validator != WRAPPER:
        return None
    value = cast("dict[str, Any]", error.validator_value)
    return cast("Meta", value["meta"])


def compile_meta(keywords: dict[str, Any], params: Mapping[str, object]) -> Meta:
    message = keywords.get("x-netlint-message")
    reason = keywords.get("x-netlint-reason")
    severity = keywords.get("x-netlint-severity")
    raw_path = keywords.get("x-netlint-path")
    hints: list[Hint] = []
    raw_hint = keywords.get("x-netlint-hint")
    if isinstance(raw_hint, str):
        hints.append(Hint(None, parse_template(raw_hint)))
    elif isinstance(raw_hint, list):
        for entry in cast("list[dict[str, Any]]", raw_hint):
            when = entry.get("when")
            hints.append(
                Hint(
                    new_validator(wrap(substitute(when, params), lambda k: compile_meta(k, params)))
                    if when is not None
                    else None,
                    parse_template(str(entry["hint"])),
                )
            )
    fix = None
    raw_fix = keywords.get("x-netlint-fix")
    if isinstance(raw_fix, dict):
        entry = cast("dict[str, Any]", raw_fix)
        when = entry.get("when")
        fix = FixSpec(
            new_validator(wrap(substitute(when, params), lambda k: compile_meta(k, params)))
            if when is not None
            else None,
            parse_template(str(entry.get("title", "fix the value"))),
            parse_template(str(entry["value"])),
            entry.get("unsafe") is True,
        )
    return Meta(
        fix=fix,
        message=parse_template(message) if isinstance(message, str) else None,
        reason=parse_template(reason) if isinstance(reason, str) else None,
        hints=tuple(hints),
        severity=Severity.parse(severity) if isinstance(severity, str) else None,
        path=parse_relative_path(raw_path) if raw_path is not None else None,
        on_key=keywords.get("x-netlint-on-key") is True,
    )


def parse_relative_path(raw: object) -> tuple[str | int, ...]:
    """`nodePort`, `../host`, `metadata/name` (`~1` is `/`, `~0` is `~`) or a list of steps."""
    if isinstance(raw, list):
        return tuple(
            step if isinstance(step, int) else str(step) for step in cast("list[object]", raw)
        )
    text = str(raw)
    steps: list[str | int] = []
    for part in text.split("/"):
        if part in ("", "."):
            continue
        decoded = part.replace("~1", "/").replace("~0", "~")
        steps.append(int(decoded) if decoded.isdigit() else decoded)
    return tuple(steps)
