"""The README's rule table is generated from the rules' metadata and must be current."""

from __future__ import annotations

import re
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
