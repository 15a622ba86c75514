"""service-port-name (DESIGN §5; reference SVC-04, SVC-05, SVC-06, SVC-11): `validateServicePort`'s
name checks and `ValidatePortNumOrName` for a named targetPort, in the API server's words."""

from __future__ import annotations

from tests.helpers import brief, lint_fixture, lint_text

RULE = "service-port-name"
LABEL = (
    "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and "
    "must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc')"
)


def test_bad_fixture():
    findings = lint_fixture(RULE, select_only=True)
    assert [(*place, f.message) for place, f in zip(brief(findings), findings, strict=True)] == [
        # ports[0] has no name (SVC-04): at the port item, the deepest node that exists
        (RULE, 9, 5, "error", "Service web is invalid: spec.ports[0].name: Required value"),
        # quoted "8080" is a string without a letter (SVC-11)
        (
            RULE,
            10,
            17,
            "error",
            'Service web is invalid: spec.ports[0].targetPort: Invalid value: "8080": must '
            "contain at least one letter (a-z)",
        ),
        # ports[1] has no name either: one finding per port
        (RULE, 11, 5, "error", "Service web is invalid: spec.ports[1].name: Required value"),
        # HTTP_ALT is not a DNS-1123 label (SVC-05)
        (
            RULE,
            12,
            11,
            "error",
            f'Service web is invalid: spec.ports[2].name: Invalid value: "HTTP_ALT": {LABEL}',
        ),
        # metrics twice (SVC-06)
        (
            RULE,
            16,
            11,
            "error",
            'Service web is invalid: spec.ports[4].name: Duplicate value: "metrics"',
        ),
        # targetPort name longer than 15 (SVC-11)
        (
            RULE,
            18,
            17,
            "error",
            'Service web is invalid: spec.ports[4].targetPort: Invalid value: "prometheus-metrics": '
            "must be no more than 15 characters",
        ),
    ]
    assert findings[1].hint == "a quoted number is a string: write targetPort: 8080 without quotes"
    assert findings[4].hint == "give each port its own name (spec.ports[3] has it already)"


def test_good_fixture_digits_long_dns_label_single_unnamed_port():
    assert lint_fixture(RULE, "good.yaml", select_only=True) == []


def test_an_empty_name_is_required_at_the_name():
    findings = lint_text(
        """
        apiVersion: v1
        kind: Service
        metadata: {name: web, namespace: shop}
        spec:
          selector: {app: web}
          ports:
          - {name: http, port: 80}
          - {name: "", port: 443}
        """,
        select=[RULE],
    )
    assert brief(findings) == [(RULE, 9, 12, "error")]
    assert findings[0].message == "Service shop/web is invalid: spec.ports[1].name: Required value"


def test_an_invalid_name_used_twice_is_both_invalid_and_duplicate():
    findings = lint_text(
        """
        apiVersion: v1
        kind: Service
        metadata: {name: web}
        spec:
          selector: {app: web}
          ports:
          - {name: Web, port: 80}
          - {name: Web, port: 81}
        """,
        select=[RULE],
    )
    assert brief(findings) == [
        (RULE, 8, 12, "error"),
        (RULE, 9, 12, "error"),
        (RULE, 9, 12, "error"),
    ]
    assert (
        findings[1].message == 'Service web is invalid: spec.ports[1].name: Duplicate value: "Web"'
    )


def test_iana_rules_for_string_target_port_svc_11():
    findings = lint_text(
        """
        apiVersion: v1
        kind: Service
        metadata: {name: web}
        spec:
          selector: {app: web}
          ports:
          - {name: a, port: 80, targetPort: http--alt}
          - {name: b, port: 81, targetPort: -http}
          - {name: c, port: 82, targetPort: web-1}
        """,
        select=[RULE],
    )
    assert brief(findings) == [(RULE, 8, 37, "error"), (RULE, 9, 37, "error")]
    assert findings[0].message == (
        'Service web is invalid: spec.ports[0].targetPort: Invalid value: "http--alt": must not '
        "contain consecutive hyphens"
    )
    assert findings[1].message == (
        'Service web is invalid: spec.ports[1].targetPort: Invalid value: "-http": must not begin '
        "or end with a hyphen"
    )


def test_a_service_of_another_api_group_is_not_judged():
    findings = lint_text(
        """
        apiVersion: serving.knative.dev/v1
        kind: Service
        metadata: {name: web}
        spec:
          ports:
          - {port: 80}
          - {port: 81}
        """,
        select=[RULE],
    )
    assert findings == []
