"""servicemonitor-port: a ServiceMonitor endpoint naming a port the selected Services (or their
pods) do not have."""

from __future__ import annotations

from tests.helpers import brief, lint_fixture, lint_text

RULE = "servicemonitor-port"
TARGET_HINT = "name a declared container port, or use `port` with the name of a Service port"


def test_bad_fixture() -> None:
    findings = lint_fixture(RULE, select_only=True)
    assert brief(findings) == [
        (RULE, 10, 11, "warning"),
        (RULE, 12, 17, "warning"),
        (RULE, 13, 17, "warning"),
        (RULE, 25, 11, "warning"),
    ]
    assert [(f.message, f.hint) for f in findings] == [
        (
            "ServiceMonitor shop/web endpoints[0]: port 'metrics' is the name of no port of "
            "Service shop/web (ports: http=80, http-metrics=9090); Prometheus discovers no target "
            "for this endpoint",
            "did you mean port: http-metrics? 'metrics' is the container port it targets; `port` "
            "names the Service port",
        ),
        (
            "ServiceMonitor shop/web endpoints[2]: targetPort 'prom' is no container port of the "
            "pods of Service shop/web: the containers of Deployment shop/web declare http, "
            "metrics; Prometheus discovers no target for this endpoint",
            TARGET_HINT,
        ),
        (
            "ServiceMonitor shop/web endpoints[3]: targetPort 9091 is no container port of the "
            "pods of Service shop/web: the containers of Deployment shop/web declare 8080, 9090; "
            "Prometheus discovers no target for this endpoint",
            TARGET_HINT,
        ),
        (
            "ServiceMonitor shop/api endpoints[0]: port 'metrics' is the name of no port of "
            "Service shop/api (ports: 9090); Prometheus discovers no target for this endpoint",
            "name the Service port 'metrics': an unnamed port cannot be selected by name",
        ),
    ]


def test_good_fixture() -> None:
    assert lint_fixture(RULE, "good.yaml", select_only=True) == []


def test_a_look_alike_name_is_suggested_and_several_services_are_listed() -> None:
    (finding,) = lint_text(
        """
        apiVersion: monitoring.coreos.com/v1
        kind: ServiceMonitor
        metadata: {name: web, namespace: shop}
        spec:
          selector:
            matchExpressions: [{key: app, operator: In, values: [web, api]}]
          endpoints:
          - port: metric
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: web, namespace: shop, labels: {app: web}}
        spec:
          ports: [{name: metrics, port: 9090}, {name: http, port: 80}]
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: api, namespace: shop, labels: {app: api}}
        spec:
          ports: [{name: grpc, port: 9000}]
        """,
        select=[RULE],
    )
    assert brief([finding]) == [(RULE, 9, 11, "warning")]
    assert finding.message == (
        "ServiceMonitor shop/web endpoints[0]: port 'metric' is the name of no port of Service "
        "shop/web, Service shop/api (Service shop/web: metrics=9090, http=80; Service shop/api: "
        "grpc=9000); Prometheus discovers no target for this endpoint"
    )
    assert finding.hint == "did you mean port: metrics?"


def test_one_selected_service_with_the_port_is_enough() -> None:
    assert (
        lint_text(
            """
            apiVersion: monitoring.coreos.com/v1
            kind: ServiceMonitor
            metadata: {name: web, namespace: monitoring}
            spec:
              namespaceSelector: {any: true}
              selector:
                matchLabels: {team: shop}
              endpoints: [{port: metrics}]
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: web, namespace: shop, labels: {team: shop}}
            spec:
              ports: [{name: http, port: 80}]
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: api, namespace: api, labels: {team: shop}}
            spec:
              ports: [{name: metrics, port: 9090}]
            """,
            select=[RULE],
        )
        == []
    )
