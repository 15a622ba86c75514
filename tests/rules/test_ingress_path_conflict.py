"""`ingress-path-conflict` (Facts ING-12, NGX-07)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from netlint._builtin.rules.ingress import ingress_path_conflict as conflict_module
from netlint._builtin.rules.ingress._ingress import is_canary
from netlint._builtin.rules.ingress.ingress_path_conflict import IngressPathConflict

from netlint.api import Diagnostic, Manifest, RuleContext, Settings
from netlint.input.loader import load_yaml
from netlint.model.inventory import Inventory
from netlint.model.manifest import objects_of
from netlint.policy.schema_checker import BundledSchemas
from tests.helpers import (
    FIXTURES_ROOT,
    brief,
    lint_files,
    lint_fixture,
    lint_text,
    only,
    positions,
)

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


def _ingress(name: str, backend: str, annotations: str = "{}") -> str:
    return (
        "apiVersion: networking.k8s.io/v1\nkind: Ingress\n"
        f"metadata: {{name: {name}, namespace: shop, annotations: {annotations}}}\n"
        "spec:\n  ingressClassName: alb\n  rules:\n  - host: shop.example.com\n    http:\n"
        f"      paths:\n      - {{path: /, pathType: Prefix, backend: {backend}}}\n"
    )


def test_one_alb_ingress_group_is_one_routing_table() -> None:
    group = "{alb.ingress.kubernetes.io/group.name: shop}"
    text = "---\n".join(
        [
            _ingress("a", "{service: {name: a, port: {number: 80}}}", group),
            _ingress("b", "{service: {name: b, port: {number: 80}}}", group),
        ]
    )
    found = only(lint_text(text, select=[RULE]), RULE)
    assert brief(found) == [(RULE, 21, 16, "error")]
    assert found[0].message == (
        "Ingress shop/b routes host 'shop.example.com' path '/' (Prefix) to Service b:80, but "
        "Ingress shop/a (line 10) already routes it to Service a:80"
    )


SERVICE = (
    "apiVersion: v1\nkind: Service\nmetadata: {name: web, namespace: shop}\n"
    "spec:\n  selector: {app: web}\n  ports:\n  - {name: http, port: 80}\n"
    "  - {name: admin, port: 9090}\n---\n"
)


def test_a_port_name_of_another_service_port_conflicts() -> None:
    text = SERVICE + "---\n".join(
        [
            _ingress("by-number", "{service: {name: web, port: {number: 80}}}"),
            _ingress("by-name", "{service: {name: web, port: {name: admin}}}"),
        ]
    )
    found = only(lint_text(text, select=[RULE]), RULE)
    assert brief(found) == [(RULE, 30, 16, "error")]
    assert found[0].message == (
        "Ingress shop/by-name routes host 'shop.example.com' path '/' (Prefix) to Service "
        "web:admin, but Ingress shop/by-number (line 19) already routes it to Service web:80"
    )


def test_a_port_name_without_its_service_in_the_input_is_not_resolved() -> None:
    # Unknown: `http` may be port 80 or not; the names differ, so the routes are two.
    text = "---\n".join(
        [
            _ingress("by-number", "{service: {name: web, port: {number: 80}}}"),
            _ingress("by-name", "{service: {name: web, port: {name: http}}}"),
        ]
    )
    assert brief(only(lint_text(text, select=[RULE]), RULE)) == [(RULE, 21, 16, "error")]


def test_two_resource_backends_conflict_by_the_object_they_name() -> None:
    bucket = "{resource: {apiGroup: k8s.example.com, kind: StorageBucket, name: %s}}"
    text = "---\n".join([_ingress("a", bucket % "one"), _ingress("b", bucket % "two")])
    found = only(lint_text(text, select=[RULE]), RULE)
    assert brief(found) == [(RULE, 21, 16, "error")]
    assert found[0].message == (
        "Ingress shop/b routes host 'shop.example.com' path '/' (Prefix) to resource "
        "StorageBucket two, but Ingress shop/a (line 10) already routes it to resource "
        "StorageBucket one"
    )


def test_across_files_the_hint_names_scopes(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(_ingress("a", "{service: {name: a, port: {number: 80}}}"))
    (tmp_path / "b.yaml").write_text(_ingress("b", "{service: {name: b, port: {number: 80}}}"))
    report = lint_files([tmp_path / "a.yaml", tmp_path / "b.yaml"], select=[RULE], cwd=tmp_path)
    found = only(report.active, RULE)
    assert brief(found) == [(RULE, 10, 16, "warning"), (RULE, 10, 16, "warning")]
    assert found[0].hint == (
        "route each host and path to one backend; if the two files are alternatives that are "
        "never applied together, declare their folders apart with config `scopes:`"
    )


# --- the grouped findings are those of comparing every pair of routes -----------------------


def _pairwise(inventory: Inventory) -> list[tuple[Manifest, Any]]:
    """The findings that comparing every route with every other route of its key gives (the
    rule's first form, O(N²)), grouped as the rule groups them: per Ingress, key and severity,
    on the first route, listing the others."""
    routes = [
        (key, route)
        for manifest in inventory.of_kind("Ingress")
        for key, route in conflict_module._routes_of(manifest, inventory)
    ]

    def conflicts(mine: Any, other: Any) -> bool:
        if other.manifest is mine.manifest:
            return other.item.item_path != mine.item.item_path and other.target != mine.target
        if other.manifest.ref == mine.manifest.ref or other.target == mine.target:
            return False
        if is_canary(mine.manifest) != is_canary(other.manifest):
            return False
        return not (mine.alb or other.alb)

    grouped: dict[tuple[int, object, bool], tuple[Any, Any, list[Any]]] = {}
    for key, mine in sorted(routes, key=lambda pair: pair[1].position()):
        others = [o for k, o in routes if k == key and conflicts(mine, o)]
        same_file = [o for o in others if o.manifest.source_path == mine.manifest.source_path]
        if same_file:
            rival = min(same_file, key=lambda o: o.position())
            if rival.position() > mine.position():
                continue
        elif others:
            rival = min(others, key=lambda o: o.position())
        else:
            continue
        group = (id(mine.manifest), key, bool(same_file))
        if group in grouped:
            grouped[group][2].append(mine)
        else:
            grouped[group] = (mine, rival, [])
    return [
        (mine.manifest, conflict_module._Conflict(mine, rival, same_file, more))
        for (_, _, same_file), (mine, rival, more) in grouped.items()
    ]


_PATHS = st.fixed_dictionaries(
    {
        "host": st.sampled_from(["a.example.com", "b.example.com"]),
        "path": st.sampled_from(["/", "/x", "/x/"]),
        "service": st.sampled_from(["s0", "s1", "s2"]),
        "alb": st.booleans(),
    }
)
_INGRESSES = st.fixed_dictionaries(
    {
        "name": st.sampled_from(["i0", "i1", "i2"]),
        "file": st.sampled_from(["f0.yaml", "f1.yaml"]),
        "canary": st.booleans(),
        "group": st.sampled_from([None, "g0", "g1"]),
        "paths": st.lists(_PATHS, min_size=1, max_size=5),
    }
)


def _ingress_text(ingress: dict[str, Any]) -> str:
    annotations = {"alb.ingress.kubernetes.io/actions.s0": "{}"}
    if ingress["canary"]:
        annotations["nginx.ingress.kubernetes.io/canary"] = "true"
    if ingress["group"] is not None:
        annotations["alb.ingress.kubernetes.io/group.name"] = ingress["group"]
    paths = [
        {
            "path": p["path"],
            "pathType": "Prefix",
            "backend": {
                "service": {
                    "name": p["service"],
                    "port": {"name": "use-annotation"} if p["alb"] else {"number": 80},
                }
            },
        }
        for p in ingress["paths"]
    ]
    rules = [
        {
            "host": host,
            "http": {
                "paths": [
                    p for p, d in zip(paths, ingress["paths"], strict=True) if d["host"] == host
                ]
            },
        }
        for host in sorted({p["host"] for p in ingress["paths"]})
    ]
    return yaml.safe_dump(
        {
            "apiVersion": "networking.k8s.io/v1",
            "kind": "Ingress",
            "metadata": {"name": ingress["name"], "namespace": "shop", "annotations": annotations},
            "spec": {"ingressClassName": "nginx", "rules": rules},
        }
    )


@settings(max_examples=200, deadline=None, derandomize=True, database=None)
@given(st.lists(_INGRESSES, min_size=1, max_size=6))
def test_grouped_findings_are_those_of_comparing_every_pair(
    ingresses: list[dict[str, Any]],
) -> None:
    texts: dict[str, list[str]] = {}
    for ingress in ingresses:
        texts.setdefault(ingress["file"], []).append(_ingress_text(ingress))
    manifests = [
        manifest
        for file, documents in sorted(texts.items())
        for manifest in objects_of(load_yaml("---\n".join(documents), file).documents).manifests
    ]
    inventory = Inventory(manifests)
    ctx = RuleContext(inventory, Settings(), BundledSchemas("1.37"))
    rule = IngressPathConflict()

    def shown(manifest: Manifest, diagnostic: Diagnostic) -> tuple[str, ...]:
        where = (manifest.source_path, str(diagnostic.path))
        return (*where, str(diagnostic.severity), diagnostic.message)

    found = sorted(shown(m, d) for m in manifests for d in rule.check(m, ctx))
    expected = sorted(
        shown(manifest, IngressPathConflict._diagnostic(manifest, conflict))
        for manifest, conflict in _pairwise(inventory)
    )
    assert found == expected


def test_many_paths_of_one_ingress_are_one_finding_listing_the_others_capped() -> None:
    # 14 paths `/` to alternating backends: one error, on the second, naming the first, and
    # the 12 later paths by position (10, then a count).
    path = "      - {path: /, pathType: Prefix, backend: {service: {name: web-%d, port: {number: 80}}}}\n"
    text = (
        "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: web, namespace: shop}\n"
        "spec:\n  ingressClassName: nginx\n  rules:\n  - host: shop.example.com\n    http:\n"
        "      paths:\n" + "".join(path % (index % 2) for index in range(14))
    )
    [finding] = only(lint_text(text), RULE)
    assert brief([finding]) == [(RULE, 11, 16, "error")]
    assert finding.message == (
        "Ingress shop/web routes host 'shop.example.com' path '/' (Prefix) to Service web-1:80, "
        "but the same Ingress (line 10) already routes it to Service web-0:80; the same host and "
        f"path conflict again at {positions('-', range(12, 22), 16)} and 2 more"
    )


def test_across_files_each_ingress_has_one_warning_listing_its_other_paths(
    tmp_path: Path,
) -> None:
    ingress = (
        "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: %s, namespace: shop}\n"
        "spec:\n  ingressClassName: nginx\n  rules:\n  - http:\n      paths:\n"
    )
    path = (
        "      - {path: /, pathType: Prefix, backend: {service: {name: %s, port: {number: 80}}}}\n"
    )
    (tmp_path / "a.yaml").write_text(ingress % "a" + path % "api" * 3)
    (tmp_path / "b.yaml").write_text(ingress % "b" + path % "blog")
    report = lint_files([tmp_path / "a.yaml", tmp_path / "b.yaml"], cwd=tmp_path)
    found = only(report.active, RULE)
    assert brief(found) == [(RULE, 9, 16, "warning"), (RULE, 9, 16, "warning")]
    assert found[0].message == (
        "Ingress shop/a routes host '*' path '/' (Prefix) to Service api:80, but Ingress shop/b "
        "in b.yaml routes it to Service blog:80; applied together, one of them wins silently; "
        "the same host and path conflict again at a.yaml:10:16, a.yaml:11:16"
    )
    assert found[1].message.startswith("Ingress shop/b routes host '*' path '/' (Prefix) to ")
    assert found[1].message.endswith(
        "Ingress shop/a in a.yaml routes it to Service api:80; applied together, one of them wins silently"
    )
