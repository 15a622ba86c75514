"""A parsed YAML document: plain data plus a locator for every node."""

from __future__ import annotations

from dataclasses import dataclass, field

from netlint.findings import Path

# What the API server decodes from YAML: JSON-like data.
Node = dict[str, "Node"] | list["Node"] | str | int | float | bool | None

# (line, column, end_line, end_column), all 0-based as libyaml reports them.
Span = tuple[int, int, int, int]
# Positions of one mapping: key -> (span of the key, span of the value).
MapPositions = dict[str, tuple[Span, Span]]
# Positions of one sequence: the span of each item.
SeqPositions = list[Span]


@dataclass(slots=True)
class Document:
    """One YAML document of a source.

    `data` is what the API server would decode (plain dicts, lists and scalars). `positions` maps
    the `id()` of every dict and list in `data` to the spans of its keys and items; the data keeps
    those containers alive, so the ids stay valid for the document's lifetime.
    """

    source_path: str
    index: int  # 0-based position of the document in its source
    data: Node
    span: Span  # the root node
    positions: dict[int, MapPositions | SeqPositions]
    # Source text of the plain scalar values that go-yaml decodes to a boolean or a number and
    # that do not print back as written (`yes` -> True, `0755` -> 493, `1.10` -> 1.1), keyed by
    # the value's span. Only those are kept, so the cost is proportional to such values.
    plain_texts: dict[Span, str] = field(default_factory=dict[Span, str])

    def span_of(self, path: Path, *, on_key: bool = False) -> Span:
        """The span of the node at `path`, or of its deepest existing ancestor.

        With `on_key`, a mapping entry is located at its key rather than its value: unknown
        fields and "required" problems read best at the key.
        """
        node = self.data
        span = self.span
        for step in path:
            spans = self.positions.get(id(node))
            if isinstance(node, dict) and isinstance(step, str) and isinstance(spans, dict):
                entry = spans.get(step)
                if entry is None or step not in node:
                    return span
                key_span, value_span = entry
                span = key_span if on_key and step == path[-1] else value_span
                node = node[step]
            elif isinstance(node, list) and isinstance(step, int) and isinstance(spans, list):
                if not 0 <= step < min(len(spans), len(node)):
                    return span
                span = spans[step]
                node = node[step]
            else:
                return span
        return span

    def plain_text(self, span: Span) -> str | None:
        """The source text of the plain scalar at `span` if it decoded to a boolean or a number
        that does not print back as written; None otherwise (the decoded value says it all)."""
        return self.plain_texts.get(span)

    def key_span(self, path: Path) -> Span:
        """The span of the key of the entry at `path` (of the item, for a sequence index)."""
        return self.span_of(path, on_key=True)
