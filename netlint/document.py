"""A parsed YAML document: plain data plus a compact tree of node positions.

Positions live beside the data, not in it, so rules see exactly what the API server decodes,
and a document survives pickling (parsing runs in worker processes). Each span is packed into one
int (about 40 bytes instead of a 4-tuple's 180), because a large input has millions of them.
"""

from __future__ import annotations

from collections.abc import Callable
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


def span_of_pos(pos: Pos) -> PackedSpan:
    return pos if isinstance(pos, int) else pos[0]


@dataclass(slots=True)
class Document:
    """One YAML document of a source."""

    source_path: str
    index: int  # 0-based position of the document in its source
    data: Node
    # None once the per-file stage has dropped the positions (they are most of a document's
    # memory and pickle size); `relocate` brings them back from the source text on demand.
    root: Pos | None
    # Source text of the plain scalar values that go-yaml decodes to a boolean or a number and
    # that do not print back as written (`yes` -> True, `0755` -> 493, `1.10` -> 1.1), keyed by
    # the value's packed span. Only those are kept, so the cost is proportional to such values.
    plain_texts: dict[PackedSpan, str] = field(default_factory=lambda: {})
    relocate: Callable[[], None] | None = field(default=None, compare=False, repr=False)

    def _root(self) -> Pos:
        if self.root is None and self.relocate is not None:
            self.relocate()
        return self.root if self.root is not None else 0

    def drop_positions(self) -> None:
        self.root = None

    @property
    def span(self) -> Span:
        """The span of the root node."""
        return unpack(span_of_pos(self._root()))

    def span_of(self, path: Path, *, on_key: bool = False) -> Span:
        """The span of the node at `path`, or of its deepest existing ancestor.

        With `on_key`, a mapping entry is located at its key rather than its value: unknown
        fields and "required" problems read best at the key.
        """
        pos = self._root()
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

    def key_span(self, path: Path) -> Span:
        """The span of the key of the entry at `path` (of the item, for a sequence index)."""
        return self.span_of(path, on_key=True)

    def plain_text(self, span: Span) -> str | None:
        """The source text of the plain scalar at `span` if it decoded to a boolean or a number
        that does not print back as written; None otherwise (the decoded value says it all)."""
        return self.plain_texts.get(pack(*span))
