"""duplicate-object (DESIGN §5): error within one file or stream, warning across files."""

from __future__ import annotations

from pathlib import Path

from netlint.api import Settings
from tests.helpers import FIXTURES_ROOT, brief, lint_files, lint_fixture, lint_text, only, positions

RULE = "duplicate-object"
FIXTURES = FIXTURES_ROOT / RULE


def test_bad_fixture_the_apply_namespace_twice_within_one_file_is_an_error() -> None:
    findings = lint_fixture(RULE, select_only=True)
    assert brief(findings) == [(RULE, 10, 9, "error")]
    assert findings[0].message.startswith(
        "ConfigMap settings is defined twice in this file (first at line 1)"
    )


NAMESPACE_LESS_AND_DEFAULT = (
    "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings}\n---\n"
    "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings, namespace: default}\n"
)


def test_namespace_less_and_an_explicit_namespace_are_not_known_to_be_one_object() -> None:
    # Applied with `-n shop`, the first is shop/settings: no certain duplicate (issue 23).
    assert only(lint_text(NAMESPACE_LESS_AND_DEFAULT, select=[RULE]), RULE) == []


def test_a_configured_default_namespace_is_applied_first() -> None:
    findings = only(
        lint_text(
            NAMESPACE_LESS_AND_DEFAULT,
            select=[RULE],
            settings=Settings(default_namespace="default"),
        ),
        RULE,
    )
    assert brief(findings) == [(RULE, 7, 18, "error")]
    assert findings[0].message.startswith("ConfigMap default/settings is defined twice")


def test_across_files_a_warning_on_every_copy_naming_the_other() -> None:
    report = lint_files([FIXTURES / "across-a.yaml", FIXTURES / "across-b.yaml"], select=[RULE])
    findings = only(report.active, RULE)
    assert brief(findings) == [(RULE, 4, 9, "warning"), (RULE, 4, 9, "warning")]
    assert findings[0].message.startswith("ConfigMap settings is also defined in ")
    assert "across-b.yaml" in findings[0].message and "across-a.yaml" in findings[1].message


def test_good_fixture_other_kind_namespace_or_group_is_another_object() -> None:
    assert lint_fixture(RULE, "good.yaml", select_only=True) == []


CONFIG_MAP = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: one\n  namespace: shop\n"


def test_many_copies_in_one_file_are_one_finding_listing_the_others_capped() -> None:
    # 14 copies: one error on the second, naming the first's line and the 12 further copies,
    # the first 10 by position and the rest as a count.
    text = "---\n".join([CONFIG_MAP + "data: {mode: fast}\n"] * 14)
    [finding] = only(lint_text(text, select=[RULE]), RULE)
    assert brief([finding]) == [(RULE, 11, 9, "error")]
    assert finding.message == (
        "ConfigMap shop/one is defined 14 times in this file (first at line 1, again here and "
        f"at {positions('-', range(18, 88, 7), 9)} and 2 more); kubectl applies every copy and "
        "the last one wins"
    )


def test_copies_in_a_list_are_located_at_their_items() -> None:
    item = "- " + CONFIG_MAP.rstrip("\n").replace("\n", "\n  ") + "\n"
    text = "apiVersion: v1\nkind: ConfigMapList\nitems:\n" + item * 3
    findings = only(lint_text(text, select=[RULE]), RULE)
    assert brief(findings) == [(RULE, 12, 11, "error")]
    assert findings[0].message == (
        "ConfigMap shop/one is defined 3 times in this file (first at line 4, again here and at "
        "-:17:11); kubectl applies every copy and the last one wins"
    )


def test_across_many_files_each_names_the_first_ten_others(tmp_path: Path) -> None:
    paths = [tmp_path / f"c{index:02}.yaml" for index in range(13)]
    for path in paths:
        path.write_text(CONFIG_MAP)
    report = lint_files(paths, select=[RULE], cwd=tmp_path)
    findings = only(report.active, RULE)
    assert brief(findings) == [(RULE, 4, 9, "warning")] * 13
    for finding, shown in ((findings[0], [1, *range(2, 11)]), (findings[1], [0, *range(2, 11)])):
        others = ", ".join(f"c{index:02}.yaml" for index in shown)
        assert finding.message == (
            f"ConfigMap shop/one is also defined in {others} and 2 more; applying both files "
            "makes the last one win"
        )
