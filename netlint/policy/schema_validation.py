"""Strict Kubernetes schema validation with messages a person understands (DESIGN §5 `schema`).

The schemas are the self-contained files `schemas/generate.py` writes (one per kind and version,
see `schemas/README.md`): the core kinds per Kubernetes version, and the Gateway API standard
channel (`gateway.networking.k8s.io`, one bundle whatever the Kubernetes version), and the custom
resources of the CRDs a user gives (`--crd`). A CRD's defaults and `x-kubernetes-validations`
(its CEL rules) are evaluated after the strict schema by `netlint.policy.crd.rules`, as the API
server does: not at all when the object has a value of the wrong type (`hasBlockingErr`: the API
server then skips every rule and says so). Validation runs in two
steps so the common case is cheap (DESIGN §9): the compiled jsonschema-rs validator answers
"valid?" for every object, and only an invalid object goes through python-jsonschema, whose
errors carry the paths, values and schema fragments the messages are built from. The messages therefore do not depend on whether jsonschema-rs is
installed; without it python-jsonschema does both steps.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol, cast

from netlint.model.field_errors import path_text as render_path
from netlint.model.field_errors import too_long, too_many, value_text
from netlint.model.kube_versions import SUPPORTED_KUBE_VERSIONS
from netlint.model.resources import schemas_root
from netlint.policy.offline import no_retrieval, refuse_retrieval

if TYPE_CHECKING:
    from jsonschema.exceptions import ValidationError

    from netlint.policy.crd.loading import CustomKind

    if sys.version_info >= (3, 11):
        from importlib.resources.abc import Traversable
    else:
        from importlib.abc import Traversable

# The Gateway API bundle whose standard-channel CRDs the schemas come from (reference §6).
GATEWAY_API_BUNDLE = "v1.6.1"
GATEWAY_API_GROUP = "gateway.networking.k8s.io"

PathElement = str | int


class SchemaViolation(NamedTuple):
    """One problem, located at the most specific node of the object.

    `path` is where a finding should point, and `on_key` whether at the key or at the value:

    - unknown field: the path of that unknown key, `on_key=True`;
    - missing required field: the path of the mapping that lacks it (the missing key has no
      position of its own), `on_key=True`, so the finding points at the key that holds that
      mapping (or at the list item, or at the start of the document for a top-level field); the
      message names the full path of the missing field;
    - wrong type, unsupported value: the path of the value, `on_key=False`.
    """

    path: tuple[PathElement, ...]
    message: str
    on_key: bool
    # A value outside an enum: the values the schema supports there (else empty).
    supported: tuple[str, ...] = ()


class _FastValidator(Protocol):
    def is_valid(self, instance: Any) -> bool: ...


class _SlowValidator(Protocol):
    def iter_errors(self, instance: Any) -> Iterator[ValidationError]: ...


def _compile_fast(schema: dict[str, Any]) -> _FastValidator | None:
    try:
        import jsonschema_rs
    except ImportError:
        return None
    # Formats (int32, date-time) are annotations in draft 2020-12, as python-jsonschema treats
    # them without a format checker; asserting them in one step only would split the verdicts.
    return jsonschema_rs.validator_for(schema, validate_formats=False, retriever=refuse_retrieval)


# What is still judged under `status` (see `_Compiled.violations`): strict decoding reports unknown
# fields of any object and, for a typed built-in kind, values of the wrong type; validation never
# sees a created object's status, which the API server drops first.
_DECODED_IN_STATUS = frozenset(["unknown", "type"])
_DECODED_IN_CUSTOM_STATUS = frozenset(["unknown"])


def _in_status(path: tuple[PathElement, ...]) -> bool:
    return bool(path) and path[0] == "status"


class _Compiled:
    """The validators of one kind and version, built once and kept on the store. `custom`: a
    custom resource's (CRD) schema, decoded without Go types; `rules`: its rule schema
    (`netlint.policy.crd.structural.rule_schema`), when it has defaults or CEL rules."""

    def __init__(
        self,
        kind: str,
        schema: dict[str, Any],
        *,
        custom: bool = False,
        rules: dict[str, Any] | None = None,
        status_dropped: bool = True,
    ) -> None:
        self.kind = kind
        self.schema = schema
        self.rules = rules
        self.status_dropped = status_dropped
        self.status_kept = _DECODED_IN_CUSTOM_STATUS if custom else _DECODED_IN_STATUS
        self.fast = _compile_fast(schema)
        self._slow: _SlowValidator | None = None  # built on the first invalid object

    def is_valid(self, obj: object) -> bool | None:
        """The fast verdict; None when there is no fast validator or it cannot judge `obj`."""
        if self.fast is None:
            return None
        try:
            return self.fast.is_valid(obj)
        except ValueError:
            return None  # a value jsonschema-rs cannot convert (a non-string key)

    def violations(self, obj: object) -> tuple[list[SchemaViolation], bool]:
        """Every violation, and whether one keeps the CEL rules from running (`_BLOCKING`)."""
        slow = self._slow
        if slow is None:
            # python-jsonschema is imported here, for the first invalid object only.
            from jsonschema import Draft202012Validator

            # No format checker: formats stay annotations, as on the fast path.
            slow = self._slow = cast(
                "_SlowValidator", Draft202012Validator(self.schema, registry=no_retrieval())
            )
        found: list[tuple[str, SchemaViolation]] = []
        for error in slow.iter_errors(obj):
            found.extend(_explain(error, self.kind))
        # `status` is not validated on create: the API server resets it (PrepareForCreate) or
        # drops it (a custom resource's status subresource) before validation, so required
        # fields, enums and bounds there are never checked; what strict decoding refuses first
        # still is (an unknown field; a wrong type in a built-in kind's Go struct).
        if self.status_dropped:
            found = [(c, v) for c, v in found if c in self.status_kept or not _in_status(v.path)]
        # A value of the wrong type usually fails its enum too: the type is the one problem.
        typed = {violation.path for cause, violation in found if cause == "type"}
        unique = {v for cause, v in found if not (cause == "enum" and v.path in typed)}
        # python-jsonschema's order follows the schema; by path is the order a reader expects.
        blocking = any(cause in _BLOCKING for cause, _ in found)
        return sorted(unique, key=lambda v: (_path_key(v.path), v.message)), blocking

    def rule_violations(self, obj: object, kube_version: str) -> list[SchemaViolation]:
        """The CRD's CEL rules that `obj` fails (after its defaults)."""
        if self.rules is None or not isinstance(obj, dict):
            return []
        from netlint.policy.crd.rules import rule_failures  # CEL: only for kinds with rules

        return [
            SchemaViolation(failure.path, failure.message, failure.on_key)
            for failure in rule_failures(
                self.rules,
                cast("dict[str, object]", obj),
                kube_version,
                status_dropped=self.status_dropped,
            )
        ]


class SchemaStore:
    """The bundled strict schemas of one Kubernetes version, compiled lazily and cached, and
    the schemas of the CRDs a user gives (`custom`: (apiVersion, kind) -> the kind's strict
    schema and rule schema; a user's CRD of a bundled Gateway API kind replaces the bundled
    one, as installing it in the cluster would)."""

    def __init__(
        self,
        kube_version: str,
        *,
        root: Traversable | None = None,
        custom: Mapping[tuple[str, str], CustomKind] | None = None,
    ) -> None:
        if kube_version not in SUPPORTED_KUBE_VERSIONS:
            supported = ", ".join(SUPPORTED_KUBE_VERSIONS)
            raise ValueError(f"unsupported Kubernetes version {kube_version!r}: use {supported}")
        self.kube_version = kube_version
        kubernetes = (root or schemas_root()).joinpath("kubernetes")
        self._dir = kubernetes.joinpath(f"v{kube_version}")
        self._files = frozenset(entry.name for entry in self._dir.iterdir())
        # Gateway API schemas do not depend on the Kubernetes version: one bundle for all.
        self._gateway_dir = kubernetes.joinpath("gateway-api").joinpath(GATEWAY_API_BUNDLE)
        self._gateway_files = (
            frozenset(entry.name for entry in self._gateway_dir.iterdir())
            if self._gateway_dir.is_dir()
            else frozenset[str]()
        )
        self._custom = dict(custom or {})
        self._compiled: dict[tuple[str, str], _Compiled | None] = {}

    def has_schema(self, api_version: str, kind: str) -> bool:
        return self._lookup(api_version, kind) is not None

    def validate(self, api_version: str, kind: str, obj: object) -> list[SchemaViolation]:
        """Every violation of `obj`; [] when valid. Only for kinds `has_schema` accepts."""
        compiled = self._lookup(api_version, kind)
        if compiled is None:
            raise KeyError(f"no bundled schema for {api_version} {kind}")
        found: list[SchemaViolation] = []
        if compiled.is_valid(obj) is not True:
            found, blocking = compiled.violations(obj)
            if blocking:
                # `hasBlockingErr`: the API server evaluates no CEL rule then (and says that
                # some were not checked): the object lacks the shape the rules were written for.
                return found
        rules = compiled.rule_violations(obj, self.kube_version)
        if not rules:
            return found
        return sorted({*found, *rules}, key=lambda v: (_path_key(v.path), v.message))

    def _lookup(self, api_version: str, kind: str) -> _Compiled | None:
        key = (api_version, kind)
        if key not in self._compiled:
            self._compiled[key] = self._load(api_version, kind)
        return self._compiled[key]

    def _load(self, api_version: str, kind: str) -> _Compiled | None:
        custom = self._custom.get((api_version, kind))
        if custom is not None:
            return _Compiled(
                kind,
                custom.schema,
                custom=True,
                rules=custom.rules,
                status_dropped=custom.status_subresource,
            )
        stem = f"{kind.lower()}-{api_version.replace('/', '-')}"
        name = f"{stem}.json"
        folder, files = self._dir, self._files
        if api_version.startswith(GATEWAY_API_GROUP + "/"):
            folder, files = self._gateway_dir, self._gateway_files
        # Also keeps odd apiVersions from naming other paths (`v1.rules` names a rule schema).
        if name not in files or name.endswith(_RULES_SUFFIX):
            return None
        schema: dict[str, Any] = json.loads(folder.joinpath(name).read_text(encoding="utf-8"))
        # File names are lower case; the kind and apiVersion themselves are case-sensitive.
        declared: dict[str, Any] = schema["properties"]
        if (
            kind not in declared["kind"]["enum"]
            or api_version not in declared["apiVersion"]["enum"]
        ):
            return None
        rules: dict[str, Any] | None = None
        if f"{stem}{_RULES_SUFFIX}" in files:
            text = folder.joinpath(f"{stem}{_RULES_SUFFIX}").read_text(encoding="utf-8")
            rules = json.loads(text)
        return _Compiled(kind, schema, custom=folder is self._gateway_dir, rules=rules)


# The violations after which the API server evaluates no CEL rule (`hasBlockingErr`: NotSupported,
# Required, TooLong, TooMany, TypeInvalid). Not an unknown field: strict field validation
# (kubectl's default) refuses it first, but a client that asks for Warn (the server's default)
# has it pruned and the rules run on the rest, so each CEL failure is a refusal too; the rules
# see the object pruned (`structural.defaulted`).
_BLOCKING = frozenset({"type", "required", "enum", "maxLength", "maxItems", "maxProperties"})

# The rule schema beside a bundled CRD kind's strict schema (written by the generator).
_RULES_SUFFIX = ".rules.json"


# --- messages -----------------------------------------------------------------------------------

_TYPE_WORDS = {
    "array": "a list",
    "boolean": "a boolean",
    "integer": "an integer",
    "number": "a number",
    "object": "a mapping",
    "string": "a string",
}


def _path_key(path: tuple[PathElement, ...]) -> tuple[tuple[int, int, str], ...]:
    return tuple((0, e, "") if isinstance(e, int) else (1, 0, e) for e in path)


def _describe(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return f"a boolean ({'true' if value else 'false'})"
    if isinstance(value, int):
        return f"an integer ({value})"
    if isinstance(value, float):
        return f"a number ({value!r})"
    if isinstance(value, str):
        shown = value if len(value) <= 60 else value[:57] + "..."
        return f"a string ({json.dumps(shown)})"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


def _expected(types: object) -> str:
    names = [types] if isinstance(types, str) else list(_strings(types))
    words = [_TYPE_WORDS.get(name, name) for name in names if name != "null"]
    return " or ".join(words)


def _strings(value: object) -> Iterator[str]:
    if isinstance(value, list):
        for item in cast("list[object]", value):
            if isinstance(item, str):
                yield item


def _supported(values: object) -> str:
    # `""` (defaulted by the API server) and `null` (absent) are accepted but are not values
    # to suggest; the API server lists its supported values sorted and quoted.
    shown = sorted(set(_strings(values)) - {""})
    return ", ".join(json.dumps(value) for value in shown)


def _explain(error: ValidationError, kind: str) -> Iterable[tuple[str, SchemaViolation]]:
    """Human violations for one python-jsonschema error, tagged with the keyword that failed."""
    path: tuple[PathElement, ...] = tuple(error.absolute_path)
    keyword = str(error.validator)
    instance: object = error.instance
    here = render_path(path)
    if keyword in ("oneOf", "anyOf") and error.context:
        # The branch that got deepest into the value explains the problem best (a branch of the
        # right type before one that only says "wrong type"); the other branches failing is a
        # consequence, and reporting them all would repeat one problem several times.
        chosen = max(
            error.context, key=lambda sub: (len(sub.absolute_path), sub.validator != "type")
        )
        return _explain(chosen, kind)
    if keyword == "additionalProperties" and isinstance(instance, dict):
        schema = cast("dict[str, object]", error.schema)
        declared = cast("dict[str, object]", schema.get("properties", {}))
        owner = f"{kind} {here}" if here else kind
        found: list[tuple[str, SchemaViolation]] = []
        for key in cast("dict[object, object]", instance):
            name = key if isinstance(key, str) else json.dumps(key)
            if name not in declared:
                where = render_path((*path, name))
                message = f"{where}: unknown field; {owner} has no such field"
                found.append(("unknown", SchemaViolation((*path, name), message, on_key=True)))
        return found
    if keyword == "required" and isinstance(instance, dict):
        present = cast("dict[object, object]", instance)
        return [
            (
                "required",
                SchemaViolation(path, f"{render_path((*path, key))}: Required value", True),
            )
            for key in _strings(error.validator_value)
            if key not in present
        ]
    if instance is None and keyword in ("type", "enum"):
        # Kubernetes decodes null as "not set", so a null where null is not allowed is missing.
        return [("required", SchemaViolation(path, f"{here}: Required value", on_key=False))]
    if keyword == "type":
        message = f"{here}: must be {_expected(error.validator_value)}, not {_describe(instance)}"
        return [(keyword, SchemaViolation(path, message, on_key=False))]
    if keyword == "enum":
        message = (
            f"{here}: Unsupported value: {json.dumps(instance)}: "
            f"supported values: {_supported(error.validator_value)}"
        )
        supported = tuple(sorted(set(_strings(error.validator_value)) - {""}))
        return [(keyword, SchemaViolation(path, message, False, supported))]
    bound = _bound_violation(keyword, path, instance, error.validator_value)
    if bound is not None:
        return [(keyword, bound)]
    return [(keyword, SchemaViolation(path, f"{here}: Invalid value: {error.message}", False))]


def _shown(value: object) -> str:
    """A bad scalar as the API server prints it, shortened: a message never carries a whole
    list or mapping (8,000 route matches would make one finding megabytes long)."""
    text = value_text(value)
    return text if len(text) <= 80 else text[:77] + "..."


def _bound_violation(
    keyword: str, path: tuple[PathElement, ...], instance: object, bound: object
) -> SchemaViolation | None:
    """A size or range bound, worded as the API server's OpenAPI validation words it
    (`field.TooMany`, `field.TooLong`, and kube-openapi's "in body should ..." details)."""
    here = render_path(path)
    if keyword == "pattern" and isinstance(instance, str) and isinstance(bound, str):
        detail = f"{here} in body should match '{bound}'"
        return SchemaViolation(path, f"{here}: Invalid value: {_shown(instance)}: {detail}", False)
    if not isinstance(bound, int | float) or isinstance(bound, bool):
        return None
    limit = int(bound) if float(bound).is_integer() else bound
    message: str | None = None
    if keyword == "maxItems" and isinstance(instance, list):
        message = too_many(path, len(cast("list[object]", instance)), int(bound)).text
    elif keyword == "minItems" and isinstance(instance, list):
        count = len(cast("list[object]", instance))
        message = (
            f"{here}: Invalid value: {count}: {here} in body should have at least {limit} items"
        )
    elif keyword == "maxProperties" and isinstance(instance, dict):
        count = len(cast("dict[object, object]", instance))
        message = f"{here}: Too many: {count}: must have at most {limit} items"
    elif keyword == "maxLength" and isinstance(instance, str):
        message = too_long(path, instance, int(bound)).text
    elif keyword == "minLength" and isinstance(instance, str):
        message = (
            f"{here}: Invalid value: {_shown(instance)}: "
            f"{here} in body should be at least {limit} chars long"
        )
    elif keyword in ("minimum", "maximum") and isinstance(instance, int | float):
        relation = "greater" if keyword == "minimum" else "less"
        message = (
            f"{here}: Invalid value: {_shown(instance)}: "
            f"{here} in body should be {relation} than or equal to {limit}"
        )
    if message is None:
        return None
    return SchemaViolation(path, message, on_key=False)
