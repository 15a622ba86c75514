"""One policy document checked and parsed into a `PolicySpec`: against the policy format's
schema (`netlint-policy.schema.json`), then its parameters, templates, `x-netlint-path`s,
regular expressions and JSON Schema; a problem is a `PolicyError` at its line."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from functools import cache
from typing import TYPE_CHECKING, Any, cast

from netlint.api import RuleMeta, Settings
from netlint.findings import Severity
from netlint.input.document import Document, Node
from netlint.model.access import dig
from netlint.model.resources import schemas_root
from netlint.model.selectors import parse_label_selector
from netlint.policy.keywords import DATA_KEYWORDS
from netlint.policy.match import Filter, KindMatch, Match
from netlint.policy.messages import first_extra, render_path
from netlint.policy.offline import bundled_validator, external_references
from netlint.policy.params import SETTINGS, Parameter, coerce_param, substitute
from netlint.policy.patterns import pattern_problem
from netlint.policy.rule import PolicySpec
from netlint.policy.template import TemplateError, parse_template
from netlint.policy.validator import FastValidator, fast_validator, meta_schema_problem
from netlint.run.registry import PackError

if TYPE_CHECKING:
    from jsonschema.exceptions import ValidationError

    from netlint.policy.cel_validation import CelValidation

POLICY_SCHEMA_FILE = "netlint-policy.schema.json"
DEFAULT_MESSAGE = "{{ ref }}: {{ summary }}: {{ reason }}"


class PolicyError(PackError):
    """A policy file that cannot be used: `str()` is `file:line: problem` (exit code 2)."""


@cache
def _format_check() -> FastValidator | None:
    """jsonschema-rs on the policy format: whether a document is valid, without importing
    python-jsonschema (the built-in policies load on every run)."""
    schema = json.loads(schemas_root().joinpath(POLICY_SCHEMA_FILE).read_text(encoding="utf-8"))
    return fast_validator(schema)


def _format_errors(data: object) -> list[ValidationError]:
    """The problems of a document against the policy format, worded by python-jsonschema."""
    fast = _format_check()
    if fast is not None and fast.is_valid(data):
        return []
    return list(bundled_validator(POLICY_SCHEMA_FILE).iter_errors(data))


def _strings(value: object) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list):
        return tuple(str(item) for item in cast("list[object]", value))
    return ()


def _kinds(value: object) -> tuple[KindMatch, ...]:
    found: list[KindMatch] = []
    for item in cast("list[object]", value) if isinstance(value, list) else []:
        if isinstance(item, str):
            found.append(KindMatch(item, None))
        elif isinstance(item, dict):
            entry = cast("dict[str, object]", item)
            api_version = entry.get("apiVersion")
            found.append(
                KindMatch(
                    str(entry.get("kind")), api_version if isinstance(api_version, str) else None
                )
            )
    return tuple(found)


@cache
def _selector_param_pattern() -> re.Pattern[str]:
    """Compiled on the first selector read, not at import (issue 31)."""
    return re.compile(r"\{\{ *params\.([a-z0-9-]+) *\}\}")


def _selector_param(value: object) -> str | None:
    """The parameter a selector names (`"{{ params.NAME }}"`), None for a selector as written."""
    found = _selector_param_pattern().fullmatch(value) if isinstance(value, str) else None
    return found.group(1) if found else None


def _filter(value: object) -> Filter:
    entry = cast("dict[str, object]", value) if isinstance(value, dict) else {}
    return Filter(
        kinds=_kinds(entry.get("kinds")),
        namespaces=_strings(entry.get("namespaces")),
        names=_strings(entry.get("names")),
        # The policy schema admits only well-formed selectors, so nothing is dropped here.
        selector=parse_label_selector(cast("Node", entry.get("selector"))),
        namespace_selector=parse_label_selector(cast("Node", entry.get("namespaceSelector"))),
        selector_param=_selector_param(entry.get("selector")),
        namespace_selector_param=_selector_param(entry.get("namespaceSelector")),
    )


def _selector_params(match: dict[str, Any]) -> Iterator[tuple[tuple[str, ...], str]]:
    """(path, parameter name) of every selector of `match` given as a parameter."""
    for side, entry in (((), match), (("exclude",), match.get("exclude"))):
        if not isinstance(entry, dict):
            continue
        for key in ("selector", "namespaceSelector"):
            name = _selector_param(cast("dict[str, object]", entry).get(key))
            if name is not None:
                yield ("match", *side, key), name


def _templates_in(
    node: object, at: tuple[str | int, ...]
) -> Iterator[tuple[tuple[str | int, ...], str]]:
    """Every template string of a schema (netlint keywords and parameter placeholders)."""
    if isinstance(node, list):
        for index, item in enumerate(cast("list[object]", node)):
            yield from _templates_in(item, (*at, index))
    elif isinstance(node, dict):
        for key, value in cast("dict[str, object]", node).items():
            if (key in ("x-netlint-message", "x-netlint-reason") and isinstance(value, str)) or (
                key == "x-netlint-hint" and isinstance(value, str)
            ):
                yield (*at, key), value
            elif key == "x-netlint-hint" and isinstance(value, list):
                for index, entry in enumerate(cast("list[object]", value)):
                    hint = dig(cast("Node", entry), "hint")
                    if isinstance(hint, str):
                        yield (*at, key, index, "hint"), hint
                    yield from _templates_in(
                        dig(cast("Node", entry), "when"), (*at, key, index, "when")
                    )
            elif key not in DATA_KEYWORDS:
                yield from _templates_in(value, (*at, key))
    elif isinstance(node, str) and "{{" in node:
        yield at, node


def _parameters(value: object) -> tuple[Parameter, ...]:
    entries = cast("dict[str, object]", value) if isinstance(value, dict) else {}
    found: list[Parameter] = []
    for name, raw in entries.items():
        entry = cast("dict[str, object]", raw) if isinstance(raw, dict) else {}
        setting = entry.get("setting")
        found.append(
            Parameter(
                name=name,
                type=str(entry.get("type")),
                default=entry.get("default"),
                setting=setting if isinstance(setting, str) else None,
                description=str(entry.get("description", "")),
            )
        )
    return tuple(found)


def validation_problem(error: ValidationError) -> tuple[tuple[str | int, ...], str, bool]:
    """(path, text, on_key) for a policy document that breaks the policy format."""
    path = tuple(error.absolute_path)
    if error.validator == "additionalProperties" and isinstance(error.instance, dict):
        extra = first_extra(error)
        if extra is not None:
            where = f" in {render_path(path)}" if path else ""
            return (*path, extra), f"unknown key {extra!r}{where}", True
    if error.validator == "required" and path:
        return path, f"{render_path(path)}: {error.message}", True
    if error.validator in ("anyOf", "oneOf") and error.context:
        best = min(error.context, key=lambda e: len(list(e.absolute_path)) * -1)
        return validation_problem(best)
    name = render_path(path)
    return path, f"{name}: {error.message}" if name else error.message, False


def parse_document(document: Document, display: str) -> PolicySpec:
    def fail(path: tuple[str | int, ...], message: str, on_key: bool = False) -> PolicyError:
        line = document.span_of(path, on_key=on_key)[0] + 1
        return PolicyError(f"{display}:{line}: {message}")

    data = document.data
    if not isinstance(data, dict):
        raise fail(
            (),
            "a policy document must be a mapping with id, severity, summary, match and schema "
            "(or validations)",
        )
    errors = sorted(
        _format_errors(data),
        key=lambda e: document.span_of(tuple(e.absolute_path)),
    )
    if errors:
        path, message, on_key = validation_problem(errors[0])
        raise fail(path, f"invalid policy: {message}", on_key)
    policy = cast("dict[str, Any]", data)
    policy_id = str(policy["id"])
    given_schema = cast("dict[str, Any] | None", policy.get("schema"))
    schema = given_schema if given_schema is not None else {}
    validations = _validations(policy.get("validations"), fail)
    parameters = _parameters(policy.get("parameters"))
    declared = {p.name for p in parameters}
    for parameter in parameters:
        if parameter.setting is not None and parameter.setting not in SETTINGS:
            raise fail(
                ("parameters", parameter.name, "setting"),
                f"unknown setting {parameter.setting!r} (known: {', '.join(SETTINGS)})",
            )
        if parameter.default is None and parameter.setting is None:
            raise fail(
                ("parameters", parameter.name), f"parameter {parameter.name!r} needs a default"
            )
        if parameter.default is not None:
            try:
                coerce_param(parameter.type, parameter.default)
            except ValueError as error:
                raise fail(("parameters", parameter.name, "default"), str(error)) from None
    templates = list(_templates_in(schema, ("schema",)))
    fixes = list(_keyword_paths(schema, ("schema",), "x-netlint-fix"))
    for where in fixes:
        entry = dig(cast("Node", data), *where)
        if not isinstance(entry, dict) or not isinstance(entry.get("value"), str):
            raise fail(where, "x-netlint-fix must be a mapping with a `value` template")
        for key in ("title", "value"):
            if isinstance(entry.get(key), str):
                templates.append(((*where, key), cast(str, entry[key])))
    for key in ("message", "hint"):
        if isinstance(policy.get(key), str):
            templates.append(((key,), str(policy[key])))
    for index, validation in enumerate(validations):
        for key, text in (("message", validation.message), ("hint", validation.hint)):
            if text is not None:
                templates.append((("validations", index, key), text))
    for where, text in templates:
        try:
            template = parse_template(text)
        except TemplateError as error:
            raise fail(where, str(error)) from None
        for expression in template.expressions:
            if expression.name == "params" and (
                not expression.steps or str(expression.steps[0]) not in declared
            ):
                name = expression.steps[0] if expression.steps else ""
                raise fail(where, f"{{{{ params.{name} }}}}: no parameter {name!r} is declared")
    for where, raw in _path_keywords(schema, ("schema",)):
        if not isinstance(raw, (str, list)):
            raise fail(where, "x-netlint-path must be a relative path such as nodePort or ../host")
    for where, problem in external_references(schema, ("schema",)):
        raise fail(where, f"policy {policy_id}: {problem}")
    for pattern_path, pattern in _patterns_in(schema, ("schema",)):
        try:
            re.compile(pattern)
        except re.error as error:
            raise fail(pattern_path, f"invalid regular expression {pattern!r}: {error}") from None
        problem = pattern_problem(pattern)
        if problem is not None:
            raise fail(pattern_path, problem)
    unevaluated = next(_keyword_paths(schema, ("schema",), "unevaluatedProperties"), None)
    if unevaluated is not None and next(_keyword_paths(schema, (), "patternProperties"), None):
        raise fail(
            unevaluated,
            "unevaluatedProperties cannot be combined with patternProperties in a policy "
            "(netlint matches patterns with a linear-time engine): use additionalProperties",
            on_key=True,
        )
    defaults = {
        p.name: SETTINGS[p.setting](Settings())
        if p.setting is not None
        else coerce_param(p.type, p.default)
        for p in parameters
    }
    problem = (
        meta_schema_problem(substitute(schema, defaults)) if given_schema is not None else None
    )
    if problem is not None:
        raise fail(
            ("schema", *problem[0]), f"policy {policy_id}: invalid JSON Schema: {problem[1]}"
        )
    match = cast("dict[str, Any]", policy["match"])
    types = {p.name: p.type for p in parameters}
    for where, name in _selector_params(match):
        if types.get(name) != "label-selector":
            raise fail(
                where,
                f"{{{{ params.{name} }}}}: no parameter {name!r} is declared"
                if name not in types
                else f"{{{{ params.{name} }}}}: parameter {name!r} is of type {types[name]}, "
                "not label-selector",
            )
    exclude = match.get("exclude")
    description = str(policy.get("description", policy["summary"])).strip()
    severity = Severity.parse(str(policy["severity"]))
    security = policy.get("security-severity")
    meta = RuleMeta(
        id=policy_id,
        severity=severity,
        summary=str(policy["summary"]).strip(),
        what=description,
        why=str(policy.get("rationale", description)).strip(),
        example=str(policy.get("example", "")),
        fix=str(policy.get("fix", "")),
        help_uri=cast("str | None", policy.get("help-uri")),
        tags=_strings(policy.get("tags")) or ("policy",),
        security_severity=float(security) if isinstance(security, (int, float)) else None,
        enabled_by_default=policy.get("enabled-by-default", True) is not False,
        facts=_strings(policy.get("facts")),
        fixable="sometimes" if fixes else "never",
        options=str(policy["options"])
        if "options" in policy
        else "; ".join(
            f"`params: {{{policy_id}: {{{p.name}: ...}}}}` ({p.type}"
            + (f", default {p.default}" if p.default is not None else "")
            + (f", else the `{p.setting}` setting" if p.setting else "")
            + ")"
            + (f": {p.description}" if p.description else "")
            for p in parameters
        ),
    )
    return PolicySpec(
        meta=meta,
        match=Match(_filter(match), _filter(exclude) if exclude is not None else None),
        parameters=parameters,
        schema=given_schema,
        message=str(policy.get("message", DEFAULT_MESSAGE)),
        hint=cast("str | None", policy.get("hint")),
        source=f"{display}:{document.span[0] + 1}",
        validations=validations,
    )


def _validations(
    value: object, fail: Callable[[tuple[str | int, ...], str], PolicyError]
) -> tuple[CelValidation, ...]:
    """`validations:` parsed, their paths checked and their CEL compiled."""
    found: list[CelValidation] = []
    for index, raw in enumerate(cast("list[object]", value) if isinstance(value, list) else []):
        # The CEL evaluator, for the policies that have validations only (issue 31).
        from netlint.policy.cel_runtime import CelSyntaxError, CelUnavailable
        from netlint.policy.cel_validation import (
            CelValidation,
            compile_validation,
            parse_field_path,
        )

        entry = cast("dict[str, object]", raw) if isinstance(raw, dict) else {}
        paths: dict[str, tuple[str | int, ...] | None] = {}
        for key in ("forEach", "fieldPath"):
            text = entry.get(key)
            try:
                paths[key] = parse_field_path(text) if isinstance(text, str) else None
            except ValueError as error:
                raise fail(("validations", index, key), str(error)) from None
        validation = CelValidation(
            expression=str(entry["expression"]),
            message=cast("str | None", entry.get("message")),
            message_expression=cast("str | None", entry.get("messageExpression")),
            for_each=paths["forEach"],
            field_path=paths["fieldPath"] or (),
            on_key=entry.get("on-key") is True,
            hint=cast("str | None", entry.get("hint")),
        )
        try:
            compile_validation(validation)
        except (CelSyntaxError, CelUnavailable) as error:
            raise fail(("validations", index, "expression"), str(error)) from None
        found.append(validation)
    return tuple(found)


def _path_keywords(
    node: object, at: tuple[str | int, ...]
) -> Iterator[tuple[tuple[str | int, ...], object]]:
    if isinstance(node, list):
        for index, item in enumerate(cast("list[object]", node)):
            yield from _path_keywords(item, (*at, index))
    elif isinstance(node, dict):
        for key, value in cast("dict[str, object]", node).items():
            if key == "x-netlint-path":
                yield (*at, key), value
            elif key not in DATA_KEYWORDS:
                yield from _path_keywords(value, (*at, key))


def _keyword_paths(
    node: object, at: tuple[str | int, ...], keyword: str
) -> Iterator[tuple[str | int, ...]]:
    """Where `keyword` is used in a schema (data keywords' values are data)."""
    if isinstance(node, list):
        for index, item in enumerate(cast("list[object]", node)):
            yield from _keyword_paths(item, (*at, index), keyword)
    elif isinstance(node, dict):
        for key, value in cast("dict[str, object]", node).items():
            if key == keyword:
                yield (*at, key)
            if key not in DATA_KEYWORDS:
                yield from _keyword_paths(value, (*at, key), keyword)


def _patterns_in(
    node: object, at: tuple[str | int, ...]
) -> Iterator[tuple[tuple[str | int, ...], str]]:
    if isinstance(node, list):
        for index, item in enumerate(cast("list[object]", node)):
            yield from _patterns_in(item, (*at, index))
    elif isinstance(node, dict):
        for key, value in cast("dict[str, object]", node).items():
            if key == "pattern" and isinstance(value, str):
                yield (*at, key), value
            elif key == "patternProperties" and isinstance(value, dict):
                for pattern in cast("dict[str, object]", value):
                    yield (*at, key, pattern), pattern
                yield from _patterns_in(cast("object", value), (*at, key))
            elif key not in DATA_KEYWORDS:
                yield from _patterns_in(value, (*at, key))
