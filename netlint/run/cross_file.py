"""The cross-file stage with its cache: each deferred check's findings, kept with the inventory
keys it read (`run.facts`), reused in a later run while no file that provides one of those keys
changed; the others run again, recording what they read now.

A check is known by its file's cache key (its display path, report-set membership and text,
under the run's settings and rules: `ResultCache.key`), the object's number in the file and the
rule; in a file edited in place, an object the edit left as it was keeps the checks of the
file's last state (`Changes.edited`). Only the built-in rules' checks are reused: a rule pack's check may keep state between
checks that the recorder cannot see, so it always runs again. Findings are put together in the
order the uncached stage produces them, whatever was reused.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import cast

from netlint.api import Rule, RuleContext, SchemaChecker, Settings
from netlint.findings import Finding
from netlint.input.document import unload_all
from netlint.model.inventory import Inventory
from netlint.run.check_store import (
    CheckRecord,
    Dirty,
    MemoReads,
    Reused,
    StoredCheck,
    StoredChecks,
)
from netlint.run.facts import (
    Reads,
    RecordingInventory,
    changed_keys,
    provided_keys,
    same_objects,
)
from netlint.run.per_file import FileResult, FindingMaker, run_check
from netlint.run.shards import run_sharded

# Checks to run again from which they are shared between processes.
SPLIT_MIN_CHECKS = 1000


@dataclass(frozen=True, slots=True)
class Changes:
    """What changed since the previous run: the keys of the objects that are not the same, and
    the files whose text changed, appeared or went (where positions may have moved)."""

    keys: frozenset[str]
    files: frozenset[str]
    # A file edited in place (one state before, one after, at the same path): its cache key
    # now -> its key before, and the numbers of its objects that are the same in both.
    edited: Mapping[str, tuple[str, frozenset[int]]] = field(
        default_factory=lambda: dict[str, tuple[str, frozenset[int]]]()
    )


def changes_since(
    previous: StoredChecks,
    now: Mapping[str, FileResult],
    load: Callable[[str], FileResult | None],
) -> Changes:
    """`now`: this run's results by cache key; `load`: an earlier result by its cache key (the
    per-file cache), to compare an edited file object by object. Without it, or for a file
    added, deleted or renamed, every key of the file's old and new state counts. Raises
    BadEntry if what `previous` says a file provided is not well-formed."""
    old_paths: dict[str, list[str]] = {}
    for key, (path, _) in previous.files.items():
        old_paths.setdefault(path, []).append(key)
    new_paths: dict[str, list[str]] = {}
    for key, result in now.items():
        new_paths.setdefault(result.path, []).append(key)
    keys: set[str] = set()
    files: set[str] = set()
    edited: dict[str, tuple[str, frozenset[int]]] = {}
    for path in old_paths.keys() | new_paths.keys():
        before = [k for k in old_paths.get(path, ()) if k not in now]
        after = [k for k in new_paths.get(path, ()) if k not in previous.files]
        if not before and not after:
            continue
        files.add(path)
        if len(before) == 1 and len(after) == 1:
            old = load(before[0])
            if old is not None:
                new = now[after[0]]
                keys |= changed_keys(old, new)
                edited[after[0]] = (before[0], same_objects(old, new))
                continue
        for key in before:
            keys |= previous.provided(key)
        for key in after:
            keys |= provided_keys(now[key])
    return Changes(frozenset(keys), frozenset(files), edited)


def _run_recorded(
    result: FileResult,
    checks: Sequence[tuple[int, str]],
    rules: Mapping[str, Rule],
    recorder: RecordingInventory,
    settings: Settings,
    schemas: SchemaChecker,
    maker: FindingMaker,
) -> tuple[list[tuple[Reads, list[Finding]]], dict[str, MemoReads]]:
    """The checks, each with what it read; and what the indexes built meanwhile read."""
    ctx = RuleContext(cast("Inventory", recorder), settings, schemas)
    done: list[tuple[Reads, list[Finding]]] = []
    for index, rule_id in checks:
        found: list[Finding] = []
        recorder.start()
        try:
            run_check(rules[rule_id], result.manifests[index], ctx, maker, found)
        finally:
            reads = recorder.stop()
        done.append((reads, found))
    unload_all()
    return done, recorder.built()


def run_cross_file(
    results: Sequence[FileResult],
    files: Sequence[str],
    rules: Mapping[str, Rule],
    inventory: Inventory,
    settings: Settings,
    schemas: SchemaChecker,
    maker: FindingMaker,
    cores: int,
    previous: StoredChecks | None,
    changes: Changes,
    reusable: Collection[str],
) -> tuple[list[Finding], list[CheckRecord | StoredCheck], dict[str, MemoReads], int]:
    """The deferred checks of `results` (whose cache keys are `files`): the findings in the
    uncached stage's order, a record of every check (made now, or reused as stored), what the
    indexes they used read, and how many checks were reused."""
    plan: list[tuple[str, int, str, Reused | None]] = []
    pending: dict[int, list[tuple[int, str]]] = {}  # result number -> checks to run
    dirty = Dirty(previous, changes.keys, changes.files) if previous is not None else None
    for number, (result, file) in enumerate(zip(results, files, strict=True)):
        # An edited file's unchanged objects: their checks as the file's last state had them.
        stored_as, same = changes.edited.get(file, (file, frozenset[int]()))
        for index, rule_ids in result.deferred:
            key = stored_as if index in same else file
            for rule_id in rule_ids:
                old = None
                if dirty is not None and previous is not None and rule_id in reusable:
                    old = previous.reuse(key, index, rule_id, dirty)
                    if old is not None and key != file:
                        old = (StoredCheck(file, old[0].fields), *old[1:])
                plan.append((file, index, rule_id, old))
                if old is None:
                    pending.setdefault(number, []).append((index, rule_id))
    recorder = RecordingInventory(inventory)
    parts = list(pending.items())
    total = sum(len(checks) for _, checks in parts)

    def work(part: int) -> tuple[list[tuple[Reads, list[Finding]]], dict[str, MemoReads]]:
        number, checks = parts[part]
        return _run_recorded(results[number], checks, rules, recorder, settings, schemas, maker)

    if cores > 1 and total >= SPLIT_MIN_CHECKS:
        done = run_sharded(work, [len(checks) for _, checks in parts], cores)
    else:
        done = [work(part) for part in range(len(parts))]
    memos: dict[str, MemoReads] = {}
    fresh: dict[tuple[str, int, str], tuple[Reads, list[Finding]]] = {}
    for (number, checks), (outcomes, built) in zip(parts, done, strict=True):
        memos.update(built)
        for (index, rule_id), outcome in zip(checks, outcomes, strict=True):
            fresh[(files[number], index, rule_id)] = outcome
    findings: list[Finding] = []
    records: list[CheckRecord | StoredCheck] = []
    reused = 0
    for file, index, rule_id, old in plan:
        if old is not None:
            reused += 1
            stored, old_findings, used = old
            findings.extend(old_findings)
            records.append(stored)
            assert previous is not None
            for name in used:
                memos.setdefault(name, previous.memos[name])  # clean: `StoredChecks.reuse`
            continue
        reads, found = fresh[(file, index, rule_id)]
        findings.extend(found)
        records.append(CheckRecord(file, index, rule_id, reads, tuple(found)))
    return findings, records, memos, reused
