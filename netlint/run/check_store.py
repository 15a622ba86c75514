"""The cross-file stage's records between runs (`run.cross_file`), as one msgpack entry that a
run reads and writes back mostly as it is.

A tree of 1,000 files has about 18,000 deferred checks, nearly each with its own set of keys
read, and the next run reuses almost all of them. So a stored check is not rebuilt as objects:
its sets stay the lists of numbers they were stored as, into the entry's tables of keys and
files. Whether it can be reused is a comparison of those numbers with the numbers of what
changed (`Dirty`), and a reused check is written back with the same numbers: the next entry's
tables start as this one's, and only new strings are added. Only what a run needs by name is
resolved: the findings of the checks it reuses, the keys of the files that changed, the indexes
(`Inventory.memo`) the checks used. When the tables hold more than twice what the checks still
name, the entry is written from scratch (`write`, `_Writer.bloated`).

Layout (`RUN_FORMAT` of `run_cache`), after a magic and a CRC-32 of the rest:

    [version, keys, paths, rules, files, memos, checks]
    file:  [cache key, path number, [key numbers provided]]
    memo:  [name, [key numbers read], [path numbers of the positions read]]
    check: [file number, object number, rule number, [key numbers], [memo numbers],
            [path numbers], [findings]]

The entry is data, read as the per-file entries are (`cache_format`): the tables and what is
resolved by name are checked as they are resolved (types, indexes in range), and anything else
is a miss. The numbers that only decide a reuse are compared, never used as an index: one that
is not a number of the table matches nothing. A crafted entry can thus claim that a check read
less than it did, as it could claim any findings: see SECURITY.md, "The result cache".
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import cast

import msgpack  # pyright: ignore[reportMissingTypeStubs]

from netlint.findings import Finding
from netlint.run.cache import write_atomically
from netlint.run.cache_format import (
    BadEntry,
    decode_finding,
    encode_finding,
    expect_array,
    expect_list,
    expect_string,
    expect_strings,
    unpack_entry,
)
from netlint.run.facts import Reads

_MAGIC = b"netlint-checks\x00"
# Below this many keys a table is not worth compacting (a few hundred KiB at most).
COMPACT_MIN_KEYS = 4096
_CRC = struct.Struct("<I")
_packb = cast("Callable[..., bytes]", msgpack.packb)  # pyright: ignore[reportUnknownMemberType]

Numbers = Sequence[object]  # numbers into a table, as stored: checked only where resolved
MemoReads = tuple[frozenset[str], frozenset[str]]  # an index's keys and files of positions


@dataclass(frozen=True, slots=True)
class CheckRecord:
    """One deferred check of one object, as this run made it: what it found and what it read."""

    file: str  # the file's cache key
    index: int  # the object's number in the file's manifests
    rule_id: str
    reads: Reads
    findings: tuple[Finding, ...]


def _resolved(numbers: object, table: Sequence[str]) -> frozenset[str]:
    """The strings of `table` that `numbers` name, each checked to be an index of it."""
    items = expect_list(numbers)
    size = len(table)
    for number in items:
        if type(number) is not int or not 0 <= number < size:
            raise BadEntry("index out of range")
    return frozenset(table[cast("int", number)] for number in items)


@dataclass(frozen=True, slots=True)
class StoredCheck:
    """A check of the previous run, as stored: its numbers stay those of the previous entry's
    tables, which the next entry's keep."""

    file: str  # its file's cache key
    fields: list[object]  # [file, index, rule, keys, memos, positions, findings] as stored

    @property
    def findings_data(self) -> list[object]:
        return expect_list(self.fields[6])


# A stored check that can be reused: as stored, its findings, the names of the indexes it used.
Reused = tuple[StoredCheck, tuple[Finding, ...], list[str]]


class Dirty:
    """What changed, as the previous entry's numbers: the keys and files that changed, and the
    indexes whose own reads touch them."""

    def __init__(self, store: StoredChecks, keys: frozenset[str], files: frozenset[str]) -> None:
        """`keys`: the inventory keys that changed; `files`: the display paths of the files
        whose positions may have moved."""
        key_numbers = store.key_numbers()
        path_numbers = store.path_numbers()
        self.keys = frozenset(key_numbers[k] for k in keys if k in key_numbers)
        self.paths = frozenset(path_numbers[p] for p in files if p in path_numbers)
        self.memos = frozenset(
            number
            for number, (_, (memo_keys, positions)) in enumerate(store.memo_list)
            if not memo_keys.isdisjoint(keys) or not positions.isdisjoint(files)
        )


class StoredChecks:
    """What the cross-file stage of the last run of an input left: its checks by (file's cache
    key, object number, rule), what each file provided, and the indexes the checks used."""

    def __init__(
        self,
        keys: list[str],
        paths: list[str],
        rules: list[str],
        files: dict[str, tuple[str, Numbers]],
        memo_list: list[tuple[str, MemoReads]],
        checks: dict[tuple[str, int, str], StoredCheck],
    ) -> None:
        self.keys = keys
        self.paths = paths
        self.rules = rules
        self.files = files  # cache key -> (display path, key numbers provided)
        self.memo_list = memo_list
        self.memos: dict[str, MemoReads] = dict(memo_list)
        self.checks = checks
        self._key_numbers: dict[str, int] | None = None
        self._path_numbers: dict[str, int] | None = None

    def key_numbers(self) -> dict[str, int]:
        if self._key_numbers is None:
            self._key_numbers = {key: number for number, key in enumerate(self.keys)}
        return self._key_numbers

    def path_numbers(self) -> dict[str, int]:
        if self._path_numbers is None:
            self._path_numbers = {path: number for number, path in enumerate(self.paths)}
        return self._path_numbers

    def provided(self, file: str) -> frozenset[str]:
        """The keys the file (by its cache key) provided; raises BadEntry if not well-formed."""
        return _resolved(self.files[file][1], self.keys)

    def reuse(self, file: str, index: int, rule_id: str, dirty: Dirty) -> Reused | None:
        """The stored check, its findings and the names of the indexes it used, if nothing it
        read changed; None if it must run again (or is not well-formed: then it runs again)."""
        stored = self.checks.get((file, index, rule_id))
        if stored is None:
            return None
        fields = stored.fields
        try:
            if not (
                dirty.keys.isdisjoint(cast("Numbers", fields[3]))
                and dirty.paths.isdisjoint(cast("Numbers", fields[5]))
                and dirty.memos.isdisjoint(cast("Numbers", fields[4]))
            ):
                return None
            # Most checks used no index and found nothing: those cost no call here.
            used, found = fields[4], fields[6]
            memos = (
                [self.memo_list[n][0] for n in _indexes(used, len(self.memo_list))] if used else []
            )
            findings = tuple(decode_finding(one) for one in expect_list(found)) if found else ()
        except (TypeError, BadEntry):  # an unhashable number, a bad memo or finding
            return None
        return stored, findings, memos

    @staticmethod
    def read(path: Path, max_bytes: int, version: int) -> StoredChecks | None:
        """The entry at `path`, if it is one that `write` wrote in this format."""
        try:
            if path.stat().st_size > max_bytes:
                return None
            blob = path.read_bytes()
        except OSError:
            return None
        header = len(_MAGIC) + _CRC.size
        if blob[: len(_MAGIC)] != _MAGIC or len(blob) < header:
            return None
        payload = memoryview(blob)[header:]
        if zlib.crc32(payload) != _CRC.unpack_from(blob, len(_MAGIC))[0]:
            return None
        try:
            return _decode(payload, version)
        except BadEntry:
            return None


def _indexes(value: object, size: int) -> list[int]:
    items = expect_list(value)
    for number in items:
        if type(number) is not int or not 0 <= number < size:
            raise BadEntry("index out of range")
    return cast("list[int]", items)


def _decode(payload: memoryview, version: int) -> StoredChecks:
    value = unpack_entry(payload)
    fields = expect_array(value, 7)
    if fields[0] != version or type(fields[0]) is not int:
        raise BadEntry("format version")
    keys = expect_strings(fields[1])
    paths = expect_strings(fields[2])
    rules = expect_strings(fields[3])
    file_names: list[str] = []
    files: dict[str, tuple[str, Numbers]] = {}
    for item in expect_list(fields[4]):
        name, path, provided = expect_array(item, 3)
        file_names.append(expect_string(name))
        files[file_names[-1]] = (paths[_indexes([path], len(paths))[0]], expect_list(provided))
    memo_list: list[tuple[str, MemoReads]] = []
    for item in expect_list(fields[5]):
        name, memo_keys, positions = expect_array(item, 3)
        memo_list.append(
            (expect_string(name), (_resolved(memo_keys, keys), _resolved(positions, paths)))
        )
    checks: dict[tuple[str, int, str], StoredCheck] = {}
    file_count, rule_count = len(file_names), len(rules)
    for item in expect_list(fields[6]):
        if type(item) is not list or len(item) != 7:  # pyright: ignore[reportUnknownArgumentType]
            raise BadEntry("expected a check of 7 fields")
        check = cast("list[object]", item)
        file, index, rule = check[0], check[1], check[2]
        if (
            type(file) is not int
            or type(index) is not int
            or type(rule) is not int
            or not 0 <= file < file_count
            or index < 0
            or not 0 <= rule < rule_count
        ):
            raise BadEntry("index out of range")
        checks[(file_names[file], index, rules[rule])] = StoredCheck(file_names[file], check)
    return StoredChecks(keys, paths, rules, files, memo_list, checks)


class _Table:
    """Strings by number, starting from the previous entry's (whose numbers stored checks
    keep), new ones added at the end."""

    def __init__(self, start: Sequence[str], numbers: Mapping[str, int] | None) -> None:
        self.items = list(start)
        self.numbers = dict(numbers) if numbers is not None else {}

    def one(self, item: str) -> int:
        number = self.numbers.get(item)
        if number is None:
            number = self.numbers[item] = len(self.items)
            self.items.append(item)
        return number

    def set_of(self, items: Iterable[str]) -> list[int]:
        return sorted(map(self.one, items))


class _Writer:
    """One entry's tables and payload, from the previous entry's tables (or from scratch)."""

    def __init__(self, previous: StoredChecks | None) -> None:
        self.previous = previous
        if previous is None:
            self.keys, self.paths = _Table((), None), _Table((), None)
            self.rules = _Table((), None)
        else:
            self.keys = _Table(previous.keys, previous.key_numbers())
            self.paths = _Table(previous.paths, previous.path_numbers())
            self.rules = _Table(previous.rules, {r: n for n, r in enumerate(previous.rules)})
        self.key_lists: list[Numbers] = []  # every list of key numbers written

    def payload(
        self,
        version: int,
        records: Sequence[CheckRecord | StoredCheck],
        memos: Mapping[str, MemoReads],
        files: Mapping[str, tuple[str, frozenset[str] | None]],
    ) -> list[object]:
        keys, paths, rules, previous = self.keys, self.paths, self.rules, self.previous
        file_numbers = {file: number for number, file in enumerate(files)}
        file_list: list[object] = []
        for file, (path, provided) in files.items():
            if provided is None:  # unchanged: as the previous entry has it
                assert previous is not None
                stored: Numbers = previous.files[file][1]
            else:
                stored = keys.set_of(provided)
            self.key_lists.append(stored)
            file_list.append([file, paths.one(path), stored])
        memo_numbers = {name: number for number, name in enumerate(memos)}
        memo_list: list[object] = []
        for name, (memo_keys, positions) in memos.items():
            numbers = keys.set_of(memo_keys)
            self.key_lists.append(numbers)
            memo_list.append([name, numbers, paths.set_of(positions)])
        checks: list[object] = []
        for record in records:
            file = _listed(file_numbers, record.file)
            if isinstance(record, StoredCheck):
                assert previous is not None
                fields = record.fields
                used = cast("list[int]", fields[4])
                if used:  # checked by `reuse`; renumbered as this entry lists the indexes
                    used = [_listed(memo_numbers, previous.memo_list[n][0]) for n in used]
                read_keys = cast("Numbers", fields[3])
                checks.append([file, fields[1], fields[2], read_keys, used, fields[5], fields[6]])
            else:
                reads = record.reads
                read_keys = keys.set_of(reads.keys)
                checks.append(
                    [
                        file,
                        record.index,
                        rules.one(record.rule_id),
                        read_keys,
                        sorted(_listed(memo_numbers, name) for name in reads.memos),
                        paths.set_of(reads.positions),
                        [encode_finding(finding) for finding in record.findings],
                    ]
                )
            self.key_lists.append(read_keys)
        return [version, keys.items, paths.items, rules.items, file_list, memo_list, checks]

    def bloated(self) -> bool:
        """Whether the key table holds more than twice the keys still named (those of files
        and objects long gone), and is worth writing from scratch."""
        if len(self.keys.items) < COMPACT_MIN_KEYS:
            return False
        named = set[object]().union(*self.key_lists)
        return len(self.keys.items) > 2 * len(named)


def _listed(numbers: Mapping[str, int], name: str) -> int:
    """The number of a file or index that a check names; ValueError (the run is then not kept,
    `RunCache.save`) if the stage did not list it, which would be netlint's bug."""
    number = numbers.get(name)
    if number is None:
        raise ValueError(f"a check of a file or index not listed: {name!r}")
    return number


def _fresh(record: CheckRecord | StoredCheck, previous: StoredChecks) -> CheckRecord | None:
    """A stored check as this run would have made it (None if it is not well-formed)."""
    if isinstance(record, CheckRecord):
        return record
    fields = record.fields
    try:
        reads = Reads(
            _resolved(fields[3], previous.keys),
            frozenset(
                previous.memo_list[n][0] for n in _indexes(fields[4], len(previous.memo_list))
            ),
            _resolved(fields[5], previous.paths),
        )
        findings = tuple(decode_finding(one) for one in record.findings_data)
    except BadEntry:
        return None
    rule = fields[2]
    return CheckRecord(
        record.file, cast("int", fields[1]), previous.rules[cast("int", rule)], reads, findings
    )


def write(
    path: Path,
    version: int,
    previous: StoredChecks | None,
    records: Sequence[CheckRecord | StoredCheck],
    memos: Mapping[str, MemoReads],
    files: Mapping[str, tuple[str, frozenset[str] | None]],
) -> None:
    """Write the entry of this run's checks (`records`, in plan order, each made by this run
    or reused from `previous`), the indexes they used, and what each file (by cache key)
    provides: None for "as `previous` stored it". Raises OSError, ValueError or TypeError."""
    writer = _Writer(previous)
    payload = writer.payload(version, records, memos, files)
    if previous is not None and writer.bloated():
        fresh = [made for record in records if (made := _fresh(record, previous)) is not None]
        try:
            resolved = {
                file: (path, provided if provided is not None else previous.provided(file))
                for file, (path, provided) in files.items()
            }
        except BadEntry:
            return  # the previous entry was not what it seemed: the next run has none
        payload = _Writer(None).payload(version, fresh, memos, resolved)
    blob = _packb(payload, use_bin_type=True, unicode_errors="surrogatepass")
    write_atomically(path, _MAGIC + _CRC.pack(zlib.crc32(blob)) + blob)
