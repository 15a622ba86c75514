"""The whole-run cache: a run's findings replayed when nothing it read changed, and what its
cross-file stage found (`run.cross_file`), for the next run of the same input to reuse.

Beside the per-file entries of the same settings and rules (`ResultCache`, whose folder this
shares, so that its salt covers netlint's version and code, the settings, the rules and packs),
under `runs/`:

- `<tree>.replay.json`: the findings before the filters, and what the report says of each file
  (read, skipped and why, linted, may hold suppressions). `<tree>` is a digest of the salt and of
  every input file's cache key in input order (`ResultCache.key`: its display path, whether it
  is in the report set, its text), so a run whose files all have the same keys replays it:
  nothing is parsed and no cross-file check runs.
- `<tree>.checks.json`: every cross-file check's findings and the inventory keys it read, and
  the keys each file provides (`run.facts`).
- `slot-<input>`: the `<tree>` of the last run of this input (paths, context, working folder),
  whose checks the next run compares its files with.
- `<digest>.kept`: the reports such a run wrote, to write again while nothing it read changed
  (`run.kept_run`).

Entries are JSON, read as data and checked against the shape written here as they are read
(findings as the per-file entries check theirs, `cache_format`): anything else is a miss, and the
run goes on without it. Only the newest `KEEP_RUNS` runs' entries are kept.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Mapping, Sequence
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path

from netlint.findings import Finding
from netlint.run.cache import ResultCache, write_atomically
from netlint.run.cache_format import (
    BadEntry,
    decode_finding,
    encode_finding,
    expect_array,
    expect_boolean,
    expect_index,
    expect_list,
    expect_natural,
    expect_optional_string,
    expect_string,
    expect_strings,
)
from netlint.run.cross_file import CheckRecord, MemoReads, Previous
from netlint.run.facts import Reads

RUN_FORMAT = 2  # 2: each distinct set of keys, paths or indexes written once
KEEP_RUNS = 16
# An entry larger than this is not read (a crafted one must not exhaust memory).
MAX_ENTRY_BYTES = 256 * 2**20


@dataclass(frozen=True, slots=True)
class FileFacts:
    """What the report says of one input file, besides its findings."""

    readable: bool
    skipped: bool
    skipped_reason: str | None
    linted: bool  # a report-set file with a checksum: its text may be shown
    has_directives: bool
    has_real_path: bool
    objects: int  # of a report-set file


@dataclass(frozen=True, slots=True)
class Replay:
    files: tuple[FileFacts, ...]  # one per input file, in input order
    findings: tuple[Finding, ...]  # sorted, before the filters


class RunCache:
    def __init__(self, cache: ResultCache, input_identity: str) -> None:
        self.folder = cache.entries / "runs"
        self.salt = cache.salt
        self.slot = self.folder / (
            "slot-"
            + hashlib.sha256(
                self.salt + input_identity.encode("utf-8", "surrogateescape")
            ).hexdigest()[:32]
        )
        self.enabled = cache.enabled

    def tree(self, files: Sequence[str]) -> str:
        digest = hashlib.sha256(self.salt)
        digest.update(f"run-v{RUN_FORMAT}".encode())
        for file in files:
            digest.update(b"\x00" + file.encode())
        return digest.hexdigest()

    # -- reading -----------------------------------------------------------------------------

    def _load(self, name: str) -> list[object] | None:
        if not self.enabled:
            return None
        try:
            path = self.folder / name
            if path.stat().st_size > MAX_ENTRY_BYTES:
                return None
            value: object = json.loads(path.read_bytes())
            fields = expect_list(value)
        except (OSError, ValueError, RecursionError, BadEntry):
            return None
        if not fields or fields[0] != RUN_FORMAT or type(fields[0]) is not int:
            return None
        return fields

    def replay(self, tree: str, files: int) -> Replay | None:
        """The replay of the run whose tree digest is `tree`, if kept and well-formed."""
        fields = self._load(f"{tree}.replay.json")
        if fields is None:
            return None
        try:
            _, stored_tree, facts, findings = expect_array(fields, 4)
            if stored_tree != tree:
                return None
            items = expect_list(facts)
            if len(items) != files:
                return None
            return Replay(
                tuple(_decode_facts(item) for item in items),
                tuple(decode_finding(item) for item in expect_list(findings)),
            )
        except BadEntry:
            return None

    def previous(self) -> Previous | None:
        """What the cross-file stage of the last run of this input left, if kept."""
        if not self.enabled:
            return None
        try:
            tree = self.slot.read_text(encoding="ascii").strip()
        except (OSError, ValueError):
            return None
        if len(tree) != 64 or any(c not in "0123456789abcdef" for c in tree):
            return None
        fields = self._load(f"{tree}.checks.json")
        if fields is None:
            return None
        try:
            return _decode_checks(fields)
        except BadEntry:
            return None

    # -- writing -----------------------------------------------------------------------------

    def save(
        self,
        tree: str,
        facts: Sequence[FileFacts],
        findings: Sequence[Finding],
        checks: tuple[Sequence[CheckRecord], Mapping[str, MemoReads]] | None,
        files: Mapping[str, tuple[str, frozenset[str]]],
    ) -> None:
        """Keep this run for replay and, with `records`, its cross-file checks for the next."""
        if not self.enabled:
            return
        replay = [
            RUN_FORMAT,
            tree,
            [_encode_facts(item) for item in facts],
            [encode_finding(finding) for finding in findings],
        ]
        try:
            self.folder.mkdir(exist_ok=True)
            _write_json(self.folder / f"{tree}.replay.json", replay)
            if checks is not None:
                records, memos = checks
                _write_json(
                    self.folder / f"{tree}.checks.json", _encode_checks(records, memos, files)
                )
                write_atomically(self.slot, tree.encode("ascii"))
            prune_runs(self.folder)
        except (OSError, ValueError, TypeError):
            self.enabled = False

    def keep_slot(self, tree: str) -> None:
        """A replayed run: the next run compares its files with this one's checks, if kept."""
        if not self.enabled:
            return
        with suppress(OSError):
            for name in (f"{tree}.replay.json", f"{tree}.checks.json"):
                os.utime(self.folder / name)  # in use: the newest are kept (`prune_runs`)
            write_atomically(self.slot, tree.encode("ascii"))


def prune_runs(folder: Path) -> None:
    """Delete all but the newest `KEEP_RUNS` runs' entries in `folder` (each run has up to
    three: its replay, its checks and its kept reports, `run.kept_run`; slots stay: a few
    bytes each)."""
    entries = [
        item
        for item in folder.iterdir()
        if item.name.endswith((".replay.json", ".checks.json", ".kept"))
    ]
    if len(entries) <= 3 * KEEP_RUNS:
        return
    entries.sort(key=lambda item: item.stat().st_mtime_ns, reverse=True)
    for item in entries[3 * KEEP_RUNS :]:
        with suppress(OSError):
            item.unlink()


def _write_json(path: Path, value: object) -> None:
    # ASCII: a lone surrogate of a file name or text is written escaped, and read back as it was.
    text = json.dumps(value, ensure_ascii=True, separators=(",", ":"), allow_nan=False)
    write_atomically(path, text.encode("ascii"))


def _encode_facts(item: FileFacts) -> list[object]:
    return [
        item.readable,
        item.skipped,
        item.skipped_reason,
        item.linted,
        item.has_directives,
        item.has_real_path,
        item.objects,
    ]


def _decode_facts(value: object) -> FileFacts:
    readable, skipped, reason, linted, directives, real, objects = expect_array(value, 7)
    return FileFacts(
        expect_boolean(readable),
        expect_boolean(skipped),
        expect_optional_string(reason),
        expect_boolean(linted),
        expect_boolean(directives),
        expect_boolean(real),
        expect_natural(objects),
    )


class _Table:
    """Strings written once each and named by their number; and sets of them, each distinct set
    written once (most checks read one of a few sets of keys) and named by its number."""

    def __init__(self) -> None:
        self.numbers: dict[str, int] = {}
        self.sets: dict[frozenset[str], int] = {}
        self.set_list: list[list[int]] = []

    def one(self, item: str) -> int:
        return self.numbers.setdefault(item, len(self.numbers))

    def set_of(self, items: frozenset[str]) -> int:
        number = self.sets.get(items)
        if number is None:
            number = self.sets[items] = len(self.set_list)
            self.set_list.append(sorted(self.one(item) for item in items))
        return number


def _encode_checks(
    records: Sequence[CheckRecord],
    memos: Mapping[str, MemoReads],
    files: Mapping[str, tuple[str, frozenset[str]]],
) -> list[object]:
    keys, paths, rules, names = _Table(), _Table(), _Table(), _Table()
    file_numbers: dict[str, int] = {}
    file_list: list[object] = []
    for file, (path, provided) in files.items():
        file_numbers.setdefault(file, len(file_numbers))
        file_list.append([file, paths.one(path), keys.set_of(provided)])
    memo_list: list[object] = []
    for name, (memo_keys, positions) in memos.items():
        names.one(name)
        memo_list.append([name, keys.set_of(memo_keys), paths.set_of(positions)])
    checks: list[object] = []
    for record in records:
        file = file_numbers.get(record.file)
        if file is None or not record.reads.memos <= memos.keys():
            raise ValueError("a check of a file or index not listed")  # never: the engine's
        checks.append(
            [
                file,
                record.index,
                rules.one(record.rule_id),
                keys.set_of(record.reads.keys),
                names.set_of(record.reads.memos),
                paths.set_of(record.reads.positions),
                [encode_finding(finding) for finding in record.findings],
            ]
        )
    return [
        RUN_FORMAT,
        list(keys.numbers),
        keys.set_list,
        list(paths.numbers),
        paths.set_list,
        list(rules.numbers),
        names.set_list,
        file_list,
        memo_list,
        checks,
    ]


def _decoded_sets(value: object, table: Sequence[str]) -> list[frozenset[str]]:
    """Each set of a `_Table`, from the numbers of its strings in `table`."""
    sets: list[frozenset[str]] = []
    for item in expect_list(value):
        sets.append(frozenset(table[expect_index(n, len(table))] for n in expect_list(item)))
    return sets


def _decode_checks(fields: list[object]) -> Previous:
    (
        _,
        keys_value,
        key_sets_value,
        paths_value,
        path_sets_value,
        rules_value,
        memo_sets_value,
        files_value,
        memos_value,
        checks_value,
    ) = expect_array(fields, 10)
    keys = expect_strings(keys_value)
    paths = expect_strings(paths_value)
    rules = expect_strings(rules_value)
    key_sets = _decoded_sets(key_sets_value, keys)
    path_sets = _decoded_sets(path_sets_value, paths)

    file_names: list[str] = []
    files: dict[str, tuple[str, frozenset[str]]] = {}
    for item in expect_list(files_value):
        file, path, provided = expect_array(item, 3)
        name = expect_string(file)
        file_names.append(name)
        files[name] = (
            paths[expect_index(path, len(paths))],
            key_sets[expect_index(provided, len(key_sets))],
        )
    memo_names: list[str] = []
    memos: dict[str, MemoReads] = {}
    for item in expect_list(memos_value):
        name_value, memo_keys, positions = expect_array(item, 3)
        name = expect_string(name_value)
        memo_names.append(name)
        memos[name] = (
            key_sets[expect_index(memo_keys, len(key_sets))],
            path_sets[expect_index(positions, len(path_sets))],
        )
    memo_sets = _decoded_sets(memo_sets_value, memo_names)
    checks: dict[tuple[str, int, str], CheckRecord] = {}
    for item in expect_list(checks_value):
        file, index, rule, read_keys, read_memos, positions, findings = expect_array(item, 7)
        found = expect_list(findings)
        record = CheckRecord(
            file_names[expect_index(file, len(file_names))],
            expect_natural(index),
            rules[expect_index(rule, len(rules))],
            Reads(
                key_sets[expect_index(read_keys, len(key_sets))],
                memo_sets[expect_index(read_memos, len(memo_sets))],
                path_sets[expect_index(positions, len(path_sets))],
            ),
            tuple(decode_finding(one) for one in found) if found else (),
        )
        checks[(record.file, record.index, record.rule_id)] = record
    return Previous(checks, memos, files)
