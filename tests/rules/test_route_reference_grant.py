"""`route-reference-grant` (Facts GW-03, GW-09, GW-13)."""

from __future__ import annotations

from tests.helpers import brief, lint_fixture, lint_text, only

RULE = "route-reference-grant"


def test_bad_fixture_backend_and_certificate_without_grant_gw_03_gw_09() -> None:
    found = lint_fixture(RULE)
    assert brief(found) == [(RULE, 16, 18, "error"), (RULE, 49, 20, "error")]
    assert "HTTPRoute frontend/web has a backendRef to Service backend/users" in found[0].message
    assert "no ReferenceGrant in namespace backend allows HTTPRoutes of namespace frontend" in (
        found[0].message
    )
    assert found[0].hint is not None and 'to [{group: "", kind: Service, name: users}]' in (
        found[0].hint
    )
    assert "Gateway frontend/gateway has a certificateRef to Secret certs/wildcard-cert" in (
        found[1].message
    )


def test_good_fixture_grants_without_name_and_v1beta1_gw_13() -> None:
    assert lint_fixture(RULE, "good.yaml") == []


def test_a_grant_only_allows_references_into_its_own_namespace_gw_13() -> None:
    findings = lint_text(
        """\
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: web, namespace: frontend}
        spec:
          rules:
          - backendRefs: [{name: api, namespace: backend, port: 80}]
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: ReferenceGrant
        metadata: {name: misplaced, namespace: frontend}
        spec:
          from: [{group: gateway.networking.k8s.io, kind: HTTPRoute, namespace: frontend}]
          to: [{group: "", kind: Service}]
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: ReferenceGrant
        metadata: {name: for-grpc, namespace: backend}
        spec:
          from: [{group: gateway.networking.k8s.io, kind: GRPCRoute, namespace: frontend}]
          to: [{group: "", kind: Service}]
        """
    )
    assert brief(only(findings, RULE)) == [(RULE, 6, 42, "error")]
