"""Untrusted text made inert for a terminal or a line-based format (issue 34, item 3).

Object names, label keys, messages built from them, file names and the docs of YAML policies
and rule packs all come from files netlint did not write. In the text and `github` formats, and
in `netlint rules` and `explain`, a raw newline (or U+2028, \\v, \\x85, which some readers take
for one) would start a forged finding or workflow command, and ESC or BEL would drive the
user's terminal. So every character that is not printable is shown as an escape: `\\n`, `\\x1b`,
`\\u2028`. JSON and SARIF need none of this: `json.dumps` escapes control characters itself.
"""

from __future__ import annotations

from netlint.input.display_paths import printable

_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def inert(text: str) -> str:
    """`text` on one line, every character that is not printable shown as an escape."""
    if text.isprintable():
        return text
    return "".join(_NAMED.get(char) or printable(char) for char in text)


def inert_lines(text: str) -> str:
    """`text` with its line breaks (LF) kept and every other non-printable character escaped,
    for multi-line documentation (a rule's example); tabs are kept too."""
    if text.isprintable():
        return text
    return "\n".join(
        "".join(char if char == "\t" else inert(char) for char in line) for line in text.split("\n")
    )
