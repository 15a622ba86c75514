"""duplicate-object (DESIGN §5): error within one file or stream, warning across files."""

from __future__ import annotations

from tests.helpers import FIXTURES_ROOT, brief, lint_files, lint_fixture, only

RULE = "duplicate-object"
FIXTURES = FIXTURES_ROOT / RULE


def test_bad_fixture_default_namespace_applied_within_one_file_is_an_error() -> None:
    findings = lint_fixture(RULE, select_only=True)
    assert brief(findings) == [(RULE, 10, 9, "error")]
    assert findings[0].message.startswith(
        "ConfigMap default/settings is defined twice in this file (first at line 1)"
    )


def test_across_files_a_warning_on_every_copy_naming_the_other() -> None:
    report = lint_files([FIXTURES / "across-a.yaml", FIXTURES / "across-b.yaml"], select=[RULE])
    findings = only(report.active, RULE)
    assert brief(findings) == [(RULE, 4, 9, "warning"), (RULE, 4, 9, "warning")]
    assert findings[0].message.startswith("ConfigMap default/settings is also defined in ")
    assert "across-b.yaml" in findings[0].message and "across-a.yaml" in findings[1].message


def test_good_fixture_other_kind_namespace_or_group_is_another_object() -> None:
    assert lint_fixture(RULE, "good.yaml", select_only=True) == []
