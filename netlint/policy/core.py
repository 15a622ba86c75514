"""Declarative policies (DESIGN §6): YAML files whose documents each declare one rule: an id, a
severity, docs, a `match` (which objects) and a `schema` (JSON Schema, draft 2020-12) that every
matching object must satisfy. Each violation is a finding at the failing path.

A policy is an ordinary `Rule` (`PolicyRule`): the engine needs nothing special, the built-in
pack loads its own policies with the same public functions (`load_policy_file`,
`load_policy_paths`), and a Python pack can subclass `PolicyRule` to add what JSON Schema cannot
say (the built-in `ingress-path-format` does).

netlint's schema keywords, usable on any subschema (the policy format's schema documents them):

- `x-netlint-message`: when this subschema fails, one finding for the node it applies to, with
  this message template (`{{ ref }} host {{ value | quote }} is invalid: {{ reason }}`);
  everything that failed below it is joined into `{{ reason }}`.
- `x-netlint-reason`: the text this subschema contributes to `{{ reason }}` when it fails,
  instead of python-jsonschema's wording.
- `x-netlint-hint`: the `help:` line: a template, or a list of `{when: <schema>, hint: ...}`
  tried in order against the node (an entry without `when` always applies).
- `x-netlint-severity`: the severity of this subschema's findings.
- `x-netlint-path`: where to point instead of the node itself, relative to it (`nodePort`,
  `../host`, or a list of steps for keys holding `/`).
- `x-netlint-on-key`: point at the key of the entry rather than its value.

Strings of the schema that are exactly `{{ params.NAME }}` (or `{{ params.NAME.min }}`) become the
parameter's value with its type; other strings get parameters interpolated as text.
Formats `k8s-dns1123-label`, `k8s-dns1123-subdomain`, `k8s-dns1035-label`,
`k8s-wildcard-dns1123-subdomain`, `k8s-iana-port-name`, `k8s-qualified-name`, `k8s-label-value`,
`k8s-ip`, `k8s-fqdn` and `lowercase` check what the API server checks, and their reason is the
API server's own text.
"""

from __future__ import annotations

import copy
import fnmatch
import importlib
import json
import re
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path as FsPath
from typing import Any, Protocol, cast

from jsonschema import Draft202012Validator, FormatChecker, validators
from jsonschema.exceptions import ValidationError

from netlint.api import Diagnostic, Rule, RuleContext, RuleMeta, Settings
from netlint.findings import Path, Severity
from netlint.input.document import Document, Node
from netlint.input.loader import load_yaml
from netlint.model.access import as_map, dig, string_map
from netlint.model.k8s_names import (
    dns1035_label_problems,
    dns1123_label_problems,
    dns1123_subdomain_problems,
    fqdn_problems,
    iana_port_name_problems,
    label_value_problems,
    parse_ip,
    qualified_name_problems,
    wildcard_subdomain_problems,
)
from netlint.model.manifest import Manifest
from netlint.model.resources import schemas_root
from netlint.model.selectors import LabelSelector, parse_label_selector
from netlint.policy.template import Template, TemplateError, parse_template, walk
from netlint.run.config_values import parse_node_port_range
from netlint.run.registry import PackError

if sys.version_info >= (3, 11):
    from importlib.resources.abc import Traversable
else:
    from importlib.abc import Traversable

POLICY_SCHEMA_FILE = "netlint-policy.schema.json"
POLICY_SUFFIXES = (".yaml", ".yml")
DEFAULT_MESSAGE = "{{ ref }}: {{ summary }}: {{ reason }}"
# Run-wide settings a parameter may be bound to (`setting:`), and how to read them.
SETTINGS: dict[str, Callable[[Settings], object]] = {
    "node-port-range": lambda s: {"min": s.node_port_range[0], "max": s.node_port_range[1]},
    "kube-version": lambda s: s.kube_version,
    "default-namespace": lambda s: s.default_namespace,
}
_KEYWORDS = (
    "x-netlint-message",
    "x-netlint-reason",
    "x-netlint-hint",
    "x-netlint-severity",
    "x-netlint-path",
    "x-netlint-on-key",
)
_WRAPPER = "x-netlint"
_ROOT_KEYS = ("$schema", "$id", "$defs", "$anchor", "$dynamicAnchor", "$vocabulary", "$comment")
_DATA_KEYWORDS = frozenset({"const", "enum", "default", "examples"})


class PolicyError(PackError):
    """A policy file that cannot be used: `str()` is `file:line: problem` (exit code 2)."""


# --- formats -------------------------------------------------------------------------------------


def _format(problems: Callable[[str], list[str]]) -> Callable[[object], bool]:
    def check(instance: object) -> bool:
        if not isinstance(instance, str):
            return True
        found = problems(instance)
        if found:
            raise ValueError("; ".join(found))
        return True

    return check


def _ip_problems(value: str) -> list[str]:
    # Without a ':' (IPv6) an IP has nothing but digits and dots, and most values are host
    # names: answer those before `parse_ip`, whose failed attempts cost more than the rest of
    # a policy's check.
    if ":" not in value and not value.replace(".", "").isdigit():
        return ["must be a valid IP address"]
    return [] if parse_ip(value) is not None else ["must be a valid IP address"]


def _lowercase_problems(value: str) -> list[str]:
    return [] if value == value.lower() else ["must be lower case"]


NETLINT_FORMATS: dict[str, Callable[[str], list[str]]] = {
    "k8s-dns1123-label": dns1123_label_problems,
    "k8s-dns1123-subdomain": dns1123_subdomain_problems,
    "k8s-dns1035-label": dns1035_label_problems,
    "k8s-wildcard-dns1123-subdomain": wildcard_subdomain_problems,
    "k8s-iana-port-name": iana_port_name_problems,
    "k8s-qualified-name": qualified_name_problems,
    "k8s-label-value": label_value_problems,
    "k8s-ip": _ip_problems,
    "k8s-fqdn": fqdn_problems,
    "lowercase": _lowercase_problems,
}


def _format_checker() -> FormatChecker:
    checker = FormatChecker()
    for name, problems in NETLINT_FORMATS.items():
        checker.checks(name, raises=ValueError)(_format(problems))
    return checker


# --- the extended validator ------------------------------------------------------------------


class _Validator(Protocol):
    def iter_errors(self, instance: Any) -> Iterator[ValidationError]: ...

    def is_valid(self, instance: Any) -> bool: ...

    def descend(self, instance: Any, schema: Any) -> Iterator[ValidationError]: ...


def _netlint_keyword(
    validator: _Validator, value: dict[str, Any], instance: Any, schema: Any
) -> Iterator[ValidationError]:
    """`x-netlint`: the wrapped subschema's errors, as one error carrying netlint's metadata."""
    errors = list(validator.descend(instance, value["schema"]))
    if errors:
        yield ValidationError("netlint", context=errors)


_PolicyValidator: Any = cast(
    "Any",
    validators.extend(  # pyright: ignore[reportUnknownMemberType]
        Draft202012Validator, {_WRAPPER: _netlint_keyword}
    ),
)
_FORMATS = _format_checker()
# jsonschema-rs ships no type information: one untyped handle, used through Protocols below.
_RS: Any = importlib.import_module("jsonschema_rs")


def _meta_schema_problem(schema: object) -> tuple[tuple[str | int, ...], str] | None:
    """(path, problem) when `schema` breaks the draft 2020-12 meta-schema (jsonschema-rs checks
    it about 100x faster than python-jsonschema's check_schema)."""
    try:
        _RS.meta.validate(schema)
    except Exception as error:
        path = cast("list[str | int]", getattr(error, "instance_path", []))
        return tuple(path), str(getattr(error, "message", error))
    return None


def _new_validator(schema: object) -> _Validator:
    return cast("_Validator", _PolicyValidator(schema, format_checker=_FORMATS))


@dataclass(frozen=True, slots=True)
class _Hint:
    when: _Validator | None
    template: Template


@dataclass(frozen=True, slots=True)
class _Meta:
    """netlint's keywords of one subschema, parsed."""

    message: Template | None
    reason: Template | None
    hints: tuple[_Hint, ...]
    severity: Severity | None
    path: tuple[str | int, ...] | None  # relative; ".." goes up
    on_key: bool


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


def _inline(node: object, root: object, active: tuple[str, ...] = ()) -> object:
    """Local `$ref`s replaced by what they point at (recursive ones are kept): python-jsonschema
    resolves a `$ref` at every use, which costs more than the whole rest of a policy."""
    if isinstance(node, list):
        return [_inline(item, root, active) for item in cast("list[object]", node)]
    if not isinstance(node, dict):
        return node
    mapping = cast("dict[str, object]", node)
    result: dict[str, object] = {
        key: value if key in _DATA_KEYWORDS else _inline(value, root, active)
        for key, value in mapping.items()
        if key != "$ref"
    }
    ref = mapping.get("$ref")
    if isinstance(ref, str):
        target = _pointer(root, ref)
        if target is None or ref in active:
            result["$ref"] = ref
        else:
            inlined = _inline(target, root, (*active, ref))
            if not result:
                return inlined
            result["allOf"] = [inlined, *cast("list[object]", result.get("allOf", []))]
    return result


def _wrap(node: object, compile_meta: Callable[[dict[str, Any]], _Meta]) -> object:
    """The schema with every subschema that carries netlint keywords wrapped in `x-netlint`."""
    if isinstance(node, list):
        return [_wrap(item, compile_meta) for item in cast("list[object]", node)]
    if not isinstance(node, dict):
        return node
    mapping = cast("dict[str, object]", node)
    inner: dict[str, object] = {}
    for key, value in mapping.items():
        inner[key] = value if key in _DATA_KEYWORDS else _wrap(value, compile_meta)
    keywords = {key: inner.pop(key) for key in _KEYWORDS if key in inner}
    if not keywords:
        return inner
    outer = {key: inner.pop(key) for key in _ROOT_KEYS if key in inner}
    outer[_WRAPPER] = {"meta": compile_meta(keywords), "schema": inner}
    return outer


# --- parameters --------------------------------------------------------------------------------


def coerce_param(kind: str, value: object) -> object:
    """The value of a parameter of type `kind`; ValueError saying what is expected."""
    if kind == "port-range":
        if isinstance(value, str):
            low, high = parse_node_port_range(value)
            return {"min": low, "max": high}
        mapping = as_map(value)  # pyright: ignore[reportArgumentType]
        if mapping is not None:
            low_value, high_value = mapping.get("min"), mapping.get("max")
            if (
                isinstance(low_value, int)
                and isinstance(high_value, int)
                and not isinstance(low_value, bool)
                and not isinstance(high_value, bool)
                and 0 <= low_value <= high_value <= 65535
            ):
                return {"min": low_value, "max": high_value}
        raise ValueError("expected a port range such as 30000-32767 or {min: 30000, max: 32767}")
    checks: dict[str, Callable[[object], bool]] = {
        "string": lambda v: isinstance(v, str),
        "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
        "number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
        "boolean": lambda v: isinstance(v, bool),
        "array": lambda v: isinstance(v, list),
    }
    if not checks[kind](value):
        raise ValueError(f"expected a value of type {kind}, got {json.dumps(value, default=str)}")
    return value


@dataclass(frozen=True, slots=True)
class Parameter:
    name: str
    type: str
    default: object
    setting: str | None  # bound to this run-wide setting unless config `params:` sets it
    description: str


# --- match ---------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class KindMatch:
    kind: str  # a `Manifest.kind_key` ("Service"; "Ingress")
    api_version: str | None  # a glob; None: any


@dataclass(frozen=True, slots=True)
class Filter:
    """One side of `match`: what an object must be (match) or must not be (exclude)."""

    kinds: tuple[KindMatch, ...] = ()
    namespaces: tuple[str, ...] = ()
    names: tuple[str, ...] = ()
    selector: LabelSelector | None = None
    namespace_selector: LabelSelector | None = None
    # `kinds` split for `kind_ok`, which every object of a policy's kinds meets twice.
    _kind_keys: frozenset[str] = field(init=False, repr=False, compare=False)
    _versioned: tuple[tuple[str, str], ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        keys = frozenset(k.kind for k in self.kinds if k.api_version is None)
        object.__setattr__(self, "_kind_keys", keys)  # frozen: set once, here
        versioned = tuple((k.kind, k.api_version) for k in self.kinds if k.api_version is not None)
        object.__setattr__(self, "_versioned", versioned)

    def kind_ok(self, manifest: Manifest) -> bool:
        # Without an apiVersion, a known kind name means its own group ("Service" is the core
        # Service, not Knative's); with one, the policy says which group it means.
        return (
            not self.kinds
            or manifest.kind_key in self._kind_keys
            or any(
                kind == manifest.kind and fnmatch.fnmatchcase(manifest.api_version, api_version)
                for kind, api_version in self._versioned
            )
        )

    def verdict(self, manifest: Manifest, ctx: RuleContext) -> bool | None:
        """Whether `manifest` passes every condition; None when a namespace's labels are unknown."""
        if not self.kind_ok(manifest):
            return False
        namespace = manifest.namespace
        if self.namespaces and (
            namespace is None or not any(fnmatch.fnmatchcase(namespace, p) for p in self.namespaces)
        ):
            return False
        if self.names and not any(fnmatch.fnmatchcase(manifest.name, p) for p in self.names):
            return False
        if self.selector is not None and not self.selector.matches(string_map(manifest.labels)):
            return False
        if self.namespace_selector is not None:
            if namespace is None:
                return False
            labels = namespace_labels(ctx, namespace)
            if labels is None:
                return None
            if not self.namespace_selector.matches(labels):
                return False
        return True


def namespace_labels(ctx: RuleContext, namespace: str) -> dict[str, str] | None:
    """The labels of a Namespace of the input, else of config `external.namespaces`; None when
    neither knows it (then no policy that depends on them reports anything: DESIGN §4)."""
    found = ctx.inventory.get("Namespace", None, namespace)
    if found is not None:
        return string_map(found.labels)  # pyright: ignore[reportArgumentType]
    declared = ctx.settings.external.namespace_labels.get(namespace)
    return dict(declared) if declared is not None else None


@dataclass(frozen=True, slots=True)
class Match:
    include: Filter
    exclude: Filter | None = None

    def selects(self, manifest: Manifest, ctx: RuleContext) -> bool:
        if self.include.verdict(manifest, ctx) is not True:
            return False
        if self.exclude is None:
            return True
        # An exclusion that cannot be decided excludes: no finding rather than a false one.
        return self.exclude.verdict(manifest, ctx) is False


# --- the rule ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PolicySpec:
    """A policy document, checked and parsed (what `PolicyRule` is built from)."""

    meta: RuleMeta
    match: Match
    parameters: tuple[Parameter, ...]
    schema: dict[str, Any]
    message: str
    hint: str | None
    source: str  # file:line of the policy, for messages


def _render_path(path: Path) -> str:
    text = ""
    for step in path:
        text += f"[{step}]" if isinstance(step, int) else (f".{step}" if text else step)
    return text


def _substitute(node: object, params: Mapping[str, object]) -> object:
    """Parameters into the schema: whole-placeholder strings keep the parameter's type."""
    if isinstance(node, list):
        return [_substitute(item, params) for item in cast("list[object]", node)]
    if isinstance(node, dict):
        return {
            key: value if key in _KEYWORDS else _substitute(value, params)
            for key, value in cast("dict[str, object]", node).items()
        }
    if isinstance(node, str) and "{{" in node:
        template = parse_template(node)
        lookup: Callable[[str], object] = lambda name: params if name == "params" else None  # noqa: E731
        single = template.single_expression()
        if single is not None and not single.filters:
            return walk(params, single.steps)
        return template.render(lookup)
    return node


class _FastValidator(Protocol):
    def is_valid(self, instance: Any) -> bool: ...


@dataclass(frozen=True, slots=True)
class _Compiled:
    validator: _Validator  # python-jsonschema with netlint's keywords: the findings
    fast: _FastValidator | None  # jsonschema-rs on the same schema: "is there any?"
    params: dict[str, object]


def _fast_validator(schema: object) -> _FastValidator | None:
    """A compiled validator that only answers valid or not (DESIGN §9: python-jsonschema alone
    costs more than the whole budget per object); None if jsonschema-rs cannot take the schema."""
    formats = {name: _accepts(problems) for name, problems in NETLINT_FORMATS.items()}
    try:
        return cast(
            "_FastValidator",
            _RS.validator_for(schema, formats=formats, validate_formats=True),
        )
    except Exception:  # a construct jsonschema-rs reads differently: python-jsonschema decides
        return None


def _accepts(problems: Callable[[str], list[str]]) -> Callable[[str], bool]:
    return lambda value: not problems(value)


class PolicyRule(Rule):
    """A declarative policy as a rule. Subclass it to add Python to a policy."""

    def __init__(self, spec: PolicySpec) -> None:
        self.spec = spec
        self.meta = spec.meta
        self.kinds = frozenset(k.kind for k in spec.match.include.kinds) or None
        self._compiled: dict[str, _Compiled] = {}
        # The validator of the last run's settings: every check of a run passes the same
        # (immutable) Settings, and binding the parameters again for each object costs more
        # than validating it.
        self._last: tuple[Settings, _Compiled] | None = None
        self._message = parse_template(spec.message)
        self._hint = parse_template(spec.hint) if spec.hint else None

    # Compiled validators hold closures; a rule sent to a worker process compiles its own.
    def __getstate__(self) -> dict[str, object]:
        state = dict(vars(self))
        state["_compiled"] = {}
        state["_last"] = None
        return state

    def __setstate__(self, state: dict[str, object]) -> None:
        vars(self).update(state)

    def applies_to(self, manifest: Manifest) -> bool:
        return self.spec.match.include.kind_ok(manifest)

    def params(self, settings: Settings) -> dict[str, object]:
        """The parameters bound for this run: config `params:`, else the setting, else the default."""
        given = settings.params.get(self.meta.id, {})
        bound: dict[str, object] = {}
        for parameter in self.spec.parameters:
            if parameter.name in given:
                bound[parameter.name] = coerce_param(parameter.type, given[parameter.name])
            elif parameter.setting is not None:
                bound[parameter.name] = SETTINGS[parameter.setting](settings)
            else:
                bound[parameter.name] = coerce_param(parameter.type, parameter.default)
        return bound

    def _validator(self, settings: Settings) -> _Compiled:
        last = self._last
        if last is not None and last[0] is settings:
            return last[1]
        params = self.params(settings)
        key = json.dumps(params, sort_keys=True, default=str)
        found = self._compiled.get(key)
        if found is None:
            substituted = _substitute(copy.deepcopy(self.spec.schema), params)
            schema = _inline(substituted, substituted)
            found = _Compiled(
                _new_validator(_wrap(schema, lambda k: _compile_meta(k, params))),
                _fast_validator(schema),
                params,
            )
            self._compiled[key] = found
        self._last = (settings, found)
        return found

    def check(self, manifest: Manifest, ctx: RuleContext) -> Iterator[Diagnostic]:
        if not self.spec.match.selects(manifest, ctx):
            return
        compiled = self._validator(ctx.settings)
        if compiled.fast is not None and compiled.fast.is_valid(manifest.data):
            return  # the common case, decided by jsonschema-rs
        validator, params = compiled.validator, compiled.params
        for error in validator.iter_errors(manifest.data):
            yield from self._diagnostics(error, manifest, params)

    # -- errors -> diagnostics

    def _lookup(
        self,
        manifest: Manifest,
        params: Mapping[str, object],
        value: object,
        path: Path,
        reason: str,
    ) -> Callable[[str], object]:
        names: dict[str, object] = {
            "ref": str(manifest.ref),
            "kind": manifest.kind,
            "name": manifest.name,
            "namespace": manifest.namespace,
            "apiVersion": manifest.api_version,
            "id": self.meta.id,
            "summary": self.meta.summary,
            "value": value,
            "key": path[-1] if path else None,
            "path": _render_path(path),
            "reason": reason,
            "object": manifest.data,
            "params": params,
        }
        return names.get

    def _diagnostics(
        self, error: ValidationError, manifest: Manifest, params: Mapping[str, object]
    ) -> Iterator[Diagnostic]:
        path: Path = tuple(error.absolute_path)
        meta = _meta_of(error)
        if meta is None or (meta.message is None and meta.reason is None):
            if meta is not None and error.context:
                # Only hints or a severity here: the errors below are the findings.
                for child in error.context:
                    yield from self._diagnostics(child, manifest, params)
                return
            reason = _reason_of(error, manifest, params, self)
            on_key = error.validator in ("required", "dependentRequired") and bool(path)
            target = path
            instance = cast("object", error.instance)
            if error.validator == "additionalProperties" and isinstance(error.instance, dict):
                extra = _first_extra(error)
                if extra is not None:
                    target, on_key = (*path, extra), True
            lookup = self._lookup(manifest, params, instance, path, reason)
            yield Diagnostic(
                target,
                self._message.render(lookup),
                on_key=on_key,
                hint=self._hint.render(lookup) if self._hint else None,
            )
            return
        if meta.message is not None:
            own, nested = _split(error.context)
            for child in nested:  # a message below this one reports on its own
                yield from self._diagnostics(child, manifest, params)
            if nested and not own:
                return
            reason = "; ".join(_reasons(own, manifest, params, self))
        else:
            reason = _render(meta.reason, self, manifest, params, error.instance, path, "")
        lookup = self._lookup(manifest, params, error.instance, path, reason)
        template = meta.message or self._message
        target = _relative(path, meta.path) if meta.path is not None else path
        hint = None
        for candidate in meta.hints:
            if candidate.when is None or candidate.when.is_valid(error.instance):
                hint = candidate.template.render(lookup)
                break
        else:
            if not meta.hints and self._hint is not None:
                hint = self._hint.render(lookup)
        yield Diagnostic(
            target,
            template.render(lookup),
            severity=meta.severity,
            on_key=meta.on_key,
            hint=hint or None,
        )


def _split(
    errors: Iterable[ValidationError],
) -> tuple[list[ValidationError], list[ValidationError]]:
    """(errors this message gathers, errors of messages nested below it)."""
    own: list[ValidationError] = []
    nested: list[ValidationError] = []
    for error in errors:
        meta = _meta_of(error)
        if meta is not None and meta.message is not None:
            nested.append(error)
        elif meta is not None and meta.reason is None:
            inner_own, inner_nested = _split(error.context)
            own.extend(inner_own)
            nested.extend(inner_nested)
        else:
            own.append(error)
    return own, nested


def _relative(path: Path, steps: Sequence[str | int]) -> Path:
    result = list(path)
    for step in steps:
        if step == "..":
            if result:
                result.pop()
        else:
            result.append(step)
    return tuple(result)


def _meta_of(error: ValidationError) -> _Meta | None:
    if error.validator != _WRAPPER:
        return None
    value = cast("dict[str, Any]", error.validator_value)
    return cast("_Meta", value["meta"])


def _first_extra(error: ValidationError) -> str | None:
    schema = cast("dict[str, Any]", error.schema)
    known = cast("dict[str, object]", schema.get("properties", {}))
    patterns = [
        re.compile(p) for p in cast("dict[str, object]", schema.get("patternProperties", {}))
    ]
    for key in cast("dict[str, object]", error.instance):
        if key not in known and not any(p.search(key) for p in patterns):
            return key
    return None


def _render(
    template: Template | None,
    rule: PolicyRule,
    manifest: Manifest,
    params: Mapping[str, object],
    value: object,
    path: Path,
    reason: str,
) -> str:
    if template is None:
        return reason
    return template.render(rule._lookup(manifest, params, value, path, reason))  # pyright: ignore[reportPrivateUsage]


def _reason_of(
    error: ValidationError, manifest: Manifest, params: Mapping[str, object], rule: PolicyRule
) -> str:
    """The text one plain error contributes to `{{ reason }}`."""
    if error.validator == "format" and error.cause is not None:
        return str(error.cause)
    if error.validator in ("anyOf", "oneOf") and error.context:
        own = [r for r in _reasons(error.context, manifest, params, rule) if r]
        if own and all(_meta_of(child) is not None for child in error.context):
            return " or ".join(dict.fromkeys(own))
    return error.message


def _reasons(
    errors: Iterable[ValidationError],
    manifest: Manifest,
    params: Mapping[str, object],
    rule: PolicyRule,
) -> list[str]:
    found: list[str] = []
    for error in errors:
        meta = _meta_of(error)
        path: Path = tuple(error.absolute_path)
        if meta is None:
            found.append(_reason_of(error, manifest, params, rule))
        elif meta.reason is not None:
            found.append(_render(meta.reason, rule, manifest, params, error.instance, path, ""))
        elif meta.message is not None:
            inner = "; ".join(_reasons(error.context, manifest, params, rule))
            found.append(_render(meta.message, rule, manifest, params, error.instance, path, inner))
        else:
            found.extend(_reasons(error.context, manifest, params, rule))
    return list(dict.fromkeys(found))


def _compile_meta(keywords: dict[str, Any], params: Mapping[str, object]) -> _Meta:
    message = keywords.get("x-netlint-message")
    reason = keywords.get("x-netlint-reason")
    severity = keywords.get("x-netlint-severity")
    raw_path = keywords.get("x-netlint-path")
    hints: list[_Hint] = []
    raw_hint = keywords.get("x-netlint-hint")
    if isinstance(raw_hint, str):
        hints.append(_Hint(None, parse_template(raw_hint)))
    elif isinstance(raw_hint, list):
        for entry in cast("list[dict[str, Any]]", raw_hint):
            when = entry.get("when")
            hints.append(
                _Hint(
                    _new_validator(
                        _wrap(_substitute(when, params), lambda k: _compile_meta(k, params))
                    )
                    if when is not None
                    else None,
                    parse_template(str(entry["hint"])),
                )
            )
    return _Meta(
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


# --- loading -------------------------------------------------------------------------------------


class _SchemaValidator(Protocol):
    def iter_errors(self, instance: Any) -> Iterator[ValidationError]: ...


_FORMAT_VALIDATOR: list[_SchemaValidator] = []  # built once per process


def _format_validator() -> _SchemaValidator:
    if not _FORMAT_VALIDATOR:
        schema = json.loads(schemas_root().joinpath(POLICY_SCHEMA_FILE).read_text(encoding="utf-8"))
        _FORMAT_VALIDATOR.append(cast("_SchemaValidator", Draft202012Validator(schema)))
    return _FORMAT_VALIDATOR[0]


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


def _filter(value: object) -> Filter:
    entry = cast("dict[str, object]", value) if isinstance(value, dict) else {}
    return Filter(
        kinds=_kinds(entry.get("kinds")),
        namespaces=_strings(entry.get("namespaces")),
        names=_strings(entry.get("names")),
        # The policy schema admits only well-formed selectors, so nothing is dropped here.
        selector=parse_label_selector(cast("Node", entry.get("selector"))),
        namespace_selector=parse_label_selector(cast("Node", entry.get("namespaceSelector"))),
    )


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
            elif key not in _DATA_KEYWORDS:
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


def _validation_problem(error: ValidationError) -> tuple[tuple[str | int, ...], str, bool]:
    """(path, text, on_key) for a policy document that breaks the policy format."""
    path = tuple(error.absolute_path)
    if error.validator == "additionalProperties" and isinstance(error.instance, dict):
        extra = _first_extra(error)
        if extra is not None:
            where = f" in {_render_path(path)}" if path else ""
            return (*path, extra), f"unknown key {extra!r}{where}", True
    if error.validator == "required" and path:
        return path, f"{_render_path(path)}: {error.message}", True
    if error.validator in ("anyOf", "oneOf") and error.context:
        best = min(error.context, key=lambda e: len(list(e.absolute_path)) * -1)
        return _validation_problem(best)
    name = _render_path(path)
    return path, f"{name}: {error.message}" if name else error.message, False


def _parse_document(document: Document, display: str) -> PolicySpec:
    def fail(path: tuple[str | int, ...], message: str, on_key: bool = False) -> PolicyError:
        line = document.span_of(path, on_key=on_key)[0] + 1
        return PolicyError(f"{display}:{line}: {message}")

    data = document.data
    if not isinstance(data, dict):
        raise fail(
            (), "a policy document must be a mapping with id, severity, summary, match and schema"
        )
    errors = sorted(
        _format_validator().iter_errors(data),
        key=lambda e: document.span_of(tuple(e.absolute_path)),
    )
    if errors:
        path, message, on_key = _validation_problem(errors[0])
        raise fail(path, f"invalid policy: {message}", on_key)
    policy = cast("dict[str, Any]", data)
    policy_id = str(policy["id"])
    schema = cast("dict[str, Any]", policy["schema"])
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
    for key in ("message", "hint"):
        if isinstance(policy.get(key), str):
            templates.append(((key,), str(policy[key])))
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
    for pattern_path, pattern in _patterns_in(schema, ("schema",)):
        try:
            re.compile(pattern)
        except re.error as error:
            raise fail(pattern_path, f"invalid regular expression {pattern!r}: {error}") from None
    defaults = {
        p.name: SETTINGS[p.setting](Settings())
        if p.setting is not None
        else coerce_param(p.type, p.default)
        for p in parameters
    }
    problem = _meta_schema_problem(_substitute(schema, defaults))
    if problem is not None:
        raise fail(
            ("schema", *problem[0]), f"policy {policy_id}: invalid JSON Schema: {problem[1]}"
        )
    match = cast("dict[str, Any]", policy["match"])
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
        schema=schema,
        message=str(policy.get("message", DEFAULT_MESSAGE)),
        hint=cast("str | None", policy.get("hint")),
        source=f"{display}:{document.span[0] + 1}",
    )


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
            elif key not in _DATA_KEYWORDS:
                yield from _path_keywords(value, (*at, key))


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
            elif key not in _DATA_KEYWORDS:
                yield from _patterns_in(value, (*at, key))


def load_policy_text(text: str, display: str) -> list[PolicyRule]:
    """Every policy of one YAML text (one policy per document)."""
    loaded = load_yaml(text, display)
    if loaded.problems:
        problem = loaded.problems[0]
        raise PolicyError(f"{display}:{problem.span[0] + 1}: {problem.message}")
    rules: list[PolicyRule] = []
    seen: dict[str, str] = {}
    for document in loaded.documents:
        if document.data is None:
            continue
        spec = _parse_document(document, display)
        if spec.meta.id in seen:
            raise PolicyError(
                f"{spec.source}: policy id {spec.meta.id!r} is already defined at {seen[spec.meta.id]}"
            )
        seen[spec.meta.id] = spec.source
        rules.append(PolicyRule(spec))
    if not rules:
        raise PolicyError(f"{display}:1: no policy in this file")
    return rules


def load_policy_file(path: FsPath | Traversable, display: str | None = None) -> list[PolicyRule]:
    label = display or str(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise PolicyError(f"{label}: cannot read the policy file: {error}") from None
    return load_policy_text(text, label)


def policy_files(path: FsPath) -> list[FsPath]:
    """A policy file, or the `*.yaml`/`*.yml` files of a folder and its subfolders, sorted."""
    if path.is_dir():
        return sorted(p for p in path.rglob("*") if p.suffix in POLICY_SUFFIXES and p.is_file())
    return [path]


def is_policy_path(path: FsPath) -> bool:
    """YAML policies (a `.yaml`/`.yml` file, or a folder that is not a Python package)."""
    if path.is_dir():
        return not (path / "__init__.py").is_file()
    return path.suffix in POLICY_SUFFIXES


def load_policy_paths(paths: Iterable[FsPath]) -> list[tuple[str, PolicyRule]]:
    """(label, rule) for every policy of the given files and folders; ids unique across them."""
    found: list[tuple[str, PolicyRule]] = []
    seen: dict[str, str] = {}
    for path in paths:
        if not path.exists():
            raise PolicyError(f"{path}: no such policy file or folder")
        files = policy_files(path)
        if path.is_dir() and not files:
            raise PolicyError(f"{path}: no *.yaml or *.yml policy file in this folder")
        for file in files:
            for rule in load_policy_file(file):
                if rule.meta.id in seen:
                    raise PolicyError(
                        f"{rule.spec.source}: policy id {rule.meta.id!r} is already defined at "
                        f"{seen[rule.meta.id]}"
                    )
                seen[rule.meta.id] = rule.spec.source
                found.append((str(file), rule))
    return found


def check_params(rules: Iterable[Rule], params: Mapping[str, Mapping[str, object]]) -> list[str]:
    """Problems with config `params:`: unknown rule ids, undeclared names, wrong types."""
    by_id = {rule.meta.id: rule for rule in rules}
    problems: list[str] = []
    for rule_id, values in params.items():
        rule = by_id.get(rule_id)
        if rule is None:
            problems.append(f"params: no rule or policy {rule_id!r} is loaded")
            continue
        if not isinstance(rule, PolicyRule):
            continue  # a Python rule reads its own parameters
        declared = {p.name: p for p in rule.spec.parameters}
        for name, value in values.items():
            parameter = declared.get(name)
            if parameter is None:
                known = ", ".join(declared) or "none"
                problems.append(
                    f"params.{rule_id}: policy {rule_id} has no parameter {name!r} (declared: {known})"
                )
                continue
            try:
                coerce_param(parameter.type, value)
            except ValueError as error:
                problems.append(f"params.{rule_id}.{name}: {error}")
    return problems


__all__ = [
    "NETLINT_FORMATS",
    "Filter",
    "LabelSelector",
    "Match",
    "Parameter",
    "PolicyError",
    "PolicyRule",
    "PolicySpec",
    "check_params",
    "is_policy_path",
    "load_policy_file",
    "load_policy_paths",
    "load_policy_text",
    "namespace_labels",
    "policy_files",
]
