"""`ingress-snippet-annotation` (NGX-03, NGX-04, NGX-05; CVE-2021-25742, CVE-2023-5044)."""

from __future__ import annotations

from tests.helpers import brief, lint_fixture, lint_text, only

RULE = "ingress-snippet-annotation"


def test_bad_fixture_snippets_and_injection_ngx_03_05() -> None:
    found = lint_fixture(RULE)
    assert brief(found) == [
        (RULE, 8, 5, "warning"),
        (RULE, 10, 5, "warning"),
        (RULE, 11, 53, "warning"),
        (RULE, 12, 43, "warning"),
    ]
    assert "nginx.ingress.kubernetes.io/configuration-snippet" in found[0].message
    assert "CVE-2021-25742" in found[0].message
    assert "server-snippet" in found[1].message
    assert "permanent-redirect has nginx syntax characters ';', '{', '}'" in found[2].message
    assert "CVE-2023-5044" in found[2].message
    assert "app-root has characters outside" in found[3].message


def test_good_fixture_plain_values_and_other_controller() -> None:
    assert lint_fixture(RULE, "good.yaml") == []


def test_default_nginx_class_of_the_input_applies() -> None:
    findings = lint_text(
        """\
        apiVersion: networking.k8s.io/v1
        kind: IngressClass
        metadata:
          name: public
          annotations: {ingressclass.kubernetes.io/is-default-class: "true"}
        spec: {controller: k8s.io/ingress-nginx}
        ---
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata:
          name: web
          annotations: {nginx.ingress.kubernetes.io/auth-snippet: "return 200;"}
        spec:
          defaultBackend: {service: {name: web, port: {number: 80}}}
        """
    )
    assert brief(only(findings, RULE)) == [(RULE, 12, 17, "warning")]
