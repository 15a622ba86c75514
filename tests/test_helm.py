"""Pipelines (issue 7): `helm template … | netlint check -` and `kubectl kustomize DIR | netlint check -`.

Findings on stdin point at lines of the stream; where the stream carries Helm's `# Source:`
comments, they also name the template and the line within its rendered section ("rendered output
line", never a template source line, which the output cannot tell).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from netlint.cli import cli
from netlint.filters.helm_sources import RenderedLine, SourceMap
from tests.corpus import corpus_dir

REPO = Path(__file__).resolve().parent.parent

# What `helm template shop ./shop` prints for a chart with a Service and a Deployment: a `---`
# and a `# Source:` comment before every manifest. The Service's targetPort names no container
# port (the container calls it `htp`).
HELM_STREAM = textwrap.dedent(
    """\
    ---
    # Source: shop/templates/service.yaml
    apiVersion: v1
    kind: Service
    metadata:
      name: web
      labels:
        helm.sh/chart: shop-0.1.0
    spec:
      selector:
        app: web
      ports:
        - port: 80
          targetPort: http
    ---
    # Source: shop/templates/deployment.yaml
    apiVersion: apps/v1
    kind: Deployment
    metadata:
      name: web
    spec:
      selector:
        matchLabels: {app: web}
      template:
        metadata:
          labels: {app: web}
        spec:
          containers:
            - name: web
              image: nginx
              ports:
                - containerPort: 8080
                  name: htp
    """
)
TARGET_PORT_LINE = 14  # `targetPort: http` in the stream
TARGET_PORT_RENDERED_LINE = 12  # ... and within shop/templates/service.yaml's rendered section


def pipeline(*args: str, stdin: str) -> subprocess.CompletedProcess[str]:
    """`netlint` as a pipeline runs it: a separate process reading stdin."""
    return subprocess.run(
        [sys.executable, "-m", "netlint", *args],
        input=stdin,
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
    )


@dataclass(frozen=True)
class Ran:
    returncode: int
    stdout: str


def netlint(*args: str, stdin: str | None = None, cwd: Path | None = None) -> Ran:
    """`netlint` in this process (faster), from `cwd` when given."""
    previous = Path.cwd()
    if cwd is not None:
        os.chdir(cwd)
    try:
        result = CliRunner().invoke(cli, list(args), input=stdin, catch_exceptions=False)
    finally:
        os.chdir(previous)
    return Ran(result.exit_code, result.stdout)


# --- the source map --------------------------------------------------------------------------


def test_source_map_names_template_and_rendered_line() -> None:
    source_map = SourceMap(HELM_STREAM)
    assert source_map.locate(TARGET_PORT_LINE) == RenderedLine(
        "shop/templates/service.yaml", TARGET_PORT_RENDERED_LINE
    )
    assert source_map.locate(3) == RenderedLine("shop/templates/service.yaml", 1)  # apiVersion
    assert source_map.locate(17) == RenderedLine("shop/templates/deployment.yaml", 1)
    assert (
        RenderedLine("shop/templates/service.yaml", 12).describe()
        == "in shop/templates/service.yaml, rendered output line 12"
    )


def test_source_map_leaves_comment_marker_and_unsourced_lines_alone() -> None:
    stream = (
        "# a header comment\n"  # 1
        "---\n"  # 2
        "apiVersion: v1\n"  # 3: a document Helm did not render (no Source comment)
        "kind: Namespace\n"  # 4
        "---\n"  # 5
        "# Source: c/templates/a.yaml\n"  # 6
        "kind: A\n"  # 7
        "...\n"  # 8: document end marker: the section ends
        "kind: B\n"  # 9
        "--- # a comment after the marker\n"  # 10
        "# Source: c/charts/sub/templates/b.yaml\n"  # 11: a subchart's template
        "kind: C\n"  # 12
    )
    source_map = SourceMap(stream)
    assert bool(source_map)
    assert [source_map.locate(n) for n in (1, 2, 3, 4, 5, 6, 8, 9, 10, 11)] == [None] * 10
    assert source_map.locate(7) == RenderedLine("c/templates/a.yaml", 1)
    assert source_map.locate(12) == RenderedLine("c/charts/sub/templates/b.yaml", 1)
    assert not SourceMap("apiVersion: v1\nkind: Service\n")


def test_source_map_counts_lines_as_the_parser_does() -> None:
    # CRLF line ends, and a form feed inside a value, which str.splitlines would count as a
    # line break of its own (the YAML parser does not).
    stream = (
        '---\r\n# Source: c/templates/a.yaml\r\nkind: A\r\nmetadata: {name: "x\fy"}\r\nspec: {}\r\n'
    )
    assert SourceMap(stream).locate(5) == RenderedLine("c/templates/a.yaml", 3)


# --- through the command line -------------------------------------------------------------------


def test_helm_stream_findings_name_the_template_in_every_format() -> None:
    text = pipeline("check", "-", "--no-color", stdin=HELM_STREAM)
    assert text.returncode == 1, text.stdout + text.stderr
    first = text.stdout.splitlines()[0]
    assert first.startswith(f"-:{TARGET_PORT_LINE}:19: error[service-target-port-unresolved] ")
    assert first.endswith(
        f"(in shop/templates/service.yaml, rendered output line {TARGET_PORT_RENDERED_LINE})"
    )
    # The caret line still shows the stream's own line.
    assert f"{TARGET_PORT_LINE} |       targetPort: http" in text.stdout

    report = json.loads(netlint("check", "-", "--output-format", "json", stdin=HELM_STREAM).stdout)
    (finding,) = report["findings"]
    assert (finding["path"], finding["line"], finding["column"]) == ("-", TARGET_PORT_LINE, 19)
    assert "shop/templates/service.yaml, rendered output line 12" in finding["message"]

    sarif = json.loads(netlint("check", "-", "--output-format", "sarif", stdin=HELM_STREAM).stdout)
    (result,) = sarif["runs"][0]["results"]
    assert "shop/templates/service.yaml, rendered output line 12" in result["message"]["text"]
    assert result["locations"][0]["physicalLocation"]["region"]["startLine"] == TARGET_PORT_LINE

    github = netlint("check", "-", "--output-format", "github", stdin=HELM_STREAM).stdout
    assert "shop/templates/service.yaml, rendered output line 12" in github


def test_stream_without_source_comments_keeps_plain_messages() -> None:
    plain = "\n".join(line for line in HELM_STREAM.splitlines() if not line.startswith("# Source:"))
    result = netlint("check", "-", "--output-format", "json", stdin=plain + "\n")
    (finding,) = json.loads(result.stdout)["findings"]
    assert finding["line"] == TARGET_PORT_LINE - 1
    assert "rendered output line" not in finding["message"]
    assert "templates/" not in finding["message"]


def test_a_rendered_file_keeps_its_own_lines(tmp_path: Path) -> None:
    # A `helm template` output committed as a file has real line numbers of its own: not mapped.
    (tmp_path / "rendered.yaml").write_text(HELM_STREAM, encoding="utf-8")
    result = netlint("check", "rendered.yaml", "--output-format", "json", cwd=tmp_path)
    (finding,) = json.loads(result.stdout)["findings"]
    assert finding["path"] == "rendered.yaml"
    assert "rendered output line" not in finding["message"]


def test_inline_suppression_and_baseline_still_work_on_a_helm_stream(tmp_path: Path) -> None:
    suppressed = HELM_STREAM.replace(
        "targetPort: http", "targetPort: http  # netlint: ignore[service-target-port-unresolved]"
    )
    assert netlint("check", "-", stdin=suppressed).returncode == 0
    baseline = tmp_path / "baseline.json"
    written = netlint("check", "-", "--write-baseline", str(baseline), stdin=HELM_STREAM)
    assert written.returncode == 0, written.stdout
    again = netlint("check", "-", "--baseline", str(baseline), stdin=HELM_STREAM)
    assert again.returncode == 0, again.stdout


def test_real_helm_output_from_the_corpus_names_subchart_templates() -> None:
    corpus = corpus_dir()
    if corpus is None:
        pytest.skip("the shared corpus is not beside the repository")
    stream = (
        corpus / "open-telemetry__opentelemetry-demo" / "kubernetes__opentelemetry-demo.yaml"
    ).read_text(encoding="utf-8")
    report = json.loads(netlint("check", "-", "--output-format", "json", stdin=stream).stdout)
    source_map = SourceMap(stream)
    assert report["findings"]
    for finding in report["findings"]:
        rendered = source_map.locate(finding["line"])
        assert rendered is not None, finding
        assert finding["message"].endswith(f"({rendered.describe()})")
        # The template named is the one whose `# Source:` comment heads this document.
        lines = stream.splitlines()
        header = lines[finding["line"] - rendered.line - 1]
        assert header == f"# Source: {rendered.template}"


# --- kustomize, for real ------------------------------------------------------------------------

KUSTOMIZATION = """\
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
namespace: shop
namePrefix: prod-
labels:
  - pairs: {team: shop}
    includeSelectors: true
resources:
  - deployment.yaml
  - service.yaml
"""


@pytest.mark.skipif(shutil.which("kubectl") is None, reason="kubectl is not installed")
def test_kubectl_kustomize_pipeline(tmp_path: Path) -> None:
    service, deployment = HELM_STREAM.split("---\n")[1:]
    (tmp_path / "service.yaml").write_text(service, encoding="utf-8")
    (tmp_path / "deployment.yaml").write_text(deployment, encoding="utf-8")
    (tmp_path / "kustomization.yaml").write_text(KUSTOMIZATION, encoding="utf-8")
    rendered = subprocess.run(
        ["kubectl", "kustomize", str(tmp_path)], capture_output=True, text=True, check=True
    ).stdout
    result = pipeline("check", "-", "--output-format", "json", stdin=rendered)
    assert result.returncode == 1, result.stderr
    (finding,) = json.loads(result.stdout)["findings"]
    assert finding["rule"] == "service-target-port-unresolved"
    assert finding["object"] == {"kind": "Service", "namespace": "shop", "name": "prod-web"}
    # The line is the stream's, where kustomize put the targetPort.
    assert rendered.splitlines()[finding["line"] - 1].strip() == "targetPort: http"
    assert "rendered output line" not in finding["message"]  # kustomize writes no `# Source:`

    fixed = rendered.replace("targetPort: http", "targetPort: htp")
    assert netlint("check", "-", stdin=fixed).returncode == 0
