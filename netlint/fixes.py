"""Building fixes: the edits a rule attaches to a `Diagnostic` (DESIGN §8a), from a manifest and
paths inside it, never from the text (which rules do not see).

Each builder answers an `Edit` on the exact span of a node, or None when the document does not
have the shape the edit needs (the path is missing, the value is not a scalar...): a rule then
offers no fix. Block mappings get new entries indented as their own entries are, flow mappings
get flow text. `safe_fix` and `unsafe_fix` wrap edits into a `Fix` with its applicability, and
answer None when any edit is None, so a rule can write `fix=safe_fix("...", edit, ...)`.

Public API for rule packs, like `netlint.api` and `netlint.k8s`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping

from netlint.findings import END_OF_LINE, Applicability, Edit, Fix, Path
from netlint.input.document import Node, Span
from netlint.model.manifest import Manifest

# Strings written without quotes: what go-yaml reads back as the same string.
_PLAIN = re.compile(r"[A-Za-z_/][-A-Za-z0-9_./]*\Z")
_KEYWORDS = frozenset(["y", "n", "yes", "no", "on", "off", "true", "false", "null", "nan", "inf"])


def safe_fix(title: str, *edits: Edit | None) -> Fix | None:
    """A fix `--fix` applies: the meaning is unchanged or certainly what was meant."""
    return _fix(title, Applicability.SAFE, edits)


def unsafe_fix(title: str, *edits: Edit | None) -> Fix | None:
    """A fix only `--unsafe-fixes` applies: it changes what the object does."""
    return _fix(title, Applicability.UNSAFE, edits)


def _fix(title: str, applicability: Applicability, edits: tuple[Edit | None, ...]) -> Fix | None:
    kept = [edit for edit in edits if edit is not None]
    if not kept or len(kept) != len(edits):
        return None
    return Fix(title, applicability, tuple(kept))


def scalar_text(value: Node) -> str:
    """`value` as a YAML scalar that reads back as itself: plain where that is safe, else
    double-quoted (JSON's quoting is YAML's)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return json.dumps(value)
    if isinstance(value, str):
        if _PLAIN.match(value) and value.lower() not in _KEYWORDS:
            return value
        return json.dumps(value)
    return flow_text(value)


def flow_text(value: Node) -> str:
    """`value` in flow style: `{name: web, port: {number: 80}}`."""
    if isinstance(value, dict):
        inner = ", ".join(f"{scalar_text(key)}: {flow_text(item)}" for key, item in value.items())
        return "{" + inner + "}"
    if isinstance(value, list):
        return "[" + ", ".join(flow_text(item) for item in value) + "]"
    return scalar_text(value)


def _block_entry(key: str, value: Node, column: int, step: int) -> str:
    """`key: value` in block style, its later lines indented from `column`; lists and empty
    mappings in flow style."""
    if isinstance(value, dict) and value:
        inner = column + step
        lines = [f"{scalar_text(key)}:"]
        lines += [
            " " * inner + _block_entry(child, item, inner, step) for child, item in value.items()
        ]
        return "\n".join(lines)
    return f"{scalar_text(key)}: {flow_text(value)}"


def _node(manifest: Manifest, path: Path) -> tuple[bool, Node]:
    """Whether `path` exists in the manifest, and the node there."""
    node: Node = manifest.data
    for step in path:
        if isinstance(node, dict):
            if not isinstance(step, str) or step not in node:
                return False, None
            node = node[step]
        elif isinstance(node, list):
            if not isinstance(step, int) or not 0 <= step < len(node):
                return False, None
            node = node[step]
        else:
            return False, None
    return True, node


def _is_flow(manifest: Manifest, path: Path, mapping: Mapping[str, Node]) -> bool:
    """Whether the mapping at `path` is written in flow style: a block mapping starts at its
    first key, a flow one at its `{`."""
    if not mapping:
        return True
    first = next(iter(mapping))
    return manifest.span_of(path)[:2] != manifest.span_of((*path, first), on_key=True)[:2]


def _step(manifest: Manifest, path: Path, mapping: Mapping[str, Node]) -> int:
    """How far the block mapping at `path` is indented from its parent's key (2 if unknown)."""
    if not path or not isinstance(path[-1], str) or not mapping:
        return 2
    parent = manifest.span_of(path, on_key=True)[1]
    child = manifest.span_of((*path, next(iter(mapping))), on_key=True)[1]
    return child - parent if child > parent else 2


def _end(manifest: Manifest, path: Path, node: Node) -> tuple[int, int] | None:
    """Where the value at `path` ends: its last scalar's end (a block scalar's, before the line
    break that ends it). None for an empty collection, whose end no span gives."""
    while isinstance(node, (dict, list)):
        if not node:
            return None
        if isinstance(node, dict):
            last = next(reversed(node))
            path, node = (*path, last), node[last]
        else:
            path, node = (*path, len(node) - 1), node[-1]
    line, _, end_line, end_column = manifest.span_of(path)
    if end_column == 0 and end_line > line:
        return end_line - 1, END_OF_LINE
    return end_line, end_column


def _edit(start: tuple[int, int], end: tuple[int, int], text: str) -> Edit:
    return Edit(start[0], start[1], end[0], end[1], text)


def _start(span: Span) -> tuple[int, int]:
    return span[0], span[1]


def replace_value(manifest: Manifest, path: Path, text: str) -> Edit | None:
    """Write `text` (YAML source, e.g. `scalar_text(...)`) in place of the scalar at `path`."""
    found, node = _node(manifest, path)
    if not found or isinstance(node, (dict, list)) or not path:
        return None
    span = manifest.span_of(path)
    return _edit(_start(span), (span[2], span[3]), text)


def rename_key(manifest: Manifest, path: Path, key: str) -> Edit | None:
    """Rename the mapping entry at `path` (its last step) to `key`, keeping its value."""
    found, _ = _node(manifest, path)
    if not found or not path or not isinstance(path[-1], str):
        return None
    span = manifest.span_of(path, on_key=True)
    return _edit(_start(span), (span[2], span[3]), scalar_text(key))


def delete_entry(manifest: Manifest, path: Path) -> Edit | None:
    """Remove the mapping entry at `path`, key and value (with its line in block style). None
    for the only entry of a block mapping, which would leave its parent null."""
    found, node = _node(manifest, path)
    if not found or not path or not isinstance(path[-1], str):
        return None
    parent_path = path[:-1]
    parent = _node(manifest, parent_path)[1]
    assert isinstance(parent, dict)
    keys = list(parent)
    index = keys.index(path[-1])
    start = _start(manifest.span_of(path, on_key=True))
    if index + 1 < len(keys):  # up to the next key: "key: value, " or its lines
        following = manifest.span_of((*parent_path, keys[index + 1]), on_key=True)
        return _edit(start, _start(following), "")
    end = _end(manifest, path, node)
    if end is None:
        return None
    previous = keys[index - 1] if index else None
    previous_end = None
    if previous is not None:
        previous_end = _end(manifest, (*parent_path, previous), parent[previous])
    if _is_flow(manifest, parent_path, parent):
        if isinstance(node, (dict, list)):
            return None  # its closing bracket is past any span
        if previous_end is not None and not isinstance(parent[previous or ""], (dict, list)):
            return _edit(previous_end, end, "")  # ", key: value"
        return _edit(start, end, "")  # a trailing comma is still valid flow YAML
    if previous_end is None:
        return None
    return _edit((previous_end[0], END_OF_LINE), (end[0], END_OF_LINE), "")


def insert_entry(
    manifest: Manifest, path: Path, key: str, value: Node, *, after: str | None = None
) -> Edit | None:
    """Add `key: value` to the mapping at `path`: first, or right after the entry `after`."""
    found, node = _node(manifest, path)
    if not found or not isinstance(node, dict) or key in node:
        return None
    if not node:  # `{}`: inside the braces
        line, column = _start(manifest.span_of(path))
        return Edit(line, column + 1, line, column + 1, f"{scalar_text(key)}: {flow_text(value)}")
    flow = _is_flow(manifest, path, node)
    if after is not None:
        if after not in node:
            return None
        end = _end(manifest, (*path, after), node[after])
        if end is None:
            return None
        if flow:
            return _edit(end, end, f", {scalar_text(key)}: {flow_text(value)}")
        column = manifest.span_of((*path, after), on_key=True)[1]
        text = "\n" + " " * column + _block_entry(key, value, column, _step(manifest, path, node))
        eol = (end[0], END_OF_LINE)
        return _edit(eol, eol, text)
    first = _start(manifest.span_of((*path, next(iter(node))), on_key=True))
    if flow:
        return _edit(first, first, f"{scalar_text(key)}: {flow_text(value)}, ")
    step = _step(manifest, path, node)
    return _edit(first, first, _block_entry(key, value, first[1], step) + "\n" + " " * first[1])


def replace_entry(manifest: Manifest, path: Path, key: str, value: Node) -> Edit | None:
    """Write `key: value` in place of the mapping entry at `path`, whose value is a scalar."""
    found, node = _node(manifest, path)
    if not found or isinstance(node, (dict, list)) or not path or not isinstance(path[-1], str):
        return None
    parent_path = path[:-1]
    parent = _node(manifest, parent_path)[1]
    assert isinstance(parent, dict)
    key_span = manifest.span_of(path, on_key=True)
    value_span = manifest.span_of(path)
    if _is_flow(manifest, parent_path, parent):
        text = f"{scalar_text(key)}: {flow_text(value)}"
    else:
        text = _block_entry(key, value, key_span[1], _step(manifest, parent_path, parent))
    return _edit(_start(key_span), (value_span[2], value_span[3]), text)


__all__ = [
    "delete_entry",
    "flow_text",
    "insert_entry",
    "rename_key",
    "replace_entry",
    "replace_value",
    "safe_fix",
    "scalar_text",
    "unsafe_fix",
]
