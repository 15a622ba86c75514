"""What a run skipped is said (issue 24, item 4): the summary counts it by reason, `--show-files`
lists every file with its role, `--show-settings` prints the resolved settings and their file."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.test_config_discovery import check
from tests.test_hostile_input import VALID as LONELY_SERVICE  # selects nothing: line 7, col 3


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    files = {
        ".netlint.yaml": (
            "exclude: [vendor, '*.bak.yaml']\nkube-version: '1.35'\nrender: {helm: never}\n"
        ),
        "chart/Chart.yaml": "apiVersion: v2\nname: shop\nversion: 0.1.0\n",
        "chart/templates/service.yaml": "kind: Service\nmetadata: {name: {{ .Name }}}\n",
        "k8s/service.yaml": LONELY_SERVICE,
        "k8s/old.bak.yaml": LONELY_SERVICE,
        "vendor/service.yaml": LONELY_SERVICE,
        "ci.yaml": "on: push\n",
    }
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    (tmp_path / "context").mkdir()
    (tmp_path / "context" / "deployment.yaml").write_text(
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\n", encoding="utf-8"
    )
    return tmp_path


def test_the_summary_counts_what_was_skipped_and_why(
    tree: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    code, output = check(tree, monkeypatch, "--select", "service-selector-no-match", ".")
    assert code == 1
    assert output.splitlines()[-1].startswith(
        "0 errors, 1 warning, 0 info; 2 files linted, 3 skipped (not Kubernetes input), "
        "2 excluded; Helm chart chart not rendered (render.helm is never): lint it with "
        "`helm template chart chart | netlint check -`; 2 objects; in "
    )


def test_show_files_lists_every_file_with_its_role(
    tree: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    code, output = check(tree, monkeypatch, "--show-files", "k8s", "chart", "ci.yaml", "vendor")
    assert code == 0
    assert output == (
        "chart/Chart.yaml: skipped: not Kubernetes input\n"
        "chart/templates/: skipped: Helm chart templates\n"
        "ci.yaml: skipped: not Kubernetes input\n"
        "k8s/old.bak.yaml: skipped: excluded\n"
        "k8s/service.yaml: linted\n"
        "vendor/service.yaml: skipped: excluded\n"  # named, but its folder is excluded
    )
    code, output = check(
        tree, monkeypatch, "--show-files", "k8s/service.yaml", "--context", "context"
    )
    assert (code, output) == (0, "context/deployment.yaml: context\nk8s/service.yaml: linted\n")


def test_show_settings_prints_the_resolved_settings_and_their_file(
    tree: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    code, output = check(tree / "k8s", monkeypatch, "--show-settings", "--fail-on", "error", ".")
    assert code == 0
    lines = output.splitlines()
    assert lines[0] == f"Settings path: {(tree / '.netlint.yaml').resolve()}"
    assert {
        'paths: ["."]',
        'fail-on: "error"',
        'exclude: ["vendor", "*.bak.yaml"]',
        'kube-version: "1.35"',
        'select: "default"',
        'node-port-range: "30000-32767"',
    } <= set(lines)
    code, output = check(tree / "context", monkeypatch, "--show-settings", "/")
    assert code == 0
    assert output.startswith('Settings path: none (built-in defaults)\npaths: ["/"]\n')
