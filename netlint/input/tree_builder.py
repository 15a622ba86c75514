"""Positioned documents built straight from the libyaml event stream: the loader's hot loop.

The builder is iterative (no recursion, so deep nesting is a finding, not a RecursionError),
shares aliased nodes instead of copying them, and reports what the API server's strict decoding
would refuse: duplicate keys, tags it cannot decode (never constructed), syntax errors. Its caps
are in `limits`; mappings with duplicate, merge or complex keys are put in order by
`mapping_keys`; `loader` runs it over a file and resumes after syntax errors.
"""

from __future__ import annotations

from array import array
from collections.abc import Callable
from sys import intern

from netlint.input.document import (
    COLUMN_BITS,
    COLUMN_MASK,
    WORD_BITS,
    WORD_MASK,
    Document,
    Node,
    PackedSpan,
    packed_at,
    unpack,
    word,
)
from netlint.input.limits import (
    Budget,
    LimitReached,
    Limits,
    LoadResult,
    Problem,
    excessive_aliasing,
)
from netlint.input.mapping_keys import (
    MERGE_KEY,
    MERGE_TAG,
    Tracked,
    apply_merges,
    put_in_data_order,
    track_key,
    track_value,
)
from netlint.input.scalars import NUMBER_HINTS, WORDS, resolve_plain, resolve_tagged
from netlint.input.yaml_events import (
    ALIAS,
    DOC_START,
    STREAM_END,
    Backend,
    Event,
    MappingEndArgs,
    MappingStartArgs,
    Mark,
    ScalarArgs,
    SequenceEndArgs,
    SequenceStartArgs,
)

_STANDARD_COLLECTION_TAGS = frozenset(
    ["tag:yaml.org,2002:map", "tag:yaml.org,2002:seq", "tag:yaml.org,2002:omap", "!"]
)


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
    "Tracked | None",
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


class Builder:
    """Builds the documents of one YAML stream (or of the part after a syntax error)."""

    def __init__(
        self,
        source_path: str,
        limits: Limits,
        result: LoadResult,
        line_offset: int,
        budget: Budget,
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
                    raise LimitReached(
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
        is tracked (see `Tracked`)."""
        flat: list[int] = []
        put = flat.append
        self.anchors, self.anchor_log = {}, []
        plain_texts: dict[PackedSpan, str] = {}
        stack: list[_Open] = []
        max_depth = self.limits.max_depth
        fast = self.fast_words
        shift = self.line_offset << COLUMN_BITS  # adds the line offset to a fast word
        bits = COLUMN_BITS
        word_of = self.word
        numbers, words = NUMBER_HINTS, WORDS
        # The event classes, compared by identity: a scalar (most events) then costs one
        # comparison before its fields, not a dict lookup and three comparisons of its kind.
        scalar_type: type = ScalarArgs
        map_start_type: type = MappingStartArgs
        seq_start_type: type = SequenceStartArgs
        map_end_type: type = MappingEndArgs
        seq_end_type: type = SequenceEndArgs
        # The open collection (neither: at the root) and what is known of it; see `_Open`.
        mapping: dict[str, Node] | None = None
        sequence: list[Node] | None = None
        key: str | None = None
        start = 0
        anchor: str | None = None
        tracked: Tracked | None = None
        root: Node = None
        value: Node
        # Of the last node's event (`NodeEvent.args`); text and style of the last scalar's.
        ctag: object = None
        text = ""
        style: str | None = None
        event_type: type | None
        while True:
            event = get()
            event_type = type(event)
            if (
                event_type is scalar_type
                or event_type is map_start_type
                or event_type is seq_start_type
            ):  # a node starts: its span is that of this event
                if event_type is scalar_type:
                    anchor_name, ctag, _, text, first, last, style = event.args
                else:
                    anchor_name, ctag, _, first, last, _ = event.args
                here = len(flat)
                if fast:
                    put((first.line << bits | first.column) + shift)
                    put((last.line << bits | last.column) + shift)
                else:
                    put(word_of(first))
                    put(word_of(last))
                if event_type is not scalar_type:
                    # A collection is located at its start event (`{`, `[`, or its first key
                    # for block style), where findings about it read best.
                    if ctag is not None and str(ctag) not in _STANDARD_COLLECTION_TAGS:
                        self.problem("yaml-syntax", _tag_message(str(ctag)), packed_at(flat, here))
                    if len(stack) >= max_depth:
                        raise LimitReached(
                            f"nesting deeper than {max_depth} levels; the document is not loaded",
                            packed_at(flat, here),
                        )
                    stack.append((mapping, sequence, key, start, anchor, tracked))
                    start, anchor, tracked, key = here, anchor_name, None, None
                    if event_type is map_start_type:
                        mapping, sequence = {}, None
                    else:
                        mapping, sequence = None, []
                    continue
                if ctag is not None:
                    value = self.tagged(str(ctag), text, packed_at(flat, here))
                    if (
                        not style
                        and isinstance(value, str)
                        and (mapping is None or key is not None)
                    ):
                        # `! Text`: its span is wider than its text, as a quoted one's is;
                        # recorded so that a fix does not take it for quoted (netlint.fixes).
                        plain_texts[packed_at(flat, here)] = text
                elif style or (text and text[0] not in numbers and text not in words):
                    value = text
                    if anchor_name is None and mapping is not None and tracked is None:
                        # The common case, a string key or value of a mapping in data order,
                        # put in place here (the general code below does the same).
                        if key is not None:
                            mapping[key] = value
                            key = None
                            continue
                        if value not in mapping and value != MERGE_KEY:
                            # Interned: a run holds the same few hundred keys millions of
                            # times, and pickling (workers, the cache) then writes each once
                            # per file.
                            key = intern(text)
                            continue
                else:
                    value = resolve_plain(text)
                    if (mapping is None or key is not None) and not _prints_as(value, text):
                        plain_texts[packed_at(flat, here)] = text
                if anchor_name is not None:
                    self.anchor(anchor_name, value, here, len(flat))
            elif event_type is map_end_type or event_type is seq_end_type:
                if tracked is not None and mapping is not None:
                    self.reorder(flat, start, mapping, tracked)
                value, here = mapping if mapping is not None else sequence, start
                if anchor is not None:
                    self.anchor(anchor, value, start, len(flat))
                mapping, sequence, key, start, anchor, tracked = stack.pop()
                event_type = None  # not a scalar, for a merge key below
            else:
                kind = kinds.get(event_type)
                if kind is None:
                    continue
                if kind != ALIAS:  # the document's end
                    break
                here = len(flat)
                value = self.alias(event, flat)
            # The node just read (`value`, its spans from `here` on) goes into its parent.
            if mapping is not None:
                if key is None:  # it is a key
                    if isinstance(value, str) and tracked is None and value not in mapping:
                        key = intern(value) if value != MERGE_KEY else None
                    if key is None:
                        merge = event_type is scalar_type and (
                            (ctag is None and not style) or str(ctag) == MERGE_TAG
                        )
                        key, tracked = track_key(
                            self, mapping, start, flat, value, here, merge, tracked
                        )
                elif tracked is None:
                    mapping[key] = value
                    key = None
                else:
                    track_value(mapping, key, value, tracked, len(flat))
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
        if tag == "!" or (tag == MERGE_TAG and text == MERGE_KEY):
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
        if excessive_aliasing(self.document_aliases, decoded):
            raise LimitReached(
                f"excessive aliasing: {self.document_aliases} of the {decoded} nodes read "
                "so far come from aliases (a billion-laughs pattern); Kubernetes' YAML "
                "decoder refuses such a document too. It is not loaded, nor the rest "
                "of the file",
                self.span(event),
            )
        if decoded > limits.max_expanded_nodes:
            raise LimitReached(
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
            raise LimitReached(
                f"{copied_by} more than {budget.max_alias_nodes} "
                "nodes (a billion-laughs pattern; the cap is "
                f"{limits.alias_nodes_per_char} per character of text, at least "
                f"{limits.min_alias_nodes}, at most {limits.max_alias_nodes}); this "
                "document and the rest of the file are not loaded",
                span,
            )

    def reorder(
        self, flat: list[int], start: int, mapping: dict[str, Node], tracked: Tracked
    ) -> None:
        """End a tracked mapping: apply its `<<` merges as go-yaml v2 does (explicit keys win,
        then earlier sources), then rewrite its part of `flat` in the data's order."""
        places = apply_merges(self, flat, mapping, tracked)
        # Anchors that ended inside this mapping (the last ones to end) keep their spans, which
        # an alias may still need, in one copy of the mapping's part of the table: however deep
        # they nest, the copy costs what the mapping does, once.
        log = self.anchor_log
        if log and log[-1].last > start:
            before = flat[start:]
            self.spend(
                len(before) // 2,
                packed_at(flat, start),
                "aliases, and anchors inside mappings with duplicate or merge keys, copy",
            )
            while log and log[-1].last > start:
                moved = log.pop()
                moved.spans, moved.first, moved.last = (
                    before,
                    moved.first - start,
                    moved.last - start,
                )
        put_in_data_order(flat, start, mapping, places)
