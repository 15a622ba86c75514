"""The cross-file stage with its cache: each deferred check's findings, kept with the inventory
keys it read (`run.facts`), reused in a later run while no file that provides one of those keys
changed; the others run again, recording what they read now.

A check is known by its file's cache key (its display path, report-set membership and text,
under the run's settings and rules: `ResultCache.key`), the object's number in the file and the
rule. Only the built-in rules' checks are reused: a rule pack's check may keep state between
checks that the recorder cannot see, so it always runs again. Findings are put together in the
order the uncached stage produces them, whatever was reused.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

from netlint.api import Rule, RuleContext, SchemaChecker, Settings
from netlint.findings import Finding
from netlint.input.document import unload_all
from netlint.model.inventory import Inventory
from netlint.run.facts import RecordingInventory
from netlint.run.per_file import FileResult, FindingMaker, run_check
from netlint.run.shards import run_sharded

# Checks to run again from which they are shared between processes.
SPLIT_MIN_CHECKS = 1000


@dataclass(frozen=True, slots=True)
class CheckRecord:
    """One deferred check of one object: what it found and the inventory keys it read."""

    file: str  # the file's cache key
    index: int  # the object's number in the file's manifests
    rule_id: str
    reads: frozenset[str]
    findings: tuple[Finding, ...]


@dataclass(frozen=True, slots=True)
class Previous:
    """What the cross-file stage of an earlier run of the same input left (`run.run_cache`)."""

    checks: Mapping[tuple[str, int, str], CheckRecord]
    provided: Mapping[str, frozenset[str]]  # file cache key -> the keys it provides


def dirty_keys(previous: Previous, provided_now: Mapping[str, frozenset[str]]) -> frozenset[str]:
    """The keys of every file that is not in both runs alike: edited, added, deleted or renamed
    files give the keys of their old and of their new state."""
    dirty: set[str] = set()
    for file, keys in previous.provided.items():
        if file not in provided_now:
            dirty |= keys
    for file, keys in provided_now.items():
        if file not in previous.provided:
            dirty |= keys
    return frozenset(dirty)


def _run_recorded(
    result: FileResult,
    checks: Sequence[tuple[int, str]],
    rules: Mapping[str, Rule],
    recorder: RecordingInventory,
    settings: Settings,
    schemas: SchemaChecker,
    maker: FindingMaker,
) -> list[tuple[frozenset[str], list[Finding]]]:
    ctx = RuleContext(recorder, settings, schemas)  # pyright: ignore[reportArgumentType]
    done: list[tuple[frozenset[str], list[Finding]]] = []
    for index, rule_id in checks:
        found: list[Finding] = []
        recorder.start()
        run_check(rules[rule_id], result.manifests[index], ctx, maker, found)
        done.append((recorder.stop(), found))
    unload_all()
    return done


def run_cross_file(
    results: Sequence[FileResult],
    files: Sequence[str],
    rules: Mapping[str, Rule],
    inventory: Inventory,
    settings: Settings,
    schemas: SchemaChecker,
    maker: FindingMaker,
    cores: int,
    previous: Previous | None,
    dirty: Collection[str],
    reusable: Collection[str],
) -> tuple[list[Finding], list[CheckRecord], int]:
    """The deferred checks of `results` (whose cache keys are `files`): the findings in the
    uncached stage's order, a record of every check, and how many were reused."""
    plan: list[tuple[str, int, str, CheckRecord | None]] = []
    pending: dict[int, list[tuple[int, str]]] = {}  # result number -> checks to run
    for number, (result, file) in enumerate(zip(results, files, strict=True)):
        for index, rule_ids in result.deferred:
            for rule_id in rule_ids:
                old = None
                if previous is not None and rule_id in reusable:
                    old = previous.checks.get((file, index, rule_id))
                    if old is not None and not old.reads.isdisjoint(dirty):
                        old = None
                plan.append((file, index, rule_id, old))
                if old is None:
                    pending.setdefault(number, []).append((index, rule_id))
    recorder = RecordingInventory(inventory)
    parts = list(pending.items())
    total = sum(len(checks) for _, checks in parts)

    def work(part: int) -> list[tuple[frozenset[str], list[Finding]]]:
        number, checks = parts[part]
        return _run_recorded(results[number], checks, rules, recorder, settings, schemas, maker)

    if cores > 1 and total >= SPLIT_MIN_CHECKS:
        done = run_sharded(work, [len(checks) for _, checks in parts], cores)
    else:
        done = [work(part) for part in range(len(parts))]
    fresh: dict[tuple[str, int, str], tuple[frozenset[str], list[Finding]]] = {}
    for (number, checks), outcomes in zip(parts, done, strict=True):
        for (index, rule_id), outcome in zip(checks, outcomes, strict=True):
            fresh[(files[number], index, rule_id)] = outcome
    findings: list[Finding] = []
    records: list[CheckRecord] = []
    reused = 0
    for file, index, rule_id, old in plan:
        if old is not None:
            reused += 1
            findings.extend(old.findings)
            records.append(old)
            continue
        reads, found = fresh[(file, index, rule_id)]
        findings.extend(found)
        records.append(CheckRecord(file, index, rule_id, reads, tuple(found)))
    return findings, records, reused
