"""The README's rule table is generated from the rules' metadata and must be current."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from netlint.report.explain import rules_markdown
from netlint.run.registry import load_rules

README = Path(__file__).resolve().parent.parent / "README.md"
TABLE = re.compile(
    r"<!-- rules-table:start[^>]*-->\n(?P<table>.*?)\n?<!-- rules-table:end -->", re.S
)


def test_rule_table_is_current() -> None:
    match = TABLE.search(README.read_text(encoding="utf-8"))
    assert match is not None, "README lost its rules-table markers"
    expected = rules_markdown(load_rules())
    assert match["table"].strip() == expected.strip(), (
        "README rule table is stale: paste the output of `netlint rules --format markdown`"
    )


def test_readme_starts_with_the_two_commands() -> None:
    blocks = re.findall(r"```sh\n(.*?)\n```", README.read_text(encoding="utf-8"), re.S)
    assert blocks[0].endswith("pip install . && netlint check examples/")
    assert blocks[1].endswith("pip install -e '.[dev]' && pytest")


def _block(text: str, start: str) -> str:
    match = re.search(re.escape(start) + r"\n(?P<body>.*?)```\n", text, re.S)
    assert match is not None, f"README lost its block starting {start!r}"
    return match["body"]


def test_the_reachability_example_shows_current_output() -> None:
    """The worked example's finding and map are what netlint prints for examples/ today."""
    text = README.read_text(encoding="utf-8")
    root = README.parent
    check = subprocess.run(
        [sys.executable, "-m", "netlint", "check", "--no-cache", "examples/traffic-blocked.yaml"],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
    )
    assert check.returncode == 1, check.stderr
    shown = _block(text, "```text\n$ netlint check examples/traffic-blocked.yaml")
    timing = re.compile(r"in \d+\.\d+s$", re.M)
    assert timing.sub("in …", shown) == timing.sub("in …", check.stdout)
    graph = subprocess.run(
        [sys.executable, "-m", "netlint", "graph", "--no-cache", "examples/traffic-blocked.yaml"],
        cwd=root,
        capture_output=True,
        text=True,
        check=True,
    )
    assert _block(text, "```mermaid") == graph.stdout
