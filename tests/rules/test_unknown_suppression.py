"""unknown-suppression (issue 24, item 3): a suppression entry that names no loaded rule."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import FIXTURES_ROOT
from tests.rules.suppression_cli import check_json, found

RULE = "unknown-suppression"
FIXTURES = FIXTURES_ROOT / RULE


def test_bad_fixture_each_unknown_entry_at_its_column_with_the_closest_id() -> None:
    code, report = check_json(str(FIXTURES / "bad.yaml"))
    assert code == 1
    assert found(report, RULE) == [
        (
            "bad.yaml",
            4,
            32,
            "warning",
            "`# netlint: ignore[ingress-backend-service-mising]` names no rule; did you mean "
            "'ingress-backend-service-missing'?",
        ),
        (
            "bad.yaml",
            7,
            24,
            "warning",
            "annotation netlint.io/ignore of Service shop/web names 'servce-selector-no-match', "
            "which is no rule; did you mean 'service-selector-no-match'?",
        ),
        ("bad.yaml", 13, 41, "warning", "`# netlint: ignore[no-such-rule]` names no rule"),
    ]
    # The misspelled annotation suppresses nothing: the finding it was meant for is reported.
    assert [f[1] for f in found(report, "service-selector-no-match")] == [9]


def test_good_fixture_ids_prefixes_and_all_are_known() -> None:
    code, report = check_json(str(FIXTURES / "good.yaml"))
    assert found(report, RULE) == []
    assert code == 0


def test_ignored_like_any_rule(tmp_path: Path) -> None:
    code, report = check_json(str(FIXTURES / "bad.yaml"), "--ignore", RULE)
    assert found(report, RULE) == []
    assert code == 1  # service-selector-no-match is still there


def test_a_pack_rule_is_known_once_loaded() -> None:
    pack = FIXTURES_ROOT / "hostile" / "raising_pack.py"
    text_path = FIXTURES / "bad.yaml"
    _, report = check_json(str(text_path), "--rules", str(pack))
    assert "no-such-rule" in found(report, RULE)[-1][4]  # still unknown: the pack has no such id
