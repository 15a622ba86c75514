"""Scopes (DESIGN §3, issue 23 item 2): cross-object rules join the objects of what is applied
together only: config `scopes:`, each kustomize root with what it uses, each Helm chart."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from netlint.run.renders import find_command
from tests.helpers import run_netlint

SERVICE = """\
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: web}
  ports: [{name: http, port: 80, targetPort: 8080}]
"""
DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  selector: {matchLabels: {app: LABEL}}
  template:
    metadata: {labels: {app: LABEL}}
    spec:
      containers: [{name: web, image: nginx, ports: [{containerPort: 8080}]}]
"""


def write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


def findings(root: Path, *args: str) -> list[tuple[str, str, int, str]]:
    result = run_netlint(root, "check", "--no-cache", "-f", "json", *args)
    assert result.returncode in (0, 1), result.stderr.decode()
    report = json.loads(result.stdout)
    return [(f["rule"], f["path"], f["line"], f["severity"]) for f in report["findings"]]


def environments(root: Path) -> None:
    # The same objects in two environments; dev's Deployment lost its pods' label.
    write(
        root,
        {
            "envs/dev/app.yaml": SERVICE + "---\n" + DEPLOYMENT.replace("LABEL", "api"),
            "envs/prod/app.yaml": SERVICE + "---\n" + DEPLOYMENT.replace("LABEL", "web"),
        },
    )


def test_without_scopes_prod_satisfies_dev_and_the_files_are_one_duplicate(tmp_path: Path) -> None:
    environments(tmp_path)
    found = findings(tmp_path, ".")
    assert ("service-selector-no-match", "envs/dev/app.yaml", 5, "warning") not in found
    # The Services are identical copies; the Deployments differ: one finding for the pair.
    assert [f for f in found if f[0] == "duplicate-object"] == [
        ("duplicate-object", "envs/prod/app.yaml", 10, "warning"),
    ]


def test_config_scopes_report_the_broken_dev_deployment_and_no_duplicates(tmp_path: Path) -> None:
    environments(tmp_path)
    (tmp_path / ".netlint.yaml").write_text('scopes: ["envs/*"]\n')
    assert findings(tmp_path, ".") == [
        ("service-selector-no-match", "envs/dev/app.yaml", 5, "warning")
    ]


def test_a_file_scope_is_applied_on_its_own(tmp_path: Path) -> None:
    # `kubectl apply -f FILE`, one file at a time: a glob of files gives each its own scope.
    environments(tmp_path)
    (tmp_path / ".netlint.yaml").write_text('scopes: ["envs/*/app.yaml"]\n')
    assert findings(tmp_path, ".") == [
        ("service-selector-no-match", "envs/dev/app.yaml", 5, "warning")
    ]


def test_a_scope_that_names_nothing_is_a_usage_error(tmp_path: Path) -> None:
    environments(tmp_path)
    (tmp_path / ".netlint.yaml").write_text('scopes: ["envs/qa"]\n')
    result = run_netlint(tmp_path, "check", ".")
    assert result.returncode == 2
    assert (
        result.stderr.decode()
        .strip()
        .endswith(".netlint.yaml:1: scopes: 'envs/qa' is no folder or file")
    )


PATCH = """\
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  ports: [{name: http, port: 8080}]
"""
INGRESS = """\
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: NAME}
spec:
  ingressClassName: nginx
  defaultBackend: {service: {name: SERVICE, port: {number: 80}}}
"""


def kustomize_tree(root: Path, render: str = "never") -> None:
    """A base and two overlays; linted as plain files unless `render` is `auto` (the real
    kustomize builds each overlay then: `tests/test_kustomize_render.py`)."""
    write(
        root,
        {
            ".netlint.yaml": f"render: {{kustomize: {render}}}\n",
            "base/kustomization.yaml": "resources: [service.yaml, deployment.yaml, class.yaml]\n",
            "base/class.yaml": (
                "apiVersion: networking.k8s.io/v1\nkind: IngressClass\nmetadata: {name: nginx}\n"
                "spec: {controller: k8s.io/ingress-nginx}\n"
            ),
            "base/service.yaml": SERVICE,
            "base/deployment.yaml": DEPLOYMENT.replace("LABEL", "web"),
            "overlays/dev/kustomization.yaml": (
                "namespace: dev\nresources: [../../base, ingress.yaml]\n"
                "patches: [{path: service-patch.yaml}]\n"
            ),
            "overlays/dev/service-patch.yaml": PATCH,
            "overlays/dev/ingress.yaml": INGRESS.replace("NAME", "dev").replace("SERVICE", "api"),
            "overlays/prod/kustomization.yaml": (
                "namespace: prod\nresources: [../../base, api.yaml, ingress.yaml]\n"
                "patchesStrategicMerge: [service-patch.yaml]\n"
            ),
            "overlays/prod/service-patch.yaml": PATCH,
            "overlays/prod/api.yaml": SERVICE.replace("{name: web}", "{name: api}"),
            "overlays/prod/ingress.yaml": INGRESS.replace("NAME", "prod").replace("SERVICE", "api"),
        },
    )


@pytest.mark.parametrize("render", ["never", "auto"])
def test_kustomize_overlays_are_scopes_and_patches_are_no_objects(
    tmp_path: Path, render: str
) -> None:
    if render == "auto" and find_command() is None:
        pytest.skip("neither kustomize nor kubectl is on PATH")
    kustomize_tree(tmp_path, render)
    # dev's Ingress routes to `api`, which only prod has; the base, used by both overlays, is
    # judged in each and reported once (nothing to report there); patches are never objects.
    # Built for real, each overlay's patch adds a second port named `http` (a strategic merge
    # of `ports` keys on the port number), reported at the patch that adds it.
    built = [
        ("service-port-name", f"overlays/{env}/service-patch.yaml", 5, "error")
        for env in ("dev", "prod")
    ]
    assert findings(tmp_path, ".") == [
        ("ingress-backend-service-missing", "overlays/dev/ingress.yaml", 6, "warning"),
        *(built if render == "auto" else []),
    ]
    result = run_netlint(tmp_path, "check", "--no-cache", "--show-files", ".")
    shown = result.stdout.decode()
    assert "overlays/dev/service-patch.yaml: skipped: kustomize patch" in shown


def test_an_overlay_named_alone_takes_its_base_as_context(tmp_path: Path) -> None:
    kustomize_tree(tmp_path)
    (tmp_path / "overlays/prod/ingress.yaml").write_text(
        INGRESS.replace("NAME", "prod").replace("SERVICE", "web")
    )
    # The Ingress routes to the base's Service and api.yaml selects the base's pods: kustomize
    # builds the base in, so netlint reads it as context.
    assert findings(tmp_path, "overlays/prod") == []
    shown = run_netlint(tmp_path, "check", "--no-cache", "--show-files", "overlays/prod")
    assert "base/service.yaml: context" in shown.stdout.decode()
    (tmp_path / "overlays/prod/kustomization.yaml").write_text(
        "resources: [api.yaml, ingress.yaml, ../../base/class.yaml]\n"
        "patchesStrategicMerge: [service-patch.yaml]\n"
    )
    assert findings(tmp_path, "overlays/prod") == [
        ("service-selector-no-match", "overlays/prod/api.yaml", 5, "warning"),
        ("ingress-backend-service-missing", "overlays/prod/ingress.yaml", 6, "warning"),
    ]


def test_each_helm_chart_is_a_scope(tmp_path: Path) -> None:
    chart = "apiVersion: v2\nname: NAME\nversion: 0.1.0\n"
    write(
        tmp_path,
        {
            "charts/a/Chart.yaml": chart.replace("NAME", "a"),
            "charts/a/crds/service.yaml": SERVICE,
            "charts/b/Chart.yaml": chart.replace("NAME", "b"),
            "charts/b/crds/service.yaml": SERVICE,
        },
    )
    found = findings(tmp_path, ".", "--select", "duplicate-object,service-selector-no-match")
    # The same Service in two charts is no duplicate; each chart lacks the pods it selects.
    assert found == [
        ("service-selector-no-match", "charts/a/crds/service.yaml", 5, "warning"),
        ("service-selector-no-match", "charts/b/crds/service.yaml", 5, "warning"),
    ]
