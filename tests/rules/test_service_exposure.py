"""service-exposure (DESIGN §5: info, off by default)."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import brief, lint_files, only

RULE = "service-exposure"
FIXTURES = Path(__file__).parent.parent / "fixtures" / RULE


def test_bad_fixture_when_selected():
    findings = only(lint_files([FIXTURES / "bad.yaml"], select=[RULE]).active, RULE)
    assert brief(findings) == [
        (RULE, 6, 9, "info"),
        (RULE, 17, 9, "info"),
        (RULE, 28, 3, "info"),
    ]
    assert "Service default/admin is type LoadBalancer" in findings[0].message


def test_off_by_default():
    assert only(lint_files([FIXTURES / "bad.yaml"]).active, RULE) == []


def test_good_fixture():
    assert only(lint_files([FIXTURES / "good.yaml"], select=[RULE]).active, RULE) == []
