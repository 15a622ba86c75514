"""`route-backend-port` (Facts GW-02: the Service port, not the targetPort)."""

from __future__ import annotations

from tests.helpers import brief, lint_fixture, lint_text, only

RULE = "route-backend-port"


def test_bad_fixture_target_port_and_unknown_ports_gw_02() -> None:
    found = lint_fixture(RULE)
    assert brief(found) == [
        (RULE, 22, 13, "error"),
        (RULE, 25, 13, "error"),
        (RULE, 37, 13, "error"),
    ]
    assert "routes to port 8080 of Service web, which has no such port (ports: http=80)" in (
        found[0].message
    )
    assert (
        "8080 is the Service's targetPort (the container port) behind port 80" in found[0].message
    )
    assert found[0].hint is not None and "use port: 80" in found[0].hint
    assert "targetPort" not in found[1].message
    assert found[2].message.startswith("GRPCRoute grpc routes to port 81")


def test_good_fixture_service_ports_externalname_and_missing_services() -> None:
    assert lint_fixture(RULE, "good.yaml") == []


def test_a_variant_of_the_service_with_the_port_is_enough() -> None:
    findings = lint_text(
        """\
        apiVersion: v1
        kind: Service
        metadata: {name: web}
        spec:
          ports: [{port: 80}]
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: web}
        spec:
          ports: [{port: 8080}]
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: web}
        spec:
          rules:
          - backendRefs: [{name: web, port: 8080}]
        """
    )
    assert only(findings, RULE) == []
