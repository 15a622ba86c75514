"""yaml-duplicate-key (DESIGN §5): the API server's strict decoding rejects a repeated field."""

from __future__ import annotations

from tests.helpers import brief, lint_fixture

RULE = "yaml-duplicate-key"


def test_bad_fixture_reports_the_second_key() -> None:
    findings = lint_fixture(RULE, select_only=True)
    assert brief(findings) == [(RULE, 11, 5, "error")]
    assert findings[0].message.startswith("duplicate key 'port': already set at line 10")


def test_good_fixture_merge_keys_are_not_duplicates() -> None:
    assert lint_fixture(RULE, "good.yaml", select_only=True) == []
