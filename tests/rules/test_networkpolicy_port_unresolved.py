"""networkpolicy-port-unresolved: ingress ports that no container of the selected pods declares."""

from __future__ import annotations

from tests.helpers import brief, lint_fixture, lint_text

RULE = "networkpolicy-port-unresolved"
DECLARED = "(Deployment shop/web declares http/TCP 8080, dns/UDP 5353)"


def test_bad_fixture() -> None:
    findings = lint_fixture(RULE, select_only=True)
    assert brief(findings) == [
        (RULE, 11, 13, "warning"),  # a number no container declares
        (RULE, 12, 13, "warning"),  # a name no container declares
        (RULE, 13, 13, "warning"),  # a name declared for another protocol
        (RULE, 15, 13, "warning"),  # a range holding no declared port
    ]
    assert [(f.message, f.hint) for f in findings] == [
        (
            "NetworkPolicy shop/web admits port 80/TCP, but no container of the pods it selects "
            f"declares it {DECLARED}; a policy sees the pods' ports, not a Service's",
            "admit a port the containers declare (8080), or declare the port in the pod template",
        ),
        (
            "NetworkPolicy shop/web admits named port metrics/TCP, but no container of the pods "
            f"it selects declares a port named metrics {DECLARED}: the rule admits nothing on it",
            "name a port the containers declare (dns, http), or use the number",
        ),
        (
            "NetworkPolicy shop/web admits named port dns/TCP, but the containers of the pods it "
            "selects declare port dns for UDP, not TCP: the rule admits nothing on it",
            "set protocol: UDP on this port, or declare dns for both",
        ),
        (
            "NetworkPolicy shop/web admits ports 9000-9100/TCP, but no container of the pods it "
            f"selects declares it {DECLARED}; a policy sees the pods' ports, not a Service's",
            "admit a port the containers declare (8080), or declare the port in the pod template",
        ),
    ]


def test_good_fixture() -> None:
    assert lint_fixture(RULE, "good.yaml", select_only=True) == []


def test_every_selected_template_counts() -> None:
    text = """
    apiVersion: networking.k8s.io/v1
    kind: NetworkPolicy
    metadata: {name: all, namespace: shop}
    spec:
      podSelector: {}
      ingress:
      - ports: [{port: metrics}, {port: 9090}]
    ---
    apiVersion: v1
    kind: Pod
    metadata: {name: web, namespace: shop, labels: {app: web}}
    spec: {containers: [{name: web, image: nginx, ports: [{containerPort: 8080}]}]}
    ---
    apiVersion: v1
    kind: Pod
    metadata: {name: exporter, namespace: shop, labels: {app: exporter}}
    spec:
      containers:
      - {name: exporter, image: exporter, ports: [{name: metrics, containerPort: 9090}]}
    ---
    apiVersion: v1
    kind: Pod
    metadata: {name: other, namespace: elsewhere, labels: {app: web}}
    spec: {containers: [{name: web, image: nginx, ports: [{containerPort: 1}]}]}
    """
    # The empty podSelector selects both pods of shop: the exporter declares both ports.
    assert lint_text(text, select=[RULE]) == []
    renamed = text.replace("name: metrics, containerPort: 9090", "name: prom, containerPort: 9091")
    findings = lint_text(renamed, select=[RULE])
    assert brief(findings) == [(RULE, 8, 20, "warning"), (RULE, 8, 37, "warning")]
    assert "(Pod shop/web declares TCP 8080; Pod shop/exporter declares prom/TCP 9091)" in (
        findings[0].message
    )


def test_a_dead_number_beside_a_served_port_is_info() -> None:
    text = """
    apiVersion: networking.k8s.io/v1
    kind: NetworkPolicy
    metadata: {name: redis, namespace: shop}
    spec:
      podSelector: {matchLabels: {app: redis}}
      ingress:
      - ports: [{port: 6379}, {port: 26379}]
      - ports: [{port: 26379}]
    ---
    apiVersion: v1
    kind: Pod
    metadata: {name: redis, namespace: shop, labels: {app: redis}}
    spec: {containers: [{name: redis, image: redis, ports: [{containerPort: 6379}]}]}
    """
    # Beside 6379 the rule still admits what the pods serve; alone, it admits nothing of it.
    assert brief(lint_text(text, select=[RULE])) == [
        (RULE, 8, 34, "info"),
        (RULE, 9, 20, "warning"),
    ]
