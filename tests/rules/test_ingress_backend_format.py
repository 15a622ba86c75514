"""ingress-backend-format: `validateIngressBackend` (pkg/apis/networking/validation). The upstream
cases of the Ingress backends are in test_ingress_format.py with the rest of the Ingress area."""

from __future__ import annotations

from tests.helpers import brief, lint_fixture, lint_text

RULE = "ingress-backend-format"


def test_bad_fixture() -> None:
    findings = lint_fixture(RULE, select_only=True)
    assert brief(findings) == [
        (RULE, 10, 5, "error"),
        (RULE, 19, 11, "error"),
        (RULE, 23, 11, "error"),
        (RULE, 27, 27, "error"),
        (RULE, 27, 51, "error"),
        (RULE, 30, 18, "error"),
        (RULE, 34, 28, "error"),
    ]
    assert [f.message for f in findings] == [
        'Ingress shop/web is invalid: spec.defaultBackend: Invalid value: "": cannot set both '
        "resource and service backends",
        'Ingress shop/web is invalid: spec.rules[0].http.paths[0].backend: Invalid value: "": '
        "cannot set both port name & port number",
        "Ingress shop/web is invalid: spec.rules[0].http.paths[1].backend: Required value: port "
        "name or number is required",
        "Ingress shop/web is invalid: spec.rules[0].http.paths[2].backend.service.name: Invalid "
        'value: "2048-game": a DNS-1035 label must consist of lower case alphanumeric '
        "characters or '-', start with an alphabetic character, and end with an alphanumeric "
        "character (e.g. 'my-name',  or 'abc-123')",
        "Ingress shop/web is invalid: spec.rules[0].http.paths[2].backend.service.port.name: "
        'Invalid value: "http-metrics-endpoint": must be no more than 15 characters',
        'Ingress shop/web is invalid: spec.rules[0].http.paths[3].backend: Invalid value: "": '
        "resource or service backend is required",
        "Ingress shop/web is invalid: spec.rules[0].http.paths[4].backend.resource.kind: "
        "Invalid value: \"a/b\": may not contain '/'",
    ]
    assert findings[0].hint == (
        "keep one of service and resource: a backend is a Service or a resource, not both"
    )


def test_good_fixture() -> None:
    assert lint_fixture(RULE, "good.yaml", select_only=True) == []


def test_a_resource_backend_needs_kind_and_name() -> None:
    text = """
    apiVersion: networking.k8s.io/v1
    kind: Ingress
    metadata: {name: web, namespace: shop}
    spec:
      defaultBackend: {resource: {apiGroup: '', kind: '', name: '..'}}
    """
    findings = lint_text(text, select=[RULE])
    assert [f.message.split(" is invalid: ")[1] for f in findings] == [
        'spec.defaultBackend.resource.apiGroup: Invalid value: "": a lowercase RFC 1123 '
        "subdomain must consist of lower case alphanumeric characters, '-' or '.', and must "
        "start and end with an alphanumeric character (e.g. 'example.com')",
        "spec.defaultBackend.resource.kind: Required value",
        "spec.defaultBackend.resource.name: Invalid value: \"..\": may not be '..'",
    ]


def test_legacy_versions_are_deprecated_apis_not_judged_here() -> None:
    text = """
    apiVersion: networking.k8s.io/v1beta1
    kind: Ingress
    metadata: {name: web, namespace: shop}
    spec:
      backend: {serviceName: web, servicePort: http-metrics-endpoint}
    """
    assert lint_text(text, select=[RULE]) == []


def test_a_port_of_the_wrong_type_is_schemas_alone() -> None:
    text = """
    apiVersion: networking.k8s.io/v1
    kind: Ingress
    metadata: {name: web, namespace: shop}
    spec:
      defaultBackend: {service: {name: web, port: {number: "80"}}}
    """
    findings = lint_text(text, select=[RULE, "schema"])
    assert [f.rule_id for f in findings] == ["schema"]
