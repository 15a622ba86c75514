"""Findings as LSP diagnostics, and text edits between two versions of a document.

netlint's locations are 1-based lines and columns in code points; LSP positions are 0-based
and count UTF-16 code units (the default position encoding), so columns are converted with
the document's own line.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from lsprotocol import types

from netlint.api import RuleMeta
from netlint.findings import Finding, Severity
from netlint.report.rule_docs import page_url

SOURCE = "netlint"
_BREAK = re.compile(r"\r\n|\r|\n")  # the line breaks LSP counts

_SEVERITIES = {
    Severity.ERROR: types.DiagnosticSeverity.Error,
    Severity.WARNING: types.DiagnosticSeverity.Warning,
    Severity.INFO: types.DiagnosticSeverity.Information,
}


def utf16_column(line: str, column: int) -> int:
    """The UTF-16 offset of code-point `column` (0-based) in `line`."""
    head = line[:column]
    return column + sum(1 for char in head if ord(char) > 0xFFFF)


def position(lines: Sequence[str], line: int, column: int) -> types.Position:
    """The LSP position of 0-based (line, code-point column), clamped to the document."""
    if line >= len(lines):
        return types.Position(len(lines), 0)
    text = lines[line]
    return types.Position(line, utf16_column(text, min(column, len(text))))


def code_points(line: str, utf16: int) -> int:
    """The code-point column of UTF-16 offset `utf16` in `line` (the inverse of `utf16_column`)."""
    units = 0
    for index, char in enumerate(line):
        if units >= utf16:
            return index
        units += 2 if ord(char) > 0xFFFF else 1
    return len(line)


def lines_of(text: str) -> list[str]:
    """The lines of `text` without their breaks, as LSP counts them."""
    return _BREAK.split(text)


def finding_range(finding: Finding, lines: Sequence[str]) -> types.Range:
    where = finding.location
    return types.Range(
        position(lines, where.line - 1, where.column - 1),
        position(lines, where.end_line - 1, where.end_column - 1),
    )


def diagnostic(finding: Finding, lines: Sequence[str], meta: RuleMeta | None) -> types.Diagnostic:
    """`finding` as the editor shows it: the rule id as `code`, its docs page (SARIF's
    `helpUri`) as `codeDescription`, the hint after the message."""
    message = finding.message + (f"\n{finding.hint}" if finding.hint else "")
    href = page_url(meta) if meta is not None else None
    return types.Diagnostic(
        range=finding_range(finding, lines),
        message=message,
        severity=_SEVERITIES[finding.severity],
        code=finding.rule_id,
        code_description=types.CodeDescription(href=href) if href else None,
        source=SOURCE,
    )


def replacement(before: str, after: str) -> types.TextEdit:
    """One edit that turns `before` into `after`: the changed middle only, so that the editor
    keeps the cursor and the undo step small."""
    start = 0
    limit = min(len(before), len(after))
    while start < limit and before[start] == after[start]:
        start += 1
    end = 0
    while end < limit - start and before[-1 - end] == after[-1 - end]:
        end += 1
    return types.TextEdit(
        types.Range(_offset_position(before, start), _offset_position(before, len(before) - end)),
        after[start : len(after) - end],
    )


def _offset_position(text: str, offset: int) -> types.Position:
    line = text.count("\n", 0, offset)
    line_start = text.rfind("\n", 0, offset) + 1
    return types.Position(line, utf16_column(text[line_start:offset], offset - line_start))
