"""`endpointslice-service` (reference rows EPS-19, EPS-24) and the issue's seed case."""

from __future__ import annotations

from netlint.api import ExternalObjects, Settings
from tests.helpers import brief, lint_fixture, lint_text, only

RULE = "endpointslice-service"


def test_missing_label_elsewhere_and_not_found_eps_19() -> None:
    findings = lint_fixture(RULE)
    assert brief(findings) == [
        (RULE, 7, 3, "warning"),  # no label: at the labels key
        (RULE, 21, 33, "error"),  # Service cache only in namespace infra
        (RULE, 34, 33, "warning"),  # Service search not in the input
    ]
    assert "EndpointSlice shop/no-label has no kubernetes.io/service-name label" in (
        findings[0].message
    )
    assert "'cache'" in findings[1].message and "namespace infra" in findings[1].message
    assert "shop/search" in findings[2].message and "not found" in findings[2].message


def test_good_fixture_has_no_finding() -> None:
    assert lint_fixture(RULE, "good.yaml") == []


def test_service_declared_external_is_found() -> None:
    settings = Settings(external=ExternalObjects(patterns={"services": ("shop/search",)}))
    findings = lint_fixture(RULE, settings=settings)
    assert [f.location.line for f in findings] == [7, 21]


def test_no_labels_at_all_points_at_metadata() -> None:
    findings = lint_text(
        """\
        apiVersion: discovery.k8s.io/v1
        kind: EndpointSlice
        metadata:
          name: db-1
        addressType: IPv4
        endpoints:
        - addresses: [10.0.3.17]
        """
    )
    assert brief(only(findings, RULE)) == [(RULE, 3, 1, "warning")]


def test_seed_case_made_up_fields_and_missing_label() -> None:
    """The issue's seed: a Service with a made-up `spec.endpointSlices`, a slice without the
    service-name label and with `ports` under an endpoint."""
    findings = lint_text(
        """\
        apiVersion: v1
        kind: Service
        metadata:
          name: web
          namespace: shop
        spec:
          endpointSlices: [web-1]
          ports:
          - port: 80
        ---
        apiVersion: discovery.k8s.io/v1
        kind: EndpointSlice
        metadata:
          name: web-1
          namespace: shop
        addressType: IPv4
        endpoints:
        - addresses: [10.0.0.1]
          ports:
          - port: 8080
        """
    )
    assert brief(findings) == [
        ("service-no-endpoints", 6, 1, "warning"),
        ("schema", 7, 3, "error"),
        ("endpointslice-service", 13, 1, "warning"),
        ("schema", 19, 3, "error"),
    ]
