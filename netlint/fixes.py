"""Building fixes: the edits a rule attaches to a `Diagnostic` (DESIGN §8a), from a manifest and
paths inside it, never from the text (which rules do not see).

Each builder answers an `Edit` on the exact span of a node, or None when the document does not
have the shape the edit needs (the path is missing or reached through an alias, the value is not
a scalar, a string is written with escapes...): a rule then offers no fix. Block mappings get new
entries indented as their own entries are, flow mappings get flow text; a replaced string keeps
its quoting, a deleted block entry takes only its own lines (comment lines around it stay) and a
deleted flow entry its comma. `safe_fix` and `unsafe_fix` wrap edits into a `Fix` with its applicability, and
answer None when any edit is None, so a rule can write `fix=safe_fix("...", edit, ...)`.

Public API for rule packs, like `netlint.api` and `netlint.k8s`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from functools import cache

from netlint.findings import END_OF_LINE, Applicability, Edit, Fix, Path
from netlint.input.document import Node, Span
from netlint.model.manifest import Manifest


@cache
def _plain() -> re.Pattern[str]:
    """Strings written without quotes: what go-yaml reads back as the same string. Compiled
    when a fix is first written, not at import (issue 31), as `_verbatim`."""
    return re.compile(r"[A-Za-z_/][-A-Za-z0-9_./]*\Z")


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
        if _plain().match(value) and value.lower() not in _KEYWORDS:
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
    """Whether `path` exists in the manifest, written where it is used, and the node there.

    A node reached through an alias (`*labels`) or a merge key (`<<: *base`) has the spans of
    its anchor: an edit there would change every place that uses the anchor, so it is as if
    the path did not exist (the anchored node itself is edited where it is written, which its
    aliases in the same document follow). Anchors come before their aliases, so such a node
    starts before its own key, or before the collection that holds it."""
    node: Node = manifest.data
    for depth, step in enumerate(path):
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
        if not _written_here(manifest, path[: depth + 1]):
            return False, None
    return True, node


def _written_here(manifest: Manifest, path: Path) -> bool:
    """Whether the last step of `path` is written inside its container (see `_node`)."""
    container = _start(manifest.span_of(path[:-1]))
    if isinstance(path[-1], str):
        key = manifest.span_of(path, on_key=True)
        return _start(key) >= container and _start(manifest.span_of(path)) >= (key[2], key[3])
    return _start(manifest.span_of(path)) >= container


def _is_flow(manifest: Manifest, path: Path, mapping: Mapping[str, Node]) -> bool:
    """Whether the mapping at `path` is written in flow style: a block mapping starts at its
    first key, a flow one at its `{`."""
    if not mapping:
        return True
    first = next(iter(mapping))
    return manifest.span_of(path)[:2] != manifest.span_of((*path, first), on_key=True)[:2]


def is_flow_mapping(manifest: Manifest, path: Path) -> bool:
    """Whether the mapping at `path` is written in flow style (`{a: 1}`); False for anything
    else."""
    found, node = _node(manifest, path)
    return found and isinstance(node, dict) and _is_flow(manifest, path, node)


def indent_step(manifest: Manifest, path: Path) -> int:
    """How many columns the block mapping at `path` is indented from its parent's key (2 when
    that cannot be told), for writing nested entries in its style."""
    found, node = _node(manifest, path)
    return _step(manifest, path, node) if found and isinstance(node, dict) else 2


def _step(manifest: Manifest, path: Path, mapping: Mapping[str, Node]) -> int:
    """How far the block mapping at `path` is indented from its parent's key (2 if unknown)."""
    if not path or not isinstance(path[-1], str) or not mapping:
        return 2
    parent = manifest.span_of(path, on_key=True)[1]
    child = manifest.span_of((*path, next(iter(mapping))), on_key=True)[1]
    return child - parent if child > parent else 2


def _end(manifest: Manifest, path: Path, node: Node) -> tuple[int, int] | None:
    """Where the value at `path` ends: its last scalar's end (a block scalar's, before the line
    break that ends it). None for an empty collection, whose end no span gives, and for a value
    that ends in an alias (its spans are the anchor's)."""
    if path and not _written_here(manifest, path):
        return None
    while isinstance(node, (dict, list)):
        if not node:
            return None
        if isinstance(node, dict):
            last = next(reversed(node))
            path, node = (*path, last), node[last]
        else:
            path, node = (*path, len(node) - 1), node[-1]
        if not _written_here(manifest, path):
            return None
    line, _, end_line, end_column = manifest.span_of(path)
    if end_column == 0 and end_line > line:
        return end_line - 1, END_OF_LINE
    return end_line, end_column


def _block_end(manifest: Manifest, path: Path, node: Node) -> tuple[int, int] | None:
    """`_end` of the value of the block mapping entry at `path`, for edits by whole lines; None
    for a flow collection over several lines, whose closing bracket may be on a line after its
    last scalar (a flow list starts on its key's line: a block one cannot)."""
    end = _end(manifest, path, node)
    if end is None or not isinstance(node, (dict, list)):
        return end
    line = manifest.span_of(path)[0]
    if end[0] == line:
        return end
    if isinstance(node, dict):
        flow = _is_flow(manifest, path, node)
    else:
        flow = line == manifest.span_of(path, on_key=True)[0]
    return None if flow else end


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


def replace_scalar(manifest: Manifest, path: Path, value: Node) -> Edit | None:
    """Write `value` in place of the scalar at `path`: a string over a string in its quoting
    (`replace_string`), anything else as `scalar_text` writes it."""
    found, node = _node(manifest, path)
    if found and isinstance(node, str) and isinstance(value, str):
        return replace_string(manifest, path, value)
    return replace_value(manifest, path, scalar_text(value))


def case_fix(manifest: Manifest, path: Path, supported: Sequence[str]) -> Fix | None:
    """A string outside `supported` (an enum) that is one supported value in another case
    (`tcp`, `nodeport`, `prefix`), written as that value in its quoting. Safe: the API server
    refuses the value as written, and no other supported value differs from it by case only."""
    found, value = _node(manifest, path)
    if not found or not isinstance(value, str):
        return None
    same = [candidate for candidate in supported if candidate.lower() == value.lower()]
    if len(same) != 1 or same[0] == value:
        return None
    return safe_fix(f"use {same[0]}", replace_string(manifest, path, same[0]))


def rename_key(manifest: Manifest, path: Path, key: str) -> Edit | None:
    """Rename the mapping entry at `path` (its last step) to `key`, keeping its value."""
    found, _ = _node(manifest, path)
    if not found or not path or not isinstance(path[-1], str):
        return None
    span = manifest.span_of(path, on_key=True)
    return _edit(_start(span), (span[2], span[3]), scalar_text(key))


def _closers(node: Node) -> str:
    """The brackets that close `node` and its last descendants in flow style: `}]` for
    `{a: [1]}`. Only flow text: inside a flow collection every collection is a flow one."""
    closers = ""
    while isinstance(node, (dict, list)) and node:
        closers = ("}" if isinstance(node, dict) else "]") + closers
        node = node[next(reversed(node))] if isinstance(node, dict) else node[-1]
    return closers


def _flow_tail_removal(
    manifest: Manifest, previous: Path, previous_node: Node, path: Path, node: Node
) -> Edit | None:
    """Remove the last entry or item of a flow collection (at `path`) with the comma before
    it: from the end of the previous one's last scalar, its closing brackets written again.
    None when the removed one is a collection (its own brackets are past any span)."""
    if isinstance(node, (dict, list)):
        return None
    previous_end, end = _end(manifest, previous, previous_node), _end(manifest, path, node)
    if previous_end is None or end is None:
        return None
    return _edit(previous_end, end, _closers(previous_node))


def delete_entry(manifest: Manifest, path: Path) -> Edit | None:
    """Remove the mapping entry at `path`, key and value. In block style its whole lines go, and
    only those: comment lines before and after it stay where they are. In flow style the comma
    goes with it, so no stray `,` is left. None for the only entry of a block mapping, which
    would leave its parent null."""
    found, node = _node(manifest, path)
    if not found or not path or not isinstance(path[-1], str):
        return None
    parent_path = path[:-1]
    parent = _node(manifest, parent_path)[1]
    assert isinstance(parent, dict)
    keys = list(parent)
    index = keys.index(path[-1])
    start = _start(manifest.span_of(path, on_key=True))
    following = None
    if index + 1 < len(keys):
        following = _start(manifest.span_of((*parent_path, keys[index + 1]), on_key=True))
    if _is_flow(manifest, parent_path, parent):
        if following is not None:  # "key: value, " up to the next key
            return _edit(start, following, "")
        if index == 0:  # the only entry: `{}` is left
            end = _end(manifest, path, node)
            return None if end is None or isinstance(node, (dict, list)) else _edit(start, end, "")
        previous = (*parent_path, keys[index - 1])
        return _flow_tail_removal(manifest, previous, parent[keys[index - 1]], path, node)
    if len(keys) == 1:
        return None
    end = _block_end(manifest, path, node)
    if end is None:
        return None
    # The first key of a list item (`- key: value`) or of the document shares its line with
    # what comes before it; any other key of a block mapping starts its line.
    shares_line = index == 0 and (not parent_path or isinstance(parent_path[-1], int))
    if not shares_line:
        return Edit(start[0], 0, end[0] + 1, 0, "")
    assert following is not None
    if following[0] == end[0] + 1:  # "key: value\n  " up to the next key
        return _edit(start, following, "")
    return _edit(start, (end[0], END_OF_LINE), "")  # comment lines follow: keep them


def delete_item(manifest: Manifest, path: Path) -> Edit | None:
    """Remove the list item at `path` (and in flow style the comma with it). None for the only
    item (a block list would become null), and where the style cannot be told from positions."""
    found, node = _node(manifest, path)
    if not found or not path or not isinstance(path[-1], int):
        return None
    parent_path, index = path[:-1], path[-1]
    items = _node(manifest, parent_path)[1]
    assert isinstance(items, list)
    if len(items) < 2:
        return None
    style = _list_style(manifest, parent_path, items)
    if style is None:
        return None
    if style == "flow":
        if index + 1 < len(items):
            following = _start(manifest.span_of((*parent_path, index + 1)))
            return _edit(_start(manifest.span_of(path)), following, "")
        previous = (*parent_path, index - 1)
        return _flow_tail_removal(manifest, previous, items[index - 1], path, node)
    end = _end(manifest, path, node)
    if end is None:
        return None
    if index == 0:  # from the item up to the next one, after its `- `
        return _edit(_start(manifest.span_of(path)), _start(manifest.span_of((*path[:-1], 1))), "")
    previous_end = _end(manifest, (*parent_path, index - 1), items[index - 1])
    if previous_end is None:
        return None
    # From the end of the previous item's line: this item's `-` is on a line after it.
    return _edit((previous_end[0], END_OF_LINE), (end[0], END_OF_LINE), "")


def delete_copy(manifest: Manifest, path: Path) -> Edit | None:
    """`delete_item` of the list item at `path` (or of the innermost one that holds it: a
    Duplicate value refusal names `ports[1].name`) when it is an exact copy of an earlier item
    (the same data, however written): what the refusal surely means. When that item cannot be
    deleted (the last of a flow list, a mapping: its `}` is past any span), the earlier one
    goes instead, which leaves the same list."""
    while path and not isinstance(path[-1], int):
        path = path[:-1]
    found, node = _node(manifest, path)
    index = path[-1] if path else None
    if not found or not isinstance(index, int):
        return None
    items = _node(manifest, path[:-1])[1]
    assert isinstance(items, list)
    if node not in items[:index]:
        return None
    edit = delete_item(manifest, path)
    if edit is None:
        edit = delete_item(manifest, (*path[:-1], items.index(node)))
    return edit


def _list_style(manifest: Manifest, path: Path, items: list[Node]) -> str | None:
    """ "flow" or "block" for the list at `path` (of two items or more), or None when its
    positions do not tell: a list's span is its `[` or its first `-`, both one character."""
    ends: list[tuple[int, int]] = []
    starts: list[tuple[int, int]] = []
    for index, item in enumerate(items):
        end = _end(manifest, (*path, index), item)
        if end is None:
            return None
        starts.append(_start(manifest.span_of((*path, index))))
        ends.append(end)
    if any(starts[i + 1][0] == ends[i][0] for i in range(len(items) - 1)):
        return "flow"  # two items on one line
    line, column = _start(manifest.span_of(path))
    if starts[0] == (line, column + 1):
        return "flow"  # `[item`: a block item is at least two columns past its `-`
    key_line = manifest.span_of(path, on_key=True)[0] if path and isinstance(path[-1], str) else -1
    if path and isinstance(path[-1], str) and line > key_line:
        # The value of a key, starting on a later line: block, unless a flow list on lines
        # of their own (`[` alone), which items a line each do not tell apart.
        return "block" if all(start[1] == starts[0][1] for start in starts) else None
    return None


def _quoting(manifest: Manifest, path: Path, value: str) -> int | None:
    """How the string `value` at `path` is written: 0 plain, 1 quoted (either quote) with its
    text exactly `value`, or None otherwise (escapes, several lines, a tag or an anchor)."""
    span = manifest.span_of(path)
    line, column, end_line, end_column = span
    if line != end_line or manifest.document.plain_text(span) is not None:
        return None  # a plain text recorded: the scalar has a tag (`! Text`)
    width = end_column - column
    if width == len(value):
        return 0
    if width == len(value) + 2:  # any escape or a doubled quote would make it longer
        return 1
    return None


@cache
def _verbatim() -> re.Pattern[str]:
    return re.compile(r"[^\"'\\\x00-\x1f\x7f-\x9f]*\Z")


def replace_string(manifest: Manifest, path: Path, value: str) -> Edit | None:
    """Write the string `value` in place of the string scalar at `path`, in its quoting: a
    quoted scalar keeps its quote character (only the text between the quotes changes), a plain
    one stays plain unless `value` must be quoted. None for any other way of writing it."""
    found, node = _node(manifest, path)
    if not found or not isinstance(node, str) or not path:
        return None
    quoting = _quoting(manifest, path, node)
    if quoting is None:
        return None
    line, column, _, end_column = manifest.span_of(path)
    if quoting == 0:
        return Edit(line, column, line, end_column, scalar_text(value))
    if not _verbatim().match(value):
        return None
    return Edit(line, column + 1, line, end_column - 1, value)


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
        if flow:
            keys = list(node)
            entry = f"{scalar_text(key)}: {flow_text(value)}"
            if not isinstance(node[after], (dict, list)):
                end = _end(manifest, (*path, after), node[after])
                return None if end is None else _edit(end, end, ", " + entry)
            if keys[-1] == after:
                return None  # after a collection's closing bracket, which no span gives
            following = _start(manifest.span_of((*path, keys[keys.index(after) + 1]), on_key=True))
            return _edit(following, following, entry + ", ")
        end = _block_end(manifest, (*path, after), node[after])
        if end is None:
            return None
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
    "case_fix",
    "delete_copy",
    "delete_entry",
    "delete_item",
    "flow_text",
    "indent_step",
    "insert_entry",
    "is_flow_mapping",
    "rename_key",
    "replace_entry",
    "replace_scalar",
    "replace_string",
    "replace_value",
    "safe_fix",
    "scalar_text",
    "unsafe_fix",
]
