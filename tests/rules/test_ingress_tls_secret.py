"""`ingress-tls-secret` (Fact ING-22; DESIGN §4 open world)."""

from __future__ import annotations

from pathlib import Path

from netlint.api import ExternalObjects, Settings
from netlint.input.limits import Limits
from netlint.input.reading import Source
from netlint.policy.schema_checker import BundledSchemas
from netlint.run.per_file import FileStage, FindingMaker
from netlint.run.registry import load_rules
from tests.helpers import brief, lint_files, lint_fixture, lint_text, only

RULE = "ingress-tls-secret"


_INGRESS = """\
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: web}
spec:
  ingressClassName: nginx
  tls: [{hosts: [a.example.com], secretName: web-tls}]
  defaultBackend: {service: {name: web, port: {number: 80}}}
"""


def _secret(kind: str) -> str:
    return f"apiVersion: v1\nkind: Secret\nmetadata: {{name: web-tls}}\ntype: {kind}\n"


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
        _secret("Opaque") + "data: {tls.crt: Zm9v, tls.key: YmFy}\n---\n" + _INGRESS
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


def test_variants_of_the_secret_in_several_files_ing_22(tmp_path: Path) -> None:
    # One TLS variant is enough (repositories keep overlays side by side); when every variant
    # is wrong, the finding names the one in the Ingress's own file.
    (tmp_path / "app.yaml").write_text(_INGRESS + "---\n" + _secret("Opaque"))
    (tmp_path / "prod.yaml").write_text(_secret("kubernetes.io/tls"))
    assert only(lint_files([tmp_path / "app.yaml", tmp_path / "prod.yaml"]).active, RULE) == []
    (tmp_path / "prod.yaml").write_text(_secret("kubernetes.io/dockerconfigjson"))
    found = only(lint_files([tmp_path / "app.yaml", tmp_path / "prod.yaml"]).active, RULE)
    assert brief(found) == [(RULE, 6, 46, "error")]
    assert "uses Secret web-tls for TLS, but its type is 'Opaque'" in found[0].message


def test_a_tls_secret_in_the_ingress_file_settles_the_check_there() -> None:
    stage = FileStage(
        [rule for rule in load_rules().rules if rule.kinds != frozenset()],
        Settings(),
        BundledSchemas("1.37"),
        FindingMaker(frozenset([RULE]), {}),
        Limits(),
    )
    text = _INGRESS + "---\n" + _secret("kubernetes.io/tls")
    result = stage.process(Source("app.yaml", text, None), True)
    assert not [rule_ids for _, rule_ids in result.deferred if RULE in rule_ids]
    alone = stage.process(Source("app.yaml", _INGRESS, None), True)
    assert [rule_ids for _, rule_ids in alone.deferred if RULE in rule_ids]


def test_a_secret_name_the_api_server_refuses_is_one_error_and_no_lookup() -> None:
    # validateIngressTLS: a secretName that is not a Secret name (a DNS subdomain).
    text = """
    apiVersion: networking.k8s.io/v1
    kind: Ingress
    metadata: {name: web, namespace: shop}
    spec:
      tls: [{secretName: Shop_TLS}]
      defaultBackend: {service: {name: web, port: {number: 80}}}
    """
    findings = lint_text(text, select=[RULE])
    assert brief(findings) == [(RULE, 6, 22, "error")]
    assert findings[0].message.startswith(
        'Ingress shop/web is invalid: spec.tls[0].secretName: Invalid value: "Shop_TLS": a '
        "lowercase RFC 1123 subdomain"
    )
    assert findings[0].hint == (
        "a Secret name is a DNS subdomain: lowercase letters, digits, '-' and '.'"
    )
