"""A CRD's `x-kubernetes-validations`, evaluated as the API server evaluates them on a CREATE.

Follows apiextensions-apiserver `pkg/apiserver/schema/cel/validation.go` (`Validator.validate`,
`validateExpressions`, `fieldErrorForReason`, `ruleMessageOrDefault`):

- the object is defaulted first (`structural.defaulted`); a rule runs on every non-null value
  its schema node holds, `self` being that value (at the root: apiVersion, kind, and of
  `metadata` only `name` and `generateName`); `status` is not evaluated (dropped on create);
- a rule reading `oldSelf` is a transition rule: there is no old object on create, so it does
  not run, unless it sets `optionalOldSelf`, when `oldSelf` is `optional.none()`;
- a false rule is a field error at the rule's node (joined with its `fieldPath`), of its
  `reason` (Invalid when unset), detailed by its `messageExpression` (when that gives a
  non-empty one-line string), else its `message`, else `failed rule: <rule>`; an object or list
  value is not printed;
- a rule that fails by reading a key the defaulted value lacks is the API server's
  `no such key: x evaluating rule: ...`; any other evaluation error is netlint's evaluator
  stopping short (a CEL library netlint lacks), and that rule gives no finding: never a guess.

Where the finding points: at the rule's node (or its `fieldPath`). For a rule on a list or a map
that holds for an empty one and fails for the whole, at the first item (key) whose prefix fails:
the listener that repeats a name, the route rule that takes the matches over 128.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
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
    Program,
    compile_cel,
    evaluate,
    optional_none,
)
from netlint.policy.cel_validation import parse_field_path
from netlint.policy.crd.structural import RULES, Schema, child_schema, defaulted

# Narrowing a list's failure to one item evaluates the rule once per prefix: only for lists a
# person writes by hand (a list of thousands is judged, and reported at the list).
_NARROW_AT_MOST = 256
_ROOT_METADATA = ("name", "generateName")


@dataclass(frozen=True, slots=True)
class RuleFailure:
    """One failed rule: where the finding points, the API server's error, and whether it points
    at the key (a mapping or list, a map key) rather than the value."""

    path: Path
    message: str
    on_key: bool


def rule_failures(schema: Schema, obj: Mapping[str, object]) -> list[RuleFailure]:
    """Every failed rule of `obj` against its CRD's rule schema (`structural.rule_schema`)."""
    value = defaulted(dict(obj), schema)
    found: list[RuleFailure] = []
    _walk(schema, value, (), found)
    return found


def _walk(schema: Schema, value: object, path: Path, found: list[RuleFailure]) -> None:
    if value is None:
        return  # rules judge non-null values only; presence is the parent's rule's to check
    rules = [*schema.get(RULES, ())]
    for branch in cast("list[Schema]", schema.get("allOf", ())):
        rules.extend(branch.get(RULES, ()))
    if rules:
        self_value = _root_self(value) if not path else value
        for rule in cast("list[dict[str, Any]]", rules):
            failure = _evaluate(rule, schema, self_value, path)
            if failure is not None:
                found.append(failure)
    if isinstance(value, dict):
        for key, item in cast("dict[str, object]", value).items():
            if not path and key == "status":
                continue  # the API server drops a created object's status first
            sub = child_schema(schema, key)
            if sub is not None:
                _walk(sub, item, (*path, key), found)
    elif isinstance(value, list):
        items = schema.get("items")
        if isinstance(items, dict):
            for index, item in enumerate(cast("list[object]", value)):
                _walk(cast("Schema", items), item, (*path, index), found)


def _root_self(value: object) -> object:
    """The root's `self`: of `metadata`, CEL sees only name and generateName
    (`model.WithTypeAndObjectMeta`)."""
    if not isinstance(value, dict):
        return value
    mapping = dict(cast("dict[str, object]", value))
    metadata = mapping.get("metadata")
    if isinstance(metadata, dict):
        meta = cast("dict[str, object]", metadata)
        mapping["metadata"] = {key: meta[key] for key in _ROOT_METADATA if key in meta}
    return mapping


def _evaluate(
    rule: dict[str, Any], schema: Schema, self_value: object, path: Path
) -> RuleFailure | None:
    source = rule.get("rule")
    if not isinstance(source, str) or not source.strip():
        return None
    program = compile_cel(source)
    activation: dict[str, object] = {"self": self_value}
    if "oldSelf" in program.references:
        if not rule.get("optionalOldSelf"):
            return None  # a transition rule: no old object on create
        activation["oldSelf"] = optional_none()
    node_type = str(schema.get("type", ""))
    try:
        result = _remembered(program, activation)
    except CelRuntimeError as error:
        if not error.missing_key:
            return None
        detail = f"{error} evaluating rule: {_rule_text(rule)}"
        return _failure(invalid(path, node_type, detail), self_value)
    if result is not False:
        return None  # true, or not a bool (the API server refuses such a CRD when created)
    where: Path = path
    field_path = rule.get("fieldPath")
    if isinstance(field_path, str) and field_path:
        # A path that does not parse: the API server refuses such a CRD (bundled ones have
        # none; `--crd` refuses it when loading); the finding stays at the rule's node.
        with contextlib.suppress(ValueError):
            where = (*path, *parse_field_path(field_path))
    detail = _message_expression(rule, activation) or _message_or_default(rule)
    shown = OMIT_VALUE if node_type in ("object", "array") else self_value
    error = _field_error(where, shown, detail, rule.get("reason"))
    if where == path:
        narrowed = _narrowed(program, activation, self_value, path)
        if narrowed is not None:
            located, on_key = narrowed
            return RuleFailure(located, error.text, on_key)
    return _failure(error, _value_at(self_value, where[len(path) :]))


def _failure(error: FieldError, value: object) -> RuleFailure:
    # A mapping or list held by a field reads best at its key; a list item at itself.
    held_by_key = bool(error.path) and isinstance(error.path[-1], str)
    on_key = held_by_key and (error.on_key or isinstance(value, dict | list))
    return RuleFailure(error.path, error.text, on_key)


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
    API server then falls back to `message`, `evalMessageExpression`)."""
    source = rule.get("messageExpression")
    if not isinstance(source, str) or not source.strip():
        return None
    try:
        text = evaluate(compile_cel(source), activation)
    except CelRuntimeError:
        return None
    if not isinstance(text, str) or not text.strip() or "\n" in text:
        return None
    return text


# (rule, the value it judged) -> its result or its error. Manifests repeat themselves (the same
# defaulted path match, the same backendRef shape in every route), and a rule's result depends on
# its `self` alone: the corpus's Gateway API objects evaluate 40% of their rules on a value seen
# before. Bounded, since the language server lives long.
_RESULTS: dict[tuple[str, str], object] = {}
_RESULTS_AT_MOST = 50_000


def _remembered(program: Program, activation: dict[str, object]) -> object:
    """`evaluate(program, activation)`, answered from `_RESULTS` for a `self` judged before.
    (`oldSelf`, when bound, is always `optional.none()`: the key need not hold it.)"""
    key = (program.source, json.dumps(activation["self"], sort_keys=True, default=repr))
    found = _RESULTS.get(key, _RESULTS)
    if found is _RESULTS:
        try:
            found = evaluate(program, activation)
        except CelRuntimeError as error:
            found = error
        if len(_RESULTS) >= _RESULTS_AT_MOST:
            _RESULTS.clear()
        _RESULTS[key] = found
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
    program: Program, activation: dict[str, object], value: object, path: Path
) -> tuple[Path, bool] | None:
    """The first item (or key) of a list (map) whose prefix fails the rule, when the rule holds
    for an empty one; None otherwise."""
    if isinstance(value, list):
        items = cast("list[object]", value)
        if len(items) > _NARROW_AT_MOST or _holds(program, activation, []) is not True:
            return None
        for index in range(len(items)):
            if _holds(program, activation, items[: index + 1]) is False:
                return (*path, index), False
        return None
    if isinstance(value, dict):
        entries = list(cast("dict[str, object]", value).items())
        if len(entries) > _NARROW_AT_MOST or _holds(program, activation, {}) is not True:
            return None
        for index in range(len(entries)):
            if _holds(program, activation, dict(entries[: index + 1])) is False:
                return (*path, entries[index][0]), True
        return None
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
