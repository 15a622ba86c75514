"""A CRD's `x-kubernetes-validations`, evaluated as the API server evaluates them on a CREATE.

Follows apiextensions-apiserver `pkg/apiserver/schema/cel/validation.go` (`Validator.validate`,
`validateExpressions`, `evalMessageExpression`, `fieldErrorForReason`, `ruleMessageOrDefault`):

- the object is defaulted first (`structural.defaulted`) and its values typed by the schema
  (`values.cel_typed`); a rule runs on every non-null value its schema node holds, `self` being
  that value (at the root: apiVersion, kind, and of `metadata` only `name` and `generateName`,
  the name generated when only `generateName` is given); `status` is not evaluated when the CRD
  has a status subresource (dropped on create);
- a rule reading `oldSelf` is a transition rule: there is no old object on create, so it does
  not run, unless it sets `optionalOldSelf`, when `oldSelf` is `optional.none()`;
- a false rule is a field error at the rule's node (joined with its `fieldPath`), of its
  `reason` (Invalid when unset), detailed by its `messageExpression` (trimmed, when that gives
  a non-empty one-line string of at most 5 KiB), else its `message`, else `failed rule: <rule>`.
  The value shown: from Kubernetes 1.35 a scalar's own (an object or list omitted); before, the
  schema type of the node (`Invalid value: "object": ...`). Paths are `field.Path`'s: `.name`
  for a property, `[key]` for a map key, `<nil>` for the root;
- a rule that fails by reading a key the defaulted value lacks is the API server's
  `no such key: x evaluating rule: ...`; any other evaluation error, and a rule calling a
  function netlint's evaluator lacks, is netlint stopping short, and gives no finding: never a
  guess. So does a rule that fails only because set or map lists are compared in order (it is
  evaluated again with them sorted).

Where the finding points: at the rule's node (or its `fieldPath`). For a rule on a list or a map
(not an object) that holds for an empty one, for some single item alone, and fails for the
whole, at the first item (key) whose prefix fails: the listener that repeats a name, the route
rule that takes the matches over 128.
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, cast

from netlint.findings import Path
from netlint.model.field_errors import (
    OMIT_VALUE,
    FieldError,
    duplicate,
    forbidden,
    invalid,
    required,
)
from netlint.policy.cel_runtime import (
    CelRuntimeError,
    CelSyntaxError,
    CelUnavailable,
    Program,
    compile_cel,
    evaluate,
    optional_none,
)
from netlint.policy.cel_validation import parse_field_path
from netlint.policy.crd.structural import RULES, Schema, child_schema, defaulted
from netlint.policy.crd.values import canonical, cel_typed, has_unordered_lists, value_key

# Narrowing a list's failure to one item evaluates the rule once per prefix: only for lists a
# person writes by hand (a list of thousands is judged, and reported at the list).
_NARROW_AT_MOST = 256
_ROOT_METADATA = ("name", "generateName")
# The suffix `generateName` gets (5 characters of apimachinery's name-generation alphabet).
_GENERATED_SUFFIX = "x2b4d"
_MESSAGE_AT_MOST = 5 * 1024  # celconfig.MaxEvaluatedMessageExpressionSizeBytes
# From 1.35 (kubernetes#133832) a failed rule prints a scalar's value and omits an object's.
_VALUES_SHOWN_FROM = (1, 35)


@dataclass(frozen=True, slots=True)
class RuleFailure:
    """One failed rule: where the finding points, the API server's error, and whether it points
    at the key (a mapping or list, a map key) rather than the value."""

    path: Path
    message: str
    on_key: bool


@dataclass(slots=True)
class _Walk:
    root: Schema
    values_shown: bool
    status_dropped: bool
    found: list[RuleFailure] = field(default_factory=lambda: list[RuleFailure]())


def rule_failures(
    schema: Schema,
    obj: Mapping[str, object],
    kube_version: str = "1.37",
    *,
    status_dropped: bool = True,
) -> list[RuleFailure]:
    """Every failed rule of `obj` against its CRD's rule schema (`structural.rule_schema`), in
    the words of the API server of `kube_version`. `status_dropped`: the CRD has a status
    subresource, so a created object's status is dropped and never judged."""
    value = cel_typed(defaulted(dict(obj), schema), schema)
    major, _, minor = kube_version.partition(".")
    walk = _Walk(schema, (int(major), int(minor)) >= _VALUES_SHOWN_FROM, status_dropped)
    _visit(walk, schema, value, ())
    return walk.found


def _visit(walk: _Walk, schema: Schema, value: object, path: Path) -> None:
    if value is None:
        return  # rules judge non-null values only; presence is the parent's rule's to check
    rules = [*schema.get(RULES, ())]
    for branch in cast("list[Schema]", schema.get("allOf", ())):
        rules.extend(branch.get(RULES, ()))
    if rules:
        self_value = _root_self(value) if not path else value
        for rule in cast("list[dict[str, Any]]", rules):
            failure = _evaluate(walk, rule, schema, self_value, path)
            if failure is not None:
                walk.found.append(failure)
    if isinstance(value, dict):
        for key, item in cast("dict[str, object]", value).items():
            if not path and key == "status" and walk.status_dropped:
                continue  # the API server drops a created object's status first
            sub = child_schema(schema, key)
            if sub is not None:
                _visit(walk, sub, item, (*path, key))
    elif isinstance(value, list):
        items = schema.get("items")
        if isinstance(items, dict):
            for index, item in enumerate(cast("list[object]", value)):
                _visit(walk, cast("Schema", items), item, (*path, index))


def _root_self(value: object) -> object:
    """The root's `self`: of `metadata`, CEL sees only name and generateName
    (`model.WithTypeAndObjectMeta`); a name to be generated is generated before validation
    (`BeforeCreate`)."""
    if not isinstance(value, dict):
        return value
    mapping = dict(cast("dict[str, object]", value))
    metadata = mapping.get("metadata")
    if isinstance(metadata, dict):
        meta = {
            key: cast("dict[str, object]", metadata)[key]
            for key in _ROOT_METADATA
            if key in metadata
        }
        generate = meta.get("generateName")
        if "name" not in meta and isinstance(generate, str):
            meta["name"] = generate + _GENERATED_SUFFIX
        mapping["metadata"] = meta
    return mapping


def _compiled(source: object) -> Program | None:
    if not isinstance(source, str) or not source.strip():
        return None
    try:
        return compile_cel(source)
    except (CelSyntaxError, CelUnavailable):
        return None  # a function netlint's evaluator lacks: the rule is not evaluated


def _evaluate(
    walk: _Walk, rule: dict[str, Any], schema: Schema, self_value: object, path: Path
) -> RuleFailure | None:
    program = _compiled(rule.get("rule"))
    if program is None:
        return None
    activation: dict[str, object] = {"self": self_value}
    rule_activation = activation
    if "oldSelf" in program.references:
        if not rule.get("optionalOldSelf"):
            return None  # a transition rule: no old object on create
        rule_activation = {**activation, "oldSelf": optional_none()}
    node_type = str(schema.get("type", ""))
    try:
        result = _remembered(program, rule_activation)
    except CelRuntimeError as error:
        if not error.missing_key:
            return None
        detail = f"{error} evaluating rule: {_rule_text(rule)}"
        return _failure(walk, invalid(path, node_type, detail), self_value)
    if result is not False:
        return None  # true, or not a bool (the API server refuses such a CRD when created)
    if has_unordered_lists(schema):
        ordered = {**rule_activation, "self": canonical(self_value, schema)}
        with contextlib.suppress(CelRuntimeError):
            if _remembered(program, ordered) is not False:
                return None  # false only for the order of a set or map list
    where: Path = path
    field_path = rule.get("fieldPath")
    if isinstance(field_path, str) and field_path:
        # A path that does not parse: the API server refuses such a CRD (bundled ones have
        # none; `--crd` refuses it when loading); the finding stays at the rule's node.
        with contextlib.suppress(ValueError):
            where = (*path, *parse_field_path(field_path))
    detail = _message_expression(rule, activation) or _message_or_default(rule)
    if not walk.values_shown:
        shown: object = node_type
    else:
        shown = OMIT_VALUE if node_type in ("object", "array") else self_value
    error = _field_error(where, shown, detail, rule.get("reason"))
    if where == path:
        narrowed = _narrowed(program, rule_activation, schema, self_value, path)
        if narrowed is not None:
            located, on_key = narrowed
            return RuleFailure(located, _text(walk, error), on_key)
    return _failure(walk, error, _value_at(self_value, where[len(path) :]))


def _text(walk: _Walk, error: FieldError) -> str:
    """`field.Error.Error()`: the path as `field.Path` spells it, then the body."""
    return f"{_path_text(walk.root, error.path)}: {error.body}"


def _path_text(schema: Schema | None, path: Path) -> str:
    """`.name` for a property (`Child`), `[key]` for a map key (`Key`) and `[i]` for a list
    index, whatever characters they hold; `<nil>` for the root (a nil `*field.Path`)."""
    if not path:
        return "<nil>"
    text = ""
    for step in path:
        properties = cast("dict[str, Schema]", (schema or {}).get("properties") or {})
        if isinstance(step, int):
            text += f"[{step}]"
            items = (schema or {}).get("items")
            schema = cast("Schema", items) if isinstance(items, dict) else None
        elif step in properties or schema is None:
            text += f".{step}" if text else step
            schema = properties.get(step)
        else:
            text += f"[{step}]"
            schema = child_schema(schema, step)
    return text


def _failure(walk: _Walk, error: FieldError, value: object) -> RuleFailure:
    # A mapping or list held by a field reads best at its key; a list item at itself.
    held_by_key = bool(error.path) and isinstance(error.path[-1], str)
    on_key = held_by_key and (error.on_key or isinstance(value, dict | list))
    return RuleFailure(error.path, _text(walk, error), on_key)


def _field_error(path: Path, value: object, detail: str, reason: object) -> FieldError:
    if reason == "FieldValueForbidden":
        return forbidden(path, detail)
    if reason == "FieldValueRequired":
        return required(path, detail)
    if reason == "FieldValueDuplicate":
        return duplicate(path, value)
    return invalid(path, value, detail)


def _rule_text(rule: dict[str, Any]) -> str:
    """`ruleErrorString`."""
    message = rule.get("message")
    if isinstance(message, str) and message:
        return message.strip()
    return str(rule.get("rule", "")).strip()


def _message_or_default(rule: dict[str, Any]) -> str:
    """`ruleMessageOrDefault`."""
    message = rule.get("message")
    if isinstance(message, str) and message:
        return message.strip()
    return f"failed rule: {_rule_text(rule)}"


def _message_expression(rule: dict[str, Any], activation: dict[str, object]) -> str | None:
    """The `messageExpression`'s detail, or None when it fails or gives no usable message (the
    API server then falls back to `message`). Evaluated with `self` alone: on create the API
    server binds no `oldSelf` for it."""
    program = _compiled(rule.get("messageExpression"))
    if program is None:
        return None
    try:
        text = evaluate(program, activation)
    except CelRuntimeError:
        return None
    if not isinstance(text, str):
        return None
    trimmed = text.strip()
    if not trimmed or "\n" in trimmed or len(trimmed.encode()) > _MESSAGE_AT_MOST:
        return None
    return trimmed


# (rule, the value it judged) -> its result or its error. Manifests repeat themselves (the same
# defaulted path match, the same backendRef shape in every route), and a rule's result depends
# on its `self` alone (typed by the schema before it gets here, so the key's text tells apart
# what CEL does): the corpus's Gateway API objects evaluate 40% of their rules on a value seen
# before. Bounded by the text it holds, since the language server lives long.
@dataclass(slots=True)
class _Results:
    by_key: dict[tuple[str, str], object] = field(default_factory=lambda: {})
    text_bytes: int = 0  # of the keys held


_RESULTS = _Results()
_RESULTS_BYTES_AT_MOST = 32 * 2**20


def _remembered(program: Program, activation: dict[str, object]) -> object:
    """`evaluate(program, activation)`, answered from `_RESULTS` for a `self` judged before.
    (`oldSelf`, when bound, is always `optional.none()`: the key need not hold it.)"""
    text = value_key(activation["self"])
    if text is None:
        return evaluate(program, activation)
    key = (program.source, text)
    held = _RESULTS.by_key
    found = held.get(key, held)
    if found is held:
        try:
            found = evaluate(program, activation)
        except CelRuntimeError as error:
            found = error
        if _RESULTS.text_bytes + len(text) > _RESULTS_BYTES_AT_MOST:
            held.clear()
            _RESULTS.text_bytes = 0
        held[key] = found
        _RESULTS.text_bytes += len(text)
    if isinstance(found, CelRuntimeError):
        raise CelRuntimeError(str(found), missing_key=found.missing_key)
    return found


def _holds(program: Program, activation: dict[str, object], value: object) -> bool | None:
    try:
        result = _remembered(program, {**activation, "self": value})
    except CelRuntimeError:
        return None
    return result if isinstance(result, bool) else None


def _narrowed(
    program: Program, activation: dict[str, object], schema: Schema, value: object, path: Path
) -> tuple[Path, bool] | None:
    """The first item (or map key) whose prefix of the list (map) fails the rule, when the rule
    holds for an empty one and for some single item alone (so that the failure starts at an
    item, as a repeat or a total does, rather than at the list as a whole, as "at least one
    primary" does); None otherwise. Objects are not narrowed: their keys are fields, in no
    meaningful order, and some only defaulted."""
    if isinstance(value, list):
        items = cast("list[object]", value)
        entries: list[tuple[object, object]] = list(enumerate(items))
        empty: object = []

        def part(chosen: list[tuple[object, object]]) -> object:
            return [item for _, item in chosen]

    elif isinstance(value, dict) and "properties" not in schema:
        entries = list(cast("dict[object, object]", value).items())
        empty = {}

        def part(chosen: list[tuple[object, object]]) -> object:
            return dict(chosen)

    else:
        return None
    if len(entries) > _NARROW_AT_MOST or _holds(program, activation, empty) is not True:
        return None
    if not any(_holds(program, activation, part([entry])) for entry in entries):
        return None
    for index in range(len(entries)):
        if _holds(program, activation, part(entries[: index + 1])) is False:
            step = entries[index][0]
            return (*path, cast("str | int", step)), isinstance(step, str)
    return None


def _value_at(value: object, steps: Path) -> object:
    for step in steps:
        if isinstance(value, dict) and isinstance(step, str):
            value = cast("dict[str, object]", value).get(step)
        elif isinstance(value, list) and isinstance(step, int):
            items = cast("list[object]", value)
            value = items[step] if 0 <= step < len(items) else None
        else:
            return None
    return value
