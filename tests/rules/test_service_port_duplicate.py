"""service-port-duplicate (DESIGN §5; reference SVC-09, SVC-16)."""

from __future__ import annotations

from tests.helpers import brief, lint_fixture, lint_text

RULE = "service-port-duplicate"


def test_bad_fixture_missing_protocol_is_tcp_svc_09_svc_16():
    findings = lint_fixture(RULE, select_only=True)
    assert brief(findings) == [(RULE, 13, 5, "error"), (RULE, 19, 15, "error")]
    assert "Service dns spec.ports[1]: Duplicate value: port 53/TCP" in findings[0].message
    assert "nodePort: Duplicate value: 30053/TCP" in findings[1].message


def test_good_fixture_same_port_on_tcp_and_udp():
    assert lint_fixture(RULE, "good.yaml", select_only=True) == []


def test_empty_protocol_defaults_to_tcp():
    findings = lint_text(
        """
        apiVersion: v1
        kind: Service
        metadata: {name: web}
        spec:
          selector: {app: web}
          ports:
          - {name: a, port: 80, protocol: ""}
          - {name: b, port: 80, protocol: TCP}
        """,
        select=[RULE],
    )
    assert brief(findings) == [(RULE, 9, 5, "error")]
