"""A run with the whole-run cache (`run.run_cache`): replayed when no input file changed, else
its cross-file checks reused where the facts they read did not change (`run.cross_file`).

Used for runs whose objects all share one inventory and whose files are all linted as they are
(no kustomize scope, build or patch, no Helm rendering: `engine._replayable`). Every file is read
first, in this process, for its cache key: the run's tree digest is made of them, so a replay
is decided on the files' texts, never on their modification times.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence

from netlint.api import Rule, SchemaChecker, Settings
from netlint.findings import Finding
from netlint.input.helm import TEMPLATES_DIR, chart_of_template
from netlint.input.reading import Pending, Source, Unreadable
from netlint.model.inventory import Inventory
from netlint.run import shared_inputs
from netlint.run.cache import ResultCache
from netlint.run.cache_format import BadEntry
from netlint.run.check_store import CheckRecord, MemoReads, StoredCheck, StoredChecks
from netlint.run.cross_file import Changes, changes_since, run_cross_file
from netlint.run.facts import provided_keys
from netlint.run.per_file import FileResult, FindingMaker
from netlint.run.run_cache import FileFacts, Replay, RunCache

Task = tuple[Pending | Source | Unreadable, bool]


def _file_key(cache: ResultCache, item: Source | Unreadable, in_report_set: bool) -> str:
    """The file's identity in the run: its per-file cache key, or for what is not cached, a key
    over what its result depends on."""
    if isinstance(item, Unreadable):
        return cache.key(
            item.path, in_report_set, f"\x00unreadable\x00{item.rule_id}\x00{item.reason}"
        )
    key = cache.key(item.path, in_report_set, item.text)
    if item.real_path is not None and TEMPLATES_DIR in item.real_path:
        # Whether it is a chart's template depends on a Chart.yaml beside it, not on its text.
        chart = chart_of_template(item.real_path)
        if chart is not None:
            return cache.key(item.path, in_report_set, f"{key}\x00chart\x00{chart}")
    return key


def _cached(item: Source | Unreadable) -> bool:
    """Whether the per-file stage keeps this file's result in the cache (`engine._per_file`)."""
    return (
        isinstance(item, Source)
        and item.real_path is not None
        and not (TEMPLATES_DIR in item.real_path and chart_of_template(item.real_path))
    )


class WholeRun:
    """One run's use of the whole-run cache, from reading its files to saving what it found."""

    def __init__(
        self,
        cache: ResultCache,
        run_cache: RunCache,
        tasks: list[tuple[Source | Unreadable, bool]],
        files: list[str],
    ) -> None:
        self.cache = cache
        self.run_cache = run_cache
        self.tasks = tasks  # every input file, read
        self.files = files  # their keys, in input order
        self.tree = run_cache.tree(files)
        self._replay: Replay | None = None
        self._checks: tuple[list[CheckRecord | StoredCheck], dict[str, MemoReads]] | None = None
        self._files: dict[str, tuple[str, frozenset[str] | None]] = {}
        self._previous: StoredChecks | None = None

    @staticmethod
    def start(
        cache: ResultCache, tasks: Sequence[Task], max_file_size: int, identity: str
    ) -> WholeRun:
        read: list[tuple[Source | Unreadable, bool]] = [
            (
                shared_inputs.read(entry, max_file_size) if isinstance(entry, Pending) else entry,
                in_report_set,
            )
            for entry, in_report_set in tasks
        ]
        files = [_file_key(cache, item, in_report_set) for item, in_report_set in read]
        return WholeRun(cache, RunCache(cache, identity), read, files)

    def replay(self) -> tuple[list[FileResult], int] | None:
        """The files' results as the report needs them, if this very run was kept: their facts,
        and the objects of the files that may hold suppression annotations (from the per-file
        cache: the filters read them); no findings, which `findings` gives."""
        replay = self.run_cache.replay(self.tree, len(self.tasks))
        if replay is None:
            return None
        results: list[FileResult] = []
        for (item, in_report_set), facts in zip(self.tasks, replay.files, strict=True):
            result = FileResult(item.path, in_report_set, readable=facts.readable)
            result.skipped = facts.skipped
            result.skipped_reason = facts.skipped_reason
            result.has_directives = facts.has_directives
            if isinstance(item, Source):
                if facts.has_real_path:
                    result.real_path = item.real_path
                if facts.linted:
                    result.checksum = item.checksum
                if facts.has_directives and in_report_set:
                    result.text = item.text
                    if facts.objects:
                        cached = self.cache.get(self.cache.key(item.path, in_report_set, item.text))
                        if cached is None or len(cached.manifests) != facts.objects:
                            return None  # not kept: the run is done again
                        result.manifests = cached.manifests
            results.append(result)
        self._replay = replay
        self.run_cache.keep_slot(self.tree)
        return results, sum(1 for item, _ in self.tasks if _cached(item))

    def findings(self) -> list[Finding]:
        """The replayed run's findings, before the filters."""
        assert self._replay is not None
        return list(self._replay.findings)

    def objects(self) -> int:
        assert self._replay is not None
        return sum(facts.objects for facts in self._replay.files)

    def cross_file(
        self,
        results: Sequence[FileResult],
        rules: Mapping[str, Rule],
        inventory: Inventory,
        settings: Settings,
        schemas: SchemaChecker,
        maker: FindingMaker,
        cores: int,
        reusable: Collection[str],
    ) -> tuple[list[Finding], int, int]:
        """The deferred checks of the report set, those whose facts did not change since the
        last run of this input taken from it; and how many were reused and how many ran."""
        now = dict(zip(self.files, results, strict=True))
        previous = self.run_cache.previous()
        changes = Changes(frozenset(), frozenset())
        if previous is not None:
            try:
                changes = changes_since(previous, now, self.cache.get)
            except BadEntry:
                previous = None  # what it says a file provided is not well-formed: no reuse
        # What each file provides, for the next run: as the last one stored it where unchanged.
        for file, result in now.items():
            known = previous is not None and file in previous.files
            self._files[file] = (result.path, None if known else provided_keys(result))
        self._previous = previous
        report = [(r, f) for r, f in zip(results, self.files, strict=True) if r.in_report_set]
        found, records, memos, reused = run_cross_file(
            [r for r, _ in report],
            [f for _, f in report],
            rules,
            inventory,
            settings,
            schemas,
            maker,
            cores,
            previous,
            changes,
            reusable,
        )
        self._checks = (records, memos)
        return found, reused, len(records) - reused

    def save(self, results: Sequence[FileResult], findings: Sequence[Finding]) -> None:
        """Keep this run: its findings before the filters, and its cross-file checks."""
        facts = [
            FileFacts(
                r.readable,
                r.skipped,
                r.skipped_reason,
                r.checksum is not None,
                r.has_directives,
                r.real_path is not None,
                len(r.manifests) if r.in_report_set else 0,
            )
            for r in results
        ]
        self.run_cache.save(self.tree, facts, findings, self._checks, self._files, self._previous)
