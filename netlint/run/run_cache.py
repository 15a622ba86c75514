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
- `<tree>.checks`: every cross-file check's findings and the inventory keys it read, and the
  keys each file provides (`run.facts`), in msgpack, read and written back mostly as stored
  (`run.check_store`).
- `slot-<input>`: the `<tree>` of the last run of this input (paths, context, working folder),
  whose checks the next run compares its files with.
- `<digest>.kept`: the reports such a run wrote, to write again while nothing it read changed
  (`run.kept_run`).

The replay is JSON; every entry is read as data and checked against the shape written as it is
read (findings as the per-file entries check theirs, `cache_format`): anything else is a miss,
and the run goes on without it. Only the newest `KEEP_RUNS` runs' entries are kept.
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
from netlint.run import check_store
from netlint.run.cache import ResultCache, write_atomically
from netlint.run.cache_format import (
    BadEntry,
    decode_finding,
    encode_finding,
    expect_array,
    expect_boolean,
    expect_list,
    expect_natural,
    expect_optional_string,
)
from netlint.run.check_store import CheckRecord, MemoReads, StoredCheck, StoredChecks

RUN_FORMAT = 3  # 2: each distinct set of keys, paths or indexes written once; 3: msgpack checks
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

    def previous(self) -> StoredChecks | None:
        """What the cross-file stage of the last run of this input left, if kept."""
        if not self.enabled:
            return None
        try:
            tree = self.slot.read_text(encoding="ascii").strip()
        except (OSError, ValueError):
            return None
        if len(tree) != 64 or any(c not in "0123456789abcdef" for c in tree):
            return None
        return StoredChecks.read(self.folder / f"{tree}.checks", MAX_ENTRY_BYTES, RUN_FORMAT)

    # -- writing -----------------------------------------------------------------------------

    def save(
        self,
        tree: str,
        facts: Sequence[FileFacts],
        findings: Sequence[Finding],
        checks: tuple[Sequence[CheckRecord | StoredCheck], Mapping[str, MemoReads]] | None,
        files: Mapping[str, tuple[str, frozenset[str] | None]],
        previous: StoredChecks | None,
    ) -> None:
        """Keep this run for replay and, with `checks`, its cross-file checks for the next
        (`files`: what each provides, None where as `previous` stored it)."""
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
                check_store.write(
                    self.folder / f"{tree}.checks", RUN_FORMAT, previous, records, memos, files
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
            for name in (f"{tree}.replay.json", f"{tree}.checks"):
                os.utime(self.folder / name)  # in use: the newest are kept (`prune_runs`)
            write_atomically(self.slot, tree.encode("ascii"))


def prune_runs(folder: Path) -> None:
    """Delete all but the newest `KEEP_RUNS` runs' entries in `folder` (each run has up to
    three: its replay, its checks and its kept reports, `run.kept_run`; slots stay: a few
    bytes each)."""
    entries = [
        item
        for item in folder.iterdir()
        if item.name.endswith((".replay.json", ".checks", ".kept"))
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
