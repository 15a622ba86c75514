"""`gateway-tls-secret` (Facts GW-09; DESIGN §4: Secrets are info when not in the input)."""

from __future__ import annotations

from netlint.api import ExternalObjects, Settings
from tests.helpers import brief, lint_fixture, lint_text, only

RULE = "gateway-tls-secret"


def test_bad_fixture_wrong_type_elsewhere_and_missing_gw_09() -> None:
    found = lint_fixture(RULE)
    assert brief(found) == [
        (RULE, 16, 15, "error"),
        (RULE, 17, 15, "error"),
        (RULE, 18, 15, "info"),
    ]
    assert (
        "uses Secret web/shop-cert as a certificate, but its type is 'Opaque'" in found[0].message
    )
    assert (
        "TLS Secret 'blog-cert' in namespace web, which is not there but exists in namespace default"
        in (found[1].message)
    )
    assert "listener 'https' (HTTPS/443, shop.example.com)" in found[2].message
    assert "web/docs-cert, which is not found in the linted files" in found[2].message


def test_good_fixture_tls_secret_cert_manager_and_granted_namespace() -> None:
    assert lint_fixture(RULE, "good.yaml") == []


def test_cert_manager_annotation_and_external_secrets() -> None:
    text = """\
        apiVersion: gateway.networking.k8s.io/v1
        kind: Gateway
        metadata:
          name: gateway
          annotations: {ANNOTATION}
        spec:
          gatewayClassName: example
          listeners:
          - name: https
            port: 443
            protocol: HTTPS
            tls: {certificateRefs: [{name: site-cert}]}
        """
    plain = text.replace("{ANNOTATION}", "{}")
    assert brief(only(lint_text(plain), RULE)) == [(RULE, 12, 36, "info")]
    shim = text.replace("{ANNOTATION}", "{cert-manager.io/cluster-issuer: letsencrypt}")
    assert only(lint_text(shim), RULE) == []
    settings = Settings(external=ExternalObjects(patterns={"secrets": ("*/site-cert",)}))
    assert only(lint_text(plain, settings=settings), RULE) == []
