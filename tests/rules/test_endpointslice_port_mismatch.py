"""`endpointslice-port-mismatch` (reference rows EPS-20, EPS-15)."""

from __future__ import annotations

from tests.helpers import brief, lint_fixture, lint_text, only

RULE = "endpointslice-port-mismatch"


def test_slice_port_names_must_equal_service_port_names_eps_20() -> None:
    findings = lint_fixture(RULE)
    assert brief(findings) == [
        (RULE, 23, 3, "error"),  # unnamed slice port, the Service's ports are named
        (RULE, 24, 9, "error"),  # "web" is no Service port name
        (RULE, 28, 13, "error"),  # "http" but UDP
        (RULE, 52, 9, "error"),  # "postgres" for a single unnamed Service port
    ]
    assert "the unnamed port of EndpointSlice shop/api-1 matches no port name of Service " in (
        findings[0].message
    )
    assert '"http"/TCP, "metrics"/TCP' in findings[0].message
    assert 'port "web"' in findings[1].message
    assert "has protocol UDP" in findings[2].message and findings[2].hint == "set protocol: TCP"
    assert 'port "postgres"' in findings[3].message
    assert findings[3].hint is not None and 'name: ""' in findings[3].hint


def test_good_fixture_matching_names_unnamed_and_headless() -> None:
    assert lint_fixture(RULE, "good.yaml") == []


def test_service_not_in_input_is_not_judged() -> None:
    findings = lint_text(
        """\
        apiVersion: discovery.k8s.io/v1
        kind: EndpointSlice
        metadata:
          name: db-1
          labels: {kubernetes.io/service-name: db}
        addressType: IPv4
        ports:
        - {name: anything, port: 5432}
        endpoints:
        - addresses: [10.0.3.17]
        """
    )
    assert only(findings, RULE) == []
    assert [f.rule_id for f in findings] == ["endpointslice-service"]


def test_a_service_headless_through_cluster_ips_is_not_judged() -> None:
    # `clusterIPs: [None]` without `clusterIP` is headless too (SVC rows on clusterIPs).
    service = """\
        apiVersion: v1
        kind: Service
        metadata: {name: db}
        spec:
          clusterIPs: [None]
          selector: {app: db}
          ports: [{name: pg, port: 5432}]
        ---
        apiVersion: discovery.k8s.io/v1
        kind: EndpointSlice
        metadata:
          name: db-1
          labels: {kubernetes.io/service-name: db}
        addressType: IPv4
        ports:
        - {name: other, port: 5432}
        endpoints:
        - addresses: [10.0.3.17]
        """
    assert only(lint_text(service), RULE) == []
    with_ip = service.replace("clusterIPs: [None]", "clusterIPs: [10.96.0.9]")
    assert brief(only(lint_text(with_ip), RULE)) == [(RULE, 16, 10, "error")]  # "other"
