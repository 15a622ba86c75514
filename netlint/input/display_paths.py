"""How findings name a path: relative to the working directory, in printable UTF-8.

Display paths are printable UTF-8 whatever the file system holds: bytes of a file name that are
not UTF-8 are shown as `\\xNN` (the real path is kept for reading and SARIF URIs).
"""

from __future__ import annotations

import os
from pathlib import Path


def printable(name: str) -> str:
    """`name` as printable UTF-8: a byte that is not UTF-8 (Python keeps it as a lone surrogate,
    which no UTF-8 output can encode) becomes `\\xNN`, a control character `\\xNN` or `\\uNNNN`."""
    if name.isprintable():
        return name
    shown: list[str] = []
    for char in name:
        code = ord(char)
        if 0xDC80 <= code <= 0xDCFF:  # os.fsdecode's surrogateescape of byte code - 0xDC00
            shown.append(f"\\x{code - 0xDC00:02x}")
        elif char.isprintable() and not 0xD800 <= code <= 0xDFFF:
            shown.append(char)
        elif code <= 0xFF:
            shown.append(f"\\x{code:02x}")
        else:
            shown.append(f"\\u{code:04x}")
    return "".join(shown)


def display_path(path: Path | str, cwd: Path) -> str:
    """`path` relative to `cwd` when it is `cwd` or below it (on strings, not with
    `Path.relative_to`: a run shows thousands of paths), with forward slashes."""
    text, base = str(path), str(cwd)
    if text == base:
        return "."
    prefix = base if base.endswith(os.sep) else base + os.sep
    shown = text[len(prefix) :] if text.startswith(prefix) else text
    return printable(shown if os.sep == "/" else shown.replace(os.sep, "/"))
