"""unused-suppression (issue 24, item 3; ruff's RUF100): a comment, annotation, per-file-ignores
or baseline entry that matched nothing, with `--report-unused`; stale baseline entries are
counted in the summary either way."""

from __future__ import annotations

import shutil
from pathlib import Path

from click.testing import CliRunner

from netlint.cli import cli
from tests.helpers import FIXTURES_ROOT
from tests.rules.suppression_cli import check_json, found

RULE = "unused-suppression"
FIXTURES = FIXTURES_ROOT / RULE


def test_bad_fixture_each_unused_entry_with_report_unused() -> None:
    code, report = check_json(str(FIXTURES / "bad.yaml"), "--report-unused")
    assert code == 1
    assert found(report, RULE) == [
        (
            "bad.yaml",
            7,
            24,
            "warning",
            "annotation netlint.io/ignore of Service shop/web: service-port-name suppresses no "
            "finding",
        ),
        (
            "bad.yaml",
            12,
            21,
            "warning",
            "`# netlint: ignore[service-port-name]` suppresses no finding",
        ),
        (
            "bad.yaml",
            14,
            15,
            "warning",
            "`# netlint: ignore` suppresses no finding of the rules that ran",
        ),
    ]


def test_off_by_default() -> None:
    code, report = check_json(str(FIXTURES / "bad.yaml"))
    assert found(report, RULE) == []
    assert code == 0


def test_good_fixture_every_suppression_is_used() -> None:
    code, report = check_json(str(FIXTURES / "good.yaml"), "--report-unused")
    assert found(report, RULE) == []
    assert report["summary"]["suppressed"] == 2
    assert code == 0


def test_an_entry_whose_rules_did_not_run_is_not_judged() -> None:
    code, report = check_json(str(FIXTURES / "bad.yaml"), "--report-unused", "--select", "schema")
    # Only the bare comment is judged: schema ran, and it suppressed nothing.
    assert [f[1] for f in found(report, RULE)] == [14]
    assert code == 1


def test_a_per_file_ignores_entry_that_dropped_nothing(tmp_path: Path) -> None:
    shutil.copy(FIXTURES / "good.yaml", tmp_path / "web.yaml")
    (tmp_path / ".netlint.yaml").write_text(
        'per-file-ignores:\n  "*.yaml":\n    - schema\n    - service-selector\n'
    )
    code, report = check_json(str(tmp_path / "web.yaml"), "--report-unused")
    # The config entry that dropped nothing, and the annotation left with nothing to do, since
    # the config entry took its finding first.
    assert found(report, RULE) == [
        (".netlint.yaml", 3, 1, "warning", "per-file-ignores '*.yaml': schema drops no finding"),
        (
            "web.yaml",
            7,
            24,
            "warning",
            "annotation netlint.io/ignore of Service shop/web: service-selector-no-match "
            "suppresses no finding",
        ),
    ]
    assert code == 1


def test_stale_baseline_entries_are_counted_and_listed(tmp_path: Path) -> None:
    web = tmp_path / "web.yaml"
    web.write_text(
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  ports: [{port: 80}]\n"
    )
    baseline = tmp_path / "baseline.json"
    runner = CliRunner()
    written = runner.invoke(
        cli, ["check", str(web), "--no-cache", "--write-baseline", str(baseline)]
    )
    assert written.exit_code == 0
    assert "netlint: wrote 1 finding to baseline" in written.stderr
    web.write_text(web.read_text().replace("spec:\n", "spec:\n  selector: {app: web}\n"))

    text = runner.invoke(
        cli, ["check", str(web), "--no-cache", "--no-color", "--baseline", str(baseline)]
    )
    assert text.output.splitlines()[-1].startswith(
        "0 errors, 1 warning, 0 info; 1 file linted; 1 object; 1 baseline entry matched nothing; "
    )
    code, report = check_json(str(web), "--baseline", str(baseline), "--report-unused")
    assert report["summary"]["staleBaselineEntries"] == 1
    ((path, line, column, severity, message),) = found(report, RULE)
    assert (path, line, severity) == ("baseline.json", 6, "warning")
    entry_line = baseline.read_text().splitlines()[5]  # "fingerprint": "…",
    assert column == entry_line.index(entry_line.split('"')[3]) + 1
    assert message == (
        f"the baseline records a finding that is gone: service-no-endpoints in {web} (Service web)"
    )
    assert code == 1
