"""`netlint check --staged` / `--changed-since REV` through the CLI (issue 24, item 2); the real
pre-commit runs are in tests/test_precommit.py."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.test_config_discovery import check
from tests.test_precommit import SHOP, git, user_repo


@pytest.fixture
def shop(tmp_path: Path) -> Path:
    return user_repo(tmp_path / "shop", SHOP)


def test_an_uncommitted_deletion_since_head_is_the_changes(
    shop: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (shop / "k8s" / "deployment.yaml").unlink()
    code, output = check(shop, monkeypatch, "--changed-since", "HEAD")
    assert code == 1
    assert output.startswith(
        "k8s/service.yaml:6:3: warning[service-selector-no-match] Service web selects no pods"
    )
    assert "; 0 not shown (there before HEAD);" in output


def test_no_change_reports_nothing_and_counts_what_it_left_out(
    shop: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (shop / "k8s" / "service.yaml").write_text(
        (shop / "k8s" / "service.yaml").read_text().replace("targetPort: http", "targetPort: htp")
    )
    git(shop, "commit", "-q", "-am", "break the Service")
    code, output = check(shop, monkeypatch, "--staged")
    assert code == 0
    assert "0 errors, 0 warnings, 0 info;" in output
    assert "; 1 not shown (there before the staged change);" in output
    assert check(shop, monkeypatch, "--changed-since", "HEAD~1")[0] == 1


def test_a_changed_configuration_reports_every_finding(
    shop: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (shop / ".netlint.yaml").write_text("extend-select: [service-exposure]\n")
    code, output = check(shop, monkeypatch, "--changed-since", "HEAD")
    assert code == 0
    assert "; 0 not shown (there before HEAD);" in output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--changed-since", "no-such-branch"],
            "--changed-since: 'no-such-branch' is not a commit of this repository",
        ),
        (
            ["--staged", "--changed-since", "HEAD"],
            "--staged and --changed-since cannot be combined",
        ),
        (["--staged", "-"], "--staged compares files with git; stdin (-) has no history"),
        (["--staged", "--write-baseline", "b.json"], "--staged and --write-baseline cannot be"),
    ],
)
def test_usage_errors(
    shop: Path, monkeypatch: pytest.MonkeyPatch, args: list[str], message: str
) -> None:
    code, output = check(shop, monkeypatch, *args)
    assert code == 2
    assert output.startswith(f"netlint: error: {message}")
    assert output.count("\n") == 1


def test_outside_a_git_repository_is_a_usage_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    code, output = check(tmp_path, monkeypatch, "--staged")
    assert code == 2
    assert output.startswith("netlint: error: --staged: fatal: not a git repository")
