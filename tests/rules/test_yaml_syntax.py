"""yaml-syntax (DESIGN §5, §10): the parser's line and column; unsafe tags never constructed."""

from __future__ import annotations

from tests.helpers import FIXTURES_ROOT, brief, lint_files, lint_fixture, only

RULE = "yaml-syntax"
FIXTURES = FIXTURES_ROOT / RULE


def test_bad_fixture_syntax_error_and_unsafe_tag_other_documents_still_linted() -> None:
    report = lint_files([FIXTURES / "bad.yaml"], select=[RULE, "manifest-shape"])
    findings = only(report.active, RULE)
    assert brief(findings) == [(RULE, 6, 5, "error"), (RULE, 13, 8, "error")]
    assert findings[0].message.startswith("YAML syntax error: did not find expected ',' or '}'")
    assert "'!!python/object/apply:os.system' is not a standard YAML type" in findings[1].message
    # The documents after the broken one are still objects of the run.
    assert {m.name for m in report.data.manifests} == {"tagged", "fine"}


def test_good_fixture_flow_style_trailing_commas_markers_and_anchors() -> None:
    assert lint_fixture(RULE, "good.yaml", select_only=True) == []
