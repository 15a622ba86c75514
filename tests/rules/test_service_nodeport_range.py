"""service-nodeport-range (DESIGN §5; reference SVC-17, SVC-23)."""

from __future__ import annotations

from netlint.api import Settings
from tests.helpers import brief, lint_fixture, lint_text

RULE = "service-nodeport-range"


def test_bad_fixture_nodeport_8080_and_health_check_port_svc_17():
    findings = lint_fixture(RULE, select_only=True)
    assert brief(findings) == [
        (RULE, 12, 15, "error"),
        (RULE, 15, 15, "error"),
        (RULE, 24, 24, "error"),
    ]
    assert "nodePort 8080: provided port is not in the valid range" in findings[0].message
    assert "The range of valid ports is 30000-32767" in findings[0].message
    assert "Service web" in findings[0].message
    assert "healthCheckNodePort 10256" in findings[2].message


def test_good_fixture_range_ends_and_auto_allocation():
    assert lint_fixture(RULE, "good.yaml", select_only=True) == []


def test_configured_range():
    text = """
        apiVersion: v1
        kind: Service
        metadata: {name: web}
        spec:
          type: NodePort
          selector: {app: web}
          ports: [{port: 80, nodePort: 8080}, {name: b, port: 81, nodePort: 30000}]
        """
    findings = lint_text(text, select=[RULE], settings=Settings(node_port_range=(8000, 9000)))
    assert brief(findings) == [(RULE, 8, 69, "error")]
    assert "The range of valid ports is 8000-9000" in findings[0].message


def test_nodeport_on_clusterip_is_left_to_type_fields():
    findings = lint_text(
        """
        apiVersion: v1
        kind: Service
        metadata: {name: web}
        spec:
          selector: {app: web}
          ports: [{port: 80, nodePort: 80}]
        """,
        select=[RULE],
    )
    assert findings == []
