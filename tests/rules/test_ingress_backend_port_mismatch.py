"""`ingress-backend-port-mismatch` (Facts ING-15..ING-18)."""

from __future__ import annotations

from tests.helpers import brief, lint_fixture, lint_text, only

RULE = "ingress-backend-port-mismatch"


def test_bad_fixture_target_port_unknown_name_long_name_ing_17_18() -> None:
    found = lint_fixture(RULE)
    assert brief(found) == [
        (RULE, 26, 47, "error"),
        (RULE, 30, 45, "error"),
        (RULE, 44, 18, "error"),
    ]
    assert (
        "port 8080 of Service shop/web, which has no such port (ports: http=80)" in found[0].message
    )
    assert "8080 is the Service's targetPort" in found[0].message
    assert found[0].hint is not None and "use port number 80" in found[0].hint
    assert "port 'https' of Service shop/web, which has no port of that name" in found[1].message
    # 'http-metrics-endpoint' (line 34) is not a port name the API server accepts: that is
    # ingress-backend-format's finding, not a second one here.
    assert "Ingress shop/legacy routes to port 8080" in found[2].message


def test_good_fixture_number_name_and_legacy_service_port() -> None:
    assert lint_fixture(RULE, "good.yaml") == []


def test_a_copy_of_the_service_in_the_same_file_wins() -> None:
    """Variants of one Service in several files: no finding while one copy has the port."""
    findings = lint_text(
        """\
        apiVersion: v1
        kind: Service
        metadata: {name: web}
        spec: {ports: [{port: 8080}]}
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: web}
        spec: {ports: [{port: 80}]}
        ---
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata: {name: web}
        spec:
          ingressClassName: nginx
          defaultBackend: {service: {name: web, port: {number: 80}}}
        """
    )
    assert only(findings, RULE) == []


def test_missing_service_is_left_to_the_missing_rule() -> None:
    findings = lint_text(
        """\
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata: {name: web}
        spec:
          ingressClassName: nginx
          defaultBackend: {service: {name: web, port: {number: 80}}}
        """
    )
    assert only(findings, RULE) == []


def test_a_port_item_that_is_not_a_mapping_is_left_to_schema() -> None:
    # `ports: [8080, ...]` is the schema rule's finding; the listing names only real ports.
    findings = lint_text(
        """\
        apiVersion: v1
        kind: Service
        metadata: {name: web}
        spec:
          selector: {app: web}
          ports: [8080, {name: http, port: 81}]
        ---
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata: {name: web}
        spec:
          ingressClassName: nginx
          defaultBackend:
            service: {name: web, port: {number: 8081}}
        """
    )
    (found,) = only(findings, RULE)
    assert brief([found]) == [(RULE, 14, 41, "error")]
    assert found.message == (
        "Ingress web routes to port 8081 of Service web, which has no such port (ports: http=81)"
    )
