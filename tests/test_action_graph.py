"""The Action's `graph: true` input: the traffic map in the job summary (issue 26, item 4)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from netlint.integrations.github_action import (
    MERMAID_MAX_TEXT,
    ActionInputs,
    graph_command,
    graph_markdown,
)
from tests.test_action import run_main
from tests.test_graph import parse_with_npm

EXAMPLE = Path(__file__).parent.parent / "examples" / "traffic-blocked.yaml"


def _summary_diagram(summary: str) -> str:
    head = "### Traffic map\n\n```mermaid\n"
    assert head in summary, summary
    return summary.split(head, 1)[1].split("```\n", 1)[0]


def test_graph_adds_the_map_to_the_job_summary(tmp_path: Path) -> None:
    shutil.copyfile(EXAMPLE, tmp_path / "app.yaml")
    code, _, summary, outputs = run_main(tmp_path, paths="app.yaml", graph="true")
    assert (code, outputs["errors"]) == (1, "1")
    diagram = _summary_diagram(summary)
    drawn = subprocess.run(
        [sys.executable, "-m", "netlint", "graph", "--no-cache", "app.yaml"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    )
    assert diagram == drawn.stdout
    assert "ingress-nginx: ingress blocked by shop/default-deny" in diagram
    parsed = parse_with_npm("parse_mermaid.mjs", diagram)
    assert parsed.returncode == 0, parsed.stderr
    assert json.loads(parsed.stdout)["diagramType"] == "flowchart-v2"


def test_without_graph_the_summary_has_no_map(tmp_path: Path) -> None:
    shutil.copyfile(EXAMPLE, tmp_path / "app.yaml")
    _, _, summary, _ = run_main(tmp_path, paths="app.yaml")
    assert "Traffic map" not in summary


def test_graph_takes_true_or_false(tmp_path: Path) -> None:
    code, log, _, outputs = run_main(tmp_path, graph="yes")
    assert (code, outputs["exit-code"]) == (2, "2")
    assert log == "::error title=netlint::netlint: error: graph must be true or false, not 'yes'\n"


def test_the_graph_command_gets_the_paths_and_the_config_not_the_check_args() -> None:
    inputs = ActionInputs(paths=("-k8s",), config="ci.yaml", args=("--select", "service"))
    assert graph_command(inputs)[1:] == [
        "-I", "-m", "netlint", "graph", "--format", "mermaid", "--config", "ci.yaml", "--", "-k8s",
    ]  # fmt: skip


def _completed(code: int, stdout: str, stderr: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.CompletedProcess([], code, stdout, stderr)


def test_a_map_too_large_for_a_summary_is_named_not_shown() -> None:
    large = "flowchart LR\n" + "  a --> b\n" * (MERMAID_MAX_TEXT // 10 + 1)
    text = graph_markdown(_completed(0, large), budget=10_000_000)
    assert "```" not in text
    assert f"The map has {len(large):,} characters, more than a job summary can show" in text
    small = "flowchart LR\n  a --> b\n"
    assert "```" not in graph_markdown(_completed(0, small), budget=20)
    assert graph_markdown(_completed(0, small), budget=1000) == (
        "\n### Traffic map\n\n```mermaid\nflowchart LR\n  a --> b\n```\n"
    )


def test_a_map_that_cannot_be_drawn_says_why() -> None:
    text = graph_markdown(_completed(2, "", "netlint: error: <bad> config\nmore\n"), 1000)
    assert text == (
        "\n### Traffic map\n\nThe traffic map could not be drawn: "
        "<code>netlint: error: &lt;bad&gt; config</code>\n"
    )
