"""`unknown-kind`: `no matches for kind` for built-in groups, with a did-you-mean."""

from __future__ import annotations

import pytest

from netlint.api import Settings
from netlint.k8s import served_kinds
from netlint.model.kube_versions import SUPPORTED_KUBE_VERSIONS
from tests.helpers import brief, lint_fixture, lint_text, only

RULE = "unknown-kind"


def test_bad_fixture() -> None:
    findings = lint_fixture(RULE)
    assert brief(findings) == [
        (RULE, 3, 7, "error"),  # v1 Servce: at the kind
        (RULE, 9, 13, "error"),  # networking.k8s.io/v2 Ingress: at the apiVersion
        (RULE, 17, 7, "error"),  # apps/v1 Deploymnet
        (RULE, 22, 13, "error"),  # v1 Deployment: the kind of another group
        (RULE, 28, 13, "error"),  # rbac v1beta1, removed in 1.22
    ]
    messages = [f.message for f in findings]
    assert messages[0] == (
        'resource mapping not found for name: "web": no matches for kind "Servce" in version '
        '"v1" (no Kubernetes version from 1.32 to 1.37 serves it); did you mean kind: Service?'
    )
    assert messages[1].endswith("did you mean apiVersion: networking.k8s.io/v1?")
    assert messages[2].endswith("did you mean kind: Deployment?")
    assert messages[3].endswith("did you mean apiVersion: apps/v1?")
    assert messages[4].endswith("did you mean apiVersion: rbac.authorization.k8s.io/v1?")
    assert findings[0].hint == "use kind: Service"


def test_good_fixture() -> None:
    """Served pairs, alpha and beta ones included; custom and aggregated groups; `kind: List`."""
    assert lint_fixture(RULE, "good.yaml") == []


@pytest.mark.parametrize(("kube_version", "expected"), [("1.36", []), ("1.37", ["error"])])
def test_a_version_removed_from_the_target_is_refused(
    kube_version: str, expected: list[str]
) -> None:
    text = "apiVersion: networking.k8s.io/v1beta1\nkind: ServiceCIDR\nmetadata:\n  name: c\n"
    findings = only(lint_text(text, settings=Settings(kube_version=kube_version)), RULE)
    assert [f.severity.label for f in findings] == expected
    if findings:
        assert "(only Kubernetes 1.32 to 1.36 serves it, the target is 1.37)" in findings[0].message
        assert findings[0].message.endswith("did you mean apiVersion: networking.k8s.io/v1?")


def test_a_version_newer_than_the_target_is_refused_with_the_served_one() -> None:
    text = "apiVersion: resource.k8s.io/v1\nkind: DeviceClass\nmetadata:\n  name: gpu\n"
    findings = only(lint_text(text, settings=Settings(kube_version="1.32")), RULE)
    assert brief(findings) == [(RULE, 1, 13, "error")]
    assert "(only Kubernetes 1.34 to 1.37 serves it, the target is 1.32)" in findings[0].message
    assert findings[0].message.endswith("did you mean apiVersion: resource.k8s.io/v1beta1?")


def test_removed_versions_are_deprecated_api_s() -> None:
    text = (
        "apiVersion: extensions/v1beta1\nkind: Ingress\nmetadata:\n  name: web\n"
        "spec:\n  backend: {serviceName: web, servicePort: 80}\n"
    )
    assert [f.rule_id for f in lint_text(text) if f.severity.label == "error"] == ["deprecated-api"]


def test_a_kind_in_the_wrong_case() -> None:
    text = "apiVersion: v1\nkind: service\nmetadata:\n  name: web\n"
    (finding,) = only(lint_text(text), RULE)
    assert finding.message.endswith("did you mean kind: Service?")


def test_the_table_covers_every_supported_version_and_built_in_group() -> None:
    kinds = served_kinds()
    for version in SUPPORTED_KUBE_VERSIONS:
        minor = int(version.split(".")[1])
        for api_version, kind in [
            ("v1", "Service"),
            ("apps/v1", "Deployment"),
            ("batch/v1", "CronJob"),
            ("networking.k8s.io/v1", "NetworkPolicy"),
            ("rbac.authorization.k8s.io/v1", "ClusterRoleBinding"),
            ("apiextensions.k8s.io/v1", "CustomResourceDefinition"),
            ("admissionregistration.k8s.io/v1", "ValidatingWebhookConfiguration"),
            ("storage.k8s.io/v1", "StorageClass"),
            ("policy/v1", "PodDisruptionBudget"),
            ("autoscaling/v2", "HorizontalPodAutoscaler"),
        ]:
            assert kinds.serves(api_version, kind, minor), (version, api_version, kind)
    assert not kinds.is_builtin_group("gateway.networking.k8s.io")
    assert not kinds.is_builtin_group("metrics.k8s.io")
    assert kinds.is_builtin_group("extensions")
