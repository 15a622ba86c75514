"""YAML text -> positioned documents, built straight from the libyaml event stream.

The builder is iterative (no recursion, so deep nesting is a finding, not a RecursionError),
shares aliased nodes instead of copying them, and reports what the API server's strict decoding
would refuse: duplicate keys, tags it cannot decode (never constructed), syntax errors. A syntax
error ends only the document it is in: parsing resumes at the next `---` line, so the file's other
documents are still linted.

Caps (DESIGN §10), each an `input-limit` problem, so that no later stage can be made to hang:

- nesting depth: well above any real manifest (the deepest CRD schemas nest about 40 levels) and
  far enough below Python's recursion limit that pickling a document for a worker process, or any
  library that walks data recursively, cannot hit it;
- alias expansion: aliases share objects, so the *text* stays small, but every walk over the
  data (rules, schema validation, fingerprints) visits each expanded node. A document is refused
  where Kubernetes' own decoder refuses it (go-yaml's "excessive aliasing" ratio: at most 99% of
  a document's nodes may come from aliases, less for large ones), which keeps every walk within a
  constant factor of the text; and the nodes reached through aliases in a whole file are capped
  at two per character of its text (a million at most), however many documents it has, so that
  no walk and no position table costs more than a constant factor of the input's size;
- documents per file, and syntax errors per file: recovery after an error re-parses from the next
  `---` line, which must not turn a file of broken documents into quadratic work.

Whatever else goes wrong inside the loader becomes an `internal-error` problem for the file,
never an exception that would stop the other files.
"""

from __future__ import annotations

import re
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

    max_depth: int = 100
    max_documents: int = 10_000
    # Nodes a document would have with every alias expanded. A real manifest stays far below;
    # a billion-laughs document explodes past it while its text is tiny.
    max_expanded_nodes: int = 1_000_000
    # Nodes reached through aliases in the whole file, all documents together: at most
    # `alias_nodes_per_char` per character of its text (at least `min_alias_nodes`), and never
    # more than `max_alias_nodes`. Every later walk over the data (rules, schema validation,
    # position compaction, reporters) then costs a constant factor of the input's size, however
    # many documents or files it has. Real files stay far below: the corpus's largest share of
    # aliased nodes is 3 nodes in a 73 KB file.
    max_alias_nodes: int = 1_000_000
    alias_nodes_per_char: int = 2
    min_alias_nodes: int = 1_000
    # Syntax errors after which the rest of the file is not read (each one restarts the parser).
    max_syntax_errors: int = 100


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


# go-yaml v2's alias check (decode.go, since v2.2.4; sigs.k8s.io/yaml uses it): a document fails
# with "document contains excessive aliasing" when more than 100 of its decoded nodes come from
# aliases and those are more than 99% (small documents) down to 10% (from 4M nodes) of all.
_ALIAS_RATIO_LOW = 400_000
_ALIAS_RATIO_HIGH = 4_000_000


def _excessive_aliasing(aliased: int, decoded: int) -> bool:
    if aliased <= 100 or decoded <= 1000:
        return False
    if decoded <= _ALIAS_RATIO_LOW:
        allowed = 0.99
    elif decoded >= _ALIAS_RATIO_HIGH:
        allowed = 0.10
    else:
        allowed = 0.99 - 0.89 * (decoded - _ALIAS_RATIO_LOW) / (
            _ALIAS_RATIO_HIGH - _ALIAS_RATIO_LOW
        )
    return aliased > decoded * allowed


class _Budget:
    """What a whole file may still spend, shared by the builders of its parts."""

    __slots__ = ("alias_nodes", "max_alias_nodes")

    def __init__(self, limits: Limits, text_length: int) -> None:
        self.alias_nodes = 0
        by_size = max(limits.min_alias_nodes, limits.alias_nodes_per_char * text_length)
        self.max_alias_nodes = min(limits.max_alias_nodes, by_size)


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
        self,
        source_path: str,
        limits: Limits,
        result: LoadResult,
        line_offset: int,
        budget: _Budget,
    ) -> None:
        self.source_path = source_path
        self.limits = limits
        self.result = result
        self.line_offset = line_offset
        self.budget = budget
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
        budget = self.budget
        document_aliases = 0  # nodes reached through aliases in this document
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
                    document_aliases += found[1]
                    decoded = found[1] + sum(frame.count for frame in stack)
                    if _excessive_aliasing(document_aliases, decoded):
                        raise _LimitReached(
                            f"excessive aliasing: {document_aliases} of the {decoded} nodes read "
                            "so far come from aliases (a billion-laughs pattern); Kubernetes' YAML "
                            "decoder refuses such a document too. It is not loaded, nor the rest "
                            "of the file",
                            span_of(event),
                        )
                    budget.alias_nodes += found[1]
                    if budget.alias_nodes > budget.max_alias_nodes:
                        raise _LimitReached(
                            f"aliases in this file expand to more than {budget.max_alias_nodes} "
                            "nodes (a billion-laughs pattern; the cap is "
                            f"{limits.alias_nodes_per_char} per character of text, at least "
                            f"{limits.min_alias_nodes}, at most {limits.max_alias_nodes}); this "
                            "document and the rest of the file are not loaded",
                            span_of(event),
                        )
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
                for item, item_pos in zip(value, pos[1], strict=True):
                    if isinstance(item, dict):
                        sources.append((item, item_pos))
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


# The line breaks libyaml counts: LF, CRLF, CR, NEL, LS, PS (YAML 1.1). Lines are numbered the
# same way here, so a file with mixed or old Mac line endings resumes at the right line.
_LINE_BREAK = re.compile("\r\n|[\n\r\x85\u2028\u2029]")
_DOCUMENT_START = re.compile("---(?=[ \t\r\n\x85\u2028\u2029]|$)")


class _Cursor:
    """Walks forward through a text line by line; all its moves together cost O(len(text))."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.line = 0
        self.pos = 0  # offset of the start of `line`

    def advance_to(self, line: int) -> bool:
        """Move to the start of `line` (not before the current one); False past the end."""
        if line <= self.line:
            return True
        for match in _LINE_BREAK.finditer(self.text, self.pos):
            self.line += 1
            self.pos = match.end()
            if self.line == line:
                return True
        return False

    def line_text(self, line: int) -> str:
        """The text of `line` (at or after the current one), without its line break; past the
        end of the text, the cursor stays on the last line and gives that line's text."""
        self.advance_to(line)
        end = _LINE_BREAK.search(self.text, self.pos)
        return self.text[self.pos : end.start() if end else len(self.text)]

    def next_document_start(self, first_line: int) -> int | None:
        """The first line at or after `first_line` that starts with a `---` marker."""
        if not self.advance_to(first_line):
            return None
        while True:
            if _DOCUMENT_START.match(self.text, self.pos):
                return self.line
            if not self.advance_to(self.line + 1):
                return None


def _char_position(text: str, error: Exception) -> tuple[int, int] | None:
    """Line and column of a reader error (a control character...), which libyaml reports as a
    byte offset into the UTF-8 encoding of `text` rather than as a mark."""
    position = getattr(error, "position", None)
    if not isinstance(position, int) or position < 0:
        return None
    offset = len(text.encode("utf-8")[:position].decode("utf-8", "ignore"))
    line = 0
    line_start = 0
    for match in _LINE_BREAK.finditer(text, 0, offset):
        line += 1
        line_start = match.end()
    return line, offset - line_start


def _syntax_message(problem: str, line_text: str, column: int) -> str:
    indent = line_text[: len(line_text) - len(line_text.lstrip(" \t"))]
    if "\t" in indent and column <= len(indent):
        return (
            "YAML syntax error: a tab character indents this line; YAML allows only spaces "
            "for indentation"
        )
    return f"YAML syntax error: {problem}"


def load_yaml(text: str, source_path: str, limits: Limits | None = None) -> LoadResult:
    """Every document of `text`, with the problems found on the way. Never raises: a bug of the
    loader on this text is an `internal-error` problem of the file."""
    limits = limits or Limits()
    result = LoadResult()
    try:
        _load(text, source_path, limits, result)
    except Exception as error:  # one file must never stop the run (DESIGN §10)
        result.problems.append(
            Problem(
                "internal-error",
                f"netlint's YAML loader failed on this file ({type(error).__name__}: {error}); "
                "the file is not linted. This is a bug in netlint: please report it with the "
                "file and `netlint --version`",
                (0, 0, 0, 1),
                None,
            )
        )
    return result


def _load(text: str, source_path: str, limits: Limits, result: LoadResult) -> None:
    be = backend()
    budget = _Budget(limits, len(text))
    cursor = _Cursor(text)  # where the part being parsed starts
    syntax_errors = 0
    while True:
        offset = cursor.line
        remaining = text[cursor.pos :] if cursor.pos else text
        builder = _Builder(source_path, limits, result, offset, budget)
        try:
            builder.run(remaining, be)
            return
        except _LimitReached as limit:
            result.problems.append(Problem("input-limit", limit.message, unpack(limit.span), None))
            return
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
            return
        except be.error_type as error:
            line, column, problem = error_position(error)
            reason = getattr(error, "reason", None)
            if isinstance(reason, str) and getattr(error, "problem_mark", None) is None:
                # A reader error (a control character): no mark, a byte offset instead.
                line, column = _char_position(remaining, error) or (0, 0)
                character = getattr(error, "character", None)
                if isinstance(character, int):
                    problem = f"unacceptable character #x{character:04x}: {reason}"
                else:
                    problem = reason
            line += offset
            syntax_errors += 1
            line_text = cursor.line_text(line)
            if cursor.line < line:
                # libyaml puts the end of a text without a final line break on a line of its
                # own, past the end: point at the end of the last line instead.
                line, column = cursor.line, len(line_text)
            column = min(column, len(line_text))
            result.problems.append(
                Problem(
                    "yaml-syntax",
                    _syntax_message(problem, line_text, column),
                    (line, column, line, column + 1),
                    len(result.documents),
                )
            )
            # Resume at the first `---` line after the failed document's start, at or after the
            # error; always past the start of this part, so every round makes progress.
            first = max(line, offset + builder.document_line + 1, offset + 1)
            resume = cursor.next_document_start(first)
            if resume is None:
                return
            if syntax_errors >= limits.max_syntax_errors:
                result.problems.append(
                    Problem(
                        "input-limit",
                        f"{syntax_errors} YAML syntax errors in this file; the rest of it, from "
                        f"line {resume + 1}, is not read",
                        (resume, 0, resume, 3),
                        None,
                    )
                )
                return
