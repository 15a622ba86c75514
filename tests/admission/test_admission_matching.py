"""ValidatingAdmissionPolicy documents parsed and matched against the CREATE of manifests
(issue 32, item 3): what needs no CEL evaluation."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from netlint.api import ExternalObjects, RuleContext, Settings
from netlint.input.loader import load_yaml
from netlint.model.manifest import Manifest, objects_of
from netlint.policy import PolicyError, load_policy_paths
from netlint.policy.admission.matching import match_verdict
from netlint.policy.admission.params import resolve_params
from netlint.policy.admission.references import offline_gap, reads_namespace_object
from netlint.policy.admission.resources import request_resource, resource_of_kind
from netlint.policy.admission.spec import (
    AdmissionPolicy,
    Binding,
    MatchResources,
    admission_problems,
    parse_binding,
    parse_policy,
)
from tests.helpers import inventory_of, schemas


def _document(text: str):  # -> Document
    return load_yaml(textwrap.dedent(text), "policy.yaml").documents[0]


def _policy(constraints: str, extra: str = "") -> AdmissionPolicy:
    text = (
        "apiVersion: admissionregistration.k8s.io/v1\nkind: ValidatingAdmissionPolicy\n"
        "metadata: {name: p}\nspec:\n  matchConstraints:\n"
        + textwrap.indent(textwrap.dedent(constraints), "    ")
        + extra
        + "  validations: [{expression: 'true'}]\n"
    )
    document = _document(text)
    assert admission_problems(document.data) == []
    return parse_policy(document, "policy.yaml")


def _binding(spec: str) -> Binding:
    text = (
        "apiVersion: admissionregistration.k8s.io/v1\nkind: ValidatingAdmissionPolicyBinding\n"
        "metadata: {name: b}\nspec:\n  policyName: p\n  validationActions: [Deny]\n"
        + textwrap.indent(textwrap.dedent(spec), "  ")
    )
    document = _document(text)
    assert admission_problems(document.data) == []
    return parse_binding(document, "binding.yaml")


INPUT = """\
apiVersion: v1
kind: Namespace
metadata: {name: shop, labels: {env: prod}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop, labels: {tier: web}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: api, namespace: dev}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: wherever}
---
apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata: {name: nginx}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: limits, namespace: shop, labels: {kind: limit}}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: other-limits, namespace: shop, labels: {kind: limit}}
"""


def _context(external: dict[str, dict[str, str]] | None = None) -> RuleContext:
    return RuleContext(
        inventory_of(INPUT),
        Settings(external=ExternalObjects(namespace_labels=external or {})),
        schemas(),
    )


def _manifest(name: str, namespace: str | None = "shop", kind: str = "Deployment") -> Manifest:
    for manifest in objects_of(load_yaml(INPUT, "cluster.yaml").documents).manifests:
        if (manifest.kind, manifest.name, manifest.namespace) == (kind, name, namespace):
            return manifest
    raise AssertionError(f"no {kind} {name} in the input")


def _verdict(
    match: MatchResources, manifest: Manifest, ctx: RuleContext | None = None
) -> bool | None:
    context = ctx or _context()
    return match_verdict(match, manifest, request_resource(manifest), context, rules_required=True)


RULE = "- {{apiGroups: [{group}], apiVersions: [{version}], operations: [{ops}], resources: [{res}]{more}}}\n"


def _rules(
    group: str = "apps",
    version: str = "v1",
    ops: str = "CREATE",
    res: str = "deployments",
    more: str = "",
) -> str:
    return "resourceRules:\n" + RULE.format(
        group=group, version=version, ops=ops, res=res, more=more
    )


@pytest.mark.parametrize(
    ("rules", "expected"),
    [
        (_rules(), True),
        (_rules(group='"*"', version='"*"', ops='"*"', res='"*"'), True),
        (_rules(res='"*/*"'), True),
        (_rules(res='"deployments/*"'), True),  # upstream Matcher.resource: `*` or "" subresource
        (_rules(res="deployments/scale"), False),
        (_rules(res='"*/status"'), False),
        (_rules(res="replicasets"), False),
        (_rules(ops="UPDATE"), False),
        (_rules(group='""'), False),
        (_rules(more=", scope: Cluster"), False),
        (_rules(more=", scope: Namespaced"), True),
        (_rules(more=", resourceNames: [web]"), True),
        (_rules(more=", resourceNames: [api]"), False),
        # Only an equivalent version or group matches: the object would be converted first.
        (_rules(version="v1beta2"), None),
        (_rules(group="extensions", version="v1beta1"), None),
    ],
)
def test_resource_rules(rules: str, expected: bool | None) -> None:
    assert _verdict(_policy(rules).match, _manifest("web")) is expected


def test_match_policy_exact_never_matches_an_equivalent() -> None:
    policy = _policy(_rules(version="v1beta2") + "matchPolicy: Exact\n")
    assert _verdict(policy.match, _manifest("web")) is False


def test_excluded_rules_win() -> None:
    rules = (
        _rules()
        + "excludeResourceRules:\n"
        + RULE.format(
            group="apps",
            version="v1",
            ops="CREATE",
            res="deployments",
            more=", resourceNames: [web]",
        )
    )
    match = _policy(rules).match
    assert _verdict(match, _manifest("web")) is False
    assert _verdict(match, _manifest("api", "dev")) is True


def test_namespace_selector_reads_the_input_then_external_namespaces() -> None:
    match = _policy(_rules() + "namespaceSelector: {matchLabels: {env: prod}}\n").match
    assert _verdict(match, _manifest("web")) is True
    assert _verdict(match, _manifest("api", "dev")) is None  # dev's labels are not known
    assert _verdict(match, _manifest("api", "dev"), _context({"dev": {"env": "dev"}})) is False
    assert _verdict(match, _manifest("wherever", "")) is None  # the apply namespace


def test_namespace_name_label_and_cluster_scoped_objects() -> None:
    rules = (
        "resourceRules:\n"
        + RULE.format(group='"*"', version='"*"', ops="CREATE", res='"*"', more="")
        + "namespaceSelector: {matchExpressions: [{key: kubernetes.io/metadata.name, operator: NotIn, values: [shop]}]}\n"
    )
    match = _policy(rules).match
    assert _verdict(match, _manifest("web")) is False
    # A cluster-scoped object other than a Namespace is never exempted by a namespace selector.
    assert _verdict(match, _manifest("nginx", None, "IngressClass")) is True
    # A Namespace is matched on its own labels.
    assert _verdict(match, _manifest("shop", None, "Namespace")) is False


def test_object_selector() -> None:
    match = _policy(_rules() + "objectSelector: {matchLabels: {tier: web}}\n").match
    assert _verdict(match, _manifest("web")) is True
    assert _verdict(match, _manifest("api", "dev")) is False


def test_a_binding_without_resource_rules_narrows_nothing() -> None:
    binding = _binding("matchResources:\n  objectSelector: {matchLabels: {tier: web}}\n")
    assert binding.match is not None
    ctx = _context()
    for manifest, expected in ((_manifest("web"), True), (_manifest("api", "dev"), False)):
        verdict = match_verdict(
            binding.match, manifest, request_resource(manifest), ctx, rules_required=False
        )
        assert verdict is expected


PARAM_KIND = "  paramKind: {apiVersion: v1, kind: ConfigMap}\n"


def test_params_by_name_in_the_object_namespace() -> None:
    policy = _policy(_rules(), PARAM_KIND)
    binding = _binding("paramRef: {name: limits, parameterNotFoundAction: Deny}\n")
    params = resolve_params(policy, binding, _manifest("web"), _context())
    assert params is not None
    assert [p["metadata"]["name"] for p in params.objects] == ["limits"]  # type: ignore[index]
    # No ConfigMap limits in namespace dev in the input: unknown, not a guess.
    assert resolve_params(policy, binding, _manifest("api", "dev"), _context()) is None
    assert resolve_params(policy, binding, _manifest("wherever", ""), _context()) is None


def test_params_by_selector_in_a_given_namespace() -> None:
    policy = _policy(_rules(), PARAM_KIND)
    binding = _binding(
        "paramRef: {namespace: shop, selector: {matchLabels: {kind: limit}},"
        " parameterNotFoundAction: Allow}\n"
    )
    params = resolve_params(policy, binding, _manifest("api", "dev"), _context())
    assert params is not None
    names = [p["metadata"]["name"] for p in params.objects]  # type: ignore[index]
    assert names == ["limits", "other-limits"]


def test_params_configuration_errors() -> None:
    policy = _policy(_rules(), PARAM_KIND)
    missing = resolve_params(policy, _binding(""), _manifest("web"), _context())
    assert missing is not None
    assert missing.error == "paramKind kind `v1, Kind=ConfigMap` is set but paramRef is empty"
    cluster = resolve_params(
        policy,
        _binding("paramRef: {name: limits, parameterNotFoundAction: Deny}\n"),
        _manifest("nginx", None, "IngressClass"),
        _context(),
    )
    assert cluster is not None
    assert cluster.error is not None and "cluster-scoped" in cluster.error
    # No paramKind: one evaluation with params null, whatever the binding says.
    plain = resolve_params(_policy(_rules()), _binding(""), _manifest("web"), _context())
    assert plain is not None and plain.objects == (None,)


@pytest.mark.parametrize(
    ("expressions", "gap"),
    [
        (
            ["authorizer.group('apps').resource('deployments').check('create').allowed()"],
            "authorizer",
        ),
        (["request.userInfo.username == 'admin'"], "request.userInfo"),
        (["'authorizer' in object.metadata.labels", "object.authorizer == 1"], None),
        (['request.name == \'x\' && """request.userInfo""" != \'\''], None),
    ],
)
def test_what_cannot_be_known_offline(expressions: list[str], gap: str | None) -> None:
    found = offline_gap(expressions)
    assert (found is None) if gap is None else (found is not None and gap in found)


def test_namespace_object_references() -> None:
    assert reads_namespace_object(["namespaceObject.metadata.name != 'default'"])
    assert not reads_namespace_object(["'namespaceObject' != object.kind"])


@pytest.mark.parametrize(
    ("kind", "resource"),
    [
        ("Service", "services"),
        ("Endpoints", "endpoints"),
        ("Ingress", "ingresses"),
        ("IngressClass", "ingressclasses"),
        ("NetworkPolicy", "networkpolicies"),
        ("EndpointSlice", "endpointslices"),
        ("Gateway", "gateways"),
        ("HTTPRoute", "httproutes"),
    ],
)
def test_resource_names(kind: str, resource: str) -> None:
    assert resource_of_kind(kind) == resource


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        (
            "kind: ValidatingAdmissionPolicyBinding\nmetadata: {name: b}\nspec:\n  policyName: p\n"
            "  validationActions: [Deny, Warn]\n",
            "policy.yaml:6: invalid ValidatingAdmissionPolicyBinding: validationActions: Deny and "
            "Warn may not be used together",
        ),
        (
            "kind: ValidatingAdmissionPolicyBinding\nmetadata: {name: b}\nspec:\n  policyName: p\n",
            "policy.yaml:4: invalid ValidatingAdmissionPolicyBinding: spec: 'validationActions' is "
            "a required property",
        ),
        (
            "kind: ValidatingAdmissionPolicy\nmetadata: {name: p}\nspec:\n  validations: "
            "[{expression: 'true'}]\n",
            "policy.yaml:4: invalid ValidatingAdmissionPolicy: spec: 'matchConstraints' is a "
            "required property",
        ),
    ],
)
def test_broken_admission_documents_are_errors_with_their_line(
    tmp_path: Path, text: str, problem: str
) -> None:
    path = tmp_path / "policy.yaml"
    path.write_text("apiVersion: admissionregistration.k8s.io/v1\n" + text)
    with pytest.raises(PolicyError) as raised:
        load_policy_paths([path])
    assert str(raised.value) == f"{path.parent / problem}"
