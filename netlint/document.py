"""A parsed YAML document: plain data plus a flat table of node positions.

Positions live beside the data, not in it, so rules see exactly what the API server decodes,
and a document survives pickling (parsing runs in worker processes). They are kept in one int64
array in pre-order of the data (a node, then for a mapping each key and its value), two words per
node, which is also the order the parser's events come in: the loader appends to it as it reads,
and the data gives the shape back when a position is asked for.
"""

from __future__ import annotations

from array import array
from dataclasses import dataclass, field

from netlint.findings import Path

# What the API server decodes from YAML: JSON-like data.
Node = dict[str, "Node"] | list["Node"] | str | int | float | bool | None

# (line, column, end_line, end_column), all 0-based as libyaml reports them.
Span = tuple[int, int, int, int]

# One end of a span in one int: line << 24 | column.
COLUMN_BITS = 24  # 16M columns: more than a minified 10 MiB file can have on one line
COLUMN_MASK = (1 << COLUMN_BITS) - 1
# A whole span in one int (`pack`): the start word above the end word.
WORD_BITS = 56
WORD_MASK = (1 << WORD_BITS) - 1

PackedSpan = int


def word(line: int, column: int) -> int:
    """One end of a span as stored in `Document.flat` (columns past 16M are clamped)."""
    return line << COLUMN_BITS | min(column, COLUMN_MASK)


def pack(line: int, column: int, end_line: int, end_column: int) -> PackedSpan:
    return word(line, column) << WORD_BITS | word(end_line, end_column)


def unpack(packed: PackedSpan) -> Span:
    start, end = packed >> WORD_BITS, packed & WORD_MASK
    return (start >> COLUMN_BITS, start & COLUMN_MASK, end >> COLUMN_BITS, end & COLUMN_MASK)


def node_size(node: Node) -> int:
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


@dataclass(slots=True)
class Document:
    """One YAML document of a source."""

    source_path: str
    index: int  # 0-based position of the document in its source
    data: Node
    # Spans in pre-order of the data, each as two words: (line << 24 | column) and
    # (end_line << 24 | end_column). The loader always records at least the root's span; an
    # empty table (a Document built by hand) locates everything at the start.
    flat: array[int] = field(default_factory=lambda: array("q"))
    # Source text of the plain scalar values that go-yaml decodes to a boolean or a number and
    # that do not print back as written (`yes` -> True, `0755` -> 493, `1.10` -> 1.1), keyed by
    # the value's packed span. Only those are kept, so the cost is proportional to such values.
    plain_texts: dict[PackedSpan, str] = field(default_factory=lambda: {})

    @property
    def span(self) -> Span:
        """The span of the root node."""
        return self.span_of(())

    def span_of(self, path: Path, *, on_key: bool = False) -> Span:
        """The span of the node at `path`, or of its deepest existing ancestor.

        With `on_key`, a mapping entry is located at its key rather than its value: unknown
        fields and "required" problems read best at the key.
        """
        flat = self.flat
        if not flat:
            return (0, 0, 0, 1)
        index = 0  # in spans
        node = self.data
        last = len(path) - 1
        for number, step in enumerate(path):
            if isinstance(node, dict) and isinstance(step, str) and step in node:
                index += 1
                for key, value in node.items():
                    if key == step:
                        break
                    index += 1 + node_size(value)
                if on_key and number == last:
                    break
                index += 1
                node = node[step]
            elif isinstance(node, list) and isinstance(step, int) and 0 <= step < len(node):
                index += 1 + sum(node_size(item) for item in node[:step])
                node = node[step]
            else:
                break
        return unpack(flat[2 * index] << WORD_BITS | flat[2 * index + 1])

    def key_span(self, path: Path) -> Span:
        """The span of the key of the entry at `path` (of the item, for a sequence index)."""
        return self.span_of(path, on_key=True)

    def plain_text(self, span: Span) -> str | None:
        """The source text of the plain scalar at `span` if it decoded to a boolean or a number
        that does not print back as written; None otherwise (the decoded value says it all)."""
        return self.plain_texts.get(pack(*span))
