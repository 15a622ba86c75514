"""What a policy's expressions read that netlint cannot know offline, found in their text (CEL
string literals removed first, so `'authorizer'` in a message is no reference)."""

from __future__ import annotations

import re
from collections.abc import Iterable

# CEL string literals: raw or not, single or triple quoted (the CEL spec's lexical grammar).
_STRING = re.compile(
    r"""[rR]?(?:'''(?:\\.|[^\\])*?'''|\"\"\"(?:\\.|[^\\])*?\"\"\"|'(?:\\.|[^'\\\n])*'|"(?:\\.|[^"\\\n])*")""",
    re.DOTALL,
)
# A top-level identifier: not a field selection (`x.authorizer`).
_AUTHORIZER = re.compile(r"(?<![\w.])authorizer\b")
_USER_INFO = re.compile(r"(?<![\w.])request\s*\.\s*userInfo\b")
_NAMESPACE_OBJECT = re.compile(r"(?<![\w.])namespaceObject\b")


def _code(expressions: Iterable[str]) -> str:
    return "\n".join(_STRING.sub('""', expression) for expression in expressions)


def offline_gap(expressions: Iterable[str]) -> str | None:
    """Why expressions that read this cannot be evaluated offline, if they do."""
    code = _code(expressions)
    if _AUTHORIZER.search(code):
        return "its expressions call `authorizer`, which asks the cluster's authorizer"
    if _USER_INFO.search(code):
        return "its expressions read `request.userInfo`, who makes the request"
    return None


def reads_namespace_object(expressions: Iterable[str]) -> bool:
    return _NAMESPACE_OBJECT.search(_code(expressions)) is not None
