"""The GitLab Code Quality and JUnit reporters (issue 30, item 5): golden output for the fixed
report, the Code Quality JSON validated against the format GitLab documents, the JUnit XML read
by junitparser (a real consumer of the format, as CI dashboards are), and `--also FORMAT=FILE`."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import junitparser

from netlint.findings import Finding, Severity
from netlint.report.gitlab import render_gitlab
from netlint.report.junit import render_junit
from netlint.run.results import Report, RunData
from tests.helpers import run_netlint
from tests.report.test_reporters import check_golden, fixed_report

SCHEMA = json.loads(
    (Path(__file__).parent / "schemas" / "gitlab-codequality.schema.json").read_text("utf-8")
)


def _with_files(report: Report) -> Report:
    report.file_roles = [
        ("k8s/web.yaml", "linted"),
        ("k8s/ingress.yaml", "linted"),
        ("k8s/clean.yaml", "linted"),
        ("k8s/values.yaml", "skipped: not Kubernetes"),
        ("base/ctx.yaml", "context"),
    ]
    return report


def test_gitlab_golden() -> None:
    check_golden("report.gitlab.json", render_gitlab(fixed_report()))


def test_gitlab_report_validates_and_maps_severities() -> None:
    issues = json.loads(render_gitlab(fixed_report()))
    jsonschema.validate(issues, SCHEMA)
    active = fixed_report().active
    assert len(issues) == len(active)  # suppressed findings are left out
    mapping = {Severity.ERROR: "major", Severity.WARNING: "minor", Severity.INFO: "info"}
    assert [issue["severity"] for issue in issues] == [mapping[f.severity] for f in active]
    assert [issue["check_name"] for issue in issues] == [f.rule_id for f in active]
    assert len({issue["fingerprint"] for issue in issues}) == len(issues)  # GitLab dedups by it


def test_gitlab_schema_check_can_fail() -> None:
    issues = json.loads(render_gitlab(fixed_report()))
    issues[0]["severity"] = "error"  # not one of GitLab's five levels
    try:
        jsonschema.validate(issues, SCHEMA)
    except jsonschema.ValidationError:
        return
    raise AssertionError("the schema accepted a severity GitLab does not know")


def test_junit_golden() -> None:
    check_golden("report.junit.xml", render_junit(_with_files(fixed_report())))


def test_junit_one_testcase_per_file_and_rule_and_one_per_clean_file(tmp_path: Path) -> None:
    report = _with_files(fixed_report())
    path = tmp_path / "junit.xml"
    path.write_text(render_junit(report), encoding="utf-8")
    xml = junitparser.JUnitXml.fromfile(str(path))
    (suite,) = list(xml)
    cases = [(case.classname, case.name, bool(case.result)) for case in suite]
    expected_failing = sorted({(f.location.path, f.rule_id) for f in report.active})
    assert [(c, n) for c, n, failed in cases if failed] == expected_failing
    assert [(c, n) for c, n, failed in cases if not failed] == [("k8s/clean.yaml", "netlint")]
    assert (suite.tests, suite.failures, suite.errors) == (len(cases), len(expected_failing), 0)


def test_junit_text_holds_no_character_xml_forbids(tmp_path: Path) -> None:
    report = fixed_report()
    finding = report.active[0]
    hostile = Finding(
        finding.rule_id,
        finding.severity,
        "bell \x07 escape \x1b[31m",
        finding.location,
        finding.obj,
        finding.obj_path,
    )
    path = tmp_path / "junit.xml"
    path.write_text(render_junit(Report([hostile], report.rules, RunData())), encoding="utf-8")
    (suite,) = list(junitparser.JUnitXml.fromfile(str(path)))
    (case,) = list(suite)
    assert "\x07" not in case.result[0].text and "\x1b" not in case.result[0].text


def test_also_writes_each_format_and_creates_folders(tmp_path: Path) -> None:
    (tmp_path / "svc.yaml").write_text(
        "apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n  ports: [{port: 0}]\n",
        encoding="utf-8",
    )  # also service-no-endpoints (no selector), ignored below
    result = run_netlint(
        tmp_path,
        "check",
        "svc.yaml",
        "--ignore",
        "service-no-endpoints",
        "--also",
        "gitlab=out/quality/gl.json",
        "--also",
        "junit=out/junit.xml",
        "--sarif-file",
        "out/reports/netlint.sarif",
    )
    assert result.returncode == 1, result.stderr.decode()
    (issue,) = json.loads((tmp_path / "out/quality/gl.json").read_text("utf-8"))
    assert (issue["check_name"], issue["location"]) == (
        "service-port-range",
        {"path": "svc.yaml", "lines": {"begin": 5, "end": 5}},
    )
    (suite,) = list(junitparser.JUnitXml.fromfile(str(tmp_path / "out/junit.xml")))
    assert [(case.classname, case.name) for case in suite] == [("svc.yaml", "service-port-range")]
    assert json.loads((tmp_path / "out/reports/netlint.sarif").read_text("utf-8"))["runs"]
    assert b"error[service-port-range]" in result.stdout  # the main report is still text


def test_also_with_a_bad_entry_is_a_one_line_usage_error(tmp_path: Path) -> None:
    for entry, expected in (
        ("sarif", "--also 'sarif': expected FORMAT=FILE, e.g. --also sarif=netlint.sarif"),
        ("xml=a.xml", "--also 'xml=a.xml': unknown format 'xml'; choose from text, json, sarif"),
    ):
        result = run_netlint(tmp_path, "check", ".", "--also", entry)
        assert result.returncode == 2
        assert result.stderr.decode().startswith(f"netlint: error: {expected}")
        assert result.stderr.count(b"\n") == 1
