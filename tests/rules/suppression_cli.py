"""Running `netlint check` with JSON output, for the suppression rules that the CLI's filters
emit (`unknown-suppression`, `unused-suppression`)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from netlint.cli import cli


def check_json(*args: str, cwd: Path | None = None) -> tuple[int, dict[str, Any]]:
    """(exit code, JSON report) of `netlint check ARGS --output-format json`."""
    runner = CliRunner()
    argv = ["check", *args, "--output-format", "json", "--no-cache"]
    if cwd is None:
        result = runner.invoke(cli, argv, catch_exceptions=False)
    else:
        with runner.isolated_filesystem(temp_dir=cwd):
            result = runner.invoke(cli, argv, catch_exceptions=False)
    return result.exit_code, json.loads(result.stdout)


def found(report: dict[str, Any], rule: str) -> list[tuple[str, int, int, str, str]]:
    """(path name, line, column, severity, message) of the report's active findings of `rule`."""
    return [
        (Path(f["path"]).name, f["line"], f["column"], f["severity"], f["message"])
        for f in report["findings"]
        if f["rule"] == rule and f["suppressed"] is None
    ]
