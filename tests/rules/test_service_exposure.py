"""service-exposure (DESIGN §5: info, off by default)."""

from __future__ import annotations

from tests.helpers import brief, lint_fixture

RULE = "service-exposure"


def test_bad_fixture_when_selected():
    findings = lint_fixture(RULE, select_only=True)
    assert brief(findings) == [
        (RULE, 6, 9, "info"),
        (RULE, 17, 9, "info"),
        (RULE, 28, 3, "info"),
    ]
    assert "Service admin is type LoadBalancer" in findings[0].message


def test_off_by_default():
    assert lint_fixture(RULE) == []


def test_good_fixture():
    assert lint_fixture(RULE, "good.yaml", select_only=True) == []
