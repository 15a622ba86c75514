"""`deprecated-api` (reference §4 and row EP-06), for several target versions."""

from __future__ import annotations

import pytest

from netlint.api import Settings
from tests.helpers import brief, lint_fixture

RULE = "deprecated-api"


def test_removed_and_deprecated_versions_at_the_default_target() -> None:
    findings = lint_fixture(RULE)
    assert brief(findings) == [
        (RULE, 2, 13, "error"),  # extensions/v1beta1 Ingress
        (RULE, 11, 13, "error"),  # networking.k8s.io/v1beta1 Ingress
        (RULE, 24, 13, "error"),  # networking.k8s.io/v1beta1 IngressClass
        (RULE, 31, 13, "error"),  # discovery.k8s.io/v1beta1 EndpointSlice
        (RULE, 43, 13, "warning"),  # v1 Endpoints: deprecated since 1.33
        (RULE, 51, 13, "error"),  # extensions/v1beta1 Deployment
    ]
    ingress = findings[0].message
    assert "extensions/v1beta1 Ingress is no longer served since Kubernetes 1.22" in ingress
    assert "use networking.k8s.io/v1" in ingress
    for rename in (
        "spec.backend -> spec.defaultBackend",
        "serviceName -> service.name",
        "servicePort -> service.port.number",
        "service.port.name",
    ):
        assert rename in ingress
    assert "this object uses spec.backend, serviceName/servicePort" in ingress
    assert "this object uses serviceName/servicePort" in findings[1].message
    assert "no longer served since Kubernetes 1.25" in findings[3].message
    assert "-> endpoints[].nodeName" in findings[3].message
    assert "-> endpoints[].zone" in findings[3].message
    assert "v1 Endpoints is deprecated since Kubernetes 1.33" in findings[4].message
    assert "discovery.k8s.io/v1 EndpointSlice" in findings[4].message
    assert "apps/v1" in findings[5].message


def test_good_fixture_has_no_finding() -> None:
    assert lint_fixture(RULE, "good.yaml") == []


@pytest.mark.parametrize(
    ("kube_version", "expected"),
    [("1.32", None), ("1.33", "warning"), ("1.35", "warning"), ("1.37", "warning")],
)
def test_endpoints_deprecation_depends_on_the_target_version_ep_06(
    kube_version: str, expected: str | None
) -> None:
    settings = Settings(kube_version=kube_version)
    findings = lint_fixture(RULE, settings=settings)
    endpoints = [f for f in findings if f.obj and f.obj.kind == "Endpoints"]
    assert [f.severity.label for f in endpoints] == ([expected] if expected else [])


@pytest.mark.parametrize("kube_version", ["1.32", "1.34", "1.36"])
def test_removed_ingress_is_an_error_at_every_supported_version(kube_version: str) -> None:
    settings = Settings(kube_version=kube_version)
    findings = lint_fixture(RULE, settings=settings)
    ingresses = [f for f in findings if f.obj and f.obj.kind == "Ingress"]
    assert [f.severity.label for f in ingresses] == ["error", "error"]
    assert f"(target {kube_version})" in ingresses[0].message
