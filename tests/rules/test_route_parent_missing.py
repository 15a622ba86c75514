"""`route-parent-missing` (Facts GW-06; DESIGN §4 open world)."""

from __future__ import annotations

from netlint.api import ExternalObjects, Settings
from tests.helpers import brief, lint_fixture, lint_text, only

RULE = "route-parent-missing"


def test_bad_fixture_missing_gateway_section_and_port_gw_06() -> None:
    found = lint_fixture(RULE)
    assert brief(found) == [
        (RULE, 24, 11, "warning"),
        (RULE, 27, 18, "error"),
        (RULE, 30, 11, "error"),
        (RULE, 31, 11, "warning"),
    ]
    assert "attaches to Gateway shop/gateway, which is not found in the linted files" in (
        found[0].message
    )
    assert "a Gateway 'gateway' exists in namespace infra" in found[0].message
    assert "listener named 'https' of Gateway infra/gateway, which has no such listener" in (
        found[1].message
    )
    assert "listeners: 'http' (HTTP/80)" in found[1].message
    assert "listener on port 443" in found[2].message
    assert "Gateway infra/edge" in found[3].message


def test_good_fixture_listeners_found_and_mesh_parent() -> None:
    assert lint_fixture(RULE, "good.yaml") == []


def test_external_gateways_and_istio_gateways() -> None:
    settings = Settings(external=ExternalObjects(patterns={"gateways": ("*/edge", "shop/*")}))
    found = lint_fixture(RULE, settings=settings)
    assert [f.severity.label for f in found] == ["error", "error"]
    findings = lint_text(
        """\
        apiVersion: networking.istio.io/v1
        kind: Gateway
        metadata: {name: gateway}
        spec:
          servers: [{port: {number: 80, name: http, protocol: HTTP}, hosts: ["*"]}]
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: web}
        spec:
          parentRefs: [{name: gateway, sectionName: http}]
        """
    )
    assert brief(only(findings, RULE)) == [(RULE, 11, 23, "warning")]
