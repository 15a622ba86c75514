"""input-limit (DESIGN §10): a billion-laughs document is reported, never expanded."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import brief, lint_files, only

RULE = "input-limit"
FIXTURES = Path(__file__).parent.parent / "fixtures" / RULE


def test_bad_fixture_alias_expansion_is_reported_at_the_alias() -> None:
    findings = only(lint_files([FIXTURES / "bad.yaml"], select=[RULE]).active, RULE)
    assert brief(findings) == [(RULE, 9, 12, "error")]
    assert "billion-laughs" in findings[0].message


def test_good_fixture_a_few_aliases_are_fine() -> None:
    assert only(lint_files([FIXTURES / "good.yaml"], select=[RULE]).active, RULE) == []
