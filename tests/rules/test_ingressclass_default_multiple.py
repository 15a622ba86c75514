"""`ingressclass-default-multiple` (Facts ING-27, IC-05)."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import FIXTURES_ROOT, brief, lint_files, lint_fixture, only

RULE = "ingressclass-default-multiple"
FIXTURES = FIXTURES_ROOT / RULE


def test_bad_fixture_two_defaults_ic_05() -> None:
    found = lint_fixture(RULE)
    assert brief(found) == [(RULE, 7, 50, "warning"), (RULE, 16, 50, "warning")]
    assert (
        "IngressClass nginx is marked as the default IngressClass, and so is IngressClass traefik"
        in (found[0].message)
    )
    assert "and so is IngressClass nginx" in found[1].message


def test_good_fixture_only_one_is_exactly_true() -> None:
    assert lint_fixture(RULE, "good.yaml") == []


def test_copies_of_one_class_in_two_files_count_once(tmp_path: Path) -> None:
    text = (FIXTURES / "good.yaml").read_text().split("---")[0]
    (tmp_path / "install.yaml").write_text(text)
    (tmp_path / "ha.yaml").write_text(text)
    report = lint_files([tmp_path / "install.yaml", tmp_path / "ha.yaml"])
    assert only(report.active, RULE) == []
