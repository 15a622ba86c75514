"""The cache's entry format: a `FileResult` as plain data, and back, trusting nothing read.

An entry is read from a folder that someone else may have written (a CI cache restored from
another branch), so it is data, never code: msgpack of lists, strings, numbers and the
document's own data, with no pickle and no marshal anywhere on the way in. `decode` rebuilds
exactly the shape `encode` writes and checks every value as it goes: types (an int is an int,
never a bool), lengths, enum values, indices into the entry's own tables, that each document's
position table has exactly one span per node of its data, that each object's place in its
document is a mapping, and that deferred checks name rules of this run. Document data is
walked iteratively, no deeper than the loader's nesting cap. Anything else raises `BadEntry`,
which the cache turns into a miss: a hostile entry costs a re-lint, never a crash.

What it cannot check is that a well-formed entry tells the truth about its file: see
SECURITY.md, "The result cache".

Layout (format version in `FORMAT_VERSION`), one msgpack array:

    [version, path, in_report_set, skipped, readable, checksum,
     documents, manifests, templates, findings, deferred, has_directives]

    document: [source_path, index, data, span_words, [[line, column, end_line, end_column,
               text], ...]]   (span words: `Document.span_words`; the rest: `Document.plain_texts`)
    manifest: [api_version, kind, name, namespace, document number, base, in_report_set, kind_key]
    template: [owner manifest number, [kind, template_path, group], labels, owner_labels,
               {key: values}, [[container, name, number, protocol, path], ...]]
              values: [value, ...], None (any value), or {"ordinal": [prefix, start, count]}
    finding:  [rule_id, severity, message, [path, line, column, end_line, end_column],
               [kind, namespace, name] or None, obj_path, hint, suppression, fix]
    fix:      None or [title, applicability, [[line, column, end_line, end_column, text], ...]]
    deferred: [manifest number, [rule ids]]

`real_path` is not stored: the engine sets it from the file read on every hit, since the key
covers a file's display path and text, not where its symlinks lead.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, NoReturn, cast

import msgpack  # pyright: ignore[reportMissingTypeStubs]

from netlint.findings import Applicability, Edit, Finding, Fix, Location, ObjectRef, Path, Severity
from netlint.input.document import (
    COLUMN_MASK,
    CorruptEntry,
    Document,
    Node,
    PackedSpan,
    pack,
    unpack,
)
from netlint.model.inventory import ContainerPort, PodTemplate, WorkloadKind
from netlint.model.label_values import LabelValues, OrdinalValues
from netlint.model.manifest import Manifest
from netlint.run.per_file import FileResult

FORMAT_VERSION = 11  # 1-5: pickles (5 signed with an HMAC); 6: this module; 7: ordinal labels;
# 8: has_directives; 9: "" is the apply namespace; 10: fixes; 11: document data nested, deferred

# Line numbers that a span word can hold: `pack` puts a whole span in 112 bits.
_MAX_LINE = (1 << 32) - 1
_SEVERITIES = {int(severity): severity for severity in Severity}
_APPLICABILITIES = {applicability.value: applicability for applicability in Applicability}
# The exact types of the scalars of document data (`Node`); bool is not an int here.
_SCALARS = frozenset({str, int, float, bool, type(None)})


# msgpack ships no type information.
_packb = cast("Callable[..., bytes]", msgpack.packb)  # pyright: ignore[reportUnknownMemberType]
_unpackb = cast("Callable[..., object]", msgpack.unpackb)  # pyright: ignore[reportUnknownMemberType]


class BadEntry(Exception):
    """An entry that is not what `encode` writes: truncated, corrupt, of another format or
    crafted. The cache treats it as a miss."""


def _bad(what: str) -> NoReturn:
    raise BadEntry(what)


# -- encoding --------------------------------------------------------------------------------


def encode(result: FileResult) -> bytes:
    """`result` as an entry. Its documents must not be packed yet (`FileResult.pack`), so that
    their data is read as it is and not rebuilt. Raises ValueError, TypeError or OverflowError
    for what msgpack cannot hold (an integer beyond 64 bits, say): that file is not cached."""
    documents: list[Document] = []
    numbers: dict[int, int] = {}  # id(document) -> its number in the entry
    manifests: list[list[object]] = []
    for manifest in result.manifests:
        document = manifest.document
        number = numbers.get(id(document))
        if number is None:
            number = numbers[id(document)] = len(documents)
            documents.append(document)
        manifests.append(_encode_manifest(manifest, number))
    owners = {id(manifest): index for index, manifest in enumerate(result.manifests)}
    payload = [
        FORMAT_VERSION,
        result.path,
        result.in_report_set,
        result.skipped,
        result.readable,
        result.checksum,
        [_encode_document(document) for document in documents],
        manifests,
        [_encode_template(template, owners[id(template.owner)]) for template in result.templates],
        [_encode_finding(finding) for finding in result.findings],
        [[index, list(rule_ids)] for index, rule_ids in result.deferred],
        result.has_directives,
    ]
    return _packb(payload, use_bin_type=True, unicode_errors="surrogatepass")


def _encode_document(document: Document) -> list[object]:
    texts = [[*unpack(span), text] for span, text in document.plain_texts.items()]
    # The data as msgpack of its own: a hit decodes it only when it is read (`_CachedData`).
    data = _packb(document.data, use_bin_type=True, unicode_errors="surrogatepass")
    return [document.source_path, document.index, data, document.span_words(), texts]


def _encode_manifest(manifest: Manifest, document: int) -> list[object]:
    return [
        manifest.api_version,
        manifest.kind,
        manifest.name,
        manifest.namespace,
        document,
        list(manifest.base),
        manifest.in_report_set,
        manifest.kind_key,
    ]


def _encode_template(template: PodTemplate, owner: int) -> list[object]:
    workload = template.workload
    added = {key: _encode_label_values(values) for key, values in template.added_labels.items()}
    ports = [
        [port.container, port.name, port.number, port.protocol, list(port.path)]
        for port in template.ports
    ]
    return [
        owner,
        [workload.kind, list(workload.template_path), workload.group],
        template.labels,
        template.owner_labels,
        added,
        ports,
    ]


def _encode_label_values(values: LabelValues) -> object:
    if values is None:
        return None
    if isinstance(values, OrdinalValues):
        return {"ordinal": [values.prefix, values.start, values.count]}
    return sorted(values)


def _encode_finding(finding: Finding) -> list[object]:
    loc = finding.location
    obj = finding.obj
    return [
        finding.rule_id,
        int(finding.severity),
        finding.message,
        [loc.path, loc.line, loc.column, loc.end_line, loc.end_column],
        None if obj is None else [obj.kind, obj.namespace, obj.name],
        list(finding.obj_path),
        finding.hint,
        finding.suppression,
        _encode_fix(finding.fix),
    ]


def _encode_fix(fix: Fix | None) -> object:
    if fix is None:
        return None
    edits = [[e.line, e.column, e.end_line, e.end_column, e.text] for e in fix.edits]
    return [fix.title, fix.applicability.value, edits]


# -- decoding --------------------------------------------------------------------------------


def decode(
    blob: bytes | memoryview, rule_ids: frozenset[str], max_depth: int, *, deferred: bool = False
) -> FileResult:
    """The `FileResult` of an entry that `encode` wrote; raises `BadEntry` for anything else.
    `rule_ids`: the rules a deferred check may name (this run's); `max_depth`: the loader's
    nesting cap, which no stored document can exceed. With `deferred`, each document's data is
    decoded and checked when first read, raising `CorruptEntry` there if it is not well-formed
    (the engine then runs again without the cache); else here."""
    fields = _array(unpack_entry(blob), 12)
    if fields[0] != FORMAT_VERSION or type(fields[0]) is not int:
        _bad("format version")
    result = FileResult(_string(fields[1]), _boolean(fields[2]))
    result.skipped = _boolean(fields[3])
    result.readable = _boolean(fields[4])
    result.checksum = None if fields[5] is None else _natural(fields[5])
    documents = [_decode_document(item, max_depth) for item in _list(fields[6])]
    manifests = result.manifests
    for item in _list(fields[7]):
        manifests.append(_decode_manifest(item, documents))
    for document, _ in documents:
        if not deferred:
            try:
                document.data  # noqa: B018 (decoded and checked now)
            except CorruptEntry as error:
                _bad(str(error))
        document.unload()  # packed, as the per-file stage leaves it: data comes back on use
    result.templates = [_decode_template(item, manifests) for item in _list(fields[8])]
    result.findings = [_decode_finding(item) for item in _list(fields[9])]
    result.deferred = [
        _decode_deferred(item, len(manifests), rule_ids) for item in _list(fields[10])
    ]
    result.has_directives = _boolean(fields[11])
    return result


def unpack_entry(blob: bytes | memoryview) -> object:
    """The msgpack data of an entry, as plain data only (no extension types, which could name
    an object to build); raises `BadEntry` for anything that is not msgpack."""
    try:
        return _unpackb(
            blob,
            raw=False,
            use_list=True,
            strict_map_key=True,
            unicode_errors="surrogatepass",
            ext_hook=_no_extension,
            timestamp=0,
        )
    except BadEntry:
        raise
    except Exception as error:  # msgpack's errors, ValueError, RecursionError...
        raise BadEntry(f"not msgpack: {type(error).__name__}") from None


def _no_extension(code: int, data: bytes) -> NoReturn:
    _bad(f"msgpack extension type {code}")


def _list(value: object) -> list[object]:
    if type(value) is not list:
        _bad("expected an array")
    return value  # pyright: ignore[reportUnknownVariableType]


def _array(value: object, length: int) -> list[object]:
    items = _list(value)
    if len(items) != length:
        _bad(f"expected {length} fields, found {len(items)}")
    return items


def _string(value: object) -> str:
    if type(value) is not str:
        _bad("expected a string")
    return value


def _optional_string(value: object) -> str | None:
    return None if value is None else _string(value)


def _boolean(value: object) -> bool:
    if type(value) is not bool:
        _bad("expected a boolean")
    return value


def _natural(value: object) -> int:
    """A non-negative int (never a bool)."""
    if type(value) is not int or value < 0:
        _bad("expected a non-negative integer")
    return value


def _index(value: object, length: int) -> int:
    number = _natural(value)
    if number >= length:
        _bad("index out of range")
    return number


def _strings(value: object) -> list[str]:
    items = _list(value)
    for item in items:
        if type(item) is not str:
            _bad("expected strings")
    return items  # pyright: ignore[reportReturnType]


def _map(value: object) -> dict[object, object]:
    if type(value) is not dict:
        _bad("expected a map")
    return cast("dict[object, object]", value)


def _string_map(value: object) -> dict[str, str]:
    items = _map(value)
    for key, item in items.items():
        if type(key) is not str or type(item) is not str:
            _bad("expected a map of strings")
    return cast("dict[str, str]", items)


def _path(value: object) -> Path:
    """A path into document data: keys and non-negative indices."""
    steps = _list(value)
    for step in steps:
        if type(step) is not str and (type(step) is not int or step < 0):  # pyright: ignore[reportOperatorIssue]
            _bad("expected a path")
    return tuple(steps)  # pyright: ignore[reportReturnType]


def node_count(root: object, max_depth: int) -> int:
    """`node_size` of document data read from an entry, checking on the way that it is a `Node`
    (string keys; scalars of exactly the JSON types) whose mappings and sequences nest at most
    `max_depth` deep, as the loader allows. Iterative, so crafted nesting cannot recurse; every
    node of every hit passes here, hence the inlined checks (a third of a warm run's decoding)."""
    scalars = _SCALARS
    kind = type(root)
    if kind is not dict and kind is not list:
        if kind not in scalars:
            _bad("not document data")
        return 1
    nodes = 1
    stack: list[tuple[Any, int]] = [(root, 1)]  # open containers (dict or list), their depth
    pop, push = stack.pop, stack.append
    while stack:
        node, depth = pop()
        if depth > max_depth:
            _bad("document data nests deeper than the loader allows")
        shape = node.__class__  # compared, not narrowed on: `node` stays Any for the checker
        if shape is dict:
            mapping: dict[object, object] = node
            nodes += 2 * len(mapping)  # a key and a value each
            for key, value in mapping.items():
                if type(key) is not str:
                    _bad("a mapping key that is not a string")
                kind = type(value)
                if kind is dict or kind is list:
                    push((value, depth + 1))
                elif kind not in scalars:
                    _bad("not document data")
        else:
            sequence: list[object] = node
            nodes += len(sequence)
            for value in sequence:
                kind = type(value)
                if kind is dict or kind is list:
                    push((value, depth + 1))
                elif kind not in scalars:
                    _bad("not document data")
    return nodes


class _CachedData:
    """The data of a cached document, decoded and checked on its first read (`Document.deferred`):
    that it is document data no deeper than the loader allows (`node_count`), that the span
    words have one span per node, and that every object's place in it is a mapping."""

    __slots__ = ("bases", "max_depth", "plain_texts", "words")

    def __init__(self, words: bytes, plain_texts: dict[PackedSpan, str], max_depth: int) -> None:
        self.words = words
        self.plain_texts = plain_texts
        self.max_depth = max_depth
        self.bases: list[Path] = []  # of the entry's manifests in this document

    def __call__(self, blob: bytes) -> tuple[Node, dict[PackedSpan, str]]:
        try:
            data = unpack_entry(blob)
            nodes = node_count(data, self.max_depth)
            if Document.span_word_count(self.words) not in (0, 2 * nodes):  # 0: built by hand
                _bad("span words do not match the document's data")
            node: Node = data  # pyright: ignore[reportAssignmentType] (node_count checked it)
            for steps in self.bases:
                _object_at(node, steps)
        except BadEntry as error:
            raise CorruptEntry(f"a result cache entry: {error}") from None
        return node, self.plain_texts


def _decode_document(value: object, max_depth: int) -> tuple[Document, _CachedData]:
    """A packed document whose data is decoded and checked on first read, and that check
    (to which `_decode_manifest` adds its objects' places)."""
    source_path, index, data, words, texts = _array(value, 5)
    if type(data) is not bytes:
        _bad("document data is not bytes")
    if type(words) is not bytes or Document.span_word_count(words) is None:
        _bad("span words are not span words")
    plain_texts: dict[PackedSpan, str] = {}
    for item in _list(texts):
        line, column, end_line, end_column, text = _array(item, 5)
        span = (_line(line), _column(column), _line(end_line), _column(end_column))
        plain_texts[pack(*span)] = _string(text)
    cached = _CachedData(words, plain_texts, max_depth)
    document = Document.deferred_from(_string(source_path), _natural(index), data, words, cached)
    return document, cached


def _line(value: object) -> int:
    number = _natural(value)
    if number > _MAX_LINE:
        _bad("line out of range")
    return number


def _column(value: object) -> int:
    number = _natural(value)
    if number > COLUMN_MASK:
        _bad("column out of range")
    return number


def _decode_manifest(value: object, documents: Sequence[tuple[Document, _CachedData]]) -> Manifest:
    api_version, kind, name, namespace, number, base, in_report_set, kind_key = _array(value, 8)
    document, cached = documents[_index(number, len(documents))]
    steps = _path(base)
    cached.bases.append(steps)  # checked with the data
    return Manifest.restore(
        _string(api_version),
        _string(kind),
        _string(name),
        _optional_string(namespace),
        document,
        steps,
        _boolean(in_report_set),
        _string(kind_key),
    )


def _object_at(data: Node, steps: Path) -> None:
    """Check that `steps` lead to a mapping in `data`, as a manifest's `base` must."""
    node = data
    for step in steps:
        if isinstance(node, dict) and isinstance(step, str) and step in node:  # noqa: SIM114
            node = node[step]
        elif isinstance(node, list) and isinstance(step, int) and step < len(node):
            node = node[step]
        else:
            _bad("an object's place is not in its document")
    if not isinstance(node, dict):
        _bad("an object that is not a mapping")


def _decode_template(value: object, manifests: Sequence[Manifest]) -> PodTemplate:
    owner, workload, labels, owner_labels, added, ports = _array(value, 6)
    kind, template_path, group = _array(workload, 3)
    added_labels = {
        _string(key): _decode_label_values(values) for key, values in _map(added).items()
    }
    return PodTemplate(
        manifests[_index(owner, len(manifests))],
        WorkloadKind(_string(kind), _path(template_path), _optional_string(group)),
        _string_map(labels),
        _string_map(owner_labels),
        added_labels,
        [_decode_port(item) for item in _list(ports)],
    )


def _decode_label_values(value: object) -> LabelValues:
    if value is None:
        return None
    if type(value) is list:
        return frozenset(_strings(cast(object, value)))
    fields = _map(value)
    if len(fields) != 1:
        _bad("expected one ordinal pattern")
    prefix, start, count = _array(fields.get("ordinal"), 3)
    return OrdinalValues(_string(prefix), _natural(start), _natural(count))


def _decode_port(value: object) -> ContainerPort:
    container, name, number, protocol, path = _array(value, 5)
    if number is not None and type(number) is not int:
        _bad("a port number that is not an integer")
    return ContainerPort(
        _string(container), _optional_string(name), number, _string(protocol), _path(path)
    )


def _decode_finding(value: object) -> Finding:
    rule_id, severity, message, location, obj, obj_path, hint, suppression, fix = _array(value, 9)
    if type(severity) is not int or severity not in _SEVERITIES:
        _bad("unknown severity")
    path, line, column, end_line, end_column = _array(location, 5)
    ref = None
    if obj is not None:
        kind, namespace, name = _array(obj, 3)
        ref = ObjectRef(_string(kind), _optional_string(namespace), _string(name))
    return Finding(
        _string(rule_id),
        _SEVERITIES[severity],
        _string(message),
        Location(
            _string(path),
            _natural(line),
            _natural(column),
            _natural(end_line),
            _natural(end_column),
        ),
        ref,
        _path(obj_path),
        _optional_string(hint),
        _optional_string(suppression),
        _decode_fix(fix),
    )


def _decode_fix(value: object) -> Fix | None:
    if value is None:
        return None
    title, applicability, edits = _array(value, 3)
    if type(applicability) is not str or applicability not in _APPLICABILITIES:
        _bad("unknown applicability")
    decoded: list[Edit] = []
    for item in _list(edits):
        line, column, end_line, end_column, text = _array(item, 5)
        decoded.append(
            Edit(_line(line), _column(column), _line(end_line), _column(end_column), _string(text))
        )
    return Fix(_string(title), _APPLICABILITIES[applicability], tuple(decoded))


def _decode_deferred(
    value: object, manifests: int, rule_ids: frozenset[str]
) -> tuple[int, tuple[str, ...]]:
    index, ids = _array(value, 2)
    names = _strings(ids)
    if not rule_ids.issuperset(names):
        _bad("a deferred check of a rule this run does not have")
    return _index(index, manifests), tuple(names)


# For the run cache's entries (`run.run_cache`), which hold findings and use the same checks.
encode_finding = _encode_finding
decode_finding = _decode_finding
expect_list = _list
expect_array = _array
expect_string = _string
expect_optional_string = _optional_string
expect_boolean = _boolean
expect_natural = _natural
expect_index = _index
expect_strings = _strings
