"""`route-not-allowed` (Facts GW-08: allowedRoutes, not ReferenceGrant, governs attachment)."""

from __future__ import annotations

from netlint.api import ExternalObjects, Settings
from tests.helpers import brief, lint_fixture, lint_text, only

RULE = "route-not-allowed"


def test_bad_fixture_namespaces_kinds_selector_and_hostnames_gw_08() -> None:
    found = lint_fixture(RULE)
    assert brief(found) == [
        (RULE, 48, 11, "error"),
        (RULE, 51, 11, "error"),
        (RULE, 54, 11, "error"),
        (RULE, 65, 11, "error"),
    ]
    assert "HTTPRoute shop/web is not admitted by Gateway infra/gateway" in found[0].message
    assert "admits routes of namespace infra only (allowedRoutes.namespaces.from: Same" in (
        found[0].message
    )
    assert "listener 'tcp' (TCP/5432) is TCP, which takes TCPRoute" in found[1].message
    assert "namespace shop does not match" in found[2].message
    assert "serves docs.example.com, which none of the route's hostnames (blog.example.com)" in (
        found[3].message
    )


def test_good_fixture_all_wildcard_hostname_and_metadata_name_selector() -> None:
    assert lint_fixture(RULE, "good.yaml") == []


def test_selector_uses_external_namespace_labels() -> None:
    text = """\
        apiVersion: gateway.networking.k8s.io/v1
        kind: Gateway
        metadata: {name: gateway, namespace: infra}
        spec:
          gatewayClassName: example
          listeners:
          - name: http
            port: 80
            protocol: HTTP
            allowedRoutes:
              namespaces:
                from: Selector
                selector: {matchLabels: {gateway-access: "true"}}
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: web, namespace: shop}
        spec:
          parentRefs: [{name: gateway, namespace: infra}]
        """
    assert only(lint_text(text), RULE) == []  # shop's labels are unknown: no finding
    denied = Settings(external=ExternalObjects(namespace_labels={"shop": {"team": "shop"}}))
    assert brief(only(lint_text(text, settings=denied), RULE)) == [(RULE, 19, 23, "error")]
    allowed = Settings(
        external=ExternalObjects(namespace_labels={"shop": {"gateway-access": "true"}})
    )
    assert only(lint_text(text, settings=allowed), RULE) == []


def test_one_admitting_listener_is_enough_and_kinds_are_explicit() -> None:
    findings = lint_text(
        """\
        apiVersion: gateway.networking.k8s.io/v1
        kind: Gateway
        metadata: {name: gateway}
        spec:
          gatewayClassName: example
          listeners:
          - {name: tcp, port: 5432, protocol: TCP}
          - {name: http, port: 80, protocol: HTTP}
          - name: grpc-only
            port: 8080
            protocol: HTTP
            allowedRoutes: {kinds: [{kind: GRPCRoute}]}
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: web}
        spec:
          parentRefs: [{name: gateway}, {name: gateway, sectionName: grpc-only}]
        """
    )
    found = only(findings, RULE)
    assert brief(found) == [(RULE, 18, 40, "error")]
    assert "listener 'grpc-only' (HTTP/8080) admits only GRPCRoute" in found[0].message
