"""The repository's own workflows and the README's copyable snippets (issue 30): each validates
against the GitHub workflow schema that check-jsonschema vendors, the release publishes with
trusted publishing on the version tag, and the snippets pin what exists (the released tag, the
current upload-sarif, the permissions it needs)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from netlint import __version__

REPO = Path(__file__).resolve().parent.parent
WORKFLOWS = REPO / ".github" / "workflows"
README = REPO / "README.md"


def _validate(path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "check_jsonschema",
            "--builtin-schema",
            "vendor.github-workflows",
            str(path),
        ],
        capture_output=True,
        text=True,
        check=False,
    )


def _load(path: Path) -> dict[Any, Any]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _yaml_blocks(first_line: str) -> list[str]:
    blocks = re.findall(r"```yaml\n(.*?)\n```", README.read_text(encoding="utf-8"), re.S)
    return [block for block in blocks if block.startswith(first_line)]


def _steps(workflow: dict[Any, Any]) -> list[dict[str, Any]]:
    return [step for job in workflow["jobs"].values() for step in job["steps"]]


@pytest.mark.parametrize("name", ["ci.yml", "release.yml"])
def test_workflow_validates_against_the_github_workflow_schema(name: str) -> None:
    result = _validate(WORKFLOWS / name)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_schema_check_can_fail(tmp_path: Path) -> None:
    broken = _load(WORKFLOWS / "ci.yml")
    broken["jobs"]["ci"]["runs-on"] = {"group": 3}
    (tmp_path / "ci.yml").write_text(yaml.safe_dump(broken), encoding="utf-8")
    assert _validate(tmp_path / "ci.yml").returncode == 1


def test_ci_runs_the_ci_script_on_every_supported_python() -> None:
    workflow = _load(WORKFLOWS / "ci.yml")
    assert set(workflow[True]) == {"push", "pull_request"}  # YAML 1.1 reads `on` as true
    matrix = workflow["jobs"]["ci"]["strategy"]["matrix"]["python-version"]
    assert matrix[0] == "3.10"  # requires-python
    assert [step.get("run") for step in _steps(workflow)][-1] == "bash .ci/run"


def test_release_publishes_the_tagged_version_with_trusted_publishing() -> None:
    workflow = _load(WORKFLOWS / "release.yml")
    assert workflow[True] == {"push": {"tags": ["v*"]}}
    build, publish = workflow["jobs"]["build"], workflow["jobs"]["publish"]
    check = " ".join(step.get("run", "") for step in build["steps"])
    assert '"$GITHUB_REF_NAME" != "v$version"' in check
    assert "twine check --strict" in check
    assert publish["needs"] == "build"
    assert publish["permissions"] == {"id-token": "write"}  # OIDC, no stored token
    assert publish["steps"][-1]["uses"] == "pypa/gh-action-pypi-publish@release/v1"
    assert "with" not in publish["steps"][-1]  # no password: trusted publishing


def test_readme_workflow_snippet_validates_and_uploads_sarif_with_its_permissions(
    tmp_path: Path,
) -> None:
    (snippet,) = _yaml_blocks("# .github/workflows/netlint.yml")
    path = tmp_path / "netlint.yml"
    path.write_text(snippet, encoding="utf-8")
    result = _validate(path)
    assert result.returncode == 0, result.stdout + result.stderr
    workflow = yaml.safe_load(snippet)
    (job,) = workflow["jobs"].values()
    assert job["permissions"] == {
        "contents": "read",
        "security-events": "write",
        "actions": "read",
    }
    uses = [step["uses"] for step in job["steps"] if "uses" in step]
    assert "github/codeql-action/upload-sarif@v4" in uses
    assert "actions/checkout@v5" in uses


def test_readme_pre_commit_rev_is_the_tag_the_release_workflow_creates() -> None:
    (snippet,) = _yaml_blocks("# .pre-commit-config.yaml")
    (repo,) = yaml.safe_load(snippet)["repos"]
    assert repo["rev"] == f"v{__version__}"
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert {hook["id"] for hook in repo["hooks"]} <= {hook["id"] for hook in hooks}


def test_readme_gitlab_ci_snippet_validates_against_the_gitlab_ci_schema(tmp_path: Path) -> None:
    (snippet,) = _yaml_blocks("netlint:\n  script:")
    path = tmp_path / ".gitlab-ci.yml"
    path.write_text(snippet, encoding="utf-8")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "check_jsonschema",
            "--builtin-schema",
            "vendor.gitlab-ci",
            str(path),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    reports = yaml.safe_load(snippet)["netlint"]["artifacts"]["reports"]
    assert reports == {"codequality": "gl-code-quality.json", "junit": "netlint-junit.xml"}
