"""podmonitor-port: a PodMonitor endpoint naming a port no container of the selected pods
declares."""

from __future__ import annotations

from tests.helpers import brief, lint_fixture, lint_text

RULE = "podmonitor-port"
HINT = "use a port the containers declare, or declare it in the container's ports"
TAIL = "Prometheus discovers no target for this endpoint"


def test_bad_fixture() -> None:
    findings = lint_fixture(RULE, select_only=True)
    assert brief(findings) == [
        (RULE, 10, 11, "warning"),
        (RULE, 11, 17, "warning"),
        (RULE, 12, 17, "warning"),
        (RULE, 13, 17, "warning"),
    ]
    names = "the containers of Deployment shop/web declare http, metrics"
    numbers = "the containers of Deployment shop/web declare 8080, 9090"
    assert [(f.message, f.hint) for f in findings] == [
        (
            f"PodMonitor shop/web podMetricsEndpoints[0]: port 'metric' is no container port of "
            f"the selected pods: {names}; {TAIL}",
            "did you mean port: metrics?",
        ),
        (
            f"PodMonitor shop/web podMetricsEndpoints[1]: portNumber 9091 is no container port "
            f"of the selected pods: {numbers}; {TAIL}",
            HINT,
        ),
        (
            f"PodMonitor shop/web podMetricsEndpoints[2]: targetPort 'prom' is no container port "
            f"of the selected pods: {names}; {TAIL}",
            HINT,
        ),
        (
            f"PodMonitor shop/web podMetricsEndpoints[3]: targetPort 9092 is no container port "
            f"of the selected pods: {numbers}; {TAIL}",
            HINT,
        ),
    ]


def test_good_fixture() -> None:
    assert lint_fixture(RULE, "good.yaml", select_only=True) == []


def test_containers_without_ports_declare_none() -> None:
    # Prometheus keeps a pod target only for a declared container port.
    (finding,) = lint_text(
        """
        apiVersion: monitoring.coreos.com/v1
        kind: PodMonitor
        metadata: {name: web, namespace: shop}
        spec:
          selector:
            matchLabels: {app: web}
          podMetricsEndpoints:
          - portNumber: 9090
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: web, namespace: shop, labels: {app: web}}
        spec:
          containers: [{name: web, image: nginx}]
        """,
        select=[RULE],
    )
    assert brief([finding]) == [(RULE, 9, 17, "warning")]
    assert finding.message == (
        "PodMonitor shop/web podMetricsEndpoints[0]: portNumber 9090 is no container port of the "
        f"selected pods: the containers of Pod shop/web declare no ports; {TAIL}"
    )
