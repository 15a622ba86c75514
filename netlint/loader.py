"""YAML text -> positioned documents, built straight from the libyaml event stream.

The builder is iterative (no recursion, so deep nesting is a finding, not a RecursionError),
shares aliased nodes instead of copying them (so a billion-laughs document costs what its text
costs), and reports what the API server's strict decoding would refuse: duplicate keys, tags it
cannot decode, syntax errors. A syntax error ends only the document it is in: parsing resumes at
the next `---` line, so the file's other documents are still linted.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import cast

from netlint.document import Document, MapPositions, Node, SeqPositions, Span
from netlint.scalars import key_text, resolve_plain, resolve_tagged
from netlint.yaml_events import (
    ALIAS,
    DOC_END,
    DOC_START,
    MAP_END,
    MAP_START,
    SCALAR,
    SEQ_END,
    SEQ_START,
    STREAM_END,
    Backend,
    backend,
    error_position,
)

_STANDARD_COLLECTION_TAGS = frozenset(
    ["tag:yaml.org,2002:map", "tag:yaml.org,2002:seq", "tag:yaml.org,2002:omap", "!"]
)
_MERGE_KEY = "<<"


@dataclass(frozen=True, slots=True)
class Limits:
    """Caps of DESIGN §10; reaching one is an `input-limit` finding for that document or file."""

    max_depth: int = 1000
    max_documents: int = 10_000
    # Nodes a document would have with every alias expanded. A real manifest stays far below;
    # a billion-laughs document explodes past it while its text is tiny.
    max_expanded_nodes: int = 1_000_000


@dataclass(frozen=True, slots=True)
class Problem:
    """Something the loader reports itself; it becomes a finding of `rule_id`."""

    rule_id: str
    message: str
    span: Span
    document: int | None  # index of the document it belongs to (None: the file)


@dataclass(slots=True)
class LoadResult:
    documents: list[Document] = field(default_factory=lambda: list[Document]())
    problems: list[Problem] = field(default_factory=lambda: list[Problem]())


class _LimitReached(Exception):
    def __init__(self, message: str, span: Span) -> None:
        super().__init__(message)
        self.message = message
        self.span = span


class _Frame:
    """An open mapping or sequence while its events stream past."""

    __slots__ = (
        "anchor",
        "container",
        "count",
        "key",
        "key_is_merge",
        "key_span",
        "merges",
        "positions",
        "span",
    )

    def __init__(self, container: dict[str, Node] | list[Node], span: Span, anchor: str | None) -> None:
        self.container = container
        self.positions: MapPositions | SeqPositions = {} if isinstance(container, dict) else []
        self.span = span
        self.anchor = anchor
        self.count = 1  # nodes below, aliases expanded
        self.key: str | None = None  # mapping: the key waiting for its value
        self.key_span: Span = span
        self.key_is_merge = False  # the waiting key is a plain `<<`
        self.merges: list[tuple[Node, Span]] = []


def _prints_as(value: Node, text: str) -> bool:
    """Whether a decoded plain scalar prints back as its source `text` (strings and null always
    do for our purpose); the others are recorded for messages (`Document.plain_text`)."""
    if value is None or isinstance(value, str):
        return True
    if isinstance(value, bool):
        return text == ("true" if value else "false")
    if isinstance(value, int):
        return text == str(value)
    return False


def _short_tag(tag: str) -> str:
    return "!!" + tag.removeprefix("tag:yaml.org,2002:") if tag.startswith("tag:yaml.org,2002:") else tag


def _span(event: object) -> Span:
    start = event.start_mark  # type: ignore[attr-defined]
    end = event.end_mark  # type: ignore[attr-defined]
    return (start.line, start.column, end.line, end.column)  # type: ignore[no-any-return]


class _Builder:
    def __init__(self, source_path: str, limits: Limits, result: LoadResult, line_offset: int) -> None:
        self.source_path = source_path
        self.limits = limits
        self.result = result
        self.line_offset = line_offset
        self.document_line = -1  # line of the last document start, for resuming after an error

    def _problem(self, rule_id: str, message: str, span: Span, document: int | None) -> None:
        self.result.problems.append(Problem(rule_id, message, self._shift(span), document))

    def _shift(self, span: Span) -> Span:
        if not self.line_offset:
            return span
        return (span[0] + self.line_offset, span[1], span[2] + self.line_offset, span[3])

    def run(self, text: str, be: Backend) -> None:
        """Parse `text`; raises the backend's error type on a syntax error."""
        get = be.parse(text)
        kinds = be.kinds
        while True:
            event = get()
            kind = kinds.get(type(event))
            if kind == STREAM_END:
                return
            if kind == DOC_START:
                if len(self.result.documents) >= self.limits.max_documents:
                    raise _LimitReached(
                        f"more than {self.limits.max_documents} documents in one file; "
                        "the rest of the file is not read",
                        _span(event),
                    )
                span = _span(event)
                self.document_line = span[0]
                self._document(get, kinds, span)

    def _document(self, get: object, kinds: dict[type, int], start: Span) -> None:
        get_event = get  # type: ignore[assignment]
        index = len(self.result.documents)
        anchors: dict[str, tuple[Node, int, MapPositions | SeqPositions | None]] = {}
        positions: dict[int, MapPositions | SeqPositions] = {}
        plain_texts: dict[Span, str] = {}
        stack: list[_Frame] = []
        root: Node = None
        root_span: Span = start
        shift = self._shift
        max_depth = self.limits.max_depth

        def complete(value: Node, span: Span, count: int, plain_merge: bool = False) -> None:
            nonlocal root, root_span
            if not stack:
                root, root_span = value, span
                return
            top = stack[-1]
            top.count += count
            if top.count > self.limits.max_expanded_nodes:
                raise _LimitReached(
                    f"document expands to more than {self.limits.max_expanded_nodes} nodes "
                    "through aliases; it is not loaded",
                    span,
                )
            container = top.container
            if isinstance(container, list):
                container.append(value)
                top.positions.append(shift(span))  # type: ignore[union-attr]
                return
            key = top.key
            if key is None:
                if isinstance(value, (dict, list)):
                    self._problem(
                        "yaml-syntax",
                        "a mapping key must be a scalar: Kubernetes cannot decode complex keys",
                        span,
                        index,
                    )
                    top.key, top.key_span = "?", span
                    return
                top.key, top.key_span = key_text(value), span  # type: ignore[arg-type]
                top.key_is_merge = plain_merge
                return
            top.key = None
            if top.key_is_merge:
                top.merges.append((value, span))
                return
            assert isinstance(top.positions, dict)
            if key in top.positions:
                first = top.positions[key][0]
                self._problem(
                    "yaml-duplicate-key",
                    f"duplicate key {key!r}: already set at line {first[0] + 1}; the API server's "
                    "strict decoding rejects the object, and kubectl keeps only the last value",
                    top.key_span,
                    index,
                )
            container[key] = value
            top.positions[key] = (shift(top.key_span), shift(span))

        while True:
            event = get_event()  # type: ignore[operator]
            kind = kinds.get(type(event))  # type: ignore[arg-type]
            if kind == SCALAR:
                text: str = event.value  # type: ignore[attr-defined]
                tag: str | None = event.tag  # type: ignore[attr-defined]
                style: str | None = event.style  # type: ignore[attr-defined]
                span = _span(event)
                value: Node
                is_key = bool(stack) and isinstance(stack[-1].container, dict) and stack[-1].key is None
                if tag is None or tag == "!":
                    value = resolve_plain(text) if not style and tag is None else text
                    source = cast("str", text)
                    if not is_key and not _prints_as(cast("Node", value), source):
                        plain_texts[shift(span)] = source
                else:
                    value, known = resolve_tagged(tag, text)
                    if not known:
                        self._problem(
                            "yaml-syntax",
                            f"tag {_short_tag(tag)!r} is not a standard YAML type; Kubernetes cannot decode it "
                            "and netlint never constructs it",
                            span,
                            index,
                        )
                        value = text
                anchor: str | None = event.anchor  # type: ignore[attr-defined]
                if anchor is not None:
                    anchors[anchor] = (value, 1, None)
                complete(value, span, 1, is_key and text == _MERGE_KEY and not style and tag is None)
            elif kind == MAP_START or kind == SEQ_START:
                tag = event.tag  # type: ignore[attr-defined]
                span = _span(event)
                if tag is not None and tag not in _STANDARD_COLLECTION_TAGS:
                    self._problem(
                        "yaml-syntax",
                        f"tag {_short_tag(tag)!r} is not a standard YAML type; Kubernetes cannot decode it "
                        "and netlint never constructs it",
                        span,
                        index,
                    )
                if len(stack) >= max_depth:
                    raise _LimitReached(
                        f"nesting deeper than {max_depth} levels; the document is not loaded", span
                    )
                container: dict[str, Node] | list[Node] = {} if kind == MAP_START else []
                stack.append(_Frame(container, span, event.anchor))  # type: ignore[attr-defined]
            elif kind == MAP_END or kind == SEQ_END:
                frame = stack.pop()
                if frame.merges:
                    self._apply_merges(frame, positions, index)
                positions[id(frame.container)] = frame.positions
                if frame.anchor is not None:
                    anchors[frame.anchor] = (frame.container, frame.count, frame.positions)
                complete(frame.container, frame.span, frame.count)
            elif kind == ALIAS:
                name: str = event.anchor  # type: ignore[attr-defined]
                span = _span(event)
                found = anchors.get(name)
                if found is None:
                    self._problem(
                        "yaml-syntax",
                        f"alias *{name} refers to no complete anchor &{name} before it",
                        span,
                        index,
                    )
                    complete(None, span, 1)
                else:
                    complete(found[0], span, found[1])
            elif kind == DOC_END:
                break
        self.result.documents.append(
            Document(self.source_path, index, root, shift(root_span), positions, plain_texts)
        )

    def _apply_merges(
        self, frame: _Frame, positions: dict[int, MapPositions | SeqPositions], index: int
    ) -> None:
        """`<<` merge keys as go-yaml v2 applies them: explicit keys win, then earlier sources."""
        mapping = frame.container
        assert isinstance(mapping, dict) and isinstance(frame.positions, dict)
        sources: list[Node] = []
        for value, span in frame.merges:
            if isinstance(value, dict):
                sources.append(value)
            elif isinstance(value, list) and all(isinstance(item, dict) for item in value):
                sources.extend(value)
            else:
                self._problem(
                    "yaml-syntax",
                    "a merge key (<<) needs a mapping or a list of mappings",
                    span,
                    index,
                )
        for source in sources:
            assert isinstance(source, dict)
            source_positions = positions.get(id(source))
            for key, value in source.items():
                if key in mapping:
                    continue
                mapping[key] = value
                if isinstance(source_positions, dict) and key in source_positions:
                    frame.positions[key] = source_positions[key]


def load_yaml(text: str, source_path: str, limits: Limits | None = None) -> LoadResult:
    """Every document of `text`, with the problems found on the way."""
    limits = limits or Limits()
    be = backend()
    result = LoadResult()
    offset = 0
    remaining = text
    while True:
        builder = _Builder(source_path, limits, result, offset)
        try:
            builder.run(remaining, be)
            return result
        except _LimitReached as limit:
            result.problems.append(Problem("input-limit", limit.message, builder._shift(limit.span), None))  # noqa: SLF001
            return result
        except be.error_type as error:
            line, column, problem = error_position(error)
            result.problems.append(
                Problem(
                    "yaml-syntax",
                    f"YAML syntax error: {problem}",
                    (line + offset, column, line + offset, column + 1),
                    len(result.documents),
                )
            )
            # Resume at the next document marker after the error, keeping line numbers true.
            lines = remaining.splitlines(keepends=True)
            resume = next(
                (
                    number
                    for number in range(max(line, builder.document_line + 1), len(lines))
                    if lines[number].startswith("---")
                ),
                None,
            )
            if resume is None:
                return result
            if builder.document_line >= 0 and resume <= builder.document_line:
                return result
            offset += resume
            remaining = "".join(lines[resume:])
        except RecursionError:
            result.problems.append(
                Problem(
                    "input-limit",
                    "nesting too deep for the YAML parser; the file is not loaded",
                    (offset, 0, offset, 1),
                    None,
                )
            )
            return result
