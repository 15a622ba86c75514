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
from array import array
from collections.abc import Callable
from dataclasses import dataclass, field
from sys import intern

from netlint.input.document import (
    COLUMN_BITS,
    COLUMN_MASK,
    WORD_BITS,
    WORD_MASK,
    Document,
    Node,
    PackedSpan,
    Span,
    node_size,
    unpack,
    word,
)
from netlint.input.scalars import NUMBER_HINTS, WORDS, key_text, resolve_plain, resolve_tagged
from netlint.input.yaml_events import (
    ALIAS,
    DOC_START,
    MAP_END,
    MAP_START,
    SCALAR,
    SEQ_END,
    STREAM_END,
    Backend,
    Event,
    Mark,
    backend,
    error_position,
)

_STANDARD_COLLECTION_TAGS = frozenset(
    ["tag:yaml.org,2002:map", "tag:yaml.org,2002:seq", "tag:yaml.org,2002:omap", "!"]
)
_MERGE_KEY = "<<"
_MERGE_TAG = "tag:yaml.org,2002:merge"  # `!!merge <<: ...`, a merge key as go-yaml v2 reads it
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
    # position lookups, reporters) then costs a constant factor of the input's size, however
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


# Where a mapping entry's positions lie in the flat table being built: (key, or None for a `<<`
# merge key; index of the key's span; index of the value's first span).
_Entry = tuple[str | None, int, int]


class _Tracked:
    """An open mapping whose entries stopped lining up with the flat table in event order: it has
    a duplicate, merge or complex key. Its entries are recorded from then on, so that its part
    of the table can be put in data order when it ends (`_Builder.reorder`)."""

    __slots__ = ("entries", "merges")

    def __init__(self, entries: list[_Entry]) -> None:
        self.entries = entries
        # Each `<<` value: (value, index of its first span, index past its last span).
        self.merges: list[tuple[Node, int, int]] = []


class _Anchor:
    """An anchored node, and where its spans are: `first:last` of the flat table, or of `spans`,
    a copy of a tracked mapping's part of the table taken before that mapping was put back in
    data order (its range of the table no longer holds them)."""

    __slots__ = ("first", "last", "node", "spans")

    def __init__(self, node: Node, first: int, last: int) -> None:
        self.node = node
        self.first = first
        self.last = last
        self.spans: list[int] | None = None


# The state of an open collection while a nested one is read: (the mapping or the sequence, the
# key waiting for its value, index of its span in the flat table, anchor, tracked entries).
_Open = tuple[
    "dict[str, Node] | None",
    "list[Node] | None",
    "str | None",
    int,
    "str | None",
    "_Tracked | None",
]


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


def _packed(flat: list[int], at: int) -> PackedSpan:
    """The span at index `at` of a flat table, packed."""
    return flat[at] << WORD_BITS | flat[at + 1]


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
        self.document_aliases = 0  # nodes reached through aliases in the current document
        self.anchors: dict[str, _Anchor] = {}  # of the current document
        self.anchor_log: list[_Anchor] = []  # the same, in the order they ended
        self.fast_words = True  # no column can reach 2**24: span words need no clamping

    def word(self, mark: Mark) -> int:
        return word(mark.line + self.line_offset, mark.column)

    def span(self, event: Event) -> PackedSpan:
        return self.word(event.start_mark) << WORD_BITS | self.word(event.end_mark)

    def problem(self, rule_id: str, message: str, span: PackedSpan) -> None:
        self.result.problems.append(Problem(rule_id, message, unpack(span), self.document_index))

    def run(self, text: str, be: Backend) -> None:
        """Parse `text`; raises the backend's error type on a syntax error."""
        get = be.parse(text)
        kinds = be.kinds
        self.fast_words = len(text) <= COLUMN_MASK
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
                self.document_aliases = 0
                self.result.documents.append(self.document(get, kinds, span))

    def document(
        self, get: Callable[[], Event], kinds: dict[type, int], start_span: PackedSpan
    ) -> Document:
        """The nodes up to the end of the current document: the hot loop of netlint, run once per
        node of the input, so the common case is inlined and the rare ones (tags, aliases,
        duplicate, merge and complex keys) are methods.

        Spans go into `flat` in event order, which is the data's pre-order as long as no mapping
        is tracked (see `_Tracked`)."""
        flat: list[int] = []
        put = flat.append
        self.anchors, self.anchor_log = {}, []
        plain_texts: dict[PackedSpan, str] = {}
        stack: list[_Open] = []
        max_depth = self.limits.max_depth
        fast = self.fast_words
        shift = self.line_offset << COLUMN_BITS  # adds the line offset to a fast word
        word_of = self.word
        numbers, words = NUMBER_HINTS, WORDS
        # The open collection (neither: at the root) and what is known of it; see `_Open`.
        mapping: dict[str, Node] | None = None
        sequence: list[Node] | None = None
        key: str | None = None
        start = 0
        anchor: str | None = None
        tracked: _Tracked | None = None
        root: Node = None
        value: Node
        # Of the last node's event (`NodeEvent.args`); text and style of the last scalar's.
        ctag: object = None
        text = ""
        style: str | None = None
        while True:
            event = get()
            kind = kinds.get(type(event))
            if kind is None:
                continue
            if kind <= MAP_START:  # a node starts: its span is that of this event
                if kind == SCALAR:
                    anchor_name, ctag, _, text, first, last, style = event.args
                else:
                    anchor_name, ctag, _, first, last, _ = event.args
                here = len(flat)
                if fast:
                    put((first.line << COLUMN_BITS | first.column) + shift)
                    put((last.line << COLUMN_BITS | last.column) + shift)
                else:
                    put(word_of(first))
                    put(word_of(last))
                if kind != SCALAR:
                    # A collection is located at its start event (`{`, `[`, or its first key
                    # for block style), where findings about it read best.
                    if ctag is not None and str(ctag) not in _STANDARD_COLLECTION_TAGS:
                        self.problem("yaml-syntax", _tag_message(str(ctag)), _packed(flat, here))
                    if len(stack) >= max_depth:
                        raise _LimitReached(
                            f"nesting deeper than {max_depth} levels; the document is not loaded",
                            _packed(flat, here),
                        )
                    stack.append((mapping, sequence, key, start, anchor, tracked))
                    start, anchor, tracked, key = here, anchor_name, None, None
                    if kind == MAP_START:
                        mapping, sequence = {}, None
                    else:
                        mapping, sequence = None, []
                    continue
                if ctag is not None:
                    value = self.tagged(str(ctag), text, _packed(flat, here))
                elif style or (text and text[0] not in numbers and text not in words):
                    value = text
                else:
                    value = resolve_plain(text)
                    if (mapping is None or key is not None) and not _prints_as(value, text):
                        plain_texts[_packed(flat, here)] = text
                if anchor_name is not None:
                    self.anchor(anchor_name, value, here, len(flat))
            elif kind in (MAP_END, SEQ_END):
                if tracked is not None and mapping is not None:
                    self.reorder(flat, start, mapping, tracked)
                value, here = mapping if mapping is not None else sequence, start
                if anchor is not None:
                    self.anchor(anchor, value, start, len(flat))
                mapping, sequence, key, start, anchor, tracked = stack.pop()
            elif kind == ALIAS:
                here = len(flat)
                value = self.alias(event, flat)
            else:  # the document's end
                break
            # The node just read (`value`, its spans from `here` on) goes into its parent.
            if mapping is not None:
                if key is None:  # it is a key
                    if isinstance(value, str) and tracked is None and value not in mapping:
                        # Interned: a run holds the same few hundred keys millions of times,
                        # and pickling (workers, the cache) then writes each once per file.
                        key = intern(value) if value != _MERGE_KEY else None
                    if key is None:
                        merge = kind == SCALAR and (
                            (ctag is None and not style) or str(ctag) == _MERGE_TAG
                        )
                        key, tracked = self.track_key(
                            mapping, start, flat, value, here, merge, tracked
                        )
                elif tracked is None:
                    mapping[key] = value
                    key = None
                else:
                    self.track_value(mapping, key, value, tracked, len(flat))
                    key = None
            elif sequence is not None:
                sequence.append(value)
            else:
                root = value
        if not flat:  # an empty document: it is found at its start
            flat = [start_span >> WORD_BITS, start_span & WORD_MASK]
        return Document(self.source_path, self.document_index, root, array("q", flat), plain_texts)

    def tagged(self, tag: str, text: str, span: PackedSpan) -> Node:
        """A scalar with an explicit tag: `!` keeps the text, `!!` types are decoded."""
        if tag == "!" or (tag == _MERGE_TAG and text == _MERGE_KEY):
            return text
        value, known = resolve_tagged(tag, text)
        if not known:
            self.problem("yaml-syntax", _tag_message(tag), span)
            return text
        return value

    def anchor(self, name: str, node: Node, first: int, last: int) -> None:
        anchored = _Anchor(node, first, last)
        self.anchors[name] = anchored
        self.anchor_log.append(anchored)

    def alias(self, event: Event, flat: list[int]) -> Node:
        """The anchored node an alias stands for (shared, not copied: only its spans are), within
        the caps on alias expansion."""
        name = event.anchor or ""
        found = self.anchors.get(name)
        if found is None:
            span = self.span(event)
            self.problem(
                "yaml-syntax", f"alias *{name} refers to no complete anchor &{name} before it", span
            )
            flat += (span >> WORD_BITS, span & WORD_MASK)
            return None
        spans = (found.spans if found.spans is not None else flat)[found.first : found.last]
        nodes = len(spans) // 2
        limits = self.limits
        self.document_aliases += nodes
        decoded = len(flat) // 2 + nodes
        if _excessive_aliasing(self.document_aliases, decoded):
            raise _LimitReached(
                f"excessive aliasing: {self.document_aliases} of the {decoded} nodes read "
                "so far come from aliases (a billion-laughs pattern); Kubernetes' YAML "
                "decoder refuses such a document too. It is not loaded, nor the rest "
                "of the file",
                self.span(event),
            )
        if decoded > limits.max_expanded_nodes:
            raise _LimitReached(
                f"document expands to more than {limits.max_expanded_nodes} nodes "
                "through aliases; it is not loaded",
                self.span(event),
            )
        self.spend(nodes, self.span(event))
        flat += spans
        return found.node

    def spend(
        self, nodes: int, span: PackedSpan, copied_by: str = "aliases in this file expand to"
    ) -> None:
        """Count `nodes` copied (for aliases, or the anchors of a reordered mapping) against the
        file's budget."""
        budget, limits = self.budget, self.limits
        budget.alias_nodes += nodes
        if budget.alias_nodes > budget.max_alias_nodes:
            raise _LimitReached(
                f"{copied_by} more than {budget.max_alias_nodes} "
                "nodes (a billion-laughs pattern; the cap is "
                f"{limits.alias_nodes_per_char} per character of text, at least "
                f"{limits.min_alias_nodes}, at most {limits.max_alias_nodes}); this "
                "document and the rest of the file are not loaded",
                span,
            )

    def track_key(
        self,
        mapping: dict[str, Node],
        start: int,
        flat: list[int],
        node: Node,
        here: int,
        merge: bool,
        tracked: _Tracked | None,
    ) -> tuple[str, _Tracked | None]:
        """A key that is not a new plain string: a duplicate, a `<<` merge key, a complex key,
        or a key that decodes to another scalar type. Returns the key and the tracking state."""
        if isinstance(node, (dict, list)):
            self.problem(
                "yaml-syntax",
                "a mapping key must be a scalar: Kubernetes cannot decode complex keys",
                _packed(flat, here),
            )
            key = _COMPLEX_KEY
        else:
            key = key_text(node)
            merge = merge and key == _MERGE_KEY
        is_complex = key is _COMPLEX_KEY
        if tracked is None:
            if not (merge or is_complex or key in mapping):
                return key, None
            # The entries so far still line up: their places follow from the data's sizes.
            entries: list[_Entry] = []
            at = start + 2
            for name, item in mapping.items():
                entries.append((name, at, at + 2))
                at += 2 + 2 * node_size(item)
            tracked = _Tracked(entries)
        if not merge and key in mapping:
            previous = next((at for name, at, _ in reversed(tracked.entries) if name == key), here)
            self.problem(
                "yaml-duplicate-key",
                f"duplicate key {key!r}: already set at line "
                f"{(flat[previous] >> COLUMN_BITS) + 1}; the API server's strict decoding "
                "rejects the object, and kubectl keeps only the last value",
                _packed(flat, here),
            )
        tracked.entries.append((None if merge else key, here, len(flat)))
        return key, tracked

    @staticmethod
    def track_value(
        mapping: dict[str, Node], key: str, node: Node, tracked: _Tracked, end: int
    ) -> None:
        name, _, first = tracked.entries[-1]
        if name is None:  # a `<<` value: merged when the mapping ends
            tracked.merges.append((node, first, end))
        else:
            mapping[key] = node

    def reorder(
        self, flat: list[int], start: int, mapping: dict[str, Node], tracked: _Tracked
    ) -> None:
        """End a tracked mapping: apply its `<<` merges as go-yaml v2 does (explicit keys win,
        then earlier sources), then rewrite its part of `flat` in the data's order."""
        places: dict[str, tuple[int, int, int]] = {}  # key -> (key span, value's range)
        entries = tracked.entries
        for number, (name, key_at, value_at) in enumerate(entries):
            if name is not None:  # the last of duplicates wins, as in the data
                value_end = entries[number + 1][1] if number + 1 < len(entries) else len(flat)
                places[name] = (key_at, value_at, value_end)
        for node, first, last in tracked.merges:
            for source, source_at in self.merge_sources(node, first, last, flat):
                at = source_at + 2
                for name, item in source.items():
                    size = 2 * node_size(item)
                    if name not in mapping:
                        mapping[name] = item
                        places[name] = (at, at + 2, at + 2 + size)
                    at += 2 + size
        # Anchors that ended inside this mapping (the last ones to end) keep their spans, which
        # an alias may still need, in one copy of the mapping's part of the table: however deep
        # they nest, the copy costs what the mapping does, once.
        log = self.anchor_log
        if log and log[-1].last > start:
            before = flat[start:]
            self.spend(
                len(before) // 2,
                _packed(flat, start),
                "aliases, and anchors inside mappings with duplicate or merge keys, copy",
            )
            while log and log[-1].last > start:
                moved = log.pop()
                moved.spans, moved.first, moved.last = (
                    before,
                    moved.first - start,
                    moved.last - start,
                )
        ordered: list[int] = []
        for name in mapping:
            key_at, value_at, value_end = places[name]
            ordered += flat[key_at : key_at + 2]
            ordered += flat[value_at:value_end]
        flat[start + 2 :] = ordered

    def merge_sources(
        self, node: Node, first: int, last: int, flat: list[int]
    ) -> list[tuple[dict[str, Node], int]]:
        """The mappings a `<<` value merges, each with the index of its span."""
        if isinstance(node, dict):
            return [(node, first)]
        if isinstance(node, list) and all(isinstance(item, dict) for item in node):
            sources: list[tuple[dict[str, Node], int]] = []
            at = first + 2
            for item in node:
                assert isinstance(item, dict)
                sources.append((item, at))
                at += 2 * node_size(item)
            return sources
        self.problem(
            "yaml-syntax",
            "a merge key (<<) needs a mapping or a list of mappings",
            _packed(flat, first),
        )
        return []


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
    be = backend()
    try:
        with be.session():
            _load(text, source_path, limits, result, be)
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


def _load(text: str, source_path: str, limits: Limits, result: LoadResult, be: Backend) -> None:
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
