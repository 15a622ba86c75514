"""YAML text -> positioned documents, built straight from the libyaml event stream.

The builder is iterative (no recursion, so deep nesting is a finding, not a RecursionError),
shares aliased nodes instead of copying them (so a billion-laughs document costs what its text
costs), and reports what the API server's strict decoding would refuse: duplicate keys, tags it
cannot decode, syntax errors. A syntax error ends only the document it is in: parsing resumes at
the next `---` line, so the file's other documents are still linted.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from netlint.document import Document, Node, PackedSpan, Pos, Span, pack, span_of_pos, unpack
from netlint.scalars import key_text, resolve_plain, resolve_tagged
from netlint.yaml_events import (
    ALIAS,
    DOC_START,
    MAP_END,
    MAP_START,
    SCALAR,
    SEQ_END,
    SEQ_START,
    STREAM_END,
    Backend,
    Event,
    backend,
    error_position,
)

_STANDARD_COLLECTION_TAGS = frozenset(
    ["tag:yaml.org,2002:map", "tag:yaml.org,2002:seq", "tag:yaml.org,2002:omap", "!"]
)
_MERGE_KEY = "<<"
_COMPLEX_KEY = "?"  # stands in for a mapping or sequence used as a key (already reported)


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
    def __init__(self, message: str, span: PackedSpan) -> None:
        super().__init__(message)
        self.message = message
        self.span = span


class _Frame:
    """An open mapping or sequence while its events stream past."""

    __slots__ = (
        "anchor",
        "children",
        "container",
        "count",
        "key",
        "key_is_merge",
        "key_span",
        "merges",
        "span",
    )

    def __init__(
        self,
        container: dict[str, Node] | list[Node],
        children: dict[str, tuple[PackedSpan, Pos]] | list[Pos],
        span: PackedSpan,
        anchor: str | None,
    ) -> None:
        self.container = container
        self.children = children
        self.span = span
        self.anchor = anchor
        self.count = 1  # nodes below, aliases expanded
        self.key: str | None = None  # mapping: the key waiting for its value
        self.key_span: PackedSpan = span
        self.key_is_merge = False  # the waiting key is a plain `<<`
        self.merges: list[tuple[Node, Pos]] = []


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
    prefix = "tag:yaml.org,2002:"
    return "!!" + tag.removeprefix(prefix) if tag.startswith(prefix) else tag


def _tag_message(tag: str) -> str:
    return (
        f"tag {_short_tag(tag)!r} is not a standard YAML type; Kubernetes cannot decode it "
        "and netlint never constructs it"
    )


class _Builder:
    """Builds the documents of one YAML stream (or of the part after a syntax error)."""

    def __init__(
        self, source_path: str, limits: Limits, result: LoadResult, line_offset: int
    ) -> None:
        self.source_path = source_path
        self.limits = limits
        self.result = result
        self.line_offset = line_offset
        self.document_line = -1  # line of the last document start, for resuming after an error
        self.document_index = 0
        self.fast_pack = True

    def span(self, event: Event) -> PackedSpan:
        start, end = event.start_mark, event.end_mark
        offset = self.line_offset
        return pack(start.line + offset, start.column, end.line + offset, end.column)

    def problem(self, rule_id: str, message: str, span: PackedSpan) -> None:
        self.result.problems.append(Problem(rule_id, message, unpack(span), self.document_index))

    def run(self, text: str, be: Backend) -> None:
        """Parse `text`; raises the backend's error type on a syntax error."""
        get = be.parse(text)
        kinds = be.kinds
        self.fast_pack = len(text) < 1 << 24
        while True:
            event = get()
            kind = kinds.get(type(event))
            if kind == STREAM_END:
                return
            if kind == DOC_START:
                span = self.span(event)
                if len(self.result.documents) >= self.limits.max_documents:
                    raise _LimitReached(
                        f"more than {self.limits.max_documents} documents in one file; "
                        "the rest of the file is not read",
                        span,
                    )
                self.document_line = event.start_mark.line  # within this builder's text
                self.document_index = len(self.result.documents)
                self.result.documents.append(self.document(get, kinds, span))

    def document(
        self, get: Callable[[], Event], kinds: dict[type, int], start: PackedSpan
    ) -> Document:
        """The nodes up to the end of the current document (the hot loop of netlint)."""
        anchors: dict[str, tuple[Node, int, Pos]] = {}
        plain_texts: dict[PackedSpan, str] = {}
        stack: list[_Frame] = []
        root: list[tuple[Node, Pos]] = []
        limits = self.limits
        span_of = self.span
        offset = self.line_offset
        # Scalar spans are packed inline (as document.pack does): this loop runs once per node
        # of the input. Columns cannot overflow their 24 bits in a text of fewer than 16M
        # characters; longer texts take the clamping `pack`.

        def complete(value: Node, pos: Pos, count: int, plain_merge: bool = False) -> None:
            if not stack:
                root.append((value, pos))
                return
            top = stack[-1]
            top.count += count
            if top.count > limits.max_expanded_nodes:
                raise _LimitReached(
                    f"document expands to more than {limits.max_expanded_nodes} nodes "
                    "through aliases; it is not loaded",
                    span_of_pos(pos),
                )
            container = top.container
            if isinstance(container, list):
                container.append(value)
                top.children.append(pos)  # type: ignore[union-attr]  # a list frame has list children
                return
            children = top.children
            assert isinstance(children, dict)
            key = top.key
            if key is None:
                if isinstance(value, (dict, list)):
                    self.problem(
                        "yaml-syntax",
                        "a mapping key must be a scalar: Kubernetes cannot decode complex keys",
                        span_of_pos(pos),
                    )
                    key = _COMPLEX_KEY
                else:
                    key = key_text(value)
                top.key, top.key_span, top.key_is_merge = key, span_of_pos(pos), plain_merge
                return
            top.key = None
            if top.key_is_merge:
                top.merges.append((value, pos))
                return
            if key in children:
                first_line = unpack(children[key][0])[0]
                self.problem(
                    "yaml-duplicate-key",
                    f"duplicate key {key!r}: already set at line {first_line + 1}; the API server's "
                    "strict decoding rejects the object, and kubectl keeps only the last value",
                    top.key_span,
                )
            container[key] = value
            children[key] = (top.key_span, pos)

        while True:
            event = get()
            kind = kinds.get(type(event))
            if kind == SCALAR:
                text = event.value
                tag = event.tag
                style = event.style
                if self.fast_pack:
                    first, last = event.start_mark, event.end_mark
                    span = (
                        (((first.line + offset) << 24 | first.column) << 32 | (last.line + offset))
                        << 24
                    ) | last.column
                else:
                    span = span_of(event)
                is_key = (
                    bool(stack) and stack[-1].key is None and isinstance(stack[-1].container, dict)
                )
                value: Node
                if tag is None:
                    if style:
                        value = text
                    else:
                        value = resolve_plain(text)
                        if not is_key and not _prints_as(value, text):
                            plain_texts[span] = text
                elif tag == "!":
                    value = text
                else:
                    value, known = resolve_tagged(tag, text)
                    if not known:
                        self.problem("yaml-syntax", _tag_message(tag), span)
                        value = text
                if event.anchor is not None:
                    anchors[event.anchor] = (value, 1, span)
                complete(
                    value, span, 1, is_key and not style and tag is None and text == _MERGE_KEY
                )
            elif kind in (MAP_START, SEQ_START):
                span = span_of(event)
                tag = event.tag
                if tag is not None and tag not in _STANDARD_COLLECTION_TAGS:
                    self.problem("yaml-syntax", _tag_message(tag), span)
                if len(stack) >= limits.max_depth:
                    raise _LimitReached(
                        f"nesting deeper than {limits.max_depth} levels; the document is not loaded",
                        span,
                    )
                if kind == MAP_START:
                    stack.append(_Frame({}, {}, span, event.anchor))
                else:
                    stack.append(_Frame([], [], span, event.anchor))
            elif kind in (MAP_END, SEQ_END):
                frame = stack.pop()
                if frame.merges:
                    self.apply_merges(frame)
                pos: Pos = (frame.span, frame.children)
                if frame.anchor is not None:
                    anchors[frame.anchor] = (frame.container, frame.count, pos)
                complete(frame.container, pos, frame.count)
            elif kind == ALIAS:
                name = event.anchor or ""
                found = anchors.get(name)
                if found is None:
                    span = span_of(event)
                    self.problem(
                        "yaml-syntax",
                        f"alias *{name} refers to no complete anchor &{name} before it",
                        span,
                    )
                    complete(None, span, 1)
                else:
                    complete(found[0], found[2], found[1])
            elif kind is not None:  # the document's end
                break
        data, root_pos = root[0] if root else (None, start)
        return Document(self.source_path, self.document_index, data, root_pos, plain_texts)

    def apply_merges(self, frame: _Frame) -> None:
        """`<<` merge keys as go-yaml v2 applies them: explicit keys win, then earlier sources."""
        mapping, children = frame.container, frame.children
        assert isinstance(mapping, dict) and isinstance(children, dict)
        sources: list[tuple[dict[str, Node], Pos]] = []
        for value, pos in frame.merges:
            if isinstance(value, dict):
                sources.append((value, pos))
            elif (
                isinstance(value, list)
                and not isinstance(pos, int)
                and isinstance(pos[1], list)
                and all(isinstance(item, dict) for item in value)
            ):
                sources.extend(
                    (item, item_pos) for item, item_pos in zip(value, pos[1], strict=True)
                )  # type: ignore[misc]
            else:
                self.problem(
                    "yaml-syntax",
                    "a merge key (<<) needs a mapping or a list of mappings",
                    span_of_pos(pos),
                )
        for source, source_pos in sources:
            source_children = None if isinstance(source_pos, int) else source_pos[1]
            for key, value in source.items():
                if key in mapping:
                    continue
                mapping[key] = value
                if isinstance(source_children, dict) and key in source_children:
                    children[key] = source_children[key]


def _resume_line(text: str, error_line: int, document_line: int) -> int | None:
    """The first `---` line after the failed document's start, at or after the error."""
    lines = text.split("\n")
    for number in range(max(error_line, document_line + 1), len(lines)):
        if lines[number].startswith("---"):
            return number
    return None


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
            result.problems.append(Problem("input-limit", limit.message, unpack(limit.span), None))
            return result
        except RecursionError:
            span = (offset, 0, offset, 1)
            result.problems.append(
                Problem(
                    "input-limit",
                    "nesting too deep for the YAML parser; the file is not loaded",
                    span,
                    None,
                )
            )
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
            # Lines and the document start are counted within `remaining`.
            resume = _resume_line(remaining, line, builder.document_line)
            if resume is None:
                return result
            offset += resume
            remaining = "\n".join(remaining.split("\n")[resume:])
