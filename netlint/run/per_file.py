"""The per-file stage of a run: everything that needs one file only.

Parsing, locating, the loader's and the shape findings, and every rule check that finishes
without asking the inventory. A check that asks the inventory is *deferred*: its partial output
is dropped and the engine runs it again once the inventory of the whole run exists. Rules need not
declare which kind they are; the guard finds out. A rule that only reports what the inventory
lacks (`Rule.settles_locally`) is asked with the file's own objects first (`FileInventory`): a
Service whose pods are in its own file is done here, on every core and into the cache, since no
other file can make it report anything. This is what runs in worker processes and what the cache
stores (DESIGN §9: per-file work, never conclusions that depend on other files).
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import field, replace
from typing import NoReturn, cast

from netlint.api import Diagnostic, LazyRule, Rule, RuleContext, SchemaChecker, Settings
from netlint.findings import Finding, Location, ObjectRef, Severity
from netlint.input.document import Document, Span, unload_all
from netlint.input.helm import RULE_ID as HELM_TEMPLATE
from netlint.input.helm import (
    TEMPLATES_DIR,
    chart_of_template,
    first_action,
    template_hint,
    template_message,
)
from netlint.input.limits import Limits, LoadResult
from netlint.input.loader import load_yaml
from netlint.input.parts import DOCUMENTS, Part, assemble, pack_part, parse_part, plan_parts
from netlint.input.reading import Source, Unreadable
from netlint.model.inventory import (
    Inventory,
    ObjectIndex,
    PodTemplate,
    TemplateIndex,
    pod_templates,
)
from netlint.model.manifest import FileObjects, Manifest, objects_of
from netlint.pickling import tuple_pickled
from netlint.records import record
from netlint.run.results import ANNOTATION_WORD, DIRECTIVE_WORD
from netlint.run.shards import run_sharded


def location(path: str, span: Span) -> Location:
    line, column, end_line, end_column = span
    if (end_line, end_column) <= (line, column):
        end_line, end_column = line, column + 1
    return Location(path, line + 1, column + 1, end_line + 1, end_column + 1)


# See `FileStage._check`.
DEFER_AFTER = 16
# Objects of one file from which its checks are shared between processes (`FileStage._check`):
# below, forking costs about what it saves.
SPLIT_MIN_OBJECTS = 1000
# Characters of one file from which it is parsed in parts on all cores (`FileStage._load`).
PARSE_SPLIT_MIN_CHARS = 1 << 18
_UNTRIED = (0, 0)  # (objects tried, of which asked the inventory) of a rule not met yet


class InventoryNeeded(Exception):
    """Raised by the per-file stage's stand-in inventory: the check needs the whole run."""


class _NoInventory:
    """Stands in for the inventory while only one file is known; any use defers the check."""

    def __getattr__(self, name: str) -> NoReturn:
        raise InventoryNeeded(name)


class FileInventory(_NoInventory):
    """The objects of one file, as an inventory for the rules that may settle there
    (`Rule.settles_locally`). It answers only with what the file holds: `get`, `all_named`,
    `copies` and `matching_templates` return the file's objects and raise `InventoryNeeded` where the file
    has none (the run may have them), and any other question raises. Since such a rule never
    reports more with more objects, a check that reports nothing with these answers reports
    nothing with the run's; one that reports something is deferred, for the run to decide.
    Each index is built on its first question."""

    def __init__(self, result: FileResult) -> None:
        self._result = result
        self._objects: ObjectIndex | None = None
        self._pods: TemplateIndex | None = None
        self.answered = False  # since the caller last reset it

    def _index(self) -> ObjectIndex:
        if self._objects is None:
            self._objects = ObjectIndex(self._result.manifests)
        return self._objects

    def all_named(self, kind: str, namespace: str | None, name: str) -> list[Manifest]:
        return self._answer("all_named", self._index().compatible_copies(kind, namespace, name))

    def copies(self, kind: str, namespace: str | None, name: str) -> list[Manifest]:
        return self._answer("copies", self._index().exact(kind, namespace, name))

    def _answer(self, question: str, found: list[Manifest]) -> list[Manifest]:
        if not found:
            raise InventoryNeeded(question)
        self.answered = True
        return found

    def get(self, kind: str, namespace: str | None, name: str) -> Manifest:
        return self.all_named(kind, namespace, name)[0]  # the first copy, as `Inventory.get`

    def matching_templates(
        self, selector: Mapping[str, str], namespace: str | None
    ) -> list[PodTemplate]:
        if self._pods is None:
            self._pods = TemplateIndex(self._result.templates)
        found = self._pods.matching(selector, namespace)
        if not found:
            raise InventoryNeeded("matching_templates")
        self.answered = True
        return found


@record(frozen=True, slots=True)
class FindingMaker:
    """Turns diagnostics into located findings, applying selection and severity overrides."""

    enabled: frozenset[str]
    overrides: Mapping[str, Severity]

    def accept(self, finding: Finding, into: list[Finding]) -> None:
        if finding.rule_id not in self.enabled:
            return
        override = self.overrides.get(finding.rule_id)
        if override is not None and override != finding.severity:
            finding = replace(finding, severity=override)
        into.append(finding)

    @staticmethod
    def from_diagnostic(rule: Rule, manifest: Manifest, diagnostic: Diagnostic) -> Finding:
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
            fix=diagnostic.fix,
        )

    @staticmethod
    def internal_error(rule: Rule, manifest: Manifest, error: Exception) -> Finding:
        return Finding(
            "internal-error",
            Severity.ERROR,
            f"rule {rule.meta.id} failed on {manifest.ref} in {manifest.source_path}: "
            f"{type(error).__name__}: {error}; this is a bug in netlint or in the rule's pack, "
            "please report it with the object that triggered it",
            location(manifest.source_path, manifest.span_of(())),
            manifest.ref,
        )


def run_check(
    rule: Rule,
    manifest: Manifest,
    ctx: RuleContext,
    maker: FindingMaker,
    into: list[Finding],
    *,
    applies: bool = False,
) -> None:
    """One rule on one object; a rule's exception becomes an `internal-error` finding.
    `applies`: the caller knows that `rule.applies_to(manifest)` holds (`FileStage.plans`)."""
    try:
        if not applies and not rule.applies_to(manifest):
            return
        diagnostics = list(rule.check(manifest, ctx))
        if not diagnostics:  # nearly every check: nothing more to build
            return
        produced = [maker.from_diagnostic(rule, manifest, d) for d in diagnostics]
    except InventoryNeeded:
        raise
    except Exception as error:  # one rule's bug must not stop the run
        maker.accept(maker.internal_error(rule, manifest, error), into)
        return
    for finding in produced:
        maker.accept(finding, into)


@tuple_pickled
@record(slots=True)
class FileResult:
    """What the per-file stage learned about one source."""

    path: str
    in_report_set: bool
    real_path: str | None = None
    manifests: list[Manifest] = field(default_factory=lambda: list[Manifest]())
    findings: list[Finding] = field(default_factory=lambda: list[Finding]())
    # The pod templates of the workloads among `manifests`, for the inventory (`pod_templates`).
    templates: list[PodTemplate] = field(default_factory=lambda: list[PodTemplate]())
    # (index into manifests, rule ids): checks to run again with the whole run's inventory.
    deferred: list[tuple[int, tuple[str, ...]]] = field(
        default_factory=lambda: list[tuple[int, tuple[str, ...]]]()
    )
    skipped: bool = False  # not Kubernetes input, or no object of its own (`skipped_reason`)
    skipped_reason: str | None = None  # why, when not for NOT_KUBERNETES
    readable: bool = True
    # The CRC-32 of a linted report-set file as read (`Source.checksum`), for reporters and
    # comment suppressions to read its text again (`SourceTexts`). None for a skipped file,
    # which has no findings to show.
    checksum: int | None = None
    # Whether its text holds a suppression's word (`DIRECTIVE_WORD`, `ANNOTATION_WORD`), so the
    # suppression checks read again only the files that may hold one.
    has_directives: bool = False
    # The text of such a file, kept (not cached: the cache's caller sets it from its read), so
    # that suppressions are looked for in what was linted even if the file is edited during the
    # run. Files without that word are read again only to show a snippet.
    text: str | None = None

    def pack(self) -> None:
        """Let go of the objects' data until a cross-file check reads it (`Document.pack`)."""
        for manifest in self.manifests:
            manifest.document.pack()
            manifest.unload()


@record(frozen=True, slots=True)
class FileStage:
    """Everything the per-file stage needs; inherited by forked workers."""

    rules: Sequence[Rule]  # enabled rules that check manifests
    settings: Settings
    schemas: SchemaChecker
    maker: FindingMaker
    limits: Limits
    # Rules by the kind name they declare (`Rule.kinds`, group qualifier dropped), so that each
    # object meets only its candidates; `applies_to` still decides. Built by `dispatch`.
    by_kind: Mapping[str, Sequence[Rule]] = field(init=False)
    any_kind: Sequence[Rule] = field(init=False)
    # (rule id, kind) -> (objects of that kind the rule was tried on, of which it asked the
    # inventory), up to DEFER_AFTER tried. See `_check`.
    deferrals: dict[tuple[str, str], tuple[int, int]] = field(init=False)
    # Kind -> its candidate rules, each with whether it is deferred without trying and whether
    # it is known to apply to the kind, once every one of them is decided: the rest of the
    # kind's objects skip the counting (see `_plan_entry`).
    plans: dict[str, tuple[tuple[Rule, bool, bool], ...]] = field(init=False)
    workload_kinds: frozenset[str] = field(init=False)  # of `settings.workloads`
    rule_lists: dict[tuple[str, ...], tuple[str, ...]] = field(init=False)  # see `_check`

    def __post_init__(self) -> None:
        by_kind, any_kind = self.dispatch(self.rules)
        object.__setattr__(self, "by_kind", by_kind)  # frozen: set once, here
        object.__setattr__(self, "any_kind", any_kind)
        object.__setattr__(self, "deferrals", {})
        object.__setattr__(self, "plans", {})
        object.__setattr__(self, "rule_lists", {})
        object.__setattr__(
            self, "workload_kinds", frozenset(w.kind for w in self.settings.workloads)
        )

    @staticmethod
    def dispatch(rules: Sequence[Rule]) -> tuple[dict[str, list[Rule]], list[Rule]]:
        """Kind name -> the rules that may check it, in catalogue order; and the rules for any kind."""
        any_kind = [rule for rule in rules if rule.kinds is None]
        names_of = [{key.partition(".")[0] for key in rule.kinds or ()} for rule in rules]
        by_kind = {
            name: [
                rule
                for rule, names in zip(rules, names_of, strict=True)
                if rule.kinds is None or name in names
            ]
            for name in set[str]().union(*names_of)
        }
        return by_kind, any_kind

    def candidates(self, manifest: Manifest) -> Sequence[Rule]:
        """The rules that may apply to `manifest`, in catalogue order."""
        return self.by_kind.get(manifest.kind, self.any_kind)

    def process(
        self, item: Source | Unreadable, in_report_set: bool, processes: int = 1
    ) -> FileResult:
        """The file's result; with `processes` above 1 (the caller runs one file at a time) the
        objects of a large file are checked by that many processes."""
        if isinstance(item, Unreadable):
            result = FileResult(item.path, in_report_set, readable=False)
            if in_report_set:
                finding = Finding(
                    item.rule_id,
                    Severity.ERROR,
                    f"{item.path}: {item.reason}",
                    Location(item.path, 1, 1, 1, 2),
                )
                self.maker.accept(finding, result.findings)
            return result
        if item.real_path is not None and TEMPLATES_DIR in item.real_path:
            chart = chart_of_template(item.real_path)
            if chart is not None:  # a Go template: not parsed, never an object of the inventory
                return self._helm_template(item, in_report_set, chart)
        parts = self._plan(item, processes)
        if parts is not None and parts[0].kind == DOCUMENTS:
            in_parts = self._documents_in_parts(item, in_report_set, parts, processes)
            if in_parts is not None:
                return in_parts
            parts = None  # a part that is not clean: the file is parsed and checked whole
        loaded = self._load(item, processes, parts)
        syntax = [p for p in loaded.problems if p.rule_id == "yaml-syntax"]
        if syntax and first_action(item.text, syntax[0].span[0] + 1) is not None:
            return self._helm_template(item, in_report_set, None)
        objects, result = self._objects(item.path, loaded.documents, in_report_set)
        if not in_report_set:
            return result
        result.real_path = item.real_path
        # A file with no `kind` anywhere is not Kubernetes input (CI workflows, Helm values...),
        # unless nothing of it could be read: then nobody can tell, and the problem is reported.
        hit_limit = any(p.rule_id in ("input-limit", "internal-error") for p in loaded.problems)
        unparsable = not loaded.documents and any(
            p.rule_id == "yaml-syntax" for p in loaded.problems
        )
        if not objects.is_kubernetes and not hit_limit and not unparsable:
            result.skipped = True
            return result
        _linted(result, item)
        for problem in loaded.problems:
            finding = Finding(
                problem.rule_id, Severity.ERROR, problem.message, location(item.path, problem.span)
            )
            self.maker.accept(finding, result.findings)
        self._shape_findings(item.path, objects, result.findings)
        self._check(result, processes)
        return result

    def _objects(
        self, path: str, documents: list[Document], in_report_set: bool
    ) -> tuple[FileObjects, FileResult]:
        """The objects of `documents` and a result holding them and their pod templates."""
        objects = objects_of(documents, self.settings.default_namespace)
        result = FileResult(path, in_report_set, manifests=objects.manifests)
        workloads = self.settings.workloads
        workload_kinds = self.workload_kinds
        for manifest in objects.manifests:
            manifest.in_report_set = in_report_set
            if manifest.kind_key in workload_kinds:
                result.templates += pod_templates(manifest, workloads)
        return objects, result

    def _shape_findings(self, path: str, objects: FileObjects, into: list[Finding]) -> None:
        for shape in objects.problems:
            finding = Finding(
                "manifest-shape",
                Severity.ERROR,
                shape.message,
                location(path, shape.document.span_of(shape.path)),
                obj_path=shape.path,
            )
            self.maker.accept(finding, into)

    def _plan(self, item: Source, processes: int) -> list[Part] | None:
        """How a large file is cut, when the caller runs it alone (`netlint.input.parts`)."""
        if processes > 1 and len(item.text) >= PARSE_SPLIT_MIN_CHARS:
            return plan_parts(item.text, self.limits, processes * 8)
        return None

    def _load(self, item: Source, processes: int, parts: list[Part] | None) -> LoadResult:
        """The file's documents, from its `parts` parsed by `processes` processes when it is
        cut; the same documents either way."""
        text, path, limits = item.text, item.path, self.limits
        if parts is not None:
            here = os.getpid()

            def work(index: int) -> bytes | list[Document] | None:
                documents = parse_part(text, parts[index], path, limits)
                # Marshalled only to cross a worker's pipe; a part parsed here stays as it is.
                return documents if os.getpid() == here else pack_part(documents)

            loaded = run_sharded(work, [part.end - part.start for part in parts], processes)
            assembled = assemble(parts, loaded, path)
            if assembled is not None:
                return assembled
        return load_yaml(text, path, limits)

    def _documents_in_parts(
        self, item: Source, in_report_set: bool, parts: list[Part], processes: int
    ) -> FileResult | None:
        """A long multi-document file, each of its `parts` parsed, cut into objects and checked
        by one of `processes` processes, as files are: only the parts' results come back. None
        when a part is not clean, or holds documents but none with a `kind` (the whole file,
        which may have kinds elsewhere, reports those as shapes): the file is then done whole.
        A part's objects settle locally against that part only, which defers what the whole
        file might have settled: the findings are the same (`FileInventory`)."""
        text, path = item.text, item.path

        def work(index: int) -> tuple[int, list[Finding], FileResult] | None:
            documents = parse_part(text, parts[index], path, self.limits)
            if documents is None:
                return None
            objects, partial = self._objects(path, documents, in_report_set)
            if not objects.is_kubernetes and any(d.data is not None for d in documents):
                return None
            shapes: list[Finding] = []
            if in_report_set:
                self._shape_findings(path, objects, shapes)
                self._check(partial, 1)
            return len(documents), shapes, partial

        done = run_sharded(work, [part.end - part.start for part in parts], processes)
        result = FileResult(path, in_report_set)
        shapes: list[Finding] = []
        checked: list[Finding] = []
        documents = 0
        for outcome in done:
            if outcome is None:
                return None
            count, part_shapes, partial = outcome
            numbered: set[int] = set()
            for manifest in partial.manifests:
                if id(manifest.document) not in numbered:  # shared by the items of a List
                    numbered.add(id(manifest.document))
                    manifest.document.index += documents
            offset = len(result.manifests)
            result.deferred += [(index + offset, ids) for index, ids in partial.deferred]
            result.manifests += partial.manifests
            result.templates += partial.templates
            shapes += part_shapes
            checked += partial.findings
            documents += count
        if not result.manifests and not shapes:
            return None  # nothing of Kubernetes: the whole file decides whether it is skipped
        if in_report_set:
            result.real_path = item.real_path
            _linted(result, item)
            result.findings = shapes + checked
        return result

    def _helm_template(self, item: Source, in_report_set: bool, chart: str | None) -> FileResult:
        """One `helm-template` finding for a file that is a Helm template (`netlint.input.helm`),
        at its first action (line 1 without one), in place of what parsing it would report."""
        result = FileResult(item.path, in_report_set)
        if not in_report_set:
            return result
        chart_shown = None
        if chart is not None and item.real_path is not None:
            depth = len(os.path.relpath(item.real_path, chart).split(os.sep))
            chart_shown = "/".join(item.path.split("/")[:-depth]) or "."
        action = first_action(item.text)
        line, column, end = action if action is not None else (1, 0, 1)
        finding = Finding(
            HELM_TEMPLATE,
            Severity.ERROR,
            template_message(chart_shown),
            Location(item.path, line, column + 1, line, end + 1),
            hint=template_hint(chart, chart_shown),
        )
        result.real_path = item.real_path
        _linted(result, item)
        self.maker.accept(finding, result.findings)
        return result

    def _check(self, result: FileResult, processes: int) -> None:
        """Every candidate rule on every object of the file. A rule that asked the inventory on
        at least half of the first `DEFER_AFTER` objects of a kind is deferred on the rest of
        that kind without trying: a check that can finish without the inventory gives the same
        findings with it, so this changes where the work is done, never the output. Trying
        costs a check's work up to its first question to the inventory, on every core, for
        every object that then defers anyway; deferring costs the cheap checks of the objects
        that would have finished, on one core. At 10k objects, a Service rule that deferred on
        88% of Services spent 35 ms getting there. A rule that settles locally counts as asking
        only where its own file could not settle it."""
        ctx = RuleContext(cast("Inventory", _NoInventory()), self.settings, self.schemas)
        local = FileInventory(result)
        local_ctx = RuleContext(cast("Inventory", local), self.settings, self.schemas)
        manifests = result.manifests

        def check_one(index: int) -> tuple[list[Finding], tuple[str, ...]]:
            """The findings of one object, and the rules it deferred."""
            manifest = manifests[index]
            found: list[Finding] = []
            plan = self.plans.get(manifest.kind_key)
            deferred: list[str] = []
            if plan is None:
                deferred = self._counted(manifest, ctx, local_ctx, found)
            else:
                for rule, waits, applies in plan:
                    if waits or not self._finished(rule, manifest, ctx, local_ctx, found, applies):
                        deferred.append(rule.meta.id)
            return found, tuple(deferred)

        count = len(manifests)
        if processes > 1 and count >= SPLIT_MIN_OBJECTS:
            # One large file (a `kind: List` dump, a long multi-document file): its objects are
            # checked on all cores, the results put back in object order.
            checked = run_sharded(check_one, [1] * count, processes)
        else:
            checked = [check_one(index) for index in range(count)]
        findings = result.findings
        for index, (found, rule_ids) in enumerate(checked):
            findings += found
            if rule_ids:
                # Objects of a kind mostly defer the same rules: one tuple for all of them.
                result.deferred.append((index, self.rule_lists.setdefault(rule_ids, rule_ids)))

    def _counted(
        self, manifest: Manifest, ctx: RuleContext, local_ctx: RuleContext, into: list[Finding]
    ) -> list[str]:
        """`_check` of one object while some rule is undecided on its kind: the rules it
        deferred, counted; the kind's plan is made once every rule is decided."""
        deferrals = self.deferrals
        kind = manifest.kind_key
        candidates = self.candidates(manifest)
        deferred: list[str] = []
        for rule in candidates:
            key = (rule.meta.id, kind)
            tried, asked = deferrals.get(key, _UNTRIED)
            decided = tried >= DEFER_AFTER  # counting stops then
            if decided and 2 * asked >= tried:
                deferred.append(rule.meta.id)
                continue
            finished = self._finished(rule, manifest, ctx, local_ctx, into)
            if not finished:
                deferred.append(rule.meta.id)
            if not decided:
                deferrals[key] = (tried + 1, asked if finished else asked + 1)
        counts = [deferrals.get((rule.meta.id, kind), _UNTRIED) for rule in candidates]
        if all(tried >= DEFER_AFTER for tried, _ in counts):
            plan = (
                _plan_entry(rule, kind, 2 * asked >= tried)
                for rule, (tried, asked) in zip(candidates, counts, strict=True)
            )
            self.plans[kind] = tuple(entry for entry in plan if entry is not None)
        return deferred

    def _finished(
        self,
        rule: Rule,
        manifest: Manifest,
        ctx: RuleContext,
        local_ctx: RuleContext,
        into: list[Finding],
        applies: bool = False,  # as `run_check`'s
    ) -> bool:
        """Run `rule` on `manifest` with no inventory (`ctx`), or with the file's own objects
        (`local_ctx`, a `FileInventory`) for a rule that settles locally; False when the check
        must wait for the whole run's inventory. A deferred check accepts nothing."""
        if not rule.settles_locally:
            try:
                run_check(rule, manifest, ctx, self.maker, into, applies=applies)
            except InventoryNeeded:
                return False
            return True
        local = cast("FileInventory", local_ctx.inventory)
        found: list[Finding] = []
        local.answered = False
        try:
            run_check(rule, manifest, local_ctx, self.maker, found, applies=applies)
        except InventoryNeeded:
            return False
        if found and local.answered:
            return False  # found against the file's objects: the run's may hold what it missed
        into += found
        return True


def _plan_entry(rule: Rule, kind: str, waits: bool) -> tuple[Rule, bool, bool] | None:
    """`rule` in the plan of objects whose `kind_key` is `kind`: (the rule to call, whether it
    waits, whether it is known to apply), or None if it cannot apply to that kind. Most rules
    decide `applies_to` by kind alone (`Rule.applies_to`), which is then one answer for the
    whole kind: the per-object call, and for a `LazyRule` its two layers of forwarding, were a
    tenth of the per-file checks' time at 10k objects (158k checks). A rule that decides by
    more than the kind is still asked on every object."""
    if isinstance(rule, LazyRule):
        if rule.kinds is not None and kind not in rule.kinds:
            return None  # as `LazyRule.applies_to`, which never imports it then
        rule = rule.resolved()  # imported by now if the kind's objects used it
    if type(rule).applies_to is Rule.applies_to:
        if rule.kinds is not None and kind not in rule.kinds:
            return None
        return rule, waits, True
    return rule, waits, False


def _linted(result: FileResult, item: Source) -> None:
    """What the report needs of a linted report-set file: its checksum, and whether (and then
    its text as linted) it may hold a suppression."""
    result.checksum = item.checksum
    result.has_directives = DIRECTIVE_WORD in item.text or ANNOTATION_WORD in item.text
    if result.has_directives:
        result.text = item.text


def run_deferred(
    result: FileResult,
    rules: Mapping[str, Rule],
    ctx: RuleContext,
    maker: FindingMaker,
) -> list[Finding]:
    """The checks the per-file stage deferred on `result`, now with the whole run's inventory.
    The data they read, of this file and of others, is dropped again afterwards."""
    found: list[Finding] = []
    for index, rule_ids in result.deferred:
        for rule_id in rule_ids:
            run_check(rules[rule_id], result.manifests[index], ctx, maker, found)
    unload_all()
    return found
