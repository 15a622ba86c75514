"""file-unreadable (DESIGN §5, §10): encodings Kubernetes cannot read, reported, others linted."""

from __future__ import annotations

from tests.helpers import FIXTURES_ROOT, brief, lint_files, lint_fixture, only

RULE = "file-unreadable"
FIXTURES = FIXTURES_ROOT / RULE


def test_bad_fixture_latin1_is_reported_at_line_1() -> None:
    findings = lint_fixture(RULE, select_only=True)
    assert brief(findings) == [(RULE, 1, 1, "error")]
    assert "not UTF-8: invalid byte 0xe9 at offset 52" in findings[0].message


def test_good_fixture_utf16_with_bom_is_decoded_and_linted() -> None:
    report = lint_files([FIXTURES / "good.yaml"], select=[RULE])
    assert only(report.active, RULE) == []
    assert [m.name for m in report.data.manifests] == ["utf16"]


def test_one_unreadable_file_does_not_stop_the_others() -> None:
    report = lint_files([FIXTURES / "bad.yaml", FIXTURES / "good.yaml"], select=[RULE])
    assert [f.location.path.rsplit("/", 1)[-1] for f in only(report.active, RULE)] == ["bad.yaml"]
    assert [m.name for m in report.data.manifests] == ["utf16"]
