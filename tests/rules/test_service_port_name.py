"""service-port-name (DESIGN §5; reference SVC-04, SVC-05, SVC-06, SVC-11)."""

from __future__ import annotations

from tests.helpers import brief, lint_fixture, lint_text

RULE = "service-port-name"


def test_bad_fixture():
    findings = lint_fixture(RULE, select_only=True)
    assert brief(findings) == [
        (RULE, 9, 5, "error"),  # ports[0] has no name (SVC-04), at the port item
        (RULE, 10, 17, "error"),  # quoted "8080" is a string without a letter (SVC-11)
        (RULE, 11, 5, "error"),  # ports[1] has no name either: one finding per port
        (RULE, 12, 11, "error"),  # HTTP_ALT is not a DNS-1123 label (SVC-05)
        (RULE, 16, 11, "error"),  # metrics twice (SVC-06)
        (RULE, 18, 17, "error"),  # targetPort name longer than 15 (SVC-11)
    ]
    messages = [f.message for f in findings]
    assert "spec.ports[0].name: Required value" in messages[0]
    assert "'8080'" in messages[1] and "at least one letter" in messages[1]
    assert findings[1].hint == "write targetPort: 8080 without quotes"
    assert "spec.ports[1].name: Required value" in messages[2]
    assert "'HTTP_ALT'" in messages[3]
    assert "Duplicate value: 'metrics'" in messages[4] and "spec.ports[3]" in messages[4]
    assert "no more than 15 characters" in messages[5]


def test_good_fixture_digits_long_dns_label_single_unnamed_port():
    assert lint_fixture(RULE, "good.yaml", select_only=True) == []


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
    assert "consecutive hyphens" in findings[0].message
    assert "begin or end with a hyphen" in findings[1].message
