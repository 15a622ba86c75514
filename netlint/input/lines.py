"""Splitting a text into lines exactly as the YAML parser numbers them."""

from __future__ import annotations

import re

# The line breaks libyaml counts (and so the loader's line numbers): LF, CRLF, CR, NEL, LS, PS.
# `str.splitlines` would also split on \v, \f and \x1c-\x1e and shift every later line.
_LINE_BREAK = re.compile("\r\n|[\n\r\x85\u2028\u2029]")
_RARE_BREAKS = ("\r", "\x85", "\u2028", "\u2029")


def split_lines(text: str) -> list[str]:
    """The lines of `text` as the YAML parser numbers them (index 0 is line 1), breaks removed."""
    if not any(char in text for char in _RARE_BREAKS):
        return text.split("\n")  # the common case, several times faster than the regex
    return _LINE_BREAK.split(text)
