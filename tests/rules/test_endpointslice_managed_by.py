"""`endpointslice-managed-by` (reference rows EPS-21..EPS-24)."""

from __future__ import annotations

from tests.helpers import brief, lint_fixture, lint_text, only

RULE = "endpointslice-managed-by"


def test_claiming_the_controller_and_merging_with_a_selector_service_eps_22_23() -> None:
    findings = lint_fixture(RULE)
    assert brief(findings) == [(RULE, 20, 45, "warning"), (RULE, 33, 33, "warning")]
    assert "EndpointSlice shop/web-manual claims endpointslice.kubernetes.io/managed-by: " in (
        findings[0].message
    )
    assert "will rewrite or delete this one" in findings[0].message
    assert "Service shop/web, which has a selector" in findings[1].message
    assert "merges these endpoints" in findings[1].message


def test_good_fixture_selectorless_service_with_own_manager_eps_24() -> None:
    assert lint_fixture(RULE, "good.yaml") == []


def test_claim_is_reported_even_for_a_selectorless_service() -> None:
    findings = lint_text(
        """\
        apiVersion: v1
        kind: Service
        metadata: {name: db}
        spec:
          ports: [{port: 5432}]
        ---
        apiVersion: discovery.k8s.io/v1
        kind: EndpointSlice
        metadata:
          name: db-1
          labels:
            kubernetes.io/service-name: db
            endpointslice.kubernetes.io/managed-by: endpointslice-controller.k8s.io
        addressType: IPv4
        ports: [{port: 5432}]
        endpoints:
        - addresses: [10.0.3.17]
        """
    )
    found = only(findings, RULE)
    assert brief(found) == [(RULE, 13, 45, "warning")]
    assert "as soon as the Service gets a selector" in found[0].message
