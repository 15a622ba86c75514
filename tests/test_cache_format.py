"""The cache's entries are data, checked on the way in: a hostile entry is a miss, never a crash
(SECURITY.md, "The result cache")."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import msgpack
import pytest

from netlint.api import Settings
from netlint.input.document import CorruptEntry
from netlint.input.loader import Limits
from netlint.input.sources import Source
from netlint.run import cache as cache_module
from netlint.run.cache import ResultCache
from netlint.run.cache_format import FORMAT_VERSION, BadEntry, decode, encode, node_count
from netlint.run.per_file import FileResult, FileStage, FindingMaker
from netlint.run.registry import load_rules
from tests.helpers import schemas

RULES = load_rules()
CHECKERS = [rule for rule in RULES.rules if rule.kinds != frozenset()]
RULE_IDS = frozenset(rule.meta.id for rule in CHECKERS)
DEPTH = Limits().max_depth

# A List (two objects in one document), a workload with a pod template and ports, plain
# scalars kept as written, a finding with a hint, a shape problem, and checks that defer.
TEXT = """\
apiVersion: v1
kind: List
items:
- apiVersion: v1
  kind: Service
  metadata: {name: web, namespace: shop, labels: {app: web}}
  spec:
    selector: {app: web}
    ports: [{name: http, port: 80, targetPort: http, protocol: tcp}]
- apiVersion: v1
  kind: ConfigMap
  metadata: {name: flags, namespace: shop}
  data: {on: yes, mode: 0755, version: 1.10}
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db, namespace: shop}
spec:
  replicas: 2
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec:
      containers:
      - name: db
        image: db:1
        ports: [{name: sql, containerPort: 5432}, {containerPort: 9187}]
---
kind: Service
metadata: {name: nameless}
"""


def _result() -> FileResult:
    stage = FileStage(
        CHECKERS,
        Settings(),
        schemas(),
        FindingMaker(frozenset(rule.meta.id for rule in RULES.rules), {}),
        Limits(),
    )
    result = stage.process(Source("app.yaml", TEXT, "/src/app.yaml", checksum=1234), True)
    assert result.findings and result.templates and result.deferred  # all shapes are there
    return result


def _view(result: FileResult) -> tuple[object, ...]:
    """Everything of a result that anything after the per-file stage reads."""
    manifests = [
        (
            m.api_version,
            m.kind,
            m.name,
            m.namespace,
            m.base,
            m.in_report_set,
            m.kind_key,
            m.data,
            m.span_of(("spec",)),
            m.document.index,
            m.document.source_path,
            m.document.plain_texts,
            list(m.document.flat),
            result.manifests.index(m),
        )
        for m in result.manifests
    ]
    templates = [
        (
            result.manifests.index(t.owner),
            t.workload,
            t.labels,
            t.owner_labels,
            t.added_labels,
            t.ports,
        )
        for t in result.templates
    ]
    return (
        result.path,
        result.in_report_set,
        result.skipped,
        result.readable,
        result.checksum,
        manifests,
        templates,
        result.findings,
        result.deferred,
    )


def test_an_entry_gives_back_the_result_it_was_made_from() -> None:
    result = _result()
    before = _view(result)
    copy = decode(encode(result), RULE_IDS, DEPTH)
    assert _view(copy) == before
    # Objects of one document share it, as they did; every document comes back packed.
    assert copy.manifests[0].document is copy.manifests[1].document
    assert all(m.document.packed is not None for m in copy.manifests)
    assert copy.real_path is None  # not stored: the engine sets it from the file read


def _payload(result: FileResult | None = None) -> list[Any]:
    return msgpack.unpackb(encode(result or _result()), strict_map_key=False)


def _packed(payload: object) -> bytes:
    return msgpack.packb(payload, use_bin_type=True)


# Stands for 100,000 nested maps, which msgpack itself refuses to write.
_DEEP = b"\xa4DEEP"


class _NotNested:
    """Document data put in the entry as it is, not as msgpack of its own."""

    def __init__(self, value: object) -> None:
        self.value = value


def _deepened(blob: bytes) -> bytes:
    return blob.replace(_DEEP, b"\x81\xa1a" * 100_000 + b"\xc0")


def _blob(payload: Any) -> bytes:
    """The entry of `payload`, whose documents' data (as `encode` nests it: msgpack of its
    own) may have been replaced by any value, packed here as `encode` packs data."""
    documents = payload[_DOC] if isinstance(payload, list) and len(payload) > _DOC else None
    for document in documents if isinstance(documents, list) else []:
        if isinstance(document, list) and len(document) > 2:
            data = document[2]
            if isinstance(data, _NotNested):
                document[2] = data.value
            elif not isinstance(data, bytes):
                document[2] = _deepened(_packed(data))
    return _deepened(_packed(payload))


def _is_miss(payload: object) -> bool:
    try:
        decode(_blob(payload), RULE_IDS, DEPTH)
    except BadEntry:
        return True
    return False


def _read_fails(payload: object) -> bool:
    """Whether decoding with deferred documents refuses the entry, or reading the data of one
    of its documents does."""
    try:
        result = decode(_blob(payload), RULE_IDS, DEPTH, deferred=True)
    except BadEntry:
        return True
    try:
        for manifest in result.manifests:
            manifest.document.data  # noqa: B018
    except CorruptEntry:
        return True
    return False


def _nested(depth: int) -> object:
    node: object = "leaf"
    for _ in range(depth):
        node = {"a": node}
    return node


# Paths into the payload (see cache_format's layout) and what is put there.
_DOC, _MAN, _TPL, _FND, _DEF = 6, 7, 8, 9, 10
HOSTILE = [
    pytest.param([0], 5, id="another format version"),
    pytest.param([0], True, id="version as a bool"),
    pytest.param([2], 1, id="an int for a bool"),
    pytest.param([5], -1, id="negative checksum"),
    pytest.param([5], "1234", id="string checksum"),
    pytest.param([_DOC], {}, id="a map for the documents"),
    pytest.param([_DOC, 0, 3], "words", id="span words as text"),
    pytest.param([_DOC, 0, 3], b"\x04\x00", id="span words of half a word"),
    pytest.param([_DOC, 0, 3], b"\x03abc", id="span words of an unknown width"),
    pytest.param([_DOC, 0, 3], b"\x08" + b"\xff" * 16, id="negative span words"),
    pytest.param([_DOC, 0, 3], b"\x04" + bytes(8), id="fewer spans than nodes"),
    pytest.param([_DOC, 0, 2], _nested(DEPTH + 1), id="nesting past the loader's cap"),
    pytest.param([_DOC, 0, 2], "DEEP", id="nesting that would blow the stack"),
    pytest.param([_DOC, 0, 2], {"a": b"bytes"}, id="bytes in document data"),
    pytest.param([_DOC, 0, 2], {1: "x"}, id="an int key in document data"),
    pytest.param([_DOC, 0, 2], {"a": msgpack.ExtType(5, b"x")}, id="an extension type"),
    pytest.param([_DOC, 0, 2], {"a": msgpack.Timestamp(0)}, id="a timestamp"),
    pytest.param([_DOC, 0, 2], _NotNested({"a": 1}), id="document data not nested"),
    pytest.param([_DOC, 0, 4], [[1, 2, 3, 4]], id="a plain text without its text"),
    pytest.param([_DOC, 0, 4], [[-1, 0, 0, 1, "x"]], id="a negative line"),
    pytest.param([_DOC, 0, 4], [[0, 1 << 30, 0, 1, "x"]], id="a column past the span word"),
    pytest.param([_MAN, 0, 4], 9, id="an object of a document that is not there"),
    pytest.param([_MAN, 0, 4], -1, id="a negative document number"),
    pytest.param([_MAN, 0, 5], ["items", 7], id="an object past the end of its List"),
    pytest.param([_MAN, 0, 5], ["kind"], id="an object that is a string"),
    pytest.param([_MAN, 0, 5], [True], id="a bool in a path"),
    pytest.param([_MAN, 0, 3], 7, id="an int for a namespace"),
    pytest.param([_MAN, 0], ["v1", "Service"], id="a manifest of two fields"),
    pytest.param([_TPL, 0, 0], 99, id="a template of an object that is not there"),
    pytest.param([_TPL, 0, 2], {"app": 1}, id="a label that is not a string"),
    pytest.param([_TPL, 0, 4], {"k": "v"}, id="added labels that are not a list"),
    pytest.param([_TPL, 0, 4], {"k": {"ordinal": ["db-", -1, 2]}}, id="a negative ordinal"),
    pytest.param([_TPL, 0, 4], {"k": {"ordinal": ["db-", 0]}}, id="an ordinal of two fields"),
    pytest.param([_TPL, 0, 4], {"k": {"ordinal": [1, 0, 2]}}, id="an ordinal prefix as a number"),
    pytest.param([_TPL, 0, 4], {"k": {"range": ["db-", 0, 2]}}, id="a map that is no ordinal"),
    pytest.param(
        [_TPL, 0, 4], {"k": {"ordinal": ["db-", 0, 2], "x": 1}}, id="an ordinal with extras"
    ),
    pytest.param([_TPL, 0, 5, 0, 2], "5432", id="a port number as text"),
    pytest.param([_TPL, 0, 5, 0, 2], False, id="a port number as a bool"),
    pytest.param([_FND, 0, 1], 7, id="a severity out of range"),
    pytest.param([_FND, 0, 1], True, id="a severity as a bool"),
    pytest.param([_FND, 0, 3, 1], True, id="a line as a bool"),
    pytest.param([_FND, 0, 3, 1], -3, id="a negative line in a location"),
    pytest.param([_FND, 0, 3], ["app.yaml", 1, 1], id="a location of three fields"),
    pytest.param([_FND, 0, 4], ["Service", None], id="an object reference of two fields"),
    pytest.param([_DEF, 0, 0], 99, id="a deferred check of an object that is not there"),
    pytest.param([_DEF, 0, 1], ["no-such-rule"], id="a deferred check of an unknown rule"),
    pytest.param([_DEF, 0], [0, "duplicate-object"], id="rule ids that are not a list"),
]


def _hostile(path: list[int], value: object) -> list[Any]:
    payload = _payload()
    target: Any = payload
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = value
    return payload


@pytest.mark.parametrize(("path", "value"), HOSTILE)
def test_a_hostile_entry_is_a_miss(path: list[int], value: object) -> None:
    assert _is_miss(_hostile(path, value))


@pytest.mark.parametrize(("path", "value"), HOSTILE)
def test_a_hostile_entry_with_deferred_documents_fails_when_read_at_the_latest(
    path: list[int], value: object
) -> None:
    """As the engine decodes hits (`ResultCache.deferred`): what is checked only when a
    document is first read raises CorruptEntry there, and the engine runs again without the
    cache (tests/test_warm_runs.py)."""
    assert _read_fails(_hostile(path, value))


def test_deferred_documents_give_back_the_result_they_were_made_from() -> None:
    result = _result()
    before = _view(result)
    copy = decode(encode(result), RULE_IDS, DEPTH, deferred=True)
    assert all(m.document.deferred is not None for m in copy.manifests)
    assert _view(copy) == before
    assert all(m.document.deferred is None for m in copy.manifests)  # read and checked once


def test_every_field_of_the_wrong_type_is_a_miss_or_harmless() -> None:
    # Whatever goes anywhere in the entry's own structure (document data aside, where any
    # JSON-like value is data), decoding either refuses it or gives a result: never raises.
    def places(node: object, path: tuple[int, ...]) -> Iterator[tuple[int, ...]]:
        if not isinstance(node, list) or (len(path) == 3 and path[0] == _DOC and path[2] == 2):
            return  # a scalar, a map, or document data
        for index, item in enumerate(node):
            yield (*path, index)
            yield from places(item, (*path, index))

    original = _payload()
    misses = 0
    tried = 0
    for place in places(original, ()):
        for value in (None, True, 0, -1, 1 << 40, 1.5, "x", b"x", [], {}, [[]]):
            payload = _payload()
            target: Any = payload
            for step in place[:-1]:
                target = target[step]
            target[place[-1]] = value
            tried += 1
            misses += _is_miss(payload)
    assert tried > 500 and misses > tried * 3 // 4


@pytest.mark.parametrize("cut", [0, 1, 9, 13, 100, -100, -1])
def test_a_truncated_entry_is_a_miss(cut: int) -> None:
    blob = encode(_result())
    with pytest.raises(BadEntry):
        decode(blob[:cut], RULE_IDS, DEPTH)


def test_the_top_level_must_be_the_entry_array() -> None:
    for payload in (None, 1, "x", {}, [], [FORMAT_VERSION], _payload()[:-1]):
        assert _is_miss(payload)
    with pytest.raises(BadEntry):
        decode(b"\xc1", RULE_IDS, DEPTH)  # a byte msgpack never uses


def test_node_count_is_node_size_and_refuses_what_is_not_data() -> None:
    from netlint.input.document import node_size

    data: Any = {"a": [1, 2.5, {"b": None}], "c": True, "d": "x", "e": {}}
    assert node_count(data, 3) == node_size(data)
    assert node_count("scalar", 0) == 1
    with pytest.raises(BadEntry):
        node_count(data, 2)  # three levels of containers
    for bad in ((1, 2), {"a": (1,)}, {"a": {1, 2}}, {"a": 1 + 2j}, {b"k": 1}, [object()]):
        with pytest.raises(BadEntry):
            node_count(bad, DEPTH)


# -- through ResultCache: the file on disk --------------------------------------------------


def _cache(directory: Path) -> ResultCache:
    return ResultCache(directory, "salt", RULE_IDS, DEPTH)


def _stored(directory: Path) -> tuple[ResultCache, str, Path]:
    cache = _cache(directory)
    key = cache.key("app.yaml", True, TEXT)
    cache.put(key, _result())
    (entry,) = [p for p in cache.entries.rglob("*") if p.is_file() and p.parent != cache.entries]
    return cache, key, entry


def test_a_stored_entry_is_a_hit(tmp_path: Path) -> None:
    cache, key, _ = _stored(tmp_path)
    found = cache.get(key)
    assert found is not None
    assert _view(found) == _view(decode(encode(_result()), RULE_IDS, DEPTH))


def _with_header(cache: ResultCache, payload: bytes) -> bytes:
    """What an attacker writes to pass the corruption check: it is no signature."""
    import zlib

    magic = cache_module._MAGIC  # pyright: ignore[reportPrivateUsage]
    return magic + zlib.crc32(payload).to_bytes(4, "little") + payload


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda blob: blob[: len(blob) // 2], id="truncated"),
        pytest.param(lambda blob: b"", id="empty"),
        pytest.param(lambda blob: blob[:-1] + bytes([blob[-1] ^ 1]), id="one bit flipped"),
        pytest.param(lambda blob: b"netlint\x00\x05" + blob[9:], id="another version"),
        pytest.param(lambda blob: os.urandom(len(blob)), id="noise"),
    ],
)
def test_a_damaged_entry_file_is_a_miss(tmp_path: Path, damage: Any) -> None:
    cache, key, entry = _stored(tmp_path)
    entry.write_bytes(damage(entry.read_bytes()))
    assert cache.get(key) is None


def test_a_well_framed_entry_of_the_wrong_shape_is_a_miss(tmp_path: Path) -> None:
    cache, key, entry = _stored(tmp_path)
    payload = _payload()
    payload[_DEF][0][1] = ["no-such-rule"]
    entry.write_bytes(_with_header(cache, _packed(payload)))
    assert cache.get(key) is None
    entry.write_bytes(_with_header(cache, _packed(_payload())))  # framed and well-formed
    assert cache.get(key) is not None


def test_data_msgpack_cannot_hold_leaves_the_file_uncached(tmp_path: Path) -> None:
    # The loader reads integers beyond 64 bits as floats, as go-yaml does; a rule pack's own
    # data, say, could still hold one: that file is then linted every time, never an error.
    cache = _cache(tmp_path)
    result = _result()
    data = result.manifests[0].document.data
    assert isinstance(data, dict)
    data["huge"] = 1 << 70
    key = cache.key("app.yaml", True, TEXT)
    cache.put(key, result)
    assert cache.enabled and cache.get(key) is None


# -- pruning: only what netlint made ---------------------------------------------------------


def _age(path: Path, days: float) -> None:
    when = time.time() - days * 24 * 3600
    os.utime(path, (when, when))


def test_pruning_deletes_only_stale_folders_netlint_made(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    # Entry folders of this format: named and marked so.
    old = cache / "netlint-0123456789abcdef"
    recent = cache / "netlint-fedcba9876543210"
    unmarked = cache / "netlint-00000000000000ff"  # named like one, but no marker: not ours
    for folder in (old, recent, unmarked):
        (folder / "ab").mkdir(parents=True)
        (folder / "ab" / ("ab" + "0" * 62 + ".entry")).write_bytes(b"x")
    for folder in (old, recent):
        (folder / "NETLINT_CACHE").write_bytes(b"")
    # The pickle layouts up to v5: a salt folder of two-hex-digit folders, or those alone.
    pickle_name = "cd" + "1" * 62 + ".pickle"
    v5 = cache / "89abcdef01234567"
    (v5 / "cd").mkdir(parents=True)
    (v5 / "cd" / pickle_name).write_bytes(b"x")
    first = cache / "cd"
    first.mkdir()
    (first / pickle_name).write_bytes(b"x")
    # The user's own folders, with names that look like entry folders.
    user = {
        "db": "schema.sql",
        "fe": "app.js",
        "ab": "notes.pickle",  # a pickle, but not named like an entry
        "0123456789abcdee": "data.bin",
        "00": None,  # empty
        "notes": "todo.txt",
    }
    for name, file in user.items():
        (cache / name).mkdir()
        if file:
            (cache / name / file).write_bytes(b"mine")
    for folder in cache.iterdir():
        if folder != recent:
            _age(folder, 30)
    kept = _cache(cache)
    assert sorted(p.name for p in cache.iterdir() if p.is_dir()) == sorted(
        [kept.entries.name, recent.name, unmarked.name, *user]
    )
    assert (kept.entries / "NETLINT_CACHE").is_file()
    assert (cache / "db" / "schema.sql").read_bytes() == b"mine"


def test_a_symlinked_folder_is_never_followed(tmp_path: Path) -> None:
    target = tmp_path / "elsewhere"
    (target / "ab").mkdir(parents=True)
    (target / "ab" / ("ab" + "0" * 62 + ".pickle")).write_bytes(b"x")
    (target / "NETLINT_CACHE").write_bytes(b"")
    cache = tmp_path / "cache"
    cache.mkdir()
    for name in ("netlint-0123456789abcdef", "0123456789abcdef", "ab"):
        link = cache / name
        link.symlink_to(target / "ab" if name == "ab" else target)
        os.utime(link, (0, 0), follow_symlinks=False)
    _cache(cache)
    assert (target / "ab").is_dir() and (target / "NETLINT_CACHE").exists()
    assert all((cache / name).is_symlink() for name in ("netlint-0123456789abcdef", "ab"))
