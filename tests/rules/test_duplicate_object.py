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


def test_across_files_one_warning_for_the_pair_on_the_later_file(tmp_path: Path) -> None:
    for name in ("across-a.yaml", "across-b.yaml"):
        (tmp_path / name).write_text((FIXTURES / name).read_text())
    report = lint_files(
        [tmp_path / "across-a.yaml", tmp_path / "across-b.yaml"], select=[RULE], cwd=tmp_path
    )
    [finding] = only(report.active, RULE)
    assert (finding.location.path, *brief([finding])[0][1:]) == ("across-b.yaml", 4, 9, "warning")
    assert finding.message == (
        "across-a.yaml and across-b.yaml define ConfigMap settings differently; applying both "
        "files makes the last one win"
    )
    assert finding.hint == (
        "if the two files are alternatives that are never applied together, move them into "
        "folders of their own and declare those with config `scopes:`, or leave the later one "
        'out of this rule with `per-file-ignores` (`"across-b.yaml": [duplicate-object]`)'
    )


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


def test_identical_copies_across_files_are_no_conflict(tmp_path: Path) -> None:
    # The same content, however it is written: comments, flow style, key order, quoting, and a
    # namespace written in one file and taken from the config's default in the other.
    (tmp_path / "a.yaml").write_text(CONFIG_MAP + "data: {mode: fast, size: '1'}\n")
    (tmp_path / "b.yaml").write_text(
        '# a copy\nkind: ConfigMap\napiVersion: v1\ndata:\n  size: "1"\n  mode: fast\n'
        "metadata: {name: one}\n"
    )
    paths = [tmp_path / "a.yaml", tmp_path / "b.yaml"]
    settings = Settings(default_namespace="shop")
    report = lint_files(paths, select=[RULE], cwd=tmp_path, settings=settings)
    assert only(report.active, RULE) == []


def test_across_many_identical_files_nothing(tmp_path: Path) -> None:
    paths = [tmp_path / f"c{index:02}.yaml" for index in range(13)]
    for path in paths:
        path.write_text(CONFIG_MAP)
    assert only(lint_files(paths, select=[RULE], cwd=tmp_path).active, RULE) == []


def _objects(names: range, mode: str) -> str:
    return "---\n".join(
        CONFIG_MAP.replace("name: one", f"name: c{index}") + f"data: {{mode: {mode}}}\n"
        for index in names
    )


def test_variants_are_one_finding_per_pair_of_files_naming_a_few_objects(tmp_path: Path) -> None:
    # install.yaml and copy.yaml are the same; ha/install.yaml differs from both on c1..c5 and
    # shares c0 with them unchanged: one finding, on ha/install.yaml, for the pair with the
    # first file (shallower first, then by path) whose copies differ from it.
    (tmp_path / "ha").mkdir()
    same = _objects(range(6), "fast")
    (tmp_path / "install.yaml").write_text(same)
    (tmp_path / "copy.yaml").write_text(same)
    (tmp_path / "ha" / "install.yaml").write_text(
        _objects(range(1), "fast") + "---\n" + _objects(range(1, 6), "ha")
    )
    paths = [tmp_path / "install.yaml", tmp_path / "copy.yaml", tmp_path / "ha" / "install.yaml"]
    report = lint_files(paths, select=[RULE], cwd=tmp_path)
    findings = only(report.active, RULE)
    assert [(f.location.path, *brief([f])[0][1:]) for f in findings] == [
        ("ha/install.yaml", 11, 9, "warning"),
    ]
    assert findings[0].message == (
        "copy.yaml and ha/install.yaml define 5 of the same objects (ConfigMap shop/c1, "
        "ConfigMap shop/c2, ConfigMap shop/c3 and 2 more) differently; applying both files "
        "makes the last one win"
    )
    assert findings[0].hint == (
        "if the two files are alternatives that are never applied together, declare their "
        "folders apart with config `scopes:` (`scopes: [ha]`), or leave the later one out of "
        'this rule with `per-file-ignores` (`"ha/install.yaml": [duplicate-object]`)'
    )


def test_the_finding_is_on_the_later_file_even_when_only_the_earlier_is_linted(
    tmp_path: Path,
) -> None:
    # Where a finding goes does not depend on which files are context (a pre-commit hook
    # splits its files): linting b.yaml with a.yaml as context reports it, not the reverse.
    (tmp_path / "a.yaml").write_text(_objects(range(2), "fast"))
    (tmp_path / "b.yaml").write_text(_objects(range(2), "slow"))
    a, b = tmp_path / "a.yaml", tmp_path / "b.yaml"
    assert only(lint_files([a], context=[b], select=[RULE]).active, RULE) == []
    findings = only(lint_files([b], context=[a], select=[RULE]).active, RULE)
    assert [(Path(f.location.path).name, *brief([f])[0][1:]) for f in findings] == [
        ("b.yaml", 4, 9, "warning")
    ]
    assert "define 2 of the same objects (ConfigMap shop/c0, ConfigMap shop/c1)" in (
        findings[0].message
    )


def test_within_a_file_and_across_files_both_are_reported(tmp_path: Path) -> None:
    # The last copy of a file is what the file applies: a.yaml's is b.yaml's, not c.yaml's.
    (tmp_path / "a.yaml").write_text(
        _objects(range(1), "slow") + "---\n" + _objects(range(1), "fast")
    )
    (tmp_path / "b.yaml").write_text(_objects(range(1), "fast"))
    (tmp_path / "c.yaml").write_text(_objects(range(1), "slow"))
    paths = [tmp_path / name for name in ("a.yaml", "b.yaml", "c.yaml")]
    findings = only(lint_files(paths, select=[RULE], cwd=tmp_path).active, RULE)
    assert [(f.location.path, f.location.line, f.severity.label) for f in findings] == [
        ("a.yaml", 11, "error"),
        ("c.yaml", 4, "warning"),
    ]
    assert findings[1].message.startswith("a.yaml and c.yaml define ConfigMap shop/c0 ")


def test_many_variants_of_one_object_are_paired_with_the_first_file_not_each_other(
    tmp_path: Path,
) -> None:
    # 12 files, 4 variants: each file that differs from f00.yaml is paired with it once;
    # f04.yaml, a copy of f00.yaml, with f01.yaml, the first that differs from it.
    paths = [tmp_path / f"f{index:02}.yaml" for index in range(12)]
    for index, path in enumerate(paths):
        path.write_text(_objects(range(1), f"v{index % 4}"))
    findings = only(lint_files(paths, select=[RULE], cwd=tmp_path).active, RULE)
    assert [f.message.split(" define ")[0] for f in findings] == [
        *(f"f00.yaml and f{index:02}.yaml" for index in (1, 2, 3)),
        "f01.yaml and f04.yaml",
        *(f"f00.yaml and f{index:02}.yaml" for index in (5, 6, 7)),
        "f01.yaml and f08.yaml",
        *(f"f00.yaml and f{index:02}.yaml" for index in (9, 10, 11)),
    ]
