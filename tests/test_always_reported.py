"""Input and tool errors cannot be deselected (issue 24, item 1): `--select`, `--ignore`,
`severity` and `fail-on` never turn `yaml-syntax`, `file-unreadable`, `internal-error` and the
other input findings off or down; `per-file-ignores` and an inline suppression still can, for a
file."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from netlint.cli import cli
from tests.helpers import FIXTURES_ROOT

BROKEN = "apiVersion: v1\nkind: Service\nmetadata: {name: web\n"
PACK = FIXTURES_ROOT / "hostile" / "raising_pack.py"


def _check(tmp_path: Path, *args: str, config: str | None = None):
    (tmp_path / "broken.yaml").write_text(BROKEN)
    if config is not None:
        (tmp_path / ".netlint.yaml").write_text(config)
    runner = CliRunner()
    return runner.invoke(
        cli,
        ["check", str(tmp_path / "broken.yaml"), "--no-color", "--no-cache", *args],
        catch_exceptions=False,
    )


@pytest.mark.parametrize(
    "args",
    [
        ("--select", "ingress"),
        ("--ignore", "yaml"),
        ("--select", "schema", "--fail-on", "error"),
    ],
    ids=["select-another-area", "ignore-a-prefix", "fail-on-error"],
)
def test_a_syntax_error_is_reported_whatever_the_selection(
    tmp_path: Path, args: tuple[str, ...]
) -> None:
    result = _check(tmp_path, *args)
    assert result.exit_code == 1, result.output
    first = result.output.splitlines()[0]
    assert first.endswith(
        "broken.yaml:4:1: error[yaml-syntax] YAML syntax error: did not find expected ',' or '}' "
        "(while parsing a flow mapping)"
    )
    assert "1 error, 0 warnings, 0 info" in result.output


def test_a_severity_entry_lowers_no_input_error(tmp_path: Path) -> None:
    result = _check(tmp_path, config="severity:\n  all: info\n")
    assert result.exit_code == 1, result.output
    assert "error[yaml-syntax]" in result.output


@pytest.mark.parametrize(
    ("args", "config", "refused"),
    [
        (("--ignore", "yaml-syntax"), None, "netlint: error: yaml-syntax is always reported"),
        ((), "ignore: [internal-error]\n", "ignore: internal-error is always reported"),
        ((), "severity:\n  file-unreadable: warning\n", "severity: file-unreadable is always"),
    ],
    ids=["ignore-flag", "ignore-key", "severity-key"],
)
def test_naming_one_to_turn_it_off_is_a_usage_error(
    tmp_path: Path, args: tuple[str, ...], config: str | None, refused: str
) -> None:
    result = _check(tmp_path, *args, config=config)
    assert result.exit_code == 2, result.output
    assert refused in result.output
    assert "per-file-ignores or `# netlint: ignore[" in result.output


def test_per_file_ignores_silence_one_for_its_files(tmp_path: Path) -> None:
    result = _check(tmp_path, config='per-file-ignores:\n  "broken.yaml": [yaml-syntax]\n')
    assert result.exit_code == 0, result.output
    assert "0 errors" in result.output


def test_a_crashing_pack_is_reported_when_only_its_rule_is_selected(tmp_path: Path) -> None:
    (tmp_path / "boom.yaml").write_text(
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: boom\n"
    )
    result = CliRunner().invoke(
        cli,
        [
            "check",
            str(tmp_path / "boom.yaml"),
            "--no-color",
            "--no-cache",
            "--rules",
            str(PACK),
            "--select",
            "test-raises",
        ],
        catch_exceptions=False,
    )
    assert result.exit_code == 1, result.output
    assert (
        "boom.yaml:1:1: error[internal-error] rule test-raises failed on ConfigMap" in result.output
    )


def test_the_catalogue_marks_them_always(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["rules"], catch_exceptions=False)
    rows = {line.split()[0]: line.split()[2] for line in result.output.splitlines()[1:]}
    always = sorted(rule for rule, default in rows.items() if default == "always")
    # The list, as README's "Configuration" documents it.
    expected = (
        "file-unreadable helm-template input-limit internal-error manifest-shape "
        "yaml-duplicate-key yaml-syntax"
    )
    assert always == expected.split()
    explained = CliRunner().invoke(cli, ["explain", "yaml-syntax"]).output
    assert (
        explained.splitlines()[0]
        == "yaml-syntax (error, always reported: no selection turns it off)"
    )
