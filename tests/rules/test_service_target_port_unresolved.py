"""service-target-port-unresolved (DESIGN §5; reference SVC-10, SVC-11, §8 fact 5)."""

from __future__ import annotations

from tests.helpers import brief, lint_fixture, lint_text

RULE = "service-target-port-unresolved"


def test_bad_fixture():
    findings = lint_fixture(RULE, select_only=True)
    assert brief(findings) == [
        (RULE, 11, 17, "error"),  # named, no such container port name
        (RULE, 14, 17, "warning"),  # number no declared containerPort equals
        (RULE, 18, 17, "error"),  # named, but declared for TCP and the port is UDP
        (RULE, 20, 11, "warning"),  # absent targetPort means port (8081)
    ]
    assert "targetPort 'http'" in findings[0].message
    assert "declared: dns/TCP, web/TCP" in findings[0].message
    assert "Deployment web" in findings[0].message
    assert "targetPort 9100" in findings[1].message
    assert "only for TCP, not UDP" in findings[2].message
    assert "targetPort 8081" in findings[3].message


def test_good_fixture_names_protocols_zero_target_and_undeclared_ports():
    assert lint_fixture(RULE, "good.yaml", select_only=True) == []


def test_numeric_target_not_judged_when_some_selected_template_declares_no_ports():
    findings = lint_text(
        """
        apiVersion: v1
        kind: Service
        metadata: {name: web}
        spec:
          selector: {app: web}
          ports: [{port: 80, targetPort: 8080}]
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: a, labels: {app: web}}
        spec: {containers: [{name: a, image: a, ports: [{containerPort: 9090}]}]}
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: b, labels: {app: web}}
        spec: {containers: [{name: b, image: b}]}
        """,
        select=[RULE],
    )
    assert findings == []


def test_named_target_resolved_in_an_init_sidecar():
    findings = lint_text(
        """
        apiVersion: v1
        kind: Service
        metadata: {name: web}
        spec:
          selector: {app: web}
          ports: [{port: 80, targetPort: proxy}]
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: web, labels: {app: web}}
        spec:
          initContainers:
          - name: proxy
            image: envoy
            restartPolicy: Always
            ports: [{name: proxy, containerPort: 15001}]
          containers: [{name: web, image: web}]
        """,
        select=[RULE],
    )
    assert findings == []


def test_no_selected_pods_is_left_to_selector_rule():
    findings = lint_text(
        """
        apiVersion: v1
        kind: Service
        metadata: {name: web}
        spec:
          selector: {app: web}
          ports: [{port: 80, targetPort: http}]
        """,
        select=[RULE],
    )
    assert findings == []
