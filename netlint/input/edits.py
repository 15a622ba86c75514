"""Applying fixes to a text, the way ruff does: edits on exact spans, everything else kept.

Positions are the loader's (0-based lines as libyaml numbers them, columns in code points), so
they are turned into offsets with the same line breaks (`netlint.input.lines`). A pass applies
the fixes in order of their first edit and leaves out a fix whose edits overlap an applied
one's; the caller lints the new text and applies again what is left (`netlint.run.fixing`).
A newline in an edit's text is written as the break of the line the edit starts on.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from netlint.findings import Edit, Fix

_BREAK = re.compile("\r\n|[\n\r\x85\u2028\u2029]")


class LineTable:
    """Where each line of a text starts and ends (before its break), and which break ends it."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.starts = [0]
        self.ends: list[int] = []
        self.breaks: list[str] = []
        for match in _BREAK.finditer(text):
            self.ends.append(match.start())
            self.breaks.append(match.group())
            self.starts.append(match.end())
        self.ends.append(len(text))
        self.breaks.append(self.breaks[-1] if self.breaks else "\n")

    def offset(self, line: int, column: int) -> int:
        """The offset of (line, column), a column past the line's end meaning its end; a line
        past the last one is the end of the text."""
        if line >= len(self.starts):
            return len(self.text)
        return min(self.starts[line] + column, self.ends[line])

    def line_break(self, line: int) -> str:
        return self.breaks[min(line, len(self.breaks) - 1)]


def _resolved(table: LineTable, edit: Edit) -> tuple[int, int, str]:
    start = table.offset(edit.line, edit.column)
    end = max(start, table.offset(edit.end_line, edit.end_column))
    text = edit.text
    if "\n" in text:
        text = text.replace("\n", table.line_break(edit.line))
    return start, end, text


def apply_fixes(text: str, fixes: Sequence[Fix]) -> tuple[str, list[Fix]]:
    """`text` with every fix of `fixes` applied that overlaps no fix applied before it (in
    order of their first edit), and the fixes applied. A fix whose own edits overlap one
    another is never applied. Two edits touching at one offset do not overlap, unless both
    insert there (their order would be a guess)."""
    table = LineTable(text)
    planned: list[tuple[int, int, list[tuple[int, int, str]], Fix]] = []
    for fix in fixes:
        edits = sorted(_resolved(table, edit) for edit in fix.edits)
        if not edits or _overlapping(edits):
            continue
        planned.append((edits[0][0], edits[-1][1], edits, fix))
    planned.sort(key=lambda item: (item[0], item[1]))
    taken: list[tuple[int, int, str]] = []
    applied: list[Fix] = []
    for _, _, edits, fix in planned:
        if any(_clash(edit, other) for edit in edits for other in taken):
            continue
        taken.extend(edits)
        applied.append(fix)
    if not taken:
        return text, []
    taken.sort()
    parts: list[str] = []
    cursor = 0
    for start, end, replacement in taken:
        parts.append(text[cursor:start])
        parts.append(replacement)
        cursor = end
    parts.append(text[cursor:])
    return "".join(parts), applied


def _clash(one: tuple[int, int, str], other: tuple[int, int, str]) -> bool:
    start, end, _ = one
    other_start, other_end, _ = other
    if start == end == other_start == other_end:
        return True  # two insertions at one place
    return start < other_end and other_start < end


def _overlapping(edits: Sequence[tuple[int, int, str]]) -> bool:
    return any(_clash(edits[i], edits[i + 1]) for i in range(len(edits) - 1))


def concrete_edit(table: LineTable, edit: Edit) -> Edit:
    """`edit` as the machine outputs show it: each column a real one of its line (an
    `END_OF_LINE` or past-the-end column is the line's length) and each "\\n" of its text the
    break it is written as."""

    def column(line: int, at: int) -> int:
        if line >= len(table.starts):
            return 0
        return min(at, table.ends[line] - table.starts[line])

    _, _, text = _resolved(table, edit)
    return Edit(
        edit.line,
        column(edit.line, edit.column),
        edit.end_line,
        column(edit.end_line, edit.end_column),
        text,
    )
