"""Where a YAML syntax error is, what its message says, and where parsing resumes after it.

A `Cursor` walks the text line by line (for the error's line and the next `---` line), a reader
error's byte offset becomes a line and column, and a tab in the indentation gets a message of
its own. `loader` puts these together.
"""

from __future__ import annotations

import re
from functools import cache


@cache
def _line_break() -> re.Pattern[str]:
    """The line breaks libyaml counts: LF, CRLF, CR, NEL, LS, PS (YAML 1.1). Lines are numbered
    the same way here, so a file with mixed or old Mac line endings resumes at the right line.
    Compiled when a syntax error is first placed, not at import (issue 31)."""
    return re.compile("\r\n|[\n\r\x85\u2028\u2029]")


@cache
def _document_start() -> re.Pattern[str]:
    """A `---` document marker at a line's start (as `_line_break`: compiled on first use)."""
    return re.compile("---(?=[ \t\r\n\x85\u2028\u2029]|$)")


class Cursor:
    """Walks forward through a text line by line; all its moves together cost O(len(text))."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.line = 0
        self.pos = 0  # offset of the start of `line`

    def advance_to(self, line: int) -> bool:
        """Move to the start of `line` (not before the current one); False past the end."""
        if line <= self.line:
            return True
        for match in _line_break().finditer(self.text, self.pos):
            self.line += 1
            self.pos = match.end()
            if self.line == line:
                return True
        return False

    def line_text(self, line: int) -> str:
        """The text of `line` (at or after the current one), without its line break; past the
        end of the text, the cursor stays on the last line and gives that line's text."""
        self.advance_to(line)
        end = _line_break().search(self.text, self.pos)
        return self.text[self.pos : end.start() if end else len(self.text)]

    def next_document_start(self, first_line: int) -> int | None:
        """The first line at or after `first_line` that starts with a `---` marker."""
        if not self.advance_to(first_line):
            return None
        while True:
            if _document_start().match(self.text, self.pos):
                return self.line
            if not self.advance_to(self.line + 1):
                return None


def char_position(text: str, error: Exception) -> tuple[int, int] | None:
    """Line and column of a reader error (a control character...), which libyaml reports as a
    byte offset into the UTF-8 encoding of `text` rather than as a mark."""
    position = getattr(error, "position", None)
    if not isinstance(position, int) or position < 0:
        return None
    offset = len(text.encode("utf-8")[:position].decode("utf-8", "ignore"))
    line = 0
    line_start = 0
    for match in _line_break().finditer(text, 0, offset):
        line += 1
        line_start = match.end()
    return line, offset - line_start


def syntax_message(problem: str, line_text: str, column: int) -> str:
    indent = line_text[: len(line_text) - len(line_text.lstrip(" \t"))]
    if "\t" in indent and column <= len(indent):
        return (
            "YAML syntax error: a tab character indents this line; YAML allows only spaces "
            "for indentation"
        )
    return f"YAML syntax error: {problem}"
