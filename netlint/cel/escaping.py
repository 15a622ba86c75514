"""Kubernetes' escaping of property names in CEL (k8s.io/apiserver/pkg/cel `Unescape`): a
property whose name is a CEL keyword or holds `-`, `.` or `/` is written `__namespace__`,
`x__dash__prop`, `a__dot__b`, `a__slash__b`, and a `__` in it `__underscores__`."""

from __future__ import annotations

import re

# CEL's reserved words (the language definition's), which a property name may be.
_KEYWORDS = frozenset(
    {"true", "false", "null", "in", "as", "break", "const", "continue", "else", "for"}
    | {"function", "if", "import", "let", "loop", "package", "namespace", "return", "var"}
    | {"void", "while"}
)
_ESCAPE = re.compile(r"__(underscores|dot|dash|slash)__")
_CHARACTERS = {"underscores": "__", "dot": ".", "dash": "-", "slash": "/"}


def unescape(name: str) -> str:
    """The property name that `name`, as written in an expression, stands for."""
    if name.startswith("__") and name.endswith("__") and name[2:-2] in _KEYWORDS:
        return name[2:-2]
    return _ESCAPE.sub(lambda m: _CHARACTERS[m.group(1)], name)
