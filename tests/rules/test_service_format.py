"""service-format, with the other Service rules of the API server's validation (DESIGN §4 "The
API server's validation, whole"): `ValidateServiceCreate` after v1 defaulting and the
registry's create step."""

from __future__ import annotations

from netlint.api import Settings
from tests.helpers import brief, lint_fixture, lint_text

RULE = "service-format"


def test_bad_fixture() -> None:
    findings = lint_fixture(RULE, select_only=True)
    assert brief(findings) == [
        (RULE, 8, 42, "error"),
        (RULE, 11, 24, "error"),
        (RULE, 14, 32, "error"),
        (RULE, 15, 24, "error"),
        (RULE, 17, 41, "error"),
        (RULE, 25, 3, "error"),
        (RULE, 26, 22, "error"),
    ]
    prefix = (
        "prefix part a lowercase RFC 1123 subdomain must consist of lower case alphanumeric "
        "characters, '-' or '.', and must start and end with an alphanumeric character (e.g. "
        "'example.com')"
    )
    assert [(f.message, f.hint) for f in findings] == [
        (
            "Service shop/web is invalid: metadata.annotations[service.kubernetes.io/"
            'topology-mode]: Invalid value: "Auto": must match annotations[service.kubernetes.io/'
            "topology-aware-hints] when both are specified",
            "give both topology annotations the same value, or keep only topology-mode",
        ),
        (
            'Service shop/web is invalid: spec.selector: Invalid value: "tier/": name part must '
            "be non-empty",
            "selector keys are label keys ([prefix/]name, alphanumerics, '-', '_', '.'), values "
            "at most 63 such characters",
        ),
        (
            "Service shop/web is invalid: spec.sessionAffinityConfig.clientIP.timeoutSeconds: "
            "Invalid value: 86401: must be greater than 0 and less than 86400",
            "use a timeout from 1 to 86400 seconds (the default is 10800)",
        ),
        (
            'Service shop/web is invalid: spec.trafficDistribution: Unsupported value: "Nearest": '
            'supported values: "PreferClose", "PreferSameNode", "PreferSameZone"',
            "use one of the supported values, or remove the field",
        ),
        (
            'Service shop/web is invalid: spec.ports[0].appProtocol: Invalid value: "HTTP/1.1": '
            + prefix,
            "use an IANA service name (http, grpc) or a prefixed name such as example.com/proto",
        ),
        (
            "Service shop/lb is invalid: spec.ports: Required value",
            "give the Service its ports, or make it headless (`clusterIP: None`)",
        ),
        (
            "Service shop/lb is invalid: spec.loadBalancerClass: Invalid value: "
            '"Example.com/internal": ' + prefix,
            "use a prefixed name such as example.com/internal-lb",
        ),
    ]


def test_good_fixture() -> None:
    assert lint_fixture(RULE, "good.yaml") == []


def test_traffic_distribution_follows_the_kube_version() -> None:
    """PreferSameZone is accepted from 1.34 (its feature gate on by default), refused before."""
    text = (
        "apiVersion: v1\nkind: Service\nmetadata: {name: web, namespace: shop}\nspec:\n"
        "  trafficDistribution: PreferSameZone\n  ports: [{port: 80}]\n"
    )
    assert lint_text(text, select=[RULE], settings=Settings(kube_version="1.34")) == []
    findings = lint_text(text, select=[RULE], settings=Settings(kube_version="1.33"))
    assert brief(findings) == [(RULE, 5, 24, "error")]
    assert findings[0].message == (
        "Service shop/web is invalid: spec.trafficDistribution: Unsupported value: "
        '"PreferSameZone": supported values: "PreferClose"'
    )
