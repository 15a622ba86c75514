"""Code actions and hovers for one document's findings: each rule's fix, "suppress on this
line" with the inline comment the suppression filter reads (`filters.suppression`), and the
rule's docs as `netlint explain` prints them."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from lsprotocol import types

from netlint.api import RuleMeta
from netlint.findings import Finding
from netlint.input.edits import apply_fixes
from netlint.report.explain import explain_text
from netlint.server.convert import diagnostic, finding_range, lines_of, replacement

FIX_ALL_KIND = "source.fixAll.netlint"
# An inline directive already on the line, whose list a new rule joins.
_DIRECTIVE = re.compile(r"#\s*netlint:\s*ignore\[([^\]]*)\]")


def _overlaps(one: types.Range, other: types.Range) -> bool:
    return (one.start.line, one.start.character) <= (other.end.line, other.end.character) and (
        other.start.line,
        other.start.character,
    ) <= (one.end.line, one.end.character)


def _contains(where: types.Range, at: types.Position) -> bool:
    start = (where.start.line, where.start.character)
    return start <= (at.line, at.character) <= (where.end.line, where.end.character)


def suppression_edit(text: str, finding: Finding) -> types.TextEdit:
    """The edit that suppresses `finding` on its line: the rule joins a directive already at the
    line's end, else `  # netlint: ignore[rule]` ends the line, else (the line has a comment of
    its own) the directive goes alone on the line above, which the filter reads too."""
    lines = lines_of(text)
    index = min(finding.location.line - 1, len(lines) - 1)
    line = lines[index]
    rule = finding.rule_id
    existing = _DIRECTIVE.search(line)
    if existing is not None:
        at = existing.end(1)
        entries = existing.group(1).strip()
        insert = f", {rule}" if entries else rule
        where = types.Position(index, len(line[:at].encode("utf-16-le")) // 2)
        return types.TextEdit(types.Range(where, where), insert)
    if "#" not in line:
        end = types.Position(index, len(line.encode("utf-16-le")) // 2)
        return types.TextEdit(types.Range(end, end), f"  # netlint: ignore[{rule}]")
    indent = line[: len(line) - len(line.lstrip())]
    start = types.Position(index, 0)
    return types.TextEdit(types.Range(start, start), f"{indent}# netlint: ignore[{rule}]\n")


def code_actions(
    uri: str,
    text: str,
    findings: Sequence[Finding],
    metas: Mapping[str, RuleMeta],
    wanted: types.Range,
) -> list[types.CodeAction]:
    """The quick fixes of the findings that touch `wanted`: each finding's fix, then its
    suppression."""
    lines = lines_of(text)
    actions: list[types.CodeAction] = []
    for finding in findings:
        where = finding_range(finding, lines)
        if not _overlaps(where, wanted):
            continue
        shown = diagnostic(finding, lines, metas.get(finding.rule_id))
        if finding.fix is not None:
            fixed, applied = apply_fixes(text, [finding.fix])
            if applied and fixed != text:
                actions.append(
                    types.CodeAction(
                        title=f"{finding.fix.title} ({finding.rule_id})",
                        kind=types.CodeActionKind.QuickFix,
                        diagnostics=[shown],
                        is_preferred=finding.fix.applies(False),
                        edit=types.WorkspaceEdit(changes={uri: [replacement(text, fixed)]}),
                    )
                )
        actions.append(
            types.CodeAction(
                title=f"Suppress {finding.rule_id} on this line",
                kind=types.CodeActionKind.QuickFix,
                diagnostics=[shown],
                edit=types.WorkspaceEdit(changes={uri: [suppression_edit(text, finding)]}),
            )
        )
    return actions


def fix_all_action(uri: str, before: str, after: str) -> types.CodeAction:
    return types.CodeAction(
        title="Fix all safe netlint fixes in the file",
        kind=FIX_ALL_KIND,
        edit=types.WorkspaceEdit(changes={uri: [replacement(before, after)]}),
    )


def hover(
    text: str, findings: Sequence[Finding], metas: Mapping[str, RuleMeta], at: types.Position
) -> types.Hover | None:
    """The docs of each rule with a finding under `at`, as `netlint explain` prints them."""
    lines = lines_of(text)
    shown: list[str] = []
    for finding in findings:
        meta = metas.get(finding.rule_id)
        if meta is None or not _contains(finding_range(finding, lines), at):
            continue
        docs = explain_text(meta)
        if docs not in shown:
            shown.append(docs)
    if not shown:
        return None
    return types.Hover(
        contents=types.MarkupContent(kind=types.MarkupKind.PlainText, value="\n\n".join(shown))
    )
