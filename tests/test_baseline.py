"""Baselines: `--write-baseline` records findings, `--baseline` reports new ones (DESIGN §7)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import pytest

from netlint.filters.baseline import baseline_filter, read_baseline, write_baseline
from netlint.filters.suppression import inline_suppressions
from netlint.run.config import ConfigError
from netlint.run.engine import RunOptions, run
from netlint.run.registry import load_rules
from netlint.run.results import FindingFilter, Report
from netlint.run.selection import Selection
from tests.helpers import schemas

RULES = load_rules()

SERVICE = """\
apiVersion: v1
kind: Service
metadata:
  name: {name}
  namespace: shop
spec:
  bogus: 1
  ports:
  - port: 80
"""


def lint(path: Path, filters: Sequence[FindingFilter] = ()) -> Report:
    options = RunOptions(
        paths=[str(path)],
        selection=Selection(select=("schema", "duplicate-object")),
        filters=filters,
        cwd=path.parent,
    )
    return run(options, RULES, schemas())


@pytest.fixture
def manifest(tmp_path: Path) -> Path:
    path = tmp_path / "web.yaml"
    path.write_text(SERVICE.format(name="web"), encoding="utf-8")
    return path


def test_written_baseline_is_readable_json(tmp_path: Path, manifest: Path) -> None:
    baseline = tmp_path / "baseline.json"
    report = lint(manifest)
    assert write_baseline(baseline, report.findings) == 1
    document = json.loads(baseline.read_text(encoding="utf-8"))
    assert document["version"] == 1
    [entry] = document["findings"]
    assert entry["rule"] == "schema"
    assert entry["path"] == "web.yaml"
    assert entry["object"] == "Service shop/web"
    assert entry["count"] == 1
    assert "spec.bogus" in entry["message"]
    assert len(entry["fingerprint"]) == 32


def test_round_trip_suppresses_every_recorded_finding(tmp_path: Path, manifest: Path) -> None:
    baseline = tmp_path / "baseline.json"
    write_baseline(baseline, lint(manifest).findings)
    report = lint(manifest, [baseline_filter(baseline)])
    assert report.active == []
    assert [(f.rule_id, f.suppression) for f in report.suppressed] == [
        ("schema", "baseline baseline.json")
    ]


def test_baseline_does_not_depend_on_line_numbers(tmp_path: Path, manifest: Path) -> None:
    baseline = tmp_path / "baseline.json"
    write_baseline(baseline, lint(manifest).findings)
    # Insert lines above the known problem: it moves, and still matches.
    manifest.write_text(
        "# a new header comment\n# and another\n"
        + SERVICE.format(name="web").replace("spec:\n", "spec:\n  type: ClusterIP\n"),
        encoding="utf-8",
    )
    report = lint(manifest, [baseline_filter(baseline)])
    assert report.active == []
    assert [f.location.line for f in report.suppressed] == [10]


def test_new_findings_are_reported(tmp_path: Path, manifest: Path) -> None:
    baseline = tmp_path / "baseline.json"
    write_baseline(baseline, lint(manifest).findings)
    manifest.write_text(
        SERVICE.format(name="web") + "---\n" + SERVICE.format(name="api"), encoding="utf-8"
    )
    report = lint(manifest, [baseline_filter(baseline)])
    assert [(f.obj and f.obj.name, f.location.line) for f in report.active] == [("api", 17)]
    assert [f.obj and f.obj.name for f in report.suppressed] == ["web"]


def test_count_semantics(tmp_path: Path, manifest: Path) -> None:
    # The same problem twice (a duplicated object): both recorded, under one fingerprint.
    twice = SERVICE.format(name="web") + "---\n" + SERVICE.format(name="web")
    manifest.write_text(twice, encoding="utf-8")
    baseline = tmp_path / "baseline.json"
    assert write_baseline(baseline, lint(manifest).findings) == 3  # 2 schema + duplicate-object
    entries = json.loads(baseline.read_text(encoding="utf-8"))["findings"]
    assert sorted((e["rule"], e["count"]) for e in entries) == [
        ("duplicate-object", 1),
        ("schema", 2),
    ]
    assert sum(read_baseline(baseline).values()) == 3

    # A third copy: two are known, the third (last in report order) is new.
    manifest.write_text(twice + "---\n" + SERVICE.format(name="web"), encoding="utf-8")
    report = lint(manifest, [baseline_filter(baseline)])
    schema_findings = [f for f in report.findings if f.rule_id == "schema"]
    assert [f.suppression is not None for f in schema_findings] == [True, True, False]
    # duplicate-object reports all the copies of a file in one finding, on the second copy:
    # a third copy is the problem the baseline already knows.
    duplicates = [f for f in report.findings if f.rule_id == "duplicate-object"]
    assert [f.suppression is not None for f in duplicates] == [True]

    # Fewer copies than recorded: nothing new, nothing left over to report.
    manifest.write_text(SERVICE.format(name="web"), encoding="utf-8")
    assert lint(manifest, [baseline_filter(baseline)]).active == []


def test_only_active_findings_are_recorded(tmp_path: Path, manifest: Path) -> None:
    manifest.write_text(
        SERVICE.format(name="web").replace("bogus: 1", "bogus: 1  # netlint: ignore[schema]"),
        encoding="utf-8",
    )
    baseline = tmp_path / "baseline.json"
    report = lint(manifest, [inline_suppressions])
    assert write_baseline(baseline, report.findings) == 0
    assert json.loads(baseline.read_text(encoding="utf-8"))["findings"] == []
    # The inline suppression keeps its own justification when the baseline applies too.
    report = lint(manifest, [inline_suppressions, baseline_filter(baseline)])
    assert [f.suppression for f in report.findings] == ["inline comment"]


def test_missing_baseline_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="baseline file not found"):
        baseline_filter(tmp_path / "nope.json")


@pytest.mark.parametrize(
    "text",
    [
        "not json",
        "[]",
        '{"version": 2, "findings": []}',
        '{"version": 1}',
        '{"version": 1, "findings": [{"count": 1}]}',
        '{"version": 1, "findings": [{"fingerprint": "x", "count": "2"}]}',
    ],
)
def test_invalid_baseline_is_a_config_error(tmp_path: Path, text: str) -> None:
    path = tmp_path / "baseline.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match="baseline"):
        baseline_filter(path)
