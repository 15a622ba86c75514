"""docs/validation-coverage.md is honest: every covered upstream function names a netlint
function that exists and says which upstream function it follows, and a rule that exists."""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import pytest
from netlint._builtin.rules import RULES

TABLE = Path(__file__).resolve().parent.parent / "docs" / "validation-coverage.md"
ROW = re.compile(
    r"^\| `(?P<upstream>\w+)` \| (?P<file>[^|]+) \| (?P<netlint>[^|]+) \| (?P<rule>[^|]+) \| (?P<status>[^|]+) \|$"
)
SECTION = re.compile(r"^## (?P<title>.+)$")


def rows() -> list[tuple[str, dict[str, str]]]:
    found: list[tuple[str, dict[str, str]]] = []
    section = ""
    for line in TABLE.read_text(encoding="utf-8").splitlines():
        heading = SECTION.match(line)
        if heading:
            section = heading.group("title")
        match = ROW.match(line)
        if match:
            found.append((section, {k: v.strip() for k, v in match.groupdict().items()}))
    return found


def resolve(dotted: str) -> object:
    module_name, _, attribute = dotted.strip("`").rpartition(".")
    if module_name == "rules" or module_name.startswith("rules."):
        module_name = "netlint._builtin." + module_name
    return getattr(importlib.import_module(module_name), attribute)


def test_each_upstream_function_appears_once_per_file() -> None:
    keys = [(row["file"], row["upstream"]) for _, row in rows()]
    assert len(keys) == len(set(keys))


@pytest.mark.parametrize(
    ("upstream", "row"),
    [(row["upstream"], row) for _, row in rows()],
    ids=[f"{row['file']}:{row['upstream']}" for _, row in rows()],
)
def test_row(upstream: str, row: dict[str, str]) -> None:
    rule_ids = {rule.meta.id for rule in RULES}
    if row["status"] == "covered":
        function = resolve(row["netlint"])
        assert callable(function)
        assert upstream in (function.__doc__ or ""), f"{row['netlint']} does not name {upstream}"
        for rule_id in re.findall(r"`([a-z0-9-]+)`", row["rule"]):
            assert rule_id in rule_ids, f"unknown rule {rule_id}"
        assert re.findall(r"`([a-z0-9-]+)`", row["rule"]), "a covered row names its rule"
    else:
        assert row["status"], "an uncovered row says why"
