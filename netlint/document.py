"""A parsed YAML document: plain data plus a compact tree of node positions.

Positions live beside the data, not in it, so rules see exactly what the API server decodes,
and a document survives pickling (parsing runs in worker processes). Each span is packed into one
int (about 40 bytes instead of a 4-tuple's 180), because a large input has millions of them.
"""

from __future__ import annotations

from array import array
from dataclasses import dataclass, field

from netlint.findings import Path

# What the API server decodes from YAML: JSON-like data.
Node = dict[str, "Node"] | list["Node"] | str | int | float | bool | None

# (line, column, end_line, end_column), all 0-based as libyaml reports them.
Span = tuple[int, int, int, int]

# A packed span: see `pack`.
PackedSpan = int
# The position record of a node: a scalar's packed span, or a collection's span with the records
# of its children (mapping: key -> (packed key span, child); sequence: one child per item).
Pos = PackedSpan | tuple[PackedSpan, "dict[str, tuple[PackedSpan, Pos]] | list[Pos]"]

_COLUMN_BITS = 24  # 16M columns: more than a minified 10 MiB file can have on one line
_LINE_BITS = 32
_COLUMN_MASK = (1 << _COLUMN_BITS) - 1
_LINE_MASK = (1 << _LINE_BITS) - 1


def pack(line: int, column: int, end_line: int, end_column: int) -> PackedSpan:
    column = min(column, _COLUMN_MASK)
    end_column = min(end_column, _COLUMN_MASK)
    return (
        ((((line << _COLUMN_BITS) | column) << _LINE_BITS) | end_line) << _COLUMN_BITS
    ) | end_column


def unpack(packed: PackedSpan) -> Span:
    end_column = packed & _COLUMN_MASK
    packed >>= _COLUMN_BITS
    end_line = packed & _LINE_MASK
    packed >>= _LINE_BITS
    return (packed >> _COLUMN_BITS, packed & _COLUMN_MASK, end_line, end_column)


_HALF_BITS = _LINE_BITS + _COLUMN_BITS
_HALF_MASK = (1 << _HALF_BITS) - 1


def _size(node: Node) -> int:
    """Spans a node takes in `Document.flat`: itself, and for a mapping each key and value."""
    total = 0
    stack = [node]
    while stack:
        current = stack.pop()
        total += 1
        if isinstance(current, dict):
            total += len(current)
            stack.extend(current.values())
        elif isinstance(current, list):
            stack.extend(current)
    return total


def span_of_pos(pos: Pos) -> PackedSpan:
    return pos if isinstance(pos, int) else pos[0]


@dataclass(slots=True)
class Document:
    """One YAML document of a source."""

    source_path: str
    index: int  # 0-based position of the document in its source
    data: Node
    # The position tree while the file is being worked on; after the per-file stage it is
    # flattened into `flat` (see `compact`), which pickles as raw bytes and takes a third of
    # the memory.
    root: Pos | None
    # Source text of the plain scalar values that go-yaml decodes to a boolean or a number and
    # that do not print back as written (`yes` -> True, `0755` -> 493, `1.10` -> 1.1), keyed by
    # the value's packed span. Only those are kept, so the cost is proportional to such values.
    plain_texts: dict[PackedSpan, str] = field(default_factory=lambda: {})
    # Spans in pre-order of the data (a node, then for a mapping each key and its value), each
    # as two int64: (line << 24 | column) and (end_line << 24 | end_column).
    flat: array[int] | None = None

    def compact(self) -> None:
        """Replace the position tree by the flat array (the data gives the shape back)."""
        if self.root is None:
            return
        flat: array[int] = array("q")
        append = flat.append
        stack: list[Pos] = [self.root]
        while stack:
            pos = stack.pop()
            if isinstance(pos, int):
                append(pos >> _HALF_BITS)
                append(pos & _HALF_MASK)
                continue
            span, children = pos
            append(span >> _HALF_BITS)
            append(span & _HALF_MASK)
            if isinstance(children, dict):
                for key_span, child in reversed(children.values()):
                    stack.append(child)
                    stack.append(key_span)
            else:
                stack.extend(reversed(children))
        self.flat = flat
        self.root = None

    @property
    def span(self) -> Span:
        """The span of the root node."""
        return self.span_of(())

    def span_of(self, path: Path, *, on_key: bool = False) -> Span:
        """The span of the node at `path`, or of its deepest existing ancestor.

        With `on_key`, a mapping entry is located at its key rather than its value: unknown
        fields and "required" problems read best at the key.
        """
        if self.root is None:
            return self._flat_span(path, on_key)
        pos = self.root
        last = len(path) - 1
        for number, step in enumerate(path):
            if isinstance(pos, int):
                break
            children = pos[1]
            if isinstance(children, dict):
                if not isinstance(step, str) or step not in children:
                    break
                key_span, pos = children[step]
                if on_key and number == last:
                    return unpack(key_span)
            else:
                if not isinstance(step, int) or not 0 <= step < len(children):
                    break
                pos = children[step]
        return unpack(span_of_pos(pos))

    def _flat_span(self, path: Path, on_key: bool) -> Span:
        flat = self.flat
        if not flat:
            return (0, 0, 0, 1)  # positions never kept (a context file): never shown
        index = 0  # in spans
        node = self.data
        last = len(path) - 1
        for number, step in enumerate(path):
            if isinstance(node, dict) and isinstance(step, str) and step in node:
                index += 1
                for key, value in node.items():
                    if key == step:
                        break
                    index += 1 + _size(value)
                if on_key and number == last:
                    break
                index += 1
                node = node[step]
            elif isinstance(node, list) and isinstance(step, int) and 0 <= step < len(node):
                index += 1 + sum(_size(item) for item in node[:step])
                node = node[step]
            else:
                break
        return unpack((flat[2 * index] << _HALF_BITS) | flat[2 * index + 1])

    def key_span(self, path: Path) -> Span:
        """The span of the key of the entry at `path` (of the item, for a sequence index)."""
        return self.span_of(path, on_key=True)

    def plain_text(self, span: Span) -> str | None:
        """The source text of the plain scalar at `span` if it decoded to a boolean or a number
        that does not print back as written; None otherwise (the decoded value says it all)."""
        return self.plain_texts.get(pack(*span))
