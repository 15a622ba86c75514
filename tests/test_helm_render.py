"""Helm charts in walked folders (issue 23, item 4): rendered with the real `helm template` when
helm is on PATH and `render.helm` is `auto`, findings moved to their template through the
`# Source:` comments; otherwise the summary (and the JSON and SARIF reports) names each chart
and the command that lints it."""

from __future__ import annotations

import json
import shutil
import textwrap
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from netlint.filters.helm_sources import map_helm_sources
from netlint.findings import Finding, Location, Severity
from netlint.input.source_texts import SourceTexts
from netlint.run.results import RunData
from tests.test_config_discovery import check
from tests.test_helm import HELM_STREAM, TARGET_PORT_LINE, TARGET_PORT_RENDERED_LINE

REPO = Path(__file__).resolve().parent.parent
HELM = shutil.which("helm")


def _chart(root: Path, name: str) -> Path:
    chart = root / name
    (chart / "templates").mkdir(parents=True)
    (chart / "Chart.yaml").write_text(
        f"apiVersion: v2\nname: {Path(name).name}\nversion: 0.1.0\n", encoding="utf-8"
    )
    (chart / "values.yaml").write_text("port: 80\n", encoding="utf-8")
    for line in HELM_STREAM.split("---\n")[1:]:
        source, _, body = line.partition("\n")
        template = source.removeprefix("# Source: shop/")
        (chart / template).write_text(body, encoding="utf-8")
    return chart


@pytest.fixture
def no_helm(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A tree with two charts, run where helm cannot be found (PATH holds no helm)."""
    empty = tmp_path / "empty-path"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    root = tmp_path / "repo"
    _chart(root, "charts/shop")
    return root


def test_the_summary_names_a_chart_that_was_not_rendered(
    no_helm: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    code, output = check(no_helm, monkeypatch, ".")
    assert code == 0
    assert output.splitlines() == [
        "No Kubernetes objects found in the input.",
        output.splitlines()[-1],
    ]
    assert output.splitlines()[-1].startswith(
        "0 errors, 0 warnings, 0 info; 0 files linted, 2 skipped (not Kubernetes input); "
        "Helm chart charts/shop not rendered (helm is not on PATH): lint it with "
        "`helm template shop charts/shop | netlint check -`; 0 objects; in "
    )
    (no_helm / ".netlint.yaml").write_text("render:\n  helm: never\n", encoding="utf-8")
    code, output = check(no_helm, monkeypatch, "charts")
    assert "Helm chart charts/shop not rendered (render.helm is never): lint it with " in output


def test_several_charts_are_named_with_the_generic_command(
    no_helm: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _chart(no_helm, "charts/cart")
    code, output = check(no_helm, monkeypatch, "--quiet", ".")
    assert (code, output) == (0, "")
    code, output = check(no_helm, monkeypatch, ".")
    assert (
        "; 2 Helm charts not rendered (helm is not on PATH): charts/cart, charts/shop, lint each "
        "with `helm template NAME CHART | netlint check -`; "
    ) in output


def test_json_and_sarif_list_the_charts(no_helm: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    expected = [
        {
            "path": "charts/shop",
            "rendered": False,
            "reason": "helm is not on PATH",
            "command": "helm template shop charts/shop | netlint check -",
        }
    ]
    code, output = check(no_helm, monkeypatch, "-f", "json", ".")
    assert code == 0
    report = json.loads(output)
    schema = json.loads((REPO / "schemas" / "netlint-report.schema.json").read_text("utf-8"))
    Draft202012Validator(schema).validate(report)
    assert report["summary"]["helmCharts"] == expected
    code, output = check(no_helm, monkeypatch, "-f", "sarif", ".")
    assert json.loads(output)["runs"][0]["properties"] == {"helmCharts": expected}
    # Without charts, neither report has the key.
    code, output = check(no_helm / "charts" / "shop" / "templates", monkeypatch, "-f", "json")
    assert "helmCharts" not in json.loads(output)["summary"]


@pytest.mark.parametrize(
    ("config", "message"),
    [
        (
            "render:\n  helm: sometimes\n",
            ".netlint.yaml:2: render.helm: 'sometimes' is not one of ['auto', 'never']",
        ),
        ("render:\n  helms: auto\n", ".netlint.yaml:2: unknown key 'helms' in render"),
        (
            "render:\n  helm-values: [missing.yaml]\n",
            ".netlint.yaml:2: render.helm-values: 'missing.yaml' is not a file",
        ),
    ],
)
def test_render_settings_are_validated(
    no_helm: Path, monkeypatch: pytest.MonkeyPatch, config: str, message: str
) -> None:
    (no_helm / ".netlint.yaml").write_text(config, encoding="utf-8")
    code, output = check(no_helm, monkeypatch, ".")
    assert code == 2
    assert output.splitlines()[-1].startswith(f"netlint: error: {message}")


def test_findings_on_a_rendered_chart_move_to_their_template(tmp_path: Path) -> None:
    # The mapping alone, on the stream helm prints for this chart (tests/test_helm.py): no helm
    # needed. A finding in a template that exists moves to it, at line 1; one whose template is
    # not in the chart folder keeps the stream's line and names the template.
    chart = _chart(tmp_path, "shop")
    stream = "shop (helm template)"
    texts = SourceTexts(1 << 20)
    texts.add_text(stream, HELM_STREAM + "---\n# Source: shop/templates/gone.yaml\nkind: X\n")
    data = RunData(sources=texts, rendered={stream: (str(chart), "shop")})
    gone_line = len(HELM_STREAM.splitlines()) + 3  # `kind: X`
    findings = [
        Finding("r", Severity.ERROR, "bad port", Location(stream, TARGET_PORT_LINE, 19, 14, 23)),
        Finding("r", Severity.ERROR, "gone", Location(stream, gone_line, 1, gone_line, 2)),
        Finding("r", Severity.ERROR, "elsewhere", Location("k8s/a.yaml", 3, 1, 3, 2)),
    ]
    moved, gone, elsewhere = map_helm_sources(findings, data)
    assert moved.location == Location("shop/templates/service.yaml", 1, 1, 1, 2)
    assert moved.message == (
        f"bad port (helm template output line {TARGET_PORT_RENDERED_LINE} of this template)"
    )
    assert gone.location.path == stream
    assert gone.message == "gone (in shop/templates/gone.yaml, rendered output line 1)"
    assert elsewhere == findings[2]


@pytest.mark.skipif(HELM is None, reason="helm is not on PATH: the real render cannot run here")
def test_a_chart_is_rendered_with_helm_and_findings_point_at_templates(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "repo"
    _chart(root, "charts/shop")
    values = root / "prod.yaml"
    values.write_text("port: 81\n", encoding="utf-8")
    (root / ".netlint.yaml").write_text(
        textwrap.dedent(
            """\
            render:
              helm: auto
              helm-values: [prod.yaml]
            """
        ),
        encoding="utf-8",
    )
    code, output = check(root, monkeypatch, "-f", "json", "--select", "service", ".")
    report = json.loads(output)
    assert code == 1, output
    assert report["summary"]["helmCharts"][0]["rendered"] is True
    (finding,) = [f for f in report["findings"] if f["rule"] == "service-target-port-unresolved"]
    assert (finding["path"], finding["line"], finding["column"]) == (
        "charts/shop/templates/service.yaml",
        1,
        1,
    )
    assert "helm template output line" in finding["message"]
    code, output = check(root, monkeypatch, "--select", "service", ".")
    assert "1 Helm chart rendered with helm template" in output
