"""input-limit (DESIGN §10): a billion-laughs document is reported, never expanded."""

from __future__ import annotations

from tests.helpers import brief, lint_fixture

RULE = "input-limit"


def test_bad_fixture_alias_expansion_is_reported_at_the_alias() -> None:
    findings = lint_fixture(RULE, select_only=True)
    assert brief(findings) == [(RULE, 9, 12, "error")]
    assert "billion-laughs" in findings[0].message


def test_good_fixture_a_few_aliases_are_fine() -> None:
    assert lint_fixture(RULE, "good.yaml", select_only=True) == []
