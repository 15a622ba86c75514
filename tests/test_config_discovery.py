"""Configuration is found from the linted files, not the working directory (issue 24, item 5)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from netlint.cli import cli
from tests.test_hostile_input import VALID as LONELY_SERVICE  # selects nothing: line 7, col 3


def check(cwd: Path, monkeypatch: pytest.MonkeyPatch, *args: str) -> tuple[int, str]:
    monkeypatch.chdir(cwd)
    result = CliRunner().invoke(cli, ["check", "--no-cache", *args], catch_exceptions=False)
    return result.exit_code, result.output


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    (tmp_path / "k8s" / "shop").mkdir(parents=True)
    (tmp_path / "k8s" / ".netlint.yaml").write_text(
        "ignore: [service-selector-no-match]\n", encoding="utf-8"
    )
    (tmp_path / "k8s" / "shop" / "service.yaml").write_text(LONELY_SERVICE, encoding="utf-8")
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "service.yaml").write_text(LONELY_SERVICE, encoding="utf-8")
    return tmp_path


def test_the_config_above_the_linted_path_applies_from_the_repository_root(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from_root = check(repo, monkeypatch, "k8s/shop")
    from_inside = check(repo / "k8s", monkeypatch, "shop")
    assert from_root[0] == from_inside[0] == 0
    assert "0 errors, 0 warnings, 0 info; 1 file linted" in from_root[1]
    assert "0 errors, 0 warnings, 0 info; 1 file linted" in from_inside[1]


def test_a_path_without_a_config_above_it_gets_the_defaults(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    code, output = check(repo / "k8s", monkeypatch, "../other")
    assert code == 1
    assert (
        "../other/service.yaml:7:3: warning[service-selector-no-match] Service shop/web" in output
    )


def test_config_flag_overrides_discovery(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (repo / "strict.yaml").write_text("select: [service-selector-no-match]\n", encoding="utf-8")
    code, output = check(repo, monkeypatch, "--config", "strict.yaml", "k8s/shop")
    assert code == 1
    assert "k8s/shop/service.yaml:7:3: warning[service-selector-no-match]" in output


def test_paths_under_two_configs_are_a_usage_error_naming_both(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    code, output = check(repo, monkeypatch, "k8s/shop", "other")
    assert code == 2
    assert output == (
        "netlint: error: k8s/shop and other have different configurations "
        "(k8s/.netlint.yaml, none); lint them in separate runs, or pass --config\n"
    )
