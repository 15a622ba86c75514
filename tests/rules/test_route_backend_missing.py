"""`route-backend-missing` (Facts GW-01, GW-04; DESIGN §4 open world)."""

from __future__ import annotations

from netlint.api import ExternalObjects, Settings
from tests.helpers import brief, lint_fixture, lint_text, only

RULE = "route-backend-missing"


def test_bad_fixture_elsewhere_is_error_missing_is_warning_gw_04() -> None:
    found = lint_fixture(RULE)
    assert brief(found) == [
        (RULE, 12, 13, "error"),
        (RULE, 14, 13, "warning"),
        (RULE, 20, 17, "warning"),  # a requestMirror backend is a backendRef too
    ]
    assert (
        "Service 'api' in namespace shop, which is not there but exists in namespace default"
        in (found[0].message)
    )
    assert found[0].hint is not None and "namespace: default" in found[0].hint
    assert "HTTPRoute shop/web routes to Service shop/cart, which is not found" in found[1].message
    assert "Service shop/shadow" in found[2].message


def test_good_fixture_ref_namespace_and_other_backend_kinds_gw_01() -> None:
    assert lint_fixture(RULE, "good.yaml") == []


def test_external_declaration_silences_a_missing_service() -> None:
    settings = Settings(external=ExternalObjects(patterns={"services": ("shop/cart", "shadow")}))
    found = lint_fixture(RULE, settings=settings)
    assert brief(found) == [(RULE, 12, 13, "error")]


def test_every_route_kind_and_not_other_groups() -> None:
    findings = lint_text(
        """\
        apiVersion: gateway.networking.k8s.io/v1
        kind: TCPRoute
        metadata: {name: db}
        spec:
          parentRefs: [{name: gateway}]
          rules:
          - backendRefs: [{name: postgres, port: 5432}]
        ---
        apiVersion: example.com/v1
        kind: HTTPRoute
        metadata: {name: other}
        spec:
          rules:
          - backendRefs: [{name: nothing, port: 80}]
        """
    )
    assert brief(only(findings, RULE)) == [(RULE, 7, 26, "warning")]
    assert "TCPRoute db routes to Service postgres" in only(findings, RULE)[0].message
