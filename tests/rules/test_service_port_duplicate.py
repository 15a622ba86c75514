"""service-port-duplicate (DESIGN §5; reference SVC-09, SVC-16): the duplicate-port and
duplicate-node-port parts of `ValidateService`, in the API server's words."""

from __future__ import annotations

from tests.helpers import brief, lint_fixture, lint_text

RULE = "service-port-duplicate"


def test_bad_fixture_missing_protocol_is_tcp_svc_09_svc_16():
    findings = lint_fixture(RULE, select_only=True)
    assert brief(findings) == [(RULE, 13, 5, "error"), (RULE, 19, 15, "error")]
    assert findings[0].message == (
        'Service dns is invalid: spec.ports[1]: Duplicate value: {"port":53,"protocol":"TCP"}'
    )
    assert findings[0].hint == (
        "spec.ports[0] has this port already: remove the duplicate, or use another port or protocol"
    )
    assert findings[1].message == (
        "Service dns is invalid: spec.ports[2].nodePort: Duplicate value: 30053"
    )
    assert findings[1].hint == (
        "spec.ports[0] has this nodePort already: give each port its own nodePort, or omit it "
        "to have one allocated"
    )


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
    assert findings[0].message == (
        'Service web is invalid: spec.ports[1]: Duplicate value: {"port":80,"protocol":"TCP"}'
    )


def test_a_node_port_on_tcp_and_udp_is_no_duplicate():
    findings = lint_text(
        """
        apiVersion: v1
        kind: Service
        metadata: {name: dns}
        spec:
          type: NodePort
          selector: {app: dns}
          ports:
          - {name: a, port: 53, protocol: UDP, nodePort: 30053}
          - {name: b, port: 53, protocol: TCP, nodePort: 30053}
        """,
        select=[RULE],
    )
    assert findings == []
