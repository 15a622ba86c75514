"""One large file parsed in parts, on several cores, into exactly what `load_yaml` returns.

A long multi-document file is cut at its `---` lines, and a `kind: List` dump (`kubectl get -o
yaml`: one document whose `items` hold thousands of objects) at the lines where its items start.
Each part is parsed alone, with its first line's number as the offset of its positions
(`plan_parts`, `load_part`), and the parts are put back together (`assemble`) into the same data,
position table and plain texts as one parse of the whole text.

Cutting at those lines is exact: libyaml ends every node at a `---` line in the first column,
and an item start of the `items` sequence ends every node of the item before it, except a
quoted scalar or flow collection left open, which then makes that part a syntax error. So a
part that is not clean (any problem of the loader, a root that is not what the cut expects) sends
the whole file back to `load_yaml`, which reports it with its recovery. What a part cannot see is
avoided before cutting: anchors (aliases, and the file's alias budget), directives, other line
breaks than `\\n` and tabs at a line's start; and for a List, root keys that are not plain
names (merge keys, complex or duplicate keys reorder the root's positions).
"""

from __future__ import annotations

import marshal
import re
from array import array
from dataclasses import replace
from itertools import pairwise
from typing import TypeAlias, cast

from netlint.input.document import COLUMN_MASK, Document, Node
from netlint.input.limits import Budget, LimitReached, Limits, LoadResult
from netlint.input.tree_builder import Builder
from netlint.input.yaml_events import backend
from netlint.records import record

# Characters per part, at least: each part costs a parser and, from a worker, a pipe's frame.
PART_CHARS = 1 << 16

DOCUMENTS = "documents"  # parts of whole documents
LIST_HEAD = "head"  # the List's root keys up to `items`, and its first items
LIST_ITEMS = "items"  # more items: the text of a block sequence
LIST_TAIL = "tail"  # the root keys after `items`

# Patterns of a line's start, found after its `\n` (a search for a literal first character is
# far faster than a MULTILINE `^`); the first line is looked at on its own.
# An anchor can only start where a node does: at a line's start, after a space or a flow
# indicator; a `&` inside a word (`?a=1&b=2`) is not one.
_ANCHOR = re.compile(r"(?:^|[ \t\[{,])&", re.MULTILINE)
_BREAKS = ("\r", "\x85", "\u2028", "\u2029", "\n%", "\n\t")
_DOCUMENT_START = re.compile(r"\n---(?=[ \t\n]|\Z)")
_DOCUMENT_MARKER = re.compile(r"\n(?:---|\.\.\.)(?=[ \t\n]|\Z)")
_ITEMS_KEY = re.compile(r"\nitems:[ \t]*(?:#.*)?\n")
_FIRST_ENTRY = re.compile(r"(?:[ \t]*(?:#.*)?\n)*( *)-(?=[ \n])")
# A root line of a List: a plain key and its colon (anything else is not cut).
_ROOT_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]*:(?=[ \t\n]|$)")


def _unsafe(text: str) -> bool:
    """Whether the text holds what a part cannot parse alone: an anchor, a directive, a line
    break other than `\\n`, a tab at a line's start."""
    if "&" in text and _ANCHOR.search(text) is not None:
        return True
    return text[:1] in ("%", "\t") or any(mark in text for mark in _BREAKS)


@record(frozen=True, slots=True)
class Part:
    kind: str  # DOCUMENTS, LIST_HEAD, LIST_ITEMS or LIST_TAIL
    start: int  # in characters
    end: int
    line: int  # 0-based line of `start`


def plan_parts(text: str, limits: Limits, parts: int) -> list[Part] | None:
    """Parts of about equal size (at least `PART_CHARS`, about `parts` of them) that parse to the
    same result as the whole text, or None when the text is not cut."""
    if len(text) > COLUMN_MASK or _unsafe(text):
        return None
    size = max(PART_CHARS, len(text) // max(1, parts))
    at_start = _DOCUMENT_START.match("\n" + text[:4]) is not None
    if text.count("\n---") + at_start > 1:
        if text.count("\n---") + 2 >= limits.max_documents:
            return None  # the whole parse reports the cap where it is reached
        return _cut(text, 0, len(text), _DOCUMENT_START, size, (DOCUMENTS, DOCUMENTS))
    if text.startswith(("---", "...")) or _DOCUMENT_MARKER.search(text) is not None:
        return None
    return _list_parts(text, size)


def _cut(
    text: str,
    start: int,
    end: int,
    cut: re.Pattern[str],
    size: int,
    kinds: tuple[str, str],
    first_size: int = 0,
) -> list[Part]:
    """`text[start:end]` in parts of at least `size` characters, each but the first starting at
    a line that `cut` finds (after its `\\n`): only as many searches as parts. The first part
    is of kind `kinds[0]` and at least `first_size` long, the others of `kinds[1]`."""
    chosen = [start]
    while chosen[-1] + size < end:
        least = max(size, first_size) if len(chosen) == 1 else size
        found = cut.search(text, chosen[-1] + least - 1, end)
        if found is None:
            break
        chosen.append(found.start() + 1)
    ends = [*chosen[1:], end]
    lines = [text.count("\n", 0, chosen[0])]
    for before, after in pairwise(chosen):
        lines.append(lines[-1] + text.count("\n", before, after))
    return [
        Part(kinds[number > 0], part_start, part_end, line)
        for number, (part_start, part_end, line) in enumerate(zip(chosen, ends, lines, strict=True))
    ]


def _list_parts(text: str, size: int) -> list[Part] | None:
    """The head, item and tail parts of a one-document `*List` whose `items` is a block
    sequence at the left margin or indented, or None."""
    keys = list(_ITEMS_KEY.finditer("\n" + text))  # one character on: ends are right
    if len(keys) != 1:
        return None
    entry = _FIRST_ENTRY.match(text, keys[0].end() - 1)
    if entry is None:
        return None
    indent = len(entry.group(1))
    first = entry.start(1)
    # The items end at the first line, other than a comment, that starts left of the entries'
    # dash, or at it without being an entry.
    left = f" {{0,{indent - 1}}}[^ \\n#]|" if indent else ""
    ender = re.compile(f"\\n(?:{left} {{{indent}}}(?:[^ \\n#-]|-[^ \\n]))")
    end_match = ender.search(text, first)
    items_end = end_match.start() + 1 if end_match is not None else len(text)
    if not _plain_root_keys(text, 0, keys[0].start()) or not _plain_root_keys(
        text, items_end, len(text)
    ):
        return None
    entry_start = re.compile(f"\\n {{{indent}}}-(?=[ \\n])")
    parts = _cut(text, 0, items_end, entry_start, size, (LIST_HEAD, LIST_ITEMS), first + 1)
    if len(parts) < 2:
        return None
    if items_end < len(text):
        line = text.count("\n", 0, items_end)
        parts.append(Part(LIST_TAIL, items_end, len(text), line))
    return parts


def _plain_root_keys(text: str, start: int, end: int) -> bool:
    """Whether every line of `text[start:end]` that starts at the left margin, comments aside,
    starts with a plain key."""
    position = start
    while position < end:
        line_end = text.find("\n", position, end)
        line_end = end if line_end < 0 else line_end
        first = text[position : position + 1]
        if first not in (" ", "#", "\n", "") and _ROOT_KEY.match(text, position, line_end) is None:
            return False
        position = line_end + 1
    return True


# A part's outcome, marshalled: (documents as (data, position words, plain texts)...), or None
# when the part is not clean and the file must be parsed whole.
# (data, positions: the flat table or its bytes, plain texts) of each document of a part.
_Parsed: TypeAlias = "tuple[tuple[Node, bytes | array[int], dict[int, str]], ...]"
PartData: TypeAlias = "_Parsed | None"


def parse_part(text: str, part: Part, source_path: str, limits: Limits) -> list[Document] | None:
    """The documents of one part, or None when it is not clean. Those of a DOCUMENTS part are
    numbered from 0: the caller adds the documents of the parts before it."""
    result = LoadResult()
    if part.kind == LIST_ITEMS:
        limits = replace(limits, max_depth=limits.max_depth - 1)  # below the root mapping
    builder = Builder(source_path, limits, result, part.line, Budget(limits, len(text)))
    be = backend()
    try:
        with be.session():
            builder.run(text[part.start : part.end], be)
    except (LimitReached, RecursionError, be.error_type):
        return None
    return None if result.problems else result.documents


def load_part(text: str, part: Part, source_path: str, limits: Limits) -> bytes:
    """`parse_part` as `marshal` bytes of `PartData`: what crosses a worker's pipe."""
    return pack_part(parse_part(text, part, source_path, limits))


def pack_part(documents: list[Document] | None) -> bytes:
    """A part's documents as `marshal` bytes of `PartData`, far faster to send than pickles."""
    if documents is None:
        return marshal.dumps(None)
    return marshal.dumps(tuple((d.data, d.flat.tobytes(), d.plain_texts) for d in documents))


def _unpacked(loaded: bytes | list[Document] | None) -> _Parsed | None:
    if isinstance(loaded, bytes):
        return cast("PartData", marshal.loads(loaded))
    if loaded is None:
        return None
    return tuple((d.data, d.flat, d.plain_texts) for d in loaded)


def assemble(
    parts: list[Part], loaded: list[bytes] | list[bytes | list[Document] | None], source_path: str
) -> LoadResult | None:
    """The whole file's `LoadResult` from its parts' (each as `load_part` bytes, or as the
    documents `parse_part` gave in this process), or None when a part is not clean."""
    outcomes = [_unpacked(each) for each in loaded]
    if any(outcome is None for outcome in outcomes):
        return None
    clean = cast("list[_Parsed]", outcomes)
    if parts[0].kind == DOCUMENTS:
        result = LoadResult()
        for outcome in clean:
            for data, words, texts in outcome:
                flat = array("q", words)
                result.documents.append(
                    Document(source_path, len(result.documents), data, flat, texts)
                )
        return result
    return _assembled_list(parts, clean, source_path)


def _assembled_list(
    parts: list[Part],
    outcomes: list[_Parsed],
    source_path: str,
) -> LoadResult | None:
    if any(len(outcome) != 1 for outcome in outcomes):
        return None
    (root, words, texts), *rest = (outcome[0] for outcome in outcomes)
    if not isinstance(root, dict) or list(root)[-1:] != ["items"]:
        return None
    items = root["items"]
    if not isinstance(items, list):
        return None
    flat = array("q", words)
    for part, (data, part_words, part_texts) in zip(parts[1:], rest, strict=True):
        if part.kind == LIST_ITEMS:
            if not isinstance(data, list):
                return None
            items += data
        else:
            if not isinstance(data, dict) or root.keys() & data.keys():
                return None
            root.update(data)
        flat += array("q", part_words)[2:]  # past the part's own root
        texts.update(part_texts)
    result = LoadResult()
    result.documents.append(Document(source_path, 0, root, flat, texts))
    return result
