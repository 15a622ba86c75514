"""The Action's pull-request mode (issue 24, item 2): on a pull request it reports what the pull
request changes, against the merge commit's first parent, as `netlint check --changed-since`."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from netlint.integrations.github_action import ActionInputs, change_base, main
from tests.test_action import parse_output_file
from tests.test_precommit import BROKEN_SERVICE, NAMED_PORT_SERVICE, SHOP, git, user_repo

PR = {"GITHUB_EVENT_NAME": "pull_request"}
# An old, unrelated Service with findings of its own (it selects nothing).
LEGACY = BROKEN_SERVICE.replace("app: web", "app: legacy").replace("name: web", "name: legacy")


def pull_request_merge(root: Path, change: dict[str, str]) -> Path:
    """A repository whose HEAD is the merge commit GitHub makes of a pull request bringing
    `change` into main (main first, the pull request's head second)."""
    user_repo(root, {**SHOP, "legacy/service.yaml": LEGACY})
    git(root, "checkout", "-q", "-b", "feature")
    for name, text in change.items():
        (root / name).write_text(text, encoding="utf-8")
    git(root, "commit", "-q", "-am", "feature")
    git(root, "checkout", "-q", "main")
    git(root, "merge", "-q", "--no-ff", "-m", "merge", "feature")
    return root


def test_change_base_on_a_pull_request_is_the_merge_commits_first_parent(tmp_path: Path) -> None:
    root = pull_request_merge(tmp_path / "repo", {"k8s/service.yaml": NAMED_PORT_SERVICE + "\n"})
    main_tip = git(root, "rev-parse", "HEAD^1")
    base, what = change_base(ActionInputs(), PR, str(root))
    assert base == main_tip
    assert what == f"netlint: reporting what the pull request changes (base {main_tip[:12]})"


@pytest.mark.parametrize(
    ("inputs", "env", "expected"),
    [
        (ActionInputs(changed_since="all"), PR, (None, "every finding (changed-since: all)")),
        (ActionInputs(changed_since="v1.2"), PR, ("v1.2", "the change since v1.2")),
        (
            ActionInputs(),
            {"GITHUB_EVENT_NAME": "push"},
            (None, "every finding (not a pull request)"),
        ),
    ],
)
def test_change_base_from_the_input_and_the_event(
    inputs: ActionInputs, env: dict[str, str], expected: tuple[str | None, str], tmp_path: Path
) -> None:
    base, what = change_base(inputs, env, str(tmp_path))
    assert (base, what) == (expected[0], f"netlint: reporting {expected[1]}")


def test_a_pull_request_without_the_merge_commit_reports_everything_and_says_why(
    tmp_path: Path,
) -> None:
    root = user_repo(tmp_path / "repo", SHOP)
    base, what = change_base(ActionInputs(), PR, str(root))
    assert base is None
    assert what.startswith("netlint: reporting every finding, not only the pull request's: ")
    assert what.endswith("(check out with fetch-depth: 2, or set changed-since)")


def test_the_action_on_a_pull_request_reports_what_it_broke_elsewhere(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    renamed = NAMED_PORT_SERVICE.replace("- name: http", "- name: web")
    root = pull_request_merge(tmp_path / "repo", {"k8s/service.yaml": renamed})
    out, summary_file, output_file = io.StringIO(), tmp_path / "summary.md", tmp_path / "output"
    env = {
        "GITHUB_EVENT_NAME": "pull_request",
        "GITHUB_STEP_SUMMARY": str(summary_file),
        "GITHUB_OUTPUT": str(output_file),
        "RUNNER_TEMP": str(tmp_path),
    }
    monkeypatch.chdir(root)
    assert main(env, out) == 1
    assert "netlint: reporting what the pull request changes (base " in capsys.readouterr().err
    log, summary = out.getvalue(), summary_file.read_text(encoding="utf-8")
    outputs = parse_output_file(output_file.read_text(encoding="utf-8"))
    annotations = [line for line in log.splitlines() if line.startswith("::") and "=" in line]
    (annotation,) = annotations
    assert annotation.startswith(
        "::error file=k8s/ingress.yaml,line=9,col=85,endLine=9,endColumn=89,"
        "title=netlint(ingress-backend-port-mismatch)::Ingress web routes to port 'http'"
    )
    assert "legacy/service.yaml" not in log + summary  # there before the pull request
    assert outputs["errors"] == "1" and outputs["warnings"] == "0"
