"""The Gateway API schemas and CEL rules reported under `schema` (reference §6, GW-02..GW-12)."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from netlint.policy.schema_validation import GATEWAY_API_BUNDLE, SchemaStore, SchemaViolation
from tests.helpers import brief, lint_text, only

REPO = Path(__file__).resolve().parent.parent
GATEWAY_SCHEMAS = REPO / "schemas" / "kubernetes" / "gateway-api" / GATEWAY_API_BUNDLE
V1 = "gateway.networking.k8s.io/v1"

GATEWAY: dict[str, Any] = {
    "apiVersion": V1,
    "kind": "Gateway",
    "metadata": {"name": "gateway"},
    "spec": {
        "gatewayClassName": "example",
        "listeners": [{"name": "http", "port": 80, "protocol": "HTTP"}],
    },
}
ROUTE: dict[str, Any] = {
    "apiVersion": V1,
    "kind": "HTTPRoute",
    "metadata": {"name": "web"},
    "spec": {
        "parentRefs": [{"name": "gateway"}],
        "rules": [{"backendRefs": [{"name": "web", "port": 80}]}],
    },
}


@pytest.fixture(scope="module")
def store() -> SchemaStore:
    return SchemaStore("1.37")


def gateway(*listeners: dict[str, Any]) -> dict[str, Any]:
    obj = copy.deepcopy(GATEWAY)
    obj["spec"]["listeners"] = list(listeners)
    return obj


def route(**spec: Any) -> dict[str, Any]:
    obj = copy.deepcopy(ROUTE)
    obj["spec"].update(spec)
    return obj


def check(store: SchemaStore, obj: dict[str, Any]) -> list[SchemaViolation]:
    return store.validate(obj["apiVersion"], obj["kind"], obj)


# --- which kinds and versions ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("api_version", "kind"),
    [
        (V1, "GatewayClass"),
        (V1, "Gateway"),
        (V1, "HTTPRoute"),
        (V1, "GRPCRoute"),
        (V1, "TLSRoute"),
        (V1, "TCPRoute"),
        (V1, "UDPRoute"),
        (V1, "ListenerSet"),
        (V1, "ReferenceGrant"),
        (V1, "BackendTLSPolicy"),
        ("gateway.networking.k8s.io/v1beta1", "GatewayClass"),
        ("gateway.networking.k8s.io/v1beta1", "Gateway"),
        ("gateway.networking.k8s.io/v1beta1", "HTTPRoute"),
        ("gateway.networking.k8s.io/v1beta1", "ReferenceGrant"),
    ],
)
def test_served_standard_channel_versions_have_schemas(
    store: SchemaStore, api_version: str, kind: str
) -> None:
    assert store.has_schema(api_version, kind)


@pytest.mark.parametrize(
    ("api_version", "kind"),
    [
        ("gateway.networking.k8s.io/v1alpha2", "TCPRoute"),  # not served in v1.6: deprecated-api's
        ("gateway.networking.k8s.io/v1alpha2", "TLSRoute"),
        ("gateway.networking.k8s.io/v1alpha3", "BackendTLSPolicy"),
        ("gateway.networking.k8s.io/v1beta1", "GRPCRoute"),
        ("gateway.networking.x-k8s.io/v1alpha1", "XListenerSet"),
        ("networking.istio.io/v1", "Gateway"),
    ],
)
def test_unserved_and_other_group_versions_have_none(
    store: SchemaStore, api_version: str, kind: str
) -> None:
    assert not store.has_schema(api_version, kind)


@pytest.mark.parametrize("version", ["1.32", "1.37"])
def test_gateway_schemas_do_not_depend_on_the_kubernetes_version(version: str) -> None:
    assert SchemaStore(version).validate(V1, "Gateway", GATEWAY) == []


STRICT_SCHEMAS = sorted(
    p for p in GATEWAY_SCHEMAS.glob("*.json") if not p.name.endswith(".rules.json")
)


@pytest.mark.parametrize("path", STRICT_SCHEMAS, ids=lambda p: p.name)
def test_bundled_gateway_schemas_are_strict_draft_2020_12(path: Path) -> None:
    schema = json.loads(path.read_text())
    Draft202012Validator.check_schema(schema)
    stack: list[tuple[str, object]] = [("", schema)]
    while stack:
        where, node = stack.pop()
        if isinstance(node, dict):
            if isinstance(node.get("properties"), dict) and where != ".metadata":
                assert node.get("additionalProperties") is False, where
            assert "oneOf" not in node and "anyOf" not in node
            for key, value in node.items():
                if key == "properties":
                    stack.extend((f"{where}.{k}", v) for k, v in value.items())
                elif key != "enum":
                    stack.append((where, value))
        elif isinstance(node, list):
            stack.extend((where, item) for item in node)


# --- plain schema ---------------------------------------------------------------------------------


def test_valid_objects_pass(store: SchemaStore) -> None:
    assert check(store, GATEWAY) == []
    assert check(store, ROUTE) == []


def test_unknown_field_and_crd_enum_and_pattern(store: SchemaStore) -> None:
    obj = route(rules=[{"backendRefs": [{"name": "web", "port": 80, "weigth": 1}]}])
    assert check(store, obj) == [
        SchemaViolation(
            ("spec", "rules", 0, "backendRefs", 0, "weigth"),
            "spec.rules[0].backendRefs[0].weigth: unknown field; HTTPRoute "
            "spec.rules[0].backendRefs[0] has no such field",
            on_key=True,
        )
    ]
    listener = {"name": "http", "port": 80, "protocol": "HTTP", "hostname": "Shop.Example.com"}
    (violation,) = check(store, gateway(listener))
    assert violation.path == ("spec", "listeners", 0, "hostname")
    assert violation.message.startswith(
        'spec.listeners[0].hostname: Invalid value: "Shop.Example.com": '
        "spec.listeners[0].hostname in body should match '^(\\*\\.)?[a-z0-9]"
    )


def test_null_optional_fields_are_absent_as_the_api_server_prunes_them(store: SchemaStore) -> None:
    obj = route(hostnames=None)
    obj["spec"]["rules"][0]["matches"] = None
    assert check(store, obj) == []


def test_experimental_external_auth_filter_is_accepted(store: SchemaStore) -> None:
    filters = [{"type": "ExternalAuth", "externalAuth": {"protocol": "HTTP"}}]
    assert check(store, route(rules=[{"filters": filters}])) == []


def test_gateway_address_without_type_is_not_a_one_of_failure(store: SchemaStore) -> None:
    obj = copy.deepcopy(GATEWAY)
    obj["spec"]["addresses"] = [{"value": "10.0.0.1"}]
    assert check(store, obj) == []


# --- CEL rules (GW-10: listeners) -----------------------------------------------------------------


def _messages(violations: list[SchemaViolation]) -> list[tuple[tuple[str | int, ...], str]]:
    return [(v.path, v.message) for v in violations]


def test_listener_name_and_port_protocol_hostname_unique_gw_10(store: SchemaStore) -> None:
    obj = gateway(
        {"name": "http", "port": 80, "protocol": "HTTP"},
        {"name": "http", "port": 8080, "protocol": "HTTP"},
        {"name": "other", "port": 80, "protocol": "HTTP"},
    )
    # The API server names the list the rule sits on; the finding points at the listener
    # that breaks it (the first whose prefix of the list fails the rule).
    assert _messages(check(store, obj)) == [
        (
            ("spec", "listeners", 1),
            "spec.listeners: Invalid value: Listener name must be unique within the Gateway",
        ),
        (
            ("spec", "listeners", 2),
            "spec.listeners: Invalid value: Combination of port, protocol and hostname must be "
            "unique for each listener",
        ),
    ]


def test_tls_forbidden_hostname_forbidden_and_terminate_needs_certificates_gw_10(
    store: SchemaStore,
) -> None:
    obj = gateway(
        {
            "name": "http",
            "port": 80,
            "protocol": "HTTP",
            "tls": {"certificateRefs": [{"name": "c"}]},
        },
        {"name": "tcp", "port": 5432, "protocol": "TCP", "hostname": "db.example.com"},
        {"name": "https", "port": 443, "protocol": "HTTPS", "tls": {"mode": "Terminate"}},
        {"name": "tls", "port": 8443, "protocol": "TLS"},
    )
    violations = check(store, obj)
    assert _messages(violations) == [
        (
            ("spec", "listeners", 0),
            "spec.listeners: Invalid value: tls must not be specified for protocols "
            "['HTTP', 'TCP', 'UDP']",
        ),
        (
            ("spec", "listeners", 1),
            "spec.listeners: Invalid value: hostname must not be specified for protocols "
            "['TCP', 'UDP']",
        ),
        (  # the rule reads certificateRefs without has(): the API server's evaluation error
            ("spec", "listeners", 2, "tls"),
            'spec.listeners[2].tls: Invalid value: "object": no such key: certificateRefs '
            "evaluating rule: certificateRefs or options must be specified when mode is Terminate",
        ),
        (
            ("spec", "listeners", 3),
            "spec.listeners: Invalid value: tls mode must be set for protocol TLS",
        ),
    ]
    # A list item is located at itself; a mapping the rule sits on, at its key.
    assert [v.on_key for v in violations] == [False, False, True, False]


# --- CEL rules (routes: GW-02, GW-07, GW-11, GW-12) ------------------------------------------------


def test_service_backend_ref_needs_a_port_gw_02(store: SchemaStore) -> None:
    obj = route(
        rules=[
            {
                "backendRefs": [
                    {"name": "web"},
                    {"name": "bucket", "group": "example.com", "kind": "Bucket"},
                ],
                "filters": [
                    {"type": "RequestMirror", "requestMirror": {"backendRef": {"name": "m"}}}
                ],
            }
        ]
    )
    assert _messages(check(store, obj)) == [
        (
            ("spec", "rules", 0, "backendRefs", 0),
            "spec.rules[0].backendRefs[0]: Invalid value: Must have port for Service reference",
        ),
        (
            ("spec", "rules", 0, "filters", 0, "requestMirror", "backendRef"),
            "spec.rules[0].filters[0].requestMirror.backendRef: Invalid value: Must have port for "
            "Service reference",
        ),
    ]


def test_parent_refs_section_names_gw_07(store: SchemaStore) -> None:
    mixed = route(parentRefs=[{"name": "gw", "sectionName": "http"}, {"name": "gw"}])
    assert _messages(check(store, mixed)) == [
        (
            ("spec", "parentRefs", 1),
            "spec.parentRefs: Invalid value: sectionName must be specified when parentRefs "
            "includes 2 or more references to the same parent",
        )
    ]
    repeated = route(
        parentRefs=[{"name": "gw", "sectionName": "http"}, {"name": "gw", "sectionName": "http"}]
    )
    assert _messages(check(store, repeated)) == [
        (
            ("spec", "parentRefs", 1),
            "spec.parentRefs: Invalid value: sectionName must be unique when parentRefs includes "
            "2 or more references to the same parent",
        )
    ]
    other_namespace = route(parentRefs=[{"name": "gw"}, {"name": "gw", "namespace": "infra"}])
    assert check(store, other_namespace) == []


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("api", "value must be an absolute path and start with '/' when type one of"),
        ("/a//b", "must not contain '//' when type one of"),
        ("/a/../b", "must not contain '/../' when type one of"),
        ("/a%2Fb", "must not contain '%2F' when type one of"),
        ("/a/.", "must not end with '/.' when type one of"),
        ("/a b", "must only contain valid characters"),
    ],
)
def test_path_value_rules_gw_11(store: SchemaStore, value: str, message: str) -> None:
    obj = route(rules=[{"matches": [{"path": {"value": value}}]}])
    violations = check(store, obj)
    assert violations
    # The rules sit on `path` (they read its type and value): the API server names `path`.
    assert all(v.path == ("spec", "rules", 0, "matches", 0, "path") for v in violations)
    assert any(message in v.message for v in violations)


def test_regular_expression_paths_are_not_path_checked_gw_11(store: SchemaStore) -> None:
    obj = route(rules=[{"matches": [{"path": {"type": "RegularExpression", "value": "^/a.*"}}]}])
    assert check(store, obj) == []


def test_total_matches_at_most_128_and_filters_not_repeated_gw_12(store: SchemaStore) -> None:
    rules: list[dict[str, Any]] = [
        {"matches": [{"path": {"value": f"/{r}-{m}"}} for m in range(count)]}
        for r, count in enumerate((63, 64))  # 127 matches
    ]
    rules.append({"filters": [{"type": "URLRewrite", "urlRewrite": {}}] * 2})  # defaults to 1 match
    # 128 in all: the rule is `... <= 128` (its message says "less than"); allowed.
    assert _messages(check(store, route(rules=rules))) == [
        (
            ("spec", "rules", 2, "filters", 1),
            "spec.rules[2].filters: Invalid value: URLRewrite filter cannot be repeated",
        ),
    ]
    rules.append({})  # one more defaulted match: 129
    assert _messages(check(store, route(rules=rules))) == [
        (
            ("spec", "rules", 2, "filters", 1),
            "spec.rules[2].filters: Invalid value: URLRewrite filter cannot be repeated",
        ),
        (
            ("spec", "rules", 3),
            "spec.rules: Invalid value: While 16 rules and 64 matches per rule are allowed, "
            "the total number of matches across all rules in a route must be less than 128",
        ),
    ]


def test_cel_findings_reach_the_schema_rule_at_the_offending_item() -> None:
    findings = lint_text(
        """\
        apiVersion: gateway.networking.k8s.io/v1
        kind: Gateway
        metadata: {name: gateway}
        spec:
          gatewayClassName: example
          listeners:
          - {name: http, port: 80, protocol: HTTP}
          - {name: http, port: 8080, protocol: HTTP}
        """
    )
    found = only(findings, "schema")
    assert brief(found) == [("schema", 8, 5, "error")]  # the second listener
    assert "Listener name must be unique within the Gateway" in found[0].message
