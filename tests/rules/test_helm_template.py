"""helm-template (issue 23, item 4): a Helm template is reported once, as a template, instead of
as YAML syntax errors at its `{{`; other tools' placeholders in valid YAML are left alone."""

from __future__ import annotations

from pathlib import Path

import pytest

from netlint.input.helm import chart_of_template, first_action
from tests.helpers import FIXTURES_ROOT, brief, lint_files, lint_fixture, only
from tests.test_config_discovery import check

RULE = "helm-template"
FIXTURES = FIXTURES_ROOT / RULE


def test_a_template_outside_a_chart_is_one_finding_at_its_first_action() -> None:
    report = lint_files([FIXTURES / "bad.yaml"])
    assert brief(report.active) == [(RULE, 2, 1, "error")]
    (finding,) = report.active
    assert finding.message == "a Helm template, not YAML: render it first and lint what it renders"
    assert finding.hint == "helm template NAME CHART | netlint check -"
    assert (finding.location.end_line, finding.location.end_column) == (2, 34)  # past `}}`
    assert report.data.manifests == []


def test_a_named_template_of_a_chart_is_reported_even_though_it_parses(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    code, output = check(FIXTURES, monkeypatch, "bad-chart/templates/service.yaml")
    assert code == 1
    assert output.splitlines()[:4] == [
        "bad-chart/templates/service.yaml:4:10: error[helm-template] a Helm template of chart "
        "bad-chart, not YAML: render it first and lint what it renders",
        '  4 |   name: "{{ .Release.Name }}-web"',
        "    |          ^^^^^^^^^^^^^^^^^^^",
        "  help: helm template bad-chart bad-chart | netlint check -",
    ]
    # Always reported, as yaml-syntax is: no selection turns it off.
    code, output = check(FIXTURES, monkeypatch, "--select", "schema", "bad-chart/templates")
    assert code == 1
    assert "error[helm-template]" in output


def test_other_templates_in_valid_yaml_are_linted_as_yaml() -> None:
    report = lint_files([FIXTURES / "good.yaml"])
    assert only(report.active, RULE) == []
    assert [m.kind for m in report.data.manifests] == ["Workflow", "ConfigMap"]


def test_a_syntax_error_before_any_helm_action_stays_a_syntax_error() -> None:
    assert lint_fixture(RULE, "good-broken.yaml") == []
    report = lint_files([FIXTURES / "good-broken.yaml"])
    assert brief(report.active) == [("yaml-syntax", 7, 5, "error")]


def test_chart_of_template_and_first_action(tmp_path: Path) -> None:
    chart = FIXTURES / "bad-chart"
    assert chart_of_template(str(chart / "templates" / "service.yaml")) == str(chart)
    assert chart_of_template(str(chart / "templates" / "sub" / "x.yaml")) == str(chart)
    assert chart_of_template(str(chart / "Chart.yaml")) is None
    (tmp_path / "templates").mkdir()  # no Chart.yaml beside it
    assert chart_of_template(str(tmp_path / "templates" / "a.yaml")) is None
    assert first_action('# {{ .A }}\nx: {{- include "a" . }}\n') == (2, 3, 23)
    assert first_action("# {{ .A }}\n") == (1, 2, 10)  # only in a comment: still found
    assert first_action("args: ['{{inputs.parameters.x}}']\n") is None  # Argo's, not Helm's
    assert first_action("a: 1\nb: {{ .B }}\n", until_line=1) is None
