"""Inline suppressions (annotation and comment) and per-file-ignores (DESIGN §7)."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from pathlib import Path

import pytest
from click.testing import CliRunner

from netlint.cli import cli
from netlint.filters.suppression import (
    comment_start,
    inline_suppression_filter,
    inline_suppressions,
    parse_entries,
    per_file_ignores_filter,
)
from netlint.findings import Finding
from netlint.run.engine import RunOptions, run
from netlint.run.registry import load_rules
from netlint.run.results import FindingFilter, Report
from netlint.run.selection import Selection
from tests.helpers import schemas

RULES = load_rules()


def lint(
    text: str,
    filters: Sequence[FindingFilter] = (inline_suppressions,),
    select: Sequence[str] = ("schema", "duplicate-object", "yaml-duplicate-key"),
) -> list[Finding]:
    options = RunOptions(
        paths=["-"],
        stdin_text=textwrap.dedent(text).lstrip("\n"),
        selection=Selection(select=tuple(select)),
        filters=filters,
    )
    return run(options, RULES, schemas()).findings


def lint_paths(paths: Sequence[Path], cwd: Path, filters: Sequence[FindingFilter]) -> Report:
    options = RunOptions(
        paths=[str(p) for p in paths],
        selection=Selection(select=("schema",)),
        filters=filters,
        cwd=cwd,
    )
    return run(options, RULES, schemas())


def states(findings: Sequence[Finding]) -> list[tuple[str, int, str | None]]:
    """(rule id, line, suppression justification) of each finding."""
    return [(f.rule_id, f.location.line, f.suppression) for f in findings]


SERVICE = """
apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: shop{annotations}
spec:
  bogus: 1{same_line}
  ports:
  - port: 80
"""


def service(annotations: str = "", same_line: str = "", above: str = "") -> str:
    text = SERVICE.format(annotations=annotations, same_line=same_line)
    if above:
        text = text.replace("  bogus: 1", f"  {above}\n  bogus: 1")
    return text


def test_unsuppressed_finding_for_reference() -> None:
    assert states(lint(service())) == [("schema", 7, None)]


# --- comments --------------------------------------------------------------------------------


def test_comment_on_the_same_line_suppresses() -> None:
    findings = lint(service(same_line="  # netlint: ignore[schema]"))
    assert states(findings) == [("schema", 7, "inline comment")]


def test_comment_alone_on_the_line_above_suppresses() -> None:
    findings = lint(service(above="# netlint: ignore[schema]"))
    assert states(findings) == [("schema", 8, "inline comment")]


def test_comment_two_lines_above_does_not_suppress() -> None:
    findings = lint(service(above="# netlint: ignore[schema]\n  # why: see ticket"))
    assert states(findings) == [("schema", 9, None)]


def test_comment_ending_the_line_above_does_not_suppress_the_next_line() -> None:
    # Only a comment alone on its line applies to the line below.
    text = service().replace("spec:\n", "spec:  # netlint: ignore[schema]\n")
    assert states(lint(text)) == [("schema", 7, None)]


def test_comment_for_another_rule_does_not_suppress() -> None:
    findings = lint(service(same_line="  # netlint: ignore[duplicate-object, yaml]"))
    assert states(findings) == [("schema", 7, None)]


def test_comment_with_several_rules_and_a_reason() -> None:
    findings = lint(service(same_line="  # netlint: ignore[yaml-syntax, schema] -- CRD field"))
    assert states(findings) == [("schema", 7, "inline comment: CRD field")]


def test_comment_with_a_prefix_entry() -> None:
    findings = lint(service(same_line="  # netlint: ignore[yaml, sch]"))
    assert states(findings) == [("schema", 7, None)]  # `sch` is not a `-` boundary prefix
    text = """
    apiVersion: v1
    kind: Service
    metadata:
      name: web
    spec:
      ports:
      - port: 80
        port: 81  # netlint: ignore[yaml]
    """
    assert states(lint(text)) == [("yaml-duplicate-key", 8, "inline comment")]


def test_bare_comment_suppresses_every_rule_on_the_line() -> None:
    findings = lint(service(same_line="  # netlint: ignore"))
    assert states(findings) == [("schema", 7, "inline comment")]


def test_comment_all_entry() -> None:
    findings = lint(service(above="# netlint: ignore[all]"))
    assert states(findings) == [("schema", 8, "inline comment")]


def test_directive_after_another_comment_counts() -> None:
    findings = lint(service(same_line="  # legacy field # netlint: ignore[schema]"))
    assert states(findings) == [("schema", 7, "inline comment")]


def test_hash_inside_a_quoted_value_is_not_a_comment() -> None:
    text = service().replace("bogus: 1", "bogus: 'x # netlint: ignore[schema]'")
    assert states(lint(text)) == [("schema", 7, None)]
    text = service().replace("bogus: 1", 'bogus: "a \\" # netlint: ignore[schema]"')
    assert states(lint(text)) == [("schema", 7, None)]


def test_similar_words_are_not_directives() -> None:
    findings = lint(service(same_line="  # netlint: ignored later"))
    assert states(findings) == [("schema", 7, None)]


def test_comment_start() -> None:
    assert comment_start("a: b # c") == 5
    assert comment_start("# c") == 0
    assert comment_start("a: b#c") is None
    assert comment_start("a: 'it''s # not' # yes") == 17
    assert comment_start('a: "x \\" # no" # yes') == 15
    assert comment_start("a: it's # yes") == 8
    assert comment_start("- '#x'") is None


# --- annotation --------------------------------------------------------------------------------


def test_annotation_suppresses_the_objects_findings_with_reason() -> None:
    annotations = (
        "\n  annotations:"
        '\n    netlint.io/ignore: "duplicate-object, schema # fields for our CRD fork"'
    )
    findings = lint(service(annotations=annotations))
    assert states(findings) == [
        ("schema", 9, "annotation netlint.io/ignore: fields for our CRD fork"),
    ]


def test_annotation_without_reason() -> None:
    annotations = "\n  annotations:\n    netlint.io/ignore: schema"
    assert states(lint(service(annotations=annotations))) == [
        ("schema", 9, "annotation netlint.io/ignore"),
    ]


def test_annotation_prefix_entry_and_other_rules() -> None:
    annotations = "\n  annotations:\n    netlint.io/ignore: yaml, duplicate"
    assert states(lint(service(annotations=annotations))) == [("schema", 9, None)]
    annotations = "\n  annotations:\n    netlint.io/ignore: all"
    assert states(lint(service(annotations=annotations))) == [
        ("schema", 9, "annotation netlint.io/ignore"),
    ]


def test_annotation_applies_only_to_its_own_object() -> None:
    text = """
    apiVersion: v1
    kind: Service
    metadata:
      name: a
      annotations:
        netlint.io/ignore: schema
    spec:
      bogus: 1
      ports: [{port: 80}]
    ---
    apiVersion: v1
    kind: Service
    metadata:
      name: b
    spec:
      bogus: 1
      ports: [{port: 80}]
    """
    assert states(lint(text)) == [
        ("schema", 8, "annotation netlint.io/ignore"),
        ("schema", 16, None),
    ]


def test_annotation_on_one_of_two_duplicates() -> None:
    text = """
    apiVersion: v1
    kind: Service
    metadata:
      name: web
    spec:
      bogus: 1
      ports: [{port: 80}]
    ---
    apiVersion: v1
    kind: Service
    metadata:
      name: web
      annotations:
        netlint.io/ignore: duplicate-object, schema
    spec:
      bogus: 2
      ports: [{port: 80}]
    """
    assert states(lint(text)) == [
        ("schema", 6, None),
        ("duplicate-object", 12, "annotation netlint.io/ignore"),
        ("schema", 16, "annotation netlint.io/ignore"),
    ]


def test_annotation_on_one_of_many_copies_in_a_list_covers_that_copy_only() -> None:
    # Each finding on one of many copies of an object finds its own copy (by bisecting their
    # start lines, not by comparing with every copy).
    item = "- {apiVersion: v1, kind: Service, metadata: {name: web%s}, spec: {bogus: %d}}\n"
    annotated = ", annotations: {netlint.io/ignore: schema}"
    items = "".join(item % (annotated if n == 30 else "", n) for n in range(40))
    findings = lint("apiVersion: v1\nkind: List\nitems:\n" + items, select=("schema",))
    assert [line for _, line, why in states(findings) if why is not None] == [34]
    assert len(findings) == 40


def test_annotation_covers_findings_without_object_only_inside_its_document() -> None:
    text = """
    apiVersion: v1
    kind: Service
    metadata:
      name: a
      annotations:
        netlint.io/ignore: yaml-duplicate-key
    spec:
      ports: [{port: 80}]
      ports: [{port: 81}]
    ---
    kind: Service
    kind: Service
    """
    assert states(lint(text, select=("yaml-duplicate-key",))) == [
        ("yaml-duplicate-key", 9, "annotation netlint.io/ignore"),
        # Always reported (issue 24): the second document lacks apiVersion and metadata.
        ("manifest-shape", 11, None),
        ("yaml-duplicate-key", 12, None),
    ]


def test_annotation_that_is_not_a_string_is_ignored() -> None:
    annotations = "\n  annotations:\n    netlint.io/ignore: [schema]"
    findings = lint(service(annotations=annotations), select=("schema",))
    assert ("schema", 9, None) in states(findings)


def test_parse_entries() -> None:
    assert parse_entries(" rule-a, rule-b ,rule-c ") == ("rule-a", "rule-b", "rule-c")
    assert parse_entries("rule-a rule-b") == ("rule-a", "rule-b")
    assert parse_entries("") == ()


def test_suppressed_findings_are_kept_and_not_active() -> None:
    options = RunOptions(
        paths=["-"],
        stdin_text=textwrap.dedent(service(same_line="  # netlint: ignore[schema]")).lstrip("\n"),
        selection=Selection(select=("schema",)),
        filters=(inline_suppression_filter(),),
    )
    report = run(options, RULES, schemas())
    assert report.active == []
    assert [f.rule_id for f in report.suppressed] == ["schema"]


def test_a_comment_suppresses_as_linted_even_if_the_file_changes_during_the_run(
    tmp_path: Path,
) -> None:
    # The text of a file that holds a directive is kept from the read its findings were made on
    # (issue 34, item 4): an edit during the run neither loses nor invents a suppression.
    path = tmp_path / "svc.yaml"
    text = textwrap.dedent(service(same_line="  # netlint: ignore[schema]")).lstrip("\n")
    path.write_text(text, encoding="utf-8")
    kept = lint_paths([path], tmp_path, [inline_suppressions])
    assert states(kept.findings) == [("schema", 7, "inline comment")]

    def edit_the_file(findings: list[Finding], _data: object) -> list[Finding]:
        path.write_text(text.replace("# netlint: ignore[schema]", ""), encoding="utf-8")
        return findings

    edited = lint_paths([path], tmp_path, [edit_the_file, inline_suppressions])
    assert states(edited.findings) == [("schema", 7, "inline comment")]

    def add_a_directive(findings: list[Finding], _data: object) -> list[Finding]:
        path.write_text(text.replace("# netlint: ignore[schema]", "# netlint: ignore"), "utf-8")
        return findings

    plain = text.replace("  # netlint: ignore[schema]", "")
    path.write_text(plain, encoding="utf-8")
    added = lint_paths([path], tmp_path, [add_a_directive, inline_suppressions])
    assert states(added.findings) == [("schema", 7, None)]


# --- per-file-ignores ------------------------------------------------------------------------


BAD_SERVICE = (
    "apiVersion: v1\nkind: Service\nmetadata:\n  name: {name}\n"
    "spec:\n  bogus: 1\n  ports: [{{port: 80}}]\n"
)


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    for relative in ("legacy/old.yaml", "legacy/deep/older.yaml", "k8s/new.yaml"):
        path = tmp_path / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(BAD_SERVICE.format(name=path.stem), encoding="utf-8")
    return tmp_path


def test_per_file_ignores_drop_findings_in_matching_files(tree: Path) -> None:
    filters = [per_file_ignores_filter({"legacy/*.yaml": ["schema"]}, tree)]
    report = lint_paths([tree], tree, filters)
    assert sorted(f.location.path for f in report.findings) == ["k8s/new.yaml"]
    assert report.suppressed == []


def test_per_file_ignores_globs_are_relative_to_the_config_directory(tree: Path) -> None:
    # Run from a sub-directory: display paths change, the config's globs still apply.
    filters = [per_file_ignores_filter({"legacy/**": ["all"], "new.yaml": ["duplicate"]}, tree)]
    report = lint_paths([tree], tree / "k8s", filters)
    assert [f.location.path for f in report.findings] == ["new.yaml"]


def test_per_file_ignores_with_a_prefix_and_a_file_name(tree: Path) -> None:
    filters = [per_file_ignores_filter({"older.yaml": ["sch"], "new.yaml": ["schema"]}, tree)]
    report = lint_paths([tree], tree, filters)
    assert sorted(f.location.path for f in report.findings) == [
        "legacy/deep/older.yaml",
        "legacy/old.yaml",
    ]


def test_a_per_file_ignores_typo_is_a_usage_error(tree: Path) -> None:
    (tree / ".netlint.yaml").write_text("per-file-ignores:\n  legacy/*.yaml: [schema, sevrice]\n")
    result = CliRunner().invoke(cli, ["check", str(tree), "--config", str(tree / ".netlint.yaml")])
    assert result.exit_code == 2
    assert (
        ".netlint.yaml:2: per-file-ignores 'legacy/*.yaml': unknown rule or prefix 'sevrice'; "
        "did you mean 'service'? (see `netlint rules`)" in result.output
    )
