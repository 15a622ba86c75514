"""`ingress-path-conflict` (Facts ING-12, NGX-07)."""

from __future__ import annotations

from netlint._builtin.rules.ingress.ingress_path_conflict import IngressPathConflict

from netlint.api import RuleContext, Settings
from netlint.input.loader import load_yaml
from netlint.model.inventory import Inventory
from netlint.model.manifest import objects_of
from netlint.policy.schema_checker import BundledSchemas
from tests.helpers import FIXTURES_ROOT, brief, lint_files, lint_fixture, lint_text, only

RULE = "ingress-path-conflict"
FIXTURES = FIXTURES_ROOT / RULE


def test_bad_fixture_same_file_is_an_error_ing_12() -> None:
    found = lint_fixture(RULE)
    assert brief(found) == [(RULE, 17, 15, "error"), (RULE, 33, 15, "error")]
    assert "path '/api/' (Prefix) to Service api-v2:80, but the same Ingress (line 13)" in (
        found[0].message
    )
    assert "Ingress blog/other routes host 'shop.example.com' path '/api'" in found[1].message
    assert "Ingress shop/web (line 13) already routes it to Service api:80" in found[1].message


def test_across_files_is_a_warning_on_both() -> None:
    report = lint_files([FIXTURES / "across-a.yaml", FIXTURES / "across-b.yaml"])
    found = only(report.active, RULE)
    assert brief(found) == [(RULE, 12, 15, "warning"), (RULE, 12, 15, "warning")]
    assert "Ingress shop/web-v2 in" in found[0].message and "across-b.yaml" in found[0].message
    assert "Ingress shop/web in" in found[1].message and "across-a.yaml" in found[1].message


def test_good_fixture_canary_class_path_type_same_backend_ngx_07() -> None:
    assert lint_fixture(RULE, "good.yaml") == []


def test_two_canaries_do_conflict_ngx_07() -> None:
    findings = lint_text(
        """\
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata:
          name: a
          annotations: {nginx.ingress.kubernetes.io/canary: "true"}
        spec:
          ingressClassName: nginx
          rules:
          - http:
              paths:
              - {path: /, pathType: Prefix, backend: {service: {name: a, port: {number: 80}}}}
        ---
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata:
          name: b
          annotations: {nginx.ingress.kubernetes.io/canary: "true"}
        spec:
          ingressClassName: nginx
          rules:
          - http:
              paths:
              - {path: /, pathType: Prefix, backend: {service: {name: b, port: {number: 80}}}}
        """
    )
    assert brief(only(findings, RULE)) == [(RULE, 23, 16, "error")]


def test_an_ingress_the_inventory_lacks_is_compared_with_its_routes() -> None:
    # The engine checks the inventory's own objects, whose routes the index keeps; a caller may
    # check another object against an inventory.
    text = (FIXTURES / "bad.yaml").read_text()
    manifests = objects_of(load_yaml(text, "bad.yaml").documents).manifests
    web, other = (m for m in manifests if m.name in ("web", "other"))
    ctx = RuleContext(Inventory([web]), Settings(), BundledSchemas("1.37"))
    found = list(IngressPathConflict().check(other, ctx))
    assert [(d.path, d.message) for d in found] == [
        (
            ("spec", "rules", 0, "http", "paths", 0, "path"),
            "Ingress blog/other routes host 'shop.example.com' path '/api' (Prefix) to Service "
            "blog:80, but Ingress shop/web (line 13) already routes it to Service api:80",
        )
    ]
