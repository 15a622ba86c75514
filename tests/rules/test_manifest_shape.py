"""manifest-shape (DESIGN §3, §5): documents of a Kubernetes file that are not complete objects."""

from __future__ import annotations

from tests.helpers import FIXTURES_ROOT, brief, lint_files, lint_fixture, lint_text, only

RULE = "manifest-shape"
FIXTURES = FIXTURES_ROOT / RULE


def test_bad_fixture_missing_name_and_a_list_document() -> None:
    findings = lint_fixture(RULE, select_only=True)
    assert brief(findings) == [(RULE, 7, 1, "error"), (RULE, 12, 1, "error")]
    assert findings[0].message.startswith("object has no metadata.name (or generateName)")
    assert findings[1].message == "document is a list, not a Kubernetes object"


def test_good_fixture_empty_documents_lists_and_generate_name() -> None:
    report = lint_files([FIXTURES / "good.yaml"], select=[RULE])
    assert only(report.active, RULE) == []
    assert [m.name for m in report.data.manifests] == ["one", "two-"]


def test_a_file_without_any_kind_is_skipped_not_reported() -> None:
    # A Helm values file or a CI workflow: not Kubernetes input at all.
    assert lint_text("replicas: 3\nimage: nginx\n", select=[RULE]) == []
