"""A parsed YAML document: plain data plus a flat table of node positions.

Positions live beside the data, not in it, so rules see exactly what the API server decodes,
and a document survives pickling (parsing runs in worker processes). They are kept in one int64
array in pre-order of the data (a node, then for a mapping each key and its value), two words per
node, which is also the order the parser's events come in: the loader appends to it as it reads,
and the data gives the shape back when a position is asked for.
"""

from __future__ import annotations

import marshal
import sys
from array import array
from collections.abc import Callable, Generator
from contextlib import contextmanager
from dataclasses import field
from typing import TYPE_CHECKING, TypeAlias

from netlint.findings import Path
from netlint.records import record

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


def packed_at(flat: list[int], at: int) -> PackedSpan:
    """The span at index `at` of a flat table, packed."""
    return flat[at] << WORD_BITS | flat[at + 1]


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


# A mapping's offsets by key, or a sequence's by index (`Document._child_offset`).
ChildOffsets: TypeAlias = "dict[str, int] | array[int]"

# Containers up to this many children, whose children before the one asked for are scalars, are
# located by counting: no table is worth it. Any other container gets its table of offsets.
_DIRECT_CHILDREN = 16


def _offset_past_scalars(node: dict[str, Node] | list[Node], step: str | int) -> int | None:
    """The child's offset when every child before it is a scalar (one span each), else None:
    then summing the earlier children's sizes would cost what they hold, on every lookup."""
    offset = 0
    if isinstance(node, dict):
        for key, value in node.items():
            if key == step:
                return offset
            if isinstance(value, (dict, list)):
                return None
            offset += 2  # a key's span, then its value's
        return offset
    assert isinstance(step, int)
    for item in node[:step]:
        if isinstance(item, (dict, list)):
            return None
    return step


def _child_offsets(node: dict[str, Node] | list[Node]) -> ChildOffsets:
    """Every child's offset from the container's first child, in one pass over the container."""
    offset = 0
    last = len(node) - 1  # no child comes after the last one: it is never sized
    if isinstance(node, dict):
        by_key: dict[str, int] = {}
        for number, (key, value) in enumerate(node.items()):
            by_key[key] = offset
            if number < last:
                offset += 1 + node_size(value)
        return by_key
    by_index = array("q")
    for number, item in enumerate(node):
        by_index.append(offset)
        if number < last:
            offset += node_size(item)
    return by_index


class CorruptEntry(BaseException):
    """A document read from the result cache turned out not to be what netlint writes when its
    data was first read (`Document.deferred`): the run is done again with every entry checked
    whole as it is read (`engine.run`), so that this one is a miss and is written anew. A
    BaseException, as KeyboardInterrupt is, so that no rule's `except Exception` (nor the
    engine's, which turns a rule's error into a finding) takes it for its own failure."""


class Unloadable:
    """Something that holds data it can rebuild on demand (see `Document.pack`)."""

    __slots__ = ()

    def unload(self) -> None:
        raise NotImplementedError


# How many of the objects loaded inside `unloading_afterwards` keep their data at once.
SCAN_WINDOW = 64


class _Loaded:
    """The documents and manifests whose data came back from their packed form since the last
    `unload_all()`: the engine drops it again after each file's cross-file checks."""

    def __init__(self) -> None:
        self.held: list[Unloadable] = []
        self.scope_start: int | None = None  # inside `unloading_afterwards`: where it starts


_LOADED = _Loaded()


def loaded(holder: Unloadable) -> None:
    """Note that `holder` rebuilt its data, for the next `unload_all()`."""
    held = _LOADED.held
    held.append(holder)
    start = _LOADED.scope_start
    if start is not None and len(held) - start > SCAN_WINDOW:
        held.pop(start).unload()  # the oldest of the scan: done with, most likely


@contextmanager
def unloading_afterwards() -> Generator[None]:
    """For code that scans many objects once (to index them, say): what it loads keeps its data
    only while among the latest `SCAN_WINDOW` loads, and loses it on leaving. Data loaded before
    stays. Code that reads an object again after that only pays for loading it again."""
    held = _LOADED.held
    outer = _LOADED.scope_start
    mark = _LOADED.scope_start = len(held)
    try:
        yield
    finally:
        _LOADED.scope_start = outer
        while len(held) > mark:
            held.pop().unload()


def unload_all() -> None:
    """Drop the data of every packed document (and manifest) used since the last call; the next
    use rebuilds it."""
    held = _LOADED.held
    while held:
        held.pop().unload()


@record(slots=True)
class Document(Unloadable):
    """One YAML document of a source.

    After the per-file stage, a document is *packed* (`pack`): its data and plain texts become
    one marshal blob (a sixth of their size as Python objects), its positions compact span words;
    that is also what crosses the pipe from a worker. The blob never leaves the process tree:
    the cache stores the data itself (`run.cache_format`), since marshal is no format to read
    from a file someone else may have written. The first read of
    `data` or `plain_texts` rebuilds those two, the first read of `flat` the positions
    (`__getattr__`), so code that reads them never needs to know; the engine drops them again
    with `unload_all()`. Cross-file checks thus hold only the objects they are looking at, and
    nobody decodes the objects nobody looks at.
    """

    source_path: str
    index: int  # 0-based position of the document in its source
    data: Node
    # Spans in pre-order of the data, each as two words: (line << 24 | column) and
    # (end_line << 24 | end_column). The loader always records at least the root's span; an
    # empty table (a Document built by hand) locates everything at the start.
    flat: array[int] = field(default_factory=lambda: array("q"))
    # Source text of the plain scalar values that go-yaml decodes to a boolean or a number and
    # that do not print back as written (`yes` -> True, `0755` -> 493, `1.10` -> 1.1), and of
    # plain strings written with a tag (`! Text`), keyed by the value's packed span. Only those
    # are kept, so the cost is proportional to such values.
    plain_texts: dict[PackedSpan, str] = field(default_factory=lambda: {})
    # Once packed: the data and plain texts as one marshal blob, and the positions as span
    # words (`_narrow`); each comes back on its own, most checks never needing positions.
    packed: bytes | None = field(default=None, repr=False, compare=False)
    packed_flat: bytes = field(default=b"", repr=False, compare=False)
    # A document from the result cache whose data no one has read yet: `packed` then holds the
    # entry's bytes of it, and this checks and decodes them on the first read (raising
    # CorruptEntry), after which `packed` is the marshal blob as for any packed document. Most
    # cached documents of a warm run are never read (`run.cache_format`).
    deferred: Callable[[bytes], tuple[Node, dict[PackedSpan, str]]] | None = field(
        default=None, repr=False, compare=False
    )
    # Where each child of a large container starts in `flat`, by the container's index there
    # (`_child_offset`); derived from the data, and dropped with it. None until the first one:
    # most documents never need one, and an empty dict each was 0.6 MiB at 10k objects.
    _children: dict[int, ChildOffsets] | None = field(
        default=None, init=False, repr=False, compare=False
    )

    def pack(self) -> None:
        """Keep data, positions and plain texts packed only, until they are next read."""
        if self.packed is None:
            self._pack()
        self.unload()

    def _pack(self) -> None:
        self.packed = marshal.dumps((self.data, self.plain_texts))
        self.packed_flat = _compact(self.flat)

    def span_words(self) -> bytes:
        """The positions in the cache's form (`_narrow`): never the 2-byte form of memory."""
        if self.packed is None:
            return _narrow(self.flat)
        if self.packed_flat[:1] == bytes((_COMPACT,)):
            return _narrow(array("q", _widen(self.packed_flat)))
        return self.packed_flat

    @staticmethod
    def span_word_count(words: bytes) -> int | None:
        """How many words `span_words` bytes hold; None when they are not such bytes (read
        from a cache entry, so anything): a width byte of 4 or 8, whole words, none negative."""
        if not words or words[0] not in (4, _WIDE) or (len(words) - 1) % words[0]:
            return None
        if words[0] == _WIDE and max(words[_WIDE::_WIDE], default=0) >= 0x80:
            return None  # the sign bit of a little-endian word: lines are never negative
        return (len(words) - 1) // words[0]

    @classmethod
    def deferred_from(
        cls,
        source_path: str,
        index: int,
        blob: bytes,
        words: bytes,
        load: Callable[[bytes], tuple[Node, dict[PackedSpan, str]]],
    ) -> Document:
        """A packed document whose data and plain texts `load(blob)` gives on first read, and
        whose positions are `words` (`span_words`): how the cache rebuilds one without decoding
        what may never be read. `load` checks what it decodes, `words` included."""
        document = cls(source_path, index, None)
        del document.data, document.plain_texts, document.flat
        document.packed = blob
        document.packed_flat = words
        document.deferred = load
        return document

    @classmethod
    def from_words(
        cls,
        source_path: str,
        index: int,
        data: Node,
        plain_texts: dict[PackedSpan, str],
        words: bytes,
    ) -> Document:
        """A packed document from its data and `span_words` (checked by `span_word_count`),
        as the cache rebuilds one; it still holds `data` and `plain_texts` until `unload`, and
        then what the per-file stage leaves in memory."""
        document = cls(source_path, index, data, plain_texts=plain_texts)
        document.packed = marshal.dumps((data, plain_texts))
        document.packed_flat = words
        del document.flat  # the span words stand for it
        return document

    def unload(self) -> None:
        """Drop the rebuilt data of a packed document (nothing happens to an unpacked one)."""
        if self.packed is None:
            return
        self._children = None
        # Each may be loaded or not: `del` of an empty slot raises (and hasattr would load it).
        # No contextlib.suppress: this runs for every object a cross-file check reads.
        try:  # noqa: SIM105
            del self.data, self.plain_texts
        except AttributeError:
            pass
        try:  # noqa: SIM105
            del self.flat
        except AttributeError:
            pass

    if not TYPE_CHECKING:  # for the type checker, the fields are always there

        def __getattr__(self, name: str) -> object:
            # Only called when normal lookup fails: a field of a packed document, not loaded.
            if self.packed is None:
                raise AttributeError(name)
            if name == "flat":
                self.flat = array("q", _widen(self.packed_flat))
            elif name in ("data", "plain_texts"):
                load = self.deferred
                if load is not None:
                    self.data, self.plain_texts = load(self.packed)  # may raise CorruptEntry
                    self.deferred = None
                    self.packed = marshal.dumps((self.data, self.plain_texts))
                else:
                    self.data, self.plain_texts = marshal.loads(self.packed)
            else:
                raise AttributeError(name)
            loaded(self)
            return getattr(self, name)

    def __getstate__(self) -> tuple[str, int, bytes, bytes]:
        # Pickled packed: the blob is far smaller and faster to pickle than the nested data.
        if self.packed is None:
            self._pack()
        elif self.deferred is not None:
            self.data  # noqa: B018 (checked and decoded: `packed` is then the marshal blob)
        assert self.packed is not None
        return (self.source_path, self.index, self.packed, self.packed_flat)

    def __setstate__(self, state: tuple[str, int, bytes, bytes]) -> None:
        self.source_path, self.index, self.packed, self.packed_flat = state
        self._children = None
        self.deferred = None  # pickled as the marshal blob (`__getstate__`)

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
                index += 1 + self._child_offset(index, node, step)  # at the key
                if on_key and number == last:
                    break
                index += 1
                node = node[step]
            elif isinstance(node, list) and isinstance(step, int) and 0 <= step < len(node):
                index += 1 + self._child_offset(index, node, step)
                node = node[step]
            else:
                break
        return unpack(flat[2 * index] << WORD_BITS | flat[2 * index + 1])

    def _child_offset(self, at: int, node: dict[str, Node] | list[Node], step: str | int) -> int:
        """Spans in `flat` between the first child of the container at index `at` and its
        child `step` (a mapping entry's key; a list's item). Summing the sizes of the earlier
        children costs what they hold: locating every item of a list of N that way is O(N²)
        (a `kind: List`, an Ingress's paths), and locating `spec.ports` past a large
        `spec.template` costs the template, on every finding. So a container's offsets are
        computed once, kept until the data is dropped, and each lookup is one index; only a
        small container whose earlier children are all scalars is counted through directly."""
        if len(node) <= _DIRECT_CHILDREN:
            direct = _offset_past_scalars(node, step)
            if direct is not None:
                return direct
        children = self._children
        if children is None:
            children = self._children = {}
        offsets = children.get(at)
        if offsets is None:
            offsets = children[at] = _child_offsets(node)
        if isinstance(offsets, dict):
            assert isinstance(step, str)
            return offsets[step]
        assert isinstance(step, int)
        return offsets[step]

    def key_span(self, path: Path) -> Span:
        """The span of the key of the entry at `path` (of the item, for a sequence index)."""
        return self.span_of(path, on_key=True)

    def plain_text(self, span: Span) -> str | None:
        """The source text of the plain scalar at `span` if it decoded to a boolean or a number
        that does not print back as written, or has a tag; None otherwise (the decoded value
        says it all)."""
        return self.plain_texts.get(pack(*span))


# Span words when packed: a width byte, then `flat`'s 8-byte words (little-endian, as
# `array.tobytes` writes them on every platform netlint forks on), or 4-byte ones when every line
# and column is below 65,536, as in nearly every manifest. Bytes 0-1 of a word are the low column
# bits, 3-4 the low line bits (COLUMN_BITS = 24); the narrow form keeps those four and needs
# every other byte to be zero.
_WIDE = array("q").itemsize
_KEPT = (0, 1, 3, 4)
_DROPPED = (2, 5, 6, 7)
# In memory only (`_compact`): 2-byte words when every column is below 256 and every line is
# within one block of 256 lines (the line's byte 4, the block, written once after the width
# byte), as in nearly every document of a manifest file: half of the narrow form, which was
# 4.1 MiB at 10k objects. The cache keeps the narrow form (`span_words`).
_COMPACT = 2
_COMPACT_DROPPED = (1, 2, 5, 6, 7)


def _narrow(flat: array[int]) -> bytes:
    """Span words, half their size whenever they can be. Only byte slicing: C speed."""
    wide = flat.tobytes()
    count = len(flat)
    zeros = bytes(count)
    if sys.byteorder != "little" or any(wide[byte::_WIDE] != zeros for byte in _DROPPED):
        return b"\x08" + wide
    narrow = bytearray(1 + 4 * count)
    narrow[0] = 4
    for slot, byte in enumerate(_KEPT):
        narrow[1 + slot :: 4] = wide[byte::_WIDE]
    return bytes(narrow)


def _compact(flat: array[int]) -> bytes:
    """Span words as `Document.packed_flat` keeps them: the 2-byte form where it can be, else
    `_narrow`'s."""
    wide = flat.tobytes()
    count = len(flat)
    zeros = bytes(count)
    if count and sys.byteorder == "little":
        block = wide[4]
        if wide[4::_WIDE] == bytes((block,)) * count and all(
            wide[byte::_WIDE] == zeros for byte in _COMPACT_DROPPED
        ):
            compact = bytearray(2 + 2 * count)
            compact[0], compact[1] = _COMPACT, block
            compact[2::2] = wide[0::_WIDE]
            compact[3::2] = wide[3::_WIDE]
            return bytes(compact)
    return _narrow(flat)


def _widen(words: bytes) -> bytes:
    """`flat`'s bytes back from `_narrow` or `_compact`."""
    if words[0] == _WIDE:
        return words[1:]
    if words[0] == _COMPACT:
        count = (len(words) - 2) // 2
        wide = bytearray(_WIDE * count)
        wide[0::_WIDE] = words[2::2]
        wide[3::_WIDE] = words[3::2]
        if words[1]:
            wide[4::_WIDE] = words[1:2] * count
        return bytes(wide)
    count = (len(words) - 1) // 4
    wide = bytearray(_WIDE * count)
    for slot, byte in enumerate(_KEPT):
        wide[byte::_WIDE] = words[1 + slot :: 4]
    return bytes(wide)
