"""The staged set read from git (`git_changes.staged_change`): which lintable files the index
changes against HEAD, and what each held there; in a real repository."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from netlint.run.git_changes import staged_change

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")


def _git(repo: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid", *args],
        cwd=repo,
        check=True,
        capture_output=True,
    )


def _changes(repo: Path) -> list[tuple[str, str | None]]:
    found = staged_change(str(repo)).changes([])
    return [(os.path.relpath(c.path, os.path.realpath(repo)), c.old_text) for c in found]


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    root.mkdir()
    _git(root, "init", "-q")
    return root


def test_before_the_first_commit_every_staged_file_is_new(repo: Path) -> None:
    (repo / "a.yaml").write_text("a: 1\n")
    (repo / "notes.txt").write_text("not linted\n")
    _git(repo, "add", "-A")
    assert _changes(repo) == [("a.yaml", None)]


def test_modified_added_and_deleted_files_with_their_old_text(repo: Path) -> None:
    for name in ("keep.yaml", "edit.yaml", "gone.yaml", "sub/deep.yml"):
        (repo / name).parent.mkdir(exist_ok=True)
        (repo / name).write_text(f"{name}: 1\n")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", "base")
    (repo / "edit.yaml").write_text("edit.yaml: 2\n")
    (repo / "sub" / "deep.yml").write_text("deep: 2\n")  # changed, not staged
    (repo / "new.json").write_text("{}\n")
    _git(repo, "add", "edit.yaml", "new.json")
    _git(repo, "rm", "-q", "gone.yaml")
    assert _changes(repo) == [
        ("edit.yaml", "edit.yaml: 1\n"),
        ("gone.yaml", "gone.yaml: 1\n"),
        ("new.json", None),
    ]


def test_an_unmerged_file_is_changed_with_heads_text(repo: Path) -> None:
    (repo / "x.yaml").write_text("x: base\n")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", "base")
    _git(repo, "checkout", "-q", "-b", "other")
    (repo / "x.yaml").write_text("x: other\n")
    _git(repo, "commit", "-q", "-am", "other")
    _git(repo, "checkout", "-q", "-")
    (repo / "x.yaml").write_text("x: mine\n")
    _git(repo, "commit", "-q", "-am", "mine")
    subprocess.run(["git", "merge", "-q", "other"], cwd=repo, capture_output=True, check=False)
    assert _changes(repo) == [("x.yaml", "x: mine\n")]
