"""The pipeline of DESIGN §3: sources -> documents -> manifests -> inventory -> rules -> findings
-> filters. Reporters take the resulting `Report`; nothing here prints.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from netlint.api import Diagnostic, Rule, RuleContext, RuleMeta, SchemaChecker, Settings
from netlint.document import Span
from netlint.findings import Finding, Location, ObjectRef, Severity
from netlint.inventory import BUILTIN_WORKLOADS, Inventory, WorkloadKind
from netlint.loader import Limits, load_yaml
from netlint.manifest import Manifest, objects_of
from netlint.registry import RuleSet
from netlint.selection import Selection
from netlint.sources import DEFAULT_MAX_FILE_SIZE, PathMatcher, Source, Unreadable, read_sources

# A filter marks findings as suppressed (returns them with `suppression` set) or drops them.
FindingFilter = Callable[[list[Finding], "RunData"], list[Finding]]


@dataclass(frozen=True, slots=True)
class RunOptions:
    paths: Sequence[str]
    context: Sequence[str] = ()
    settings: Settings = field(default_factory=Settings)
    excludes: PathMatcher = field(default_factory=lambda: PathMatcher((), Path.cwd()))
    selection: Selection = field(default_factory=Selection)
    severity_overrides: Mapping[str, Severity] = field(default_factory=lambda: {})
    workloads: Sequence[WorkloadKind] = BUILTIN_WORKLOADS
    limits: Limits = field(default_factory=Limits)
    max_file_size: int = DEFAULT_MAX_FILE_SIZE
    stdin_text: str | None = None  # stdin's text when already read (tests, pipelines)
    filters: Sequence[FindingFilter] = ()
    cwd: Path = field(default_factory=Path.cwd)


@dataclass(slots=True)
class RunData:
    """What the filters and reporters may need besides the findings."""

    sources: dict[str, str] = field(default_factory=lambda: {})  # report-set path -> text
    real_paths: dict[str, str] = field(default_factory=lambda: {})  # display path -> absolute path
    manifests: list[Manifest] = field(default_factory=lambda: list[Manifest]())  # report set


@dataclass(slots=True)
class Report:
    findings: list[Finding]  # sorted; suppressed ones carry `suppression`
    rules: list[RuleMeta]  # every enabled rule, in catalogue order
    data: RunData
    files: int = 0  # report-set files read
    skipped_files: int = 0  # not Kubernetes input (no `kind` anywhere)
    objects: int = 0  # report-set objects
    context_files: int = 0
    elapsed: float = 0.0

    @property
    def active(self) -> list[Finding]:
        return [f for f in self.findings if f.suppression is None]

    @property
    def suppressed(self) -> list[Finding]:
        return [f for f in self.findings if f.suppression is not None]


def location(path: str, span: Span) -> Location:
    line, column, end_line, end_column = span
    if (end_line, end_column) <= (line, column):
        end_line, end_column = line, column + 1
    return Location(path, line + 1, column + 1, end_line + 1, end_column + 1)


def _file_finding(rule_id: str, path: str, message: str) -> Finding:
    return Finding(rule_id, Severity.ERROR, message, Location(path, 1, 1, 1, 2))


class _Run:
    def __init__(self, options: RunOptions, rule_set: RuleSet, schemas: SchemaChecker) -> None:
        self.options = options
        self.schemas = schemas
        metas = {rule.meta.id: rule.meta for rule in rule_set.rules}
        self.enabled = {
            rule_id for rule_id, meta in metas.items() if options.selection.enabled(meta)
        }
        self.rules = [rule for rule in rule_set.rules if rule.meta.id in self.enabled]
        self.findings: list[Finding] = []
        self.data = RunData()
        self.report_manifests: list[Manifest] = []
        self.context_manifests: list[Manifest] = []
        self.files = 0
        self.skipped = 0
        self.context_files = 0

    def emit(self, finding: Finding) -> None:
        if finding.rule_id in self.enabled:
            override = self.options.severity_overrides.get(finding.rule_id)
            if override is not None and override != finding.severity:
                finding = Finding(
                    finding.rule_id,
                    override,
                    finding.message,
                    finding.location,
                    finding.obj,
                    finding.obj_path,
                    finding.hint,
                )
            self.findings.append(finding)

    def read(self, items: Iterable[Source | Unreadable], in_report_set: bool) -> None:
        for item in items:
            if isinstance(item, Unreadable):
                if in_report_set:
                    self.files += 1
                    self.emit(_file_finding(item.rule_id, item.path, f"{item.path}: {item.reason}"))
                continue
            self.load(item, in_report_set)

    def load(self, source: Source, in_report_set: bool) -> None:
        loaded = load_yaml(source.text, source.path, self.options.limits)
        objects = objects_of(loaded.documents, self.options.settings.default_namespace)
        if in_report_set:
            self.files += 1
            self.data.sources[source.path] = source.text
            if source.real_path is not None:
                self.data.real_paths[source.path] = source.real_path
        else:
            self.context_files += 1
        for manifest in objects.manifests:
            manifest.in_report_set = in_report_set
        (self.report_manifests if in_report_set else self.context_manifests).extend(
            objects.manifests
        )
        if not in_report_set:
            return
        # A file with no `kind` anywhere is not Kubernetes input (CI workflows, Helm values...),
        # unless nothing of it could be read: then nobody can tell, and the problem is reported.
        hit_limit = any(p.rule_id == "input-limit" for p in loaded.problems)
        unparsable = not loaded.documents and any(
            p.rule_id == "yaml-syntax" for p in loaded.problems
        )
        if not objects.is_kubernetes and not hit_limit and not unparsable:
            self.skipped += 1
            return
        for problem in loaded.problems:
            self.emit(
                Finding(
                    problem.rule_id,
                    Severity.ERROR,
                    problem.message,
                    location(source.path, problem.span),
                )
            )
        for shape in objects.problems:
            self.emit(
                Finding(
                    "manifest-shape",
                    Severity.ERROR,
                    shape.message,
                    location(source.path, shape.document.span_of(shape.path)),
                    obj_path=shape.path,
                )
            )

    def check(self, inventory: Inventory) -> None:
        ctx = RuleContext(inventory, self.options.settings, self.schemas)
        checkers = [rule for rule in self.rules if rule.kinds != frozenset()]
        for manifest in self.report_manifests:
            for rule in checkers:
                if not rule.applies_to(manifest):
                    continue
                try:
                    for diagnostic in rule.check(manifest, ctx):
                        self.emit(self.to_finding(rule, manifest, diagnostic))
                except Exception as error:
                    self.emit(
                        Finding(
                            "internal-error",
                            Severity.ERROR,
                            f"rule {rule.meta.id} failed on {manifest.ref}: "
                            f"{type(error).__name__}: {error}; please report this with the "
                            "object that triggered it",
                            location(manifest.source_path, manifest.span_of(())),
                            manifest.ref,
                        )
                    )

    @staticmethod
    def to_finding(rule: Rule, manifest: Manifest, diagnostic: Diagnostic) -> Finding:
        target = diagnostic.manifest or manifest
        span = target.span_of(diagnostic.path, on_key=diagnostic.on_key)
        return Finding(
            rule.meta.id,
            diagnostic.severity or rule.meta.severity,
            diagnostic.message,
            location(target.source_path, span),
            ObjectRef(target.kind, target.namespace, target.name),
            diagnostic.path,
            diagnostic.hint,
        )


def run(options: RunOptions, rule_set: RuleSet, schemas: SchemaChecker) -> Report:
    """Lint `options.paths` (with `options.context` as extra inventory) and return the report."""
    started = time.perf_counter()
    state = _Run(options, rule_set, schemas)
    report_items = list(
        read_sources(
            options.paths, options.excludes, options.cwd, options.max_file_size, options.stdin_text
        )
    )
    state.read(report_items, True)
    if options.context:
        named = frozenset(
            item.real_path for item in report_items if isinstance(item, Source) and item.real_path
        )
        state.read(
            read_sources(
                options.context, options.excludes, options.cwd, options.max_file_size, None, named
            ),
            False,
        )
    inventory = Inventory([*state.report_manifests, *state.context_manifests], options.workloads)
    state.check(inventory)
    state.data.manifests = state.report_manifests
    findings = state.findings
    for apply_filter in options.filters:
        findings = apply_filter(findings, state.data)
    findings.sort(key=Finding.sort_key)
    return Report(
        findings=findings,
        rules=[rule.meta for rule in state.rules],
        data=state.data,
        files=state.files,
        skipped_files=state.skipped,
        objects=len(state.report_manifests),
        context_files=state.context_files,
        elapsed=time.perf_counter() - started,
    )
