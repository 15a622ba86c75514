"""The pipeline of DESIGN §3: sources -> documents -> manifests -> inventory -> rules -> findings
-> filters. Reporters take the resulting `Report`; nothing here prints.

A run has two stages. The per-file stage (`per_file.FileStage`) parses each file and runs every
check that needs that file only; it runs on all cores for large inputs and its results are cached
by content. The second stage builds the inventory of the whole run and runs the checks the first
stage deferred because they asked the inventory. With the cache, a run whose files, settings and
rules are all unchanged replays its findings, and the deferred checks whose inventory facts did
not change are taken from the last run of the same input (`run.whole_run`). Output is the same whatever the number of
processes and whatever the cache holds: results are kept in input order and findings are sorted.
"""

from __future__ import annotations

import functools
import os
import sys
import time
from collections.abc import Mapping, Sequence
from dataclasses import field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from netlint import __version__
from netlint.api import Rule, RuleContext, RuleMeta, SchemaChecker, Settings
from netlint.findings import ALWAYS_REPORTED, Finding, Location, Severity
from netlint.heap import collector_paused
from netlint.input.document import CorruptEntry, unload_all
from netlint.input.file_stamps import InputStamps
from netlint.input.gitignore import GitIgnore
from netlint.input.helm import TEMPLATES_DIR, chart_of_template
from netlint.input.limits import Limits
from netlint.input.reading import (
    DEFAULT_MAX_FILE_SIZE,
    STDIN_PATH,
    Pending,
    Source,
    Unreadable,
)
from netlint.input.source_texts import SourceTexts
from netlint.input.sources import SKIP_HELM_TEMPLATES, PathMatcher, Skipped, list_sources
from netlint.model.inventory import Inventory, PodTemplate
from netlint.model.manifest import Manifest
from netlint.model.shared_paths import forget as forget_shared
from netlint.records import record
from netlint.run.memory import ResultMemory
from netlint.run.per_file import (
    FileResult,
    FileStage,
    FindingMaker,
    run_deferred,
)
from netlint.run.registry import BUILTIN_PACK, RuleSet
from netlint.run.renders import HelmOptions, KustomizeOptions, Rendered, Renders
from netlint.run.results import (
    KUSTOMIZE_PATCH,
    KUSTOMIZE_RENDERED,
    NOT_KUBERNETES,
    FindingFilter,
    Report,
    RunData,
)
from netlint.run.scopes import (
    SHARED,
    Kustomization,
    Scope,
    ScopeMap,
    assign_scopes,
    build_chain,
    read_kustomizations,
)
from netlint.run.selection import Selection
from netlint.run.shards import fork_available, run_sharded
from netlint.run.shared_inputs import walked

if TYPE_CHECKING:
    from netlint.run.cache import ResultCache
    from netlint.run.kept_run import KeptRun
    from netlint.run.whole_run import WholeRun

__all__ = ["FindingFilter", "Report", "RunData", "RunOptions", "run"]

# What a kustomize patch file can still get: it is YAML, but its documents are not objects.
_PATCH_FINDINGS = ALWAYS_REPORTED - {"manifest-shape"}

# Below these sizes, starting worker processes costs more than it saves.
PARALLEL_MIN_FILES = 48
PARALLEL_MIN_CHARS = 1_000_000


@record(frozen=True, slots=True)
class RunOptions:
    paths: Sequence[str]
    context: Sequence[str] = ()
    settings: Settings = field(default_factory=Settings)
    excludes: PathMatcher = field(default_factory=lambda: PathMatcher((), Path.cwd()))
    # What git ignores, left out of walked folders (config `respect-gitignore`); None: nothing.
    gitignore: GitIgnore | None = None
    selection: Selection = field(default_factory=Selection)
    # How the Helm charts met by the walk are rendered (`run.helm_render`).
    helm: HelmOptions = field(default_factory=HelmOptions)
    # How the kustomize roots of the input are rendered (`run.kustomize_render`).
    kustomize: KustomizeOptions = field(default_factory=KustomizeOptions)
    severity_overrides: Mapping[str, Severity] = field(default_factory=lambda: {})
    limits: Limits = field(default_factory=Limits)
    max_file_size: int = DEFAULT_MAX_FILE_SIZE
    stdin_text: str | None = None  # stdin's text when already read (tests, pipelines)
    filters: Sequence[FindingFilter] = ()
    cwd: Path = field(default_factory=Path.cwd)
    jobs: int = 1  # worker processes for the per-file stage; 0: one per core when it pays
    cache_dir: Path | None = None  # None: no cache
    # Another state of the files, for the diff-aware mode's run of the base (`filters.changed`): real
    # path -> the text to lint instead of the file's (None: leave the file out), and files that
    # no longer exist, linted as they were.
    replaced: Mapping[str, str | None] = field(default_factory=lambda: {})
    restored: Sequence[Source] = ()
    scopes: Sequence[str] = ()  # config `scopes:`, absolute folders or files (DESIGN §3, "Scopes")
    # Keep the inventory of each scope in `Report.inventories` (`netlint graph` draws from them).
    keep_inventories: bool = False
    # Per-file results kept between the runs of this process (`netlint server`); None: none.
    memory: ResultMemory | None = None
    # What the front end's reports depend on besides the run's input, settings and rules
    # (formats, files written, colours, exit-code flags, the configuration and baseline texts,
    # every option given);
    # with it, the reports of a run the whole-run cache serves are kept whole, and written
    # again while its input is unchanged (`Report.reports`, `run.kept_run`).
    outputs_key: str | None = None
    output_formats: frozenset[str] = frozenset()  # the formats of those reports
    # Whether a cache hit's documents may be checked when first read (`ResultCache.deferred`);
    # off for the run again after one was found corrupt (`run`).
    defer_documents: bool = True


def _processes(jobs: int, sizes: Sequence[int]) -> int:
    """How many processes share the per-file work on files of these `sizes`: `jobs`, or with 0
    one per core when the input is worth it."""
    if jobs == 0 and len(sizes) < PARALLEL_MIN_FILES and sum(sizes) < PARALLEL_MIN_CHARS:
        return 1
    return max(1, min(_cores(jobs), len(sizes)))


def _cores(jobs: int) -> int:
    """The processes `--jobs` allows: 0 is one per core."""
    if jobs == 1 or not fork_available():
        return 1
    return jobs or os.cpu_count() or 1


def _sha256(text: str) -> str:
    return _sha256_bytes(text.encode())


def _sha256_bytes(data: bytes) -> str:
    import hashlib  # by the runs that use the cache (issue 31)

    return hashlib.sha256(data).hexdigest()


@functools.cache
def _code_fingerprint() -> str:
    """Sizes and modification times of netlint's own code and data (the built-in rules, schemas
    and policies live below the package in an install, beside it in a checkout), so that a
    changed checkout never reads results computed by other code under the same version. Once a
    process: it runs the code it loaded at start, and `netlint server` lints again at every edit
    (in a checkout, stating its thousands of schema files cost 10 to 25 ms an edit)."""
    package = Path(__file__).resolve().parents[1]  # netlint/, from netlint/run/
    roots = [package]
    if (package.parent / "pyproject.toml").is_file():  # a checkout; never site-packages' neighbours
        roots += [package.parent / "rules", package.parent / "schemas"]
    parts: list[str] = []
    for root in roots:
        if not root.is_dir():
            continue
        for path in sorted(root.rglob("*")):
            if path.suffix in (".py", ".json", ".yaml") and "__pycache__" not in path.parts:
                info = path.stat()
                parts.append(f"{path.relative_to(root)}:{info.st_size}:{info.st_mtime_ns}")
    return _sha256("\n".join(parts))


def _pack_fingerprint(rule_set: RuleSet, enabled: Sequence[str]) -> str:
    """The texts of the files of the enabled rules' packs other than the built-in one (`--rules`
    files and folders, YAML policies, installed packs' modules), so that an edited pack's checks
    are never taken from the cache. Their texts, not their sizes and times: an edit that keeps
    both (a tool restoring the time, a same-length change within the clock's step) is an edit
    too, and packs are a few small files."""
    parts: list[str] = []
    for label in sorted({rule_set.origin.get(rule_id, BUILTIN_PACK) for rule_id in enabled}):
        if label == BUILTIN_PACK:
            continue
        where = label
        if not os.path.exists(where):  # an installed pack: a module name
            module = sys.modules.get(label)
            file = getattr(module, "__file__", None) if module is not None else None
            if not isinstance(file, str):
                parts.append(f"{label}:?")
                continue
            where = os.path.dirname(file) if file.endswith("__init__.py") else file
        files = [Path(where)] if os.path.isfile(where) else sorted(Path(where).rglob("*"))
        for path in files:
            if path.suffix in (".py", ".yaml", ".yml", ".json") and "__pycache__" not in path.parts:
                try:
                    text = _sha256_bytes(path.read_bytes())
                except OSError:
                    text = "?"  # unreadable now: the pack's loading reports it
                parts.append(f"{label}:{path}:{text}")
    return _sha256("\n".join(parts))


def _cache_salt(options: RunOptions, rules: Sequence[RuleMeta], tokens: Sequence[str]) -> str:
    """Everything besides a file's own text that the per-file stage's result depends on."""
    settings = options.settings
    parts = [
        __version__,
        _code_fingerprint(),
        repr(settings),
        repr(sorted(options.severity_overrides.items())),
        repr(options.limits),
        *(repr(meta) for meta in rules),
        *tokens,
    ]
    return "\x1f".join(parts)


def _per_file(
    stage: FileStage,
    tasks: Sequence[tuple[Pending | Source | Unreadable, bool]],
    options: RunOptions,
    cache: ResultCache | None,
    keys: Sequence[str] | None = None,
) -> tuple[list[FileResult], int]:
    """Read, parse and check every file, or take its result from the cache, on all cores when
    the input is large enough; and how many results came from the cache. `keys`: the files'
    cache keys where the caller has them (every file read already, `run.whole_run`)."""

    def cached(index: int, item: Source | Unreadable) -> tuple[FileResult | None, str | None]:
        """The file's result from the memory or the cache, else None; and its cache key."""
        in_report_set = tasks[index][1]
        kept = _remembered(item, in_report_set, options.memory)
        if kept is not None:
            return kept, None
        if (
            cache is None
            or not isinstance(item, Source)
            or item.real_path is None
            # Whether it is a chart's template depends on a Chart.yaml, not on its text.
            or (TEMPLATES_DIR in item.real_path and chart_of_template(item.real_path))
        ):
            return None, None
        key = keys[index] if keys is not None else cache.key(item.path, in_report_set, item.text)
        found = cache.get(key)
        if found is not None:
            # As the per-file stage sets them: where the file is now, and the CRC-32 of the
            # bytes just read (the key covers the decoded text, not the bytes).
            if in_report_set:
                found.real_path = item.real_path
            if found.checksum is not None:
                found.checksum = item.checksum
            if found.has_directives and in_report_set:
                found.text = item.text  # as the per-file stage keeps it
            _remember(item, in_report_set, found, options.memory)
        return found, key

    def processed(index: int, item: Source | Unreadable, key: str | None) -> FileResult:
        in_report_set = tasks[index][1]
        result = stage.process(item, in_report_set, inner)
        if cache is not None and key is not None:
            cache.put(key, result)  # before packing: the data is read as it is
        result.pack()
        _remember(item, in_report_set, result, options.memory)
        return result

    def work(index: int) -> tuple[FileResult, bool]:
        """A file's result, and whether it came from the cache: read, and its entry checked,
        here on every core; a worker sends a hit on as it sends any result."""
        entry = tasks[index][0]
        item = entry.read(options.max_file_size) if isinstance(entry, Pending) else entry
        found, key = cached(index, item)
        return (found, True) if found is not None else (processed(index, item, key), False)

    def missed(index: int) -> tuple[FileResult, bool]:
        """A file read already whose lookup here missed (`keys` given), under its key then."""
        item = tasks[index][0]
        assert not isinstance(item, Pending)
        return processed(index, item, missed_keys[index]), False

    done: list[tuple[FileResult, bool] | None] = [None] * len(tasks)
    missed_keys: dict[int, str | None] = {}
    if keys is not None:
        # Every file is read: its hit is taken here, where it is needed, and only the misses
        # are shared out. A worker's hit costs more to send back pickled than to decode (a
        # 1,000-file tree with one file changed: 0.69 s for this stage on two processes,
        # 0.41 s on one).
        for index, (entry, _) in enumerate(tasks):
            assert not isinstance(entry, Pending)
            found, key = cached(index, entry)
            if found is not None:
                done[index] = (found, True)
            else:
                missed_keys[index] = key
        todo = list(missed_keys)
        one = missed
    else:
        todo = list(range(len(tasks)))
        one = work
    sizes = [_size(tasks[index][0]) for index in todo]
    processes = _processes(options.jobs, sizes)
    # Files one at a time (one large file, a few): each file's objects then share the cores.
    inner = _cores(options.jobs) if processes == 1 else 1
    outcomes = run_sharded(lambda i: one(todo[i]), sizes, processes)
    for index, outcome in zip(todo, outcomes, strict=True):
        done[index] = outcome
    results = [outcome[0] for outcome in done if outcome is not None]
    return results, sum(1 for outcome in done if outcome is not None and outcome[1])


def _remembered(
    item: Source | Unreadable, in_report_set: bool, memory: ResultMemory | None
) -> FileResult | None:
    """The result `memory` keeps for this very text, set up as a cache hit is."""
    if memory is None or not isinstance(item, Source) or item.real_path is None:
        return None
    if TEMPLATES_DIR in item.real_path:  # a chart's template: see the cache's condition
        return None
    kept = memory.get(item.path, in_report_set, item.text)
    if kept is not None:
        if in_report_set:
            kept.real_path = item.real_path
        if kept.checksum is not None:
            kept.checksum = item.checksum
    return kept


def _remember(
    item: Source | Unreadable, in_report_set: bool, result: FileResult, memory: ResultMemory | None
) -> None:
    real = item.real_path if isinstance(item, Source) else None
    if memory is not None and isinstance(item, Source) and real and TEMPLATES_DIR not in real:
        memory.put(item.path, in_report_set, item.text, result)


def _size(entry: Pending | Source | Unreadable) -> int:
    if isinstance(entry, Pending):
        return entry.size
    return len(entry.text) if isinstance(entry, Source) else 1


def _overlaid(
    tasks: Sequence[tuple[Pending | Source | Unreadable, bool]], options: RunOptions
) -> list[tuple[Pending | Source | Unreadable, bool]]:
    """`tasks` with the files of `options.replaced` given their other text (or left out) and
    `options.restored` added to the report set, in display-path order as listed."""
    result: list[tuple[Pending | Source | Unreadable, bool]] = []
    for entry, in_report_set in tasks:
        if isinstance(entry, Pending) and entry.real in options.replaced:
            text = options.replaced[entry.real]
            if text is None:
                continue
            result.append((Source(entry.path, text, entry.file), in_report_set))
        else:
            result.append((entry, in_report_set))
    result.extend((source, True) for source in options.restored)
    return sorted(result, key=lambda task: (not task[1], task[0].path))


def run(options: RunOptions, rule_set: RuleSet, schemas: SchemaChecker) -> Report:
    """Lint `options.paths` (with `options.context` as extra inventory) and return the report."""
    try:
        with collector_paused():
            return _run(options, rule_set, schemas)
    except CorruptEntry:
        # A cached document was not what netlint writes, found when it was first read (most
        # are never read: `ResultCache.deferred`). A hostile entry costs time, never a wrong
        # report or a crash (SECURITY.md): the run again, with every entry checked whole as it
        # is read, so that this one is a miss, and is written anew.
        unload_all()
        return run(replace(options, defer_documents=False), rule_set, schemas)
    finally:
        unload_all()  # whatever a filter unpacked last is not kept into the next run
        forget_shared()  # as its shared paths and texts (the facts keep the ones they use)


def _run(options: RunOptions, rule_set: RuleSet, schemas: SchemaChecker) -> Report:
    started = time.perf_counter()
    enabled_rules = [rule for rule in rule_set.rules if options.selection.enabled(rule.meta)]
    maker = FindingMaker(
        frozenset(rule.meta.id for rule in enabled_rules), dict(options.severity_overrides)
    )
    checkers = [rule for rule in enabled_rules if rule.kinds != frozenset()]
    stage = FileStage(checkers, options.settings, schemas, maker, options.limits)

    cache = None
    if options.cache_dir is not None or options.memory is not None:
        tokens = [str(getattr(rule, "cache_token", lambda: "")()) for rule in checkers]
        tokens.append(_pack_fingerprint(rule_set, [rule.meta.id for rule in enabled_rules]))
        tokens.append(schemas.cache_token())
        salt = _cache_salt(options, [rule.meta for rule in enabled_rules], tokens)
        if options.memory is not None:
            options.memory.begin(salt)
        if options.cache_dir is not None:
            deferrable = frozenset(rule.meta.id for rule in checkers)  # see run_deferred below
            # The result cache and the whole-run cache, imported by the runs that use them: a
            # `--no-cache` run (the editor, a hook) does not (issue 31).
            from netlint.run.cache import ResultCache

            cache = ResultCache(options.cache_dir, salt, deferrable, options.limits.max_depth)
            # Not for results kept past the run: in the memory of the language server, or in
            # the inventories a caller keeps (`run` runs again on a CorruptEntry in its own).
            cache.deferred = (
                options.defer_documents and options.memory is None and not options.keep_inventories
            )
    # The reports of this very run, kept as written (`run.kept_run`): an unchanged tree is not
    # walked or read again.
    kept: KeptRun | None = None
    stamps: InputStamps | None = None
    if cache is not None and options.outputs_key is not None and _keepable(options):
        from netlint.run.kept_run import KeptRun

        kept = KeptRun(
            cache,
            _kept_identity(options),
            options.outputs_key,
            options.output_formats,
            str(options.cwd),
        )
        if kept.load(options.max_file_size):
            return Report(findings=[], rules=[], data=RunData(), reports=kept)
        stamps = InputStamps()
    walk_skipped: Skipped = []
    report_items = walked(
        ("report", tuple(options.paths), *_walk_key(options)),
        lambda skipped: list_sources(
            options.paths,
            options.excludes,
            options.cwd,
            options.max_file_size,
            options.stdin_text,
            skipped=skipped,
            gitignore=options.gitignore,
            stamps=stamps,
        ),
        walk_skipped,
    )
    tasks: list[tuple[Pending | Source | Unreadable, bool]] = [
        (item, True) for item in report_items
    ]
    rendered = _render_charts(_charts(walk_skipped, options.cwd), options.helm)
    tasks.extend((source, True) for source in rendered.sources)
    if options.context:
        named = frozenset(item.real for item in report_items if isinstance(item, Pending))
        context_items = walked(
            ("context", tuple(options.context), named, *_walk_key(options)),
            lambda _: list_sources(
                options.context,
                options.excludes,
                options.cwd,
                options.max_file_size,
                None,
                named,
                gitignore=options.gitignore,
                stamps=stamps,
            ),
            [],
        )
        tasks.extend((item, False) for item in context_items if isinstance(item, Pending))
    if options.replaced or options.restored:
        tasks = _overlaid(tasks, options)
    kustomizations = read_kustomizations(
        path for entry, _ in tasks if (path := _real_path(entry)) is not None
    )
    tasks += _kustomize_context(tasks, kustomizations, options)
    scope_map = assign_scopes(
        [path for entry, _ in tasks if (path := _real_path(entry)) is not None],
        kustomizations,
        options.scopes,
        str(options.cwd),
    )

    renders, streams, build_failures = _render_kustomize(tasks, kustomizations, scope_map, options)
    tasks.extend((Source(stream, text), True) for stream, text in renders.texts.items())

    whole: WholeRun | None = None
    if cache is not None and _whole_run_cached(options, tasks, scope_map, streams, build_failures):
        from netlint.run.whole_run import WholeRun

        identity = repr((list(options.paths), list(options.context), str(options.cwd)))
        whole = WholeRun.start(cache, tasks, options.max_file_size, identity)
        if kept is not None and stamps is not None:
            kept.record(
                stamps,
                options.gitignore,
                whole.tasks,
                whole.files,
                walk_skipped,
                bool(rendered.charts),
            )
    replay = whole.replay() if whole is not None else None
    if whole is not None and replay is not None:
        results, cache_hits = replay
    elif whole is None:
        results, cache_hits = _per_file(stage, tasks, options, cache)
    else:
        results, cache_hits = _per_file(stage, whole.tasks, options, cache, whole.files)
    if options.memory is not None:
        options.memory.end()
    rendered_scopes = frozenset(streams.values())
    file_scopes: list[tuple[Scope, ...]] = []
    # What the report says of each report-set file's objects (suppression annotations, the
    # object count): a built file's own objects, not its builds' (`_as_rendered`).
    shown_objects: dict[int, list[Manifest]] = {}
    for (entry, _), result in zip(tasks, results, strict=True):
        real = _real_path(entry)
        stream_scope = streams.get(entry.path) if real is None else None
        if stream_scope is not None:
            file_scopes.append((stream_scope,))
            shown_objects[id(result)] = []
            continue
        scopes = scope_map.of(real)
        unrendered = tuple(scope for scope in scopes if scope not in rendered_scopes)
        if real in scope_map.patch_files:
            _as_patch(result)
        elif not unrendered:  # every root that uses it was built: its objects are the builds'
            shown_objects[id(result)] = result.manifests
            _as_rendered(result)
        file_scopes.append(unrendered or scopes)

    texts = SourceTexts(options.max_file_size)
    data = RunData(sources=texts, rendered=rendered.streams, kustomized=renders.streams)
    findings: list[Finding] = []
    for failure in build_failures:
        maker.accept(failure, findings)
    report_results = [result for result in results if result.in_report_set]
    manifests: list[Manifest] = []
    templates: dict[Manifest, list[PodTemplate]] = {}
    # A run with the whole-run cache read every file already: its texts are kept as linted.
    for (entry, _), result in zip(
        whole.tasks if whole is not None else tasks, results, strict=True
    ):
        manifests.extend(result.manifests)
        for template in result.templates:
            templates.setdefault(template.owner, []).append(template)
        if result.checksum is not None:  # linted and in the report set
            if isinstance(entry, Source):  # stdin: nothing to read again
                texts.add_text(result.path, entry.text)
            elif result.text is not None:  # may hold suppressions: kept as linted
                texts.add_text(result.path, result.text)
            elif result.real_path is not None:
                texts.add_file(result.path, result.real_path, result.checksum)
    objects = 0
    for result in report_results:
        findings.extend(result.findings)
        if result.real_path is not None:
            data.real_paths[result.path] = result.real_path
        if result.has_directives:
            data.directive_paths.add(result.path)
        shown = shown_objects.get(id(result), result.manifests)
        data.manifests.extend(shown)
        objects += len(shown)

    # One fixed order, whatever was named on the command line and whatever was context: rules
    # that must pick one of two conflicting copies then pick the same one however pre-commit
    # splits its file list.
    manifests.sort(key=lambda m: (m.source_path, m.document.index, m.base))
    by_id = {rule.meta.id: rule for rule in checkers}
    inventories: list[Inventory] = []
    scoped = list(zip(results, file_scopes, strict=True))
    checks_reused = checks_run = 0
    if whole is not None and replay is not None:
        findings = whole.findings()
        objects = whole.objects()
    elif whole is not None:
        # In this process only, as below; the checks whose inventory facts did not change
        # since the last run of this input are taken from it (`run.cross_file`).
        inventory = Inventory(manifests, options.settings.workloads, templates)
        found, checks_reused, checks_run = whole.cross_file(
            results,
            by_id,
            inventory,
            options.settings,
            schemas,
            maker,
            _cores(options.jobs),
            frozenset(i for i, pack in rule_set.origin.items() if pack == BUILTIN_PACK),
        )
        findings.extend(found)
        findings.sort(key=Finding.sort_key)
        whole.save(results, findings)
    elif all(scopes == (SHARED,) for _, scopes in scoped):
        # In this process only: a worker forked now would share a heap of the whole run's
        # objects, and reference counting alone copies its pages. Measured at 10k objects
        # (all rules, SARIF, 2 cores): 24 MiB less at the peak of the run (91 -> 67 MiB above
        # an idle netlint), and these checks took 0.32-0.33 s here against 0.46-0.59 s on two
        # processes of a shared machine (0.32-0.42 s on an idle one).
        inventory = Inventory(manifests, options.settings.workloads, templates)
        templates.clear()  # the inventory has them now: not held through its checks' peak
        ctx = RuleContext(inventory, options.settings, schemas)
        findings.extend(_deferred(report_results, by_id, ctx, maker))
        if options.keep_inventories:
            inventories.append(inventory)
        del inventory, ctx  # with the rules' indexes (`Inventory.memo`): see below
    else:
        findings.extend(_run_scoped(scoped, templates, options, schemas, by_id, maker, inventories))
    # Done with: the filters and the reporters then reuse their memory instead of adding to the
    # peak of the run (at 10k objects the inventory and its indexes were 5.5 MiB).
    del manifests, templates, scoped

    # Sorted for the filters too, which then meet one file at a time; sorted again after them,
    # since a filter may change a message.
    findings.sort(key=Finding.sort_key)
    for apply_filter in options.filters:
        findings = apply_filter(findings, data)
    findings.sort(key=Finding.sort_key)
    return Report(
        findings=findings,
        rules=[rule.meta for rule in enabled_rules],
        data=data,
        files=len(report_results),
        skipped_files=sum(1 for result in report_results if result.skipped),
        objects=objects,
        context_files=sum(1 for r in results if not r.in_report_set and r.readable),
        elapsed=time.perf_counter() - started,
        cache_hits=cache_hits,
        replayed=replay is not None,
        checks_reused=checks_reused,
        checks_run=checks_run,
        file_roles=_file_roles(results, walk_skipped),
        helm_charts=rendered.charts,
        kustomize_roots=renders.roots,
        inventories=inventories,
        reports=kept,
    )


def _keepable(options: RunOptions) -> bool:
    """Whether this run's reports may be kept whole (`run.kept_run`): plain files named on the
    command line, nothing given in place of a file, no inventory kept."""
    return not (
        options.memory is not None
        or options.keep_inventories
        or options.replaced
        or options.restored
        or options.stdin_text is not None
        or STDIN_PATH in options.paths
        or STDIN_PATH in options.context
    )


def _kept_identity(options: RunOptions) -> str:
    """What a kept run's input is besides what its stamps cover: what was named, from where,
    the size limit, and where git's configuration is looked for."""
    return repr(
        (
            list(options.paths),
            list(options.context),
            str(options.cwd),
            options.max_file_size,
            None if options.gitignore is None else options.gitignore.settings_key(),
        )
    )


def _walk_key(options: RunOptions) -> tuple[object, ...]:
    """What a walk depends on besides its paths (`shared_inputs.walked`): the same objects."""
    return (
        id(options.excludes),
        id(options.gitignore),
        str(options.cwd),
        options.max_file_size,
        options.stdin_text,
    )


def _whole_run_cached(
    options: RunOptions,
    tasks: Sequence[tuple[Pending | Source | Unreadable, bool]],
    scope_map: ScopeMap,
    streams: Mapping[str, Scope],
    build_failures: Sequence[Finding],
) -> bool:
    """Whether the whole-run cache serves this run (`run.whole_run`): one inventory for all,
    every file linted as it is (no kustomize build, patch or scope, no Helm output), and no
    inventory to keep (`netlint graph`)."""
    if options.keep_inventories or streams or build_failures or scope_map.patch_files:
        return False
    if options.memory is not None:
        return False  # the language server keeps per-file results itself: a replay would skip them
    for entry, _ in tasks:
        real = _real_path(entry)
        if real is None and entry.path != STDIN_PATH:
            return False  # a chart's `helm template` output
        if scope_map.of(real) != (SHARED,):
            return False
    return True


def _deferred(
    results: Sequence[FileResult],
    by_id: Mapping[str, Rule],
    ctx: RuleContext,
    maker: FindingMaker,
) -> list[Finding]:
    """The deferred checks of `results` against the run's inventory, in order."""
    return [
        f for result in results if result.deferred for f in run_deferred(result, by_id, ctx, maker)
    ]


def _real_path(entry: Pending | Source | Unreadable) -> str | None:
    if isinstance(entry, Pending):
        return entry.real
    return entry.real_path if isinstance(entry, Source) else None


def _kustomize_context(
    tasks: Sequence[tuple[Pending | Source | Unreadable, bool]],
    kustomizations: dict[str, Kustomization],
    options: RunOptions,
) -> list[tuple[Pending | Source | Unreadable, bool]]:
    """The files that the input's kustomizations use and the input does not hold (a base
    beside the overlay named on the command line), as context: kustomize would build them in.
    Followed until no kustomization names more, as far as the excludes allow; the
    kustomizations met on the way are added to `kustomizations`."""
    listed = {path for entry, _ in tasks if (path := _real_path(entry)) is not None}
    added: list[tuple[Pending | Source | Unreadable, bool]] = []
    newest = dict(kustomizations)
    for _ in range(32):  # bases of bases; a bound, not a depth any real tree reaches
        named = {path for k in newest.values() for path in (*k.resources, *k.patches)}
        missing = sorted(path for path in named if path not in listed)
        missing = [path for path in missing if os.path.exists(path)]
        if not missing:
            break
        found = [
            item
            for item in list_sources(
                missing,
                options.excludes,
                options.cwd,
                options.max_file_size,
                None,
                frozenset(listed),
            )
            if isinstance(item, Pending)
        ]
        added += [(item, False) for item in found]
        listed.update(item.real for item in found)
        newest = read_kustomizations(item.real for item in found)
        kustomizations.update(newest)
    return added


def _render_charts(charts: Sequence[tuple[str, str]], options: HelmOptions) -> Rendered:
    """The charts rendered (`run.helm_render`), whose renderer is imported by the runs that meet
    a chart (issue 31)."""
    if not charts:
        return Rendered([], [], {})
    from netlint.run.helm_render import render_charts

    return render_charts(charts, options)


def _render_kustomize(
    tasks: Sequence[tuple[Pending | Source | Unreadable, bool]],
    kustomizations: Mapping[str, Kustomization],
    scope_map: ScopeMap,
    options: RunOptions,
) -> tuple[Renders, dict[str, Scope], list[Finding]]:
    """Build each kustomize root that holds a file of the report set (`run.kustomize_render`):
    the builds, the scope of each build's stream (by its display path), and a
    `kustomize-build` finding for each root kustomize refused, at its kustomization."""
    report_set = {path for entry, in_report in tasks if in_report and (path := _real_path(entry))}
    shown = {path: entry.path for entry, _ in tasks if (path := _real_path(entry)) is not None}
    file_of = {id(kustomization): path for path, kustomization in kustomizations.items()}
    members: dict[Scope, set[str]] = {}
    for path, scopes in scope_map.scopes.items():
        for scope in scopes:
            members.setdefault(scope, set()).add(path)
    wanted: list[tuple[str, str, str | None]] = []
    scope_of: dict[str, Scope] = {}
    for scope, root in scope_map.root_kustomizations.items():
        kustomization_file = file_of[id(root)]
        if kustomization_file not in report_set and not members.get(scope, set()) & report_set:
            continue  # nothing of it would be reported
        if root.component:
            continue  # never built alone: its files are plain files of no root
        refused = None
        remote = [entry for k in build_chain(root, kustomizations) for entry in k.remote]
        if remote:
            refused = f"remote base {remote[0]!r} is not fetched"
        wanted.append((root.folder, scope.label, refused))
        scope_of[root.folder] = scope
    renders = Renders({}, {}, [], {})
    if wanted:  # the renderer, imported by the runs that meet a kustomize root (issue 31)
        from netlint.run.kustomize_render import render_roots

        renders = render_roots(wanted, options.kustomize)
    streams = {stream: scope_of[built.root] for stream, built in renders.streams.items()}
    failures: list[Finding] = []
    for folder, message in renders.failures.items():
        root = scope_map.root_kustomizations[scope_of[folder]]
        kustomization_file = file_of[id(root)]
        if kustomization_file in report_set:
            failures.append(
                Finding(
                    "kustomize-build",
                    Severity.ERROR,
                    f"kustomize cannot build {scope_of[folder].label}: {message}",
                    Location(shown[kustomization_file], 1, 1, 1, 2),
                    hint="its files are linted as plain files; fix the kustomization, then "
                    "check it with `kubectl kustomize " + scope_of[folder].label + "`",
                )
            )
    return renders, streams, failures


def _as_rendered(result: FileResult) -> None:
    """A file whose objects are linted in the builds of the kustomize roots that use it: no
    object of its own, and only the findings that say it cannot be read as YAML."""
    _as_patch(result)
    result.skipped = False
    result.skipped_reason = KUSTOMIZE_RENDERED


def _as_patch(result: FileResult) -> None:
    """A kustomize patch file holds parts of objects: no object, and only the findings that say
    the file cannot be read as YAML."""
    result.manifests = []
    result.templates = []
    result.deferred = []
    result.findings = [f for f in result.findings if f.rule_id in _PATCH_FINDINGS]
    result.skipped = True
    result.skipped_reason = KUSTOMIZE_PATCH


def _run_scoped(
    scoped: Sequence[tuple[FileResult, tuple[Scope, ...]]],
    templates: Mapping[Manifest, list[PodTemplate]],
    options: RunOptions,
    schemas: SchemaChecker,
    by_id: Mapping[str, Rule],
    maker: FindingMaker,
    inventories: list[Inventory],
) -> list[Finding]:
    """The deferred checks, each with the inventory of each scope its file belongs to. A file
    of several scopes (a kustomize base of two overlays) is judged in each; a finding that
    several scopes give is reported once. With `keep_inventories`, the inventory of each scope
    that holds report-set files is added to `inventories`."""
    members: dict[Scope, list[FileResult]] = {}
    for result, scopes in scoped:
        for scope in scopes:
            members.setdefault(scope, []).append(result)
    found: dict[tuple[object, ...], Finding] = {}
    for results in members.values():
        wanted = (
            any(result.in_report_set for result in results)
            if options.keep_inventories
            else any(result.in_report_set and result.deferred for result in results)
        )
        if not wanted:
            continue
        manifests = [m for result in results for m in result.manifests]
        manifests.sort(key=lambda m: (m.source_path, m.document.index, m.base))
        inventory = Inventory(manifests, options.settings.workloads, templates)
        if options.keep_inventories:
            inventories.append(inventory)
        ctx = RuleContext(inventory, options.settings, schemas)
        for result in results:
            if result.in_report_set and result.deferred:
                for finding in run_deferred(result, by_id, ctx, maker):
                    found.setdefault((finding.rule_id, finding.location, finding.message), finding)
    return list(found.values())


def _charts(walk_skipped: Skipped, cwd: Path) -> list[tuple[str, str]]:
    """The charts whose `templates/` the walk left out: (real folder, display path), once each."""
    charts: dict[str, str] = {}
    for shown, reason in walk_skipped:
        if reason == SKIP_HELM_TEMPLATES:
            chart_shown = shown.removesuffix("/").removesuffix("templates").removesuffix("/")
            chart_shown = chart_shown or "."
            real = os.path.realpath(cwd / chart_shown)
            charts.setdefault(real, chart_shown)
    return sorted(((real, shown) for real, shown in charts.items()), key=lambda c: c[1])


def _file_roles(results: Sequence[FileResult], walk_skipped: Skipped) -> list[tuple[str, str]]:
    """Every file and folder of the run with its role, by path (`--show-files`)."""
    roles = dict.fromkeys(walk_skipped)  # a folder named twice is walked twice
    listed = [(path, f"skipped: {reason}") for path, reason in roles]
    for result in results:
        if not result.in_report_set:
            role = "context"
        elif not result.readable:
            role = "linted (unreadable: reported)"
        elif result.skipped_reason == KUSTOMIZE_RENDERED:
            role = KUSTOMIZE_RENDERED
        elif result.skipped_reason:
            role = f"skipped: {result.skipped_reason}"
        else:
            role = f"skipped: {NOT_KUBERNETES}" if result.skipped else "linted"
        listed.append((result.path, role))
    return sorted(listed)
