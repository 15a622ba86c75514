"""`ingress-tls-secret` (Fact ING-22; DESIGN §4 open world)."""

from __future__ import annotations

from netlint.api import ExternalObjects, Settings
from tests.helpers import brief, lint_fixture, lint_text, only

RULE = "ingress-tls-secret"


def test_bad_fixture_elsewhere_wrong_type_and_not_found_ing_22() -> None:
    found = lint_fixture(RULE)
    assert brief(found) == [
        (RULE, 25, 17, "error"),
        (RULE, 27, 17, "error"),
        (RULE, 29, 17, "info"),
    ]
    assert (
        "TLS Secret 'shop-tls', which is not in namespace shop but exists in namespace default"
        in (found[0].message)
    )
    assert "can only use Secrets of its own namespace" in found[0].message
    assert "type is 'kubernetes.io/dockerconfigjson', not 'kubernetes.io/tls'" in found[1].message
    assert "TLS Secret shop/www-tls, which is not found in the linted files" in found[2].message


def test_good_fixture_certificate_issuer_annotation_and_external() -> None:
    settings = Settings(external=ExternalObjects(patterns={"secrets": ("*/wildcard-tls",)}))
    assert lint_fixture(RULE, "good.yaml", settings=settings) == []
    # without the declaration, only the undeclared Secret is reported, as info
    found = lint_fixture(RULE, "good.yaml")
    assert brief(found) == [(RULE, 33, 17, "info")]


def test_opaque_secret_with_tls_keys_is_info() -> None:
    findings = lint_text(
        """\
        apiVersion: v1
        kind: Secret
        metadata: {name: web-tls}
        type: Opaque
        data: {tls.crt: Zm9v, tls.key: YmFy}
        ---
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata: {name: web}
        spec:
          ingressClassName: nginx
          tls: [{hosts: [a.example.com], secretName: web-tls}]
          defaultBackend: {service: {name: web, port: {number: 80}}}
        """
    )
    found = only(findings, RULE)
    assert brief(found) == [(RULE, 12, 46, "info")]
    assert "holds tls.crt and tls.key but its type is 'Opaque'" in found[0].message


def test_cert_manager_annotation_covers_a_secret_elsewhere() -> None:
    findings = lint_text(
        """\
        apiVersion: v1
        kind: Secret
        metadata: {name: web-tls, namespace: other}
        type: kubernetes.io/tls
        ---
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata:
          name: web
          annotations: {cert-manager.io/issuer: letsencrypt}
        spec:
          ingressClassName: nginx
          tls: [{hosts: [a.example.com], secretName: web-tls}]
          defaultBackend: {service: {name: web, port: {number: 80}}}
        """
    )
    assert only(findings, RULE) == []
