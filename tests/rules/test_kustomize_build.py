"""kustomize-build (issue 23, item 3): a kustomize root that the real kustomize refuses to build
is one finding at its kustomization, with kustomize's message, and its files are linted as plain
files. Needs kustomize or kubectl on PATH (`tests/test_kustomize_render.py` says why CI has it)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from netlint.run.renders import find_command
from tests.helpers import FIXTURES_ROOT
from tests.test_config_discovery import check

RULE = "kustomize-build"
FIXTURES = FIXTURES_ROOT / RULE
needs_kustomize = pytest.mark.skipif(
    find_command() is None, reason="neither kustomize nor kubectl is on PATH"
)


@needs_kustomize
def test_a_root_kustomize_cannot_build_is_one_finding_with_its_message(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copytree(FIXTURES / "bad", tmp_path / "bad")
    code, output = check(tmp_path, monkeypatch, "bad")
    lines = output.splitlines()
    assert code == 1
    assert lines[0].startswith(
        "bad/kustomization.yaml:1:1: error[kustomize-build] kustomize cannot build bad: "
        "accumulating resources: accumulation err='accumulating resources from 'ingress.yaml': "
    )
    assert "ingress.yaml: no such file or directory" in lines[0]
    assert "netlint-kustomize" not in output  # the temporary folder is never shown
    assert (
        "  help: its files are linted as plain files; fix the kustomization, then check it "
        in output
    )
    # Linted as a plain file: its Service selects nothing and nothing gives it endpoints.
    assert "bad/service.yaml:5:1: warning[service-no-endpoints] Service web has no " in output
    assert lines[-1].startswith(
        "1 error, 1 warning, 0 info; 1 file linted, 1 skipped (not Kubernetes input); "
        "kustomize root bad not rendered (kustomize build failed): linted as plain files; 1 object"
    )


@needs_kustomize
def test_a_root_kustomize_builds_has_no_finding(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copytree(FIXTURES / "good", tmp_path / "good")
    code, output = check(tmp_path, monkeypatch, "--select", RULE, "good")
    assert code == 0
    assert "1 kustomize root rendered with " in output
