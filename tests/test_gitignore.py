"""`.gitignore` is honoured when walking folders and building context (issue 23, item 5): nested
ignore files, `!` re-includes, `.git/info/exclude` and git's global excludes file, as ruff
honours them; `--no-respect-gitignore` (config `respect-gitignore: false`) reads everything."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from netlint.input.gitignore import GitIgnore, excludes_file_setting
from tests.test_config_discovery import check
from tests.test_precommit import DEPLOYMENT, SERVICE  # app=web, and what selects it

CONFIGMAP = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: %s}\n"


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A git-like tree (a `.git` folder, never a git run): `rendered/` holds what
    `helm template --output-dir` wrote, a copy of the Service and the Deployment it selects."""
    home = tmp_path / "home"
    (home / ".config" / "git").mkdir(parents=True)
    (home / ".config" / "git" / "ignore").write_text("global.yaml\n", encoding="utf-8")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv("XDG_CONFIG_HOME", raising=False)
    monkeypatch.delenv("GIT_CONFIG_GLOBAL", raising=False)
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    root = tmp_path / "repo"
    files = {
        ".git/info/exclude": "# personal\nscratch.yaml\n",
        ".git/config": "[core]\n\tbare = false\n",
        ".gitignore": "rendered/\n*.local.yaml\n",
        "k8s/.gitignore": "!keep.local.yaml\n",
        "k8s/service.yaml": SERVICE,
        "k8s/a.local.yaml": CONFIGMAP % "a",
        "k8s/keep.local.yaml": CONFIGMAP % "keep",
        "k8s/scratch.yaml": CONFIGMAP % "scratch",
        "k8s/global.yaml": CONFIGMAP % "global",
        "rendered/service.yaml": SERVICE,
        "rendered/deployment.yaml": DEPLOYMENT,
    }
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    return root


def _findings(root: Path, monkeypatch: pytest.MonkeyPatch, *args: str) -> list[tuple[str, ...]]:
    code, output = check(root, monkeypatch, "-f", "json", "--exit-zero", *args)
    assert code == 0, output
    return [
        (f["rule"], f["severity"], f"{f['path']}:{f['line']}:{f['column']}")
        for f in json.loads(output)["findings"]
    ]


def test_walking_leaves_out_what_git_ignores(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    code, output = check(repo, monkeypatch, "--show-files", ".")
    assert code == 0
    assert output == (
        "k8s/a.local.yaml: skipped: gitignored\n"  # the root .gitignore
        "k8s/global.yaml: skipped: gitignored\n"  # ~/.config/git/ignore
        "k8s/keep.local.yaml: linted\n"  # re-included by k8s/.gitignore
        "k8s/scratch.yaml: skipped: gitignored\n"  # .git/info/exclude
        "k8s/service.yaml: linted\n"
        "rendered/: skipped: gitignored\n"
    )
    code, output = check(repo, monkeypatch, "--show-files", "--no-respect-gitignore", ".")
    assert code == 0
    assert "gitignored" not in output
    assert "rendered/deployment.yaml: linted\n" in output
    assert "k8s/scratch.yaml: linted\n" in output


def test_a_nested_work_tree_has_its_own_ignore_files(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A folder holding `.git` (a nested repository) starts a work tree of its own: the outer
    repository's patterns stop there, its own `.gitignore` and `info/exclude` apply."""
    nested = repo / "vendor" / "lib"
    (nested / ".git" / "info").mkdir(parents=True)
    (nested / ".git" / "info" / "exclude").write_text("own.yaml\n", encoding="utf-8")
    (nested / ".gitignore").write_text("deep/\n", encoding="utf-8")
    for name in ("a.local.yaml", "own.yaml", "deep/x.yaml", "kept.yaml"):
        (nested / name).parent.mkdir(parents=True, exist_ok=True)
        (nested / name).write_text(CONFIGMAP % name.replace("/", "-").split(".")[0])
    code, output = check(repo, monkeypatch, "--show-files", "vendor")
    assert code == 0
    assert output == (
        "vendor/lib/a.local.yaml: linted\n"  # the outer *.local.yaml stops at the nested top
        "vendor/lib/deep/: skipped: gitignored\n"  # its own .gitignore
        "vendor/lib/kept.yaml: linted\n"
        "vendor/lib/own.yaml: skipped: gitignored\n"  # its own info/exclude
    )


def test_an_ignored_copy_neither_duplicates_nor_satisfies_a_selector(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rules = ("--select", "service-selector-no-match,duplicate-object")
    assert _findings(repo, monkeypatch, *rules, ".") == [
        ("service-selector-no-match", "warning", "k8s/service.yaml:6:3"),
    ]
    # Read, the rendered Deployment satisfies the selector; its Service is an identical copy
    # of k8s/service.yaml, which is no duplicate-object.
    assert _findings(repo, monkeypatch, *rules, "--no-respect-gitignore", ".") == []


def test_ignored_files_are_no_context(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    rules = ("--select", "service-selector-no-match")
    named = ("k8s/service.yaml", "--context", ".")
    assert _findings(repo, monkeypatch, *rules, *named) == [
        ("service-selector-no-match", "warning", "k8s/service.yaml:6:3"),
    ]
    assert _findings(repo, monkeypatch, *rules, "--no-respect-gitignore", *named) == []
    (repo / ".netlint.yaml").write_text("respect-gitignore: false\n", encoding="utf-8")
    assert _findings(repo, monkeypatch, *rules, *named) == []
    code, output = check(repo, monkeypatch, "--show-settings")
    assert code == 0
    assert "respect-gitignore: false\n" in output
    # The flag beats the configuration.
    assert len(_findings(repo, monkeypatch, *rules, "--respect-gitignore", *named)) == 1


def test_a_named_file_or_folder_is_linted_even_if_ignored_unless_force_exclude(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    code, output = check(repo, monkeypatch, "--show-files", "rendered/deployment.yaml", "rendered")
    assert (code, output) == (
        0,
        "rendered/deployment.yaml: linted\nrendered/service.yaml: linted\n",
    )
    code, output = check(
        repo, monkeypatch, "--show-files", "--force-exclude", "rendered/deployment.yaml"
    )
    assert (code, output) == (0, "")
    code, output = check(repo, monkeypatch, "--show-files", "--force-exclude", "k8s/a.local.yaml")
    assert (code, output) == (0, "")
    code, output = check(
        repo, monkeypatch, "--show-files", "--force-exclude", "k8s/keep.local.yaml"
    )
    assert (code, output) == (0, "k8s/keep.local.yaml: linted\n")


def test_the_summary_does_not_count_what_git_ignores(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    code, output = check(repo, monkeypatch, "--select", "duplicate-object", ".")
    assert code == 0
    assert output.splitlines()[-1].startswith("0 errors, 0 warnings, 0 info; 2 files linted; ")


def test_outside_a_work_tree_gitignore_files_mean_nothing(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # As git and ruff: a .gitignore only applies in a repository.
    (repo / ".git" / "info" / "exclude").unlink()
    (repo / ".git" / "config").unlink()
    (repo / ".git" / "info").rmdir()
    (repo / ".git").rmdir()
    code, output = check(repo, monkeypatch, "--show-files", ".")
    assert code == 0
    assert "gitignored" not in output


def test_core_excludes_file_from_the_user_config(
    repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "home"
    (home / ".gitconfig").write_text(
        '[user]\n\tname = x\n[Core]\n\texcludesFile = "~/my ignores" ; a comment\n',
        encoding="utf-8",
    )
    (home / "my ignores").write_text("service.yaml\n", encoding="utf-8")
    code, output = check(repo, monkeypatch, "--show-files", "k8s")
    assert code == 0
    assert "k8s/service.yaml: skipped: gitignored\n" in output
    assert "k8s/global.yaml: linted\n" in output  # the default file is no longer read
    # The repository's own config wins over the user's.
    (repo / ".git" / "config").write_text("[core]\nexcludesfile = /nonexistent\n")
    code, output = check(repo, monkeypatch, "--show-files", "k8s")
    assert "k8s/service.yaml: linted\n" in output


def test_config_parsing(tmp_path: Path) -> None:
    config = tmp_path / "config"
    config.write_text(
        '[core] excludesFile = a\n[core "x"]\nexcludesFile = b\n[core]\n'
        '  ExcludesFile = "c d\\"e" # comment\n',
        encoding="utf-8",
    )
    assert excludes_file_setting(str(config)) == 'c d"e'
    config.write_text("[core] excludesFile = a\n", encoding="utf-8")
    assert excludes_file_setting(str(config)) == "a"
    assert excludes_file_setting(str(tmp_path / "missing")) is None


def test_a_linked_work_tree_reads_the_main_repository_info_exclude(tmp_path: Path) -> None:
    main = tmp_path / "main" / ".git"
    (main / "info").mkdir(parents=True)
    (main / "info" / "exclude").write_text("*.yaml\n", encoding="utf-8")
    (main / "worktrees" / "wt").mkdir(parents=True)
    (main / "worktrees" / "wt" / "commondir").write_text("../..\n", encoding="utf-8")
    tree = tmp_path / "wt"
    tree.mkdir()
    (tree / ".git").write_text(f"gitdir: {main / 'worktrees' / 'wt'}\n", encoding="utf-8")
    ignore = GitIgnore({"HOME": str(tmp_path), "GIT_CONFIG_NOSYSTEM": "1"})
    assert ignore.ignored(str(tree / "a.yaml"), False)
    assert not ignore.ignored(str(tree / "a.json"), False)
    assert not ignore.ignored(str(tmp_path / "a.yaml"), False)  # outside any work tree
