"""ValidatingAdmissionPolicy and ValidatingAdmissionPolicyBinding documents, checked against
`validating-admission-policy.schema.json` and parsed into plain, picklable values.

The fields are those of `admissionregistration.k8s.io/v1` (`k8s.io/api/admissionregistration/v1`
types.go); v1beta1 and v1alpha1 have the same shape for what netlint reads.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from netlint.input.document import Document, Node
from netlint.model.access import as_list, as_map, as_str, dig, items_at, string_map
from netlint.model.selectors import LabelSelector, parse_label_selector
from netlint.policy.offline import bundled_validator

if TYPE_CHECKING:
    from jsonschema.exceptions import ValidationError

SCHEMA_FILE = "validating-admission-policy.schema.json"


@dataclass(frozen=True, slots=True)
class ResourceRule:
    """A `NamedRuleWithOperations`."""

    api_groups: tuple[str, ...]
    api_versions: tuple[str, ...]
    resources: tuple[str, ...]
    operations: tuple[str, ...]
    resource_names: tuple[str, ...]
    scope: str  # "*", "Cluster" or "Namespaced"


@dataclass(frozen=True, slots=True)
class MatchResources:
    namespace_selector: LabelSelector | None
    object_selector: LabelSelector | None
    resource_rules: tuple[ResourceRule, ...]
    exclude_resource_rules: tuple[ResourceRule, ...]
    match_policy: str  # "Equivalent" (the default) or "Exact"


@dataclass(frozen=True, slots=True)
class Validation:
    expression: str
    message: str | None
    message_expression: str | None
    reason: str  # the API server's default is Invalid


@dataclass(frozen=True, slots=True)
class NamedExpression:
    """A match condition or a variable."""

    name: str
    expression: str


@dataclass(frozen=True, slots=True)
class AdmissionPolicy:
    name: str
    api_version: str
    description: str | None  # annotation kubernetes.io/description
    param_kind: tuple[str, str] | None  # (apiVersion, kind)
    match: MatchResources
    match_conditions: tuple[NamedExpression, ...]
    variables: tuple[NamedExpression, ...]
    validations: tuple[Validation, ...]
    failure_policy: str  # "Fail" (the default) or "Ignore"
    source: str  # file:line


@dataclass(frozen=True, slots=True)
class ParamRef:
    name: str | None
    namespace: str | None
    selector: LabelSelector | None
    not_found_action: str  # "Allow" or "Deny"


@dataclass(frozen=True, slots=True)
class Binding:
    name: str
    policy_name: str
    param_ref: ParamRef | None
    match: MatchResources | None  # None: everything the policy matches
    actions: tuple[str, ...]  # of Deny, Warn, Audit
    source: str


def admission_problems(data: object) -> list[ValidationError]:
    """The document's breaches of the admission objects' schema, in no particular order."""
    return list(bundled_validator(SCHEMA_FILE).iter_errors(data))


def _strings(node: Node) -> tuple[str, ...]:
    return tuple(value for value in as_list(node) or () if isinstance(value, str))


def _list(node: Node, key: str) -> list[Node]:
    return [item for _, item in items_at(node, key)]


def _rules(node: Node, key: str) -> tuple[ResourceRule, ...]:
    return tuple(
        ResourceRule(
            api_groups=_strings(dig(item, "apiGroups")),
            api_versions=_strings(dig(item, "apiVersions")),
            resources=_strings(dig(item, "resources")),
            operations=_strings(dig(item, "operations")),
            resource_names=_strings(dig(item, "resourceNames")),
            scope=as_str(dig(item, "scope")) or "*",
        )
        for item in _list(node, key)
    )


def _match(node: Node) -> MatchResources:
    return MatchResources(
        namespace_selector=parse_label_selector(dig(node, "namespaceSelector")),
        object_selector=parse_label_selector(dig(node, "objectSelector")),
        resource_rules=_rules(node, "resourceRules"),
        exclude_resource_rules=_rules(node, "excludeResourceRules"),
        match_policy=as_str(dig(node, "matchPolicy")) or "Equivalent",
    )


def _named(node: Node, key: str) -> tuple[NamedExpression, ...]:
    return tuple(
        NamedExpression(as_str(dig(item, "name")) or "", as_str(dig(item, "expression")) or "")
        for item in _list(node, key)
    )


def parse_policy(document: Document, display: str) -> AdmissionPolicy:
    """A ValidatingAdmissionPolicy whose document already passed `admission_problems`."""
    data = document.data
    spec = dig(data, "spec")
    param_kind = as_map(dig(spec, "paramKind"))
    annotations = string_map(dig(data, "metadata", "annotations"))
    return AdmissionPolicy(
        name=as_str(dig(data, "metadata", "name")) or "",
        api_version=as_str(dig(data, "apiVersion")) or "",
        description=annotations.get("kubernetes.io/description"),
        param_kind=(
            (as_str(param_kind.get("apiVersion")) or "", as_str(param_kind.get("kind")) or "")
            if param_kind is not None
            else None
        ),
        match=_match(dig(spec, "matchConstraints")),
        match_conditions=_named(spec, "matchConditions"),
        variables=_named(spec, "variables"),
        validations=tuple(
            Validation(
                expression=as_str(dig(item, "expression")) or "",
                message=as_str(dig(item, "message")),
                message_expression=as_str(dig(item, "messageExpression")),
                reason=as_str(dig(item, "reason")) or "Invalid",
            )
            for item in _list(spec, "validations")
        ),
        failure_policy=as_str(dig(spec, "failurePolicy")) or "Fail",
        source=f"{display}:{document.span[0] + 1}",
    )


def parse_binding(document: Document, display: str) -> Binding:
    """A ValidatingAdmissionPolicyBinding whose document already passed `admission_problems`."""
    data = document.data
    spec = dig(data, "spec")
    ref = as_map(dig(spec, "paramRef"))
    match = dig(spec, "matchResources")
    return Binding(
        name=as_str(dig(data, "metadata", "name")) or "",
        policy_name=as_str(dig(spec, "policyName")) or "",
        param_ref=ParamRef(
            name=as_str(ref.get("name")),
            namespace=as_str(ref.get("namespace")),
            selector=parse_label_selector(ref.get("selector")),
            not_found_action=as_str(ref.get("parameterNotFoundAction")) or "Deny",
        )
        if ref is not None
        else None,
        match=_match(match) if isinstance(match, dict) else None,
        actions=_strings(dig(spec, "validationActions")),
        source=f"{display}:{document.span[0] + 1}",
    )
