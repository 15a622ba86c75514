"""What a run hands to the filters and reporters: the findings and what they need besides.

Kept apart from the engine so that filters and reporters read a run's result without importing
the machinery that produced it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import field
from typing import NamedTuple, Protocol

from netlint.api import RuleMeta
from netlint.findings import Finding
from netlint.input.source_texts import SourceTexts
from netlint.input.sources import SKIP_GITIGNORED
from netlint.model.inventory import Inventory
from netlint.model.manifest import Manifest
from netlint.records import record

# Every suppression comment contains the first, every suppression annotation the second: a
# file without them has none (a test at C speed).
DIRECTIVE_WORD = "netlint:"
ANNOTATION_WORD = "netlint.io/ignore"
NOT_KUBERNETES = "not Kubernetes input"  # a file without any `kind`: skipped, not reported
KUSTOMIZE_PATCH = "kustomize patch"  # a file a kustomization names as a patch: no whole object
# A file whose objects are linted as the kustomize build of each root that uses it renders them.
KUSTOMIZE_RENDERED = "linted through kustomize build"

# A filter marks findings as suppressed (returns them with `suppression` set) or drops them.
FindingFilter = Callable[[list[Finding], "RunData"], list[Finding]]
UsedSuppressions = set[tuple[str, int, "str | None"]]


class HelmChart(NamedTuple):
    """A Helm chart the walk met (its `templates/` are not walked), for the summary."""

    path: str  # display path of the chart folder
    rendered: bool  # linted through `helm template` (`run.helm_render`)
    reason: str | None  # why not rendered
    command: str  # how to lint it by hand: `helm template NAME CHART | netlint check -`


class KustomizeRoot(NamedTuple):
    """A kustomize root of the input (`run.scopes`), for the summary."""

    path: str  # display path of the root's folder
    rendered: bool  # linted through a kustomize build (`run.kustomize_render`)
    reason: str | None  # why not rendered
    command: str | None = None  # what built it (`kubectl kustomize`), when rendered


class KustomizeOrigin(NamedTuple):
    """Where one document of a kustomize build came from, as its build metadata says (absolute
    paths): the file that holds it, or the kustomization whose generator made it; and the
    kustomizations whose transformers changed it, innermost first."""

    path: str | None
    configured_in: str | None
    generator: str | None  # `ConfigMapGenerator`, ...: the kind of what generated it
    transformed_in: tuple[str, ...]


class KustomizeStream(NamedTuple):
    """A root's build output as linted: the root (real folder, display path) and the origin of
    each of its documents, in order (`filters.kustomize_sources`)."""

    root: str
    shown: str
    origins: tuple[KustomizeOrigin, ...]


@record(slots=True)
class RunData:
    """What the filters and reporters may need besides the findings."""

    # Report-set path -> text.
    sources: Mapping[str, str] = field(default_factory=SourceTexts)
    # The display path of a chart's `helm template` output -> (the chart's real folder, its
    # display path), for mapping findings back to the templates (`filters.helm_sources`).
    rendered: dict[str, tuple[str, str]] = field(default_factory=lambda: {})
    # The display path of a kustomize root's build output -> where its documents came from.
    kustomized: dict[str, KustomizeStream] = field(default_factory=lambda: {})
    real_paths: dict[str, str] = field(default_factory=lambda: {})  # display path -> absolute path
    manifests: list[Manifest] = field(default_factory=lambda: list[Manifest]())  # report set
    # Report-set paths whose text holds DIRECTIVE_WORD or ANNOTATION_WORD (those that may hold
    # suppressions).
    directive_paths: set[str] = field(default_factory=lambda: set[str]())
    # What the suppression filters used, for `unused-suppression`: (path, 1-based line of the
    # comment or annotation, entry or None for a bare `# netlint: ignore`) ...
    used_suppressions: UsedSuppressions = field(default_factory=lambda: UsedSuppressions())
    # ... the (glob, entry) pairs of per-file-ignores that dropped a finding ...
    used_file_ignores: set[tuple[str, str]] = field(default_factory=lambda: set[tuple[str, str]]())
    # ... and the baseline's entries that matched no finding: (fingerprint, unmatched count).
    stale_baseline: list[tuple[str, int]] = field(default_factory=lambda: list[tuple[str, int]]())


class KeptReports(Protocol):
    """The reports of a run kept as written (`run.kept_run.KeptRun`): `texts` (format ->
    report) and `exit_code` when an earlier run of the same input and settings wrote them and
    nothing it read changed; else `keep` them once written."""

    @property
    def texts(self) -> Mapping[str, str] | None: ...

    @property
    def exit_code(self) -> int: ...

    def keep(self, report: Report, texts: Mapping[str, str], exit_code: int) -> None: ...


@record(slots=True)
class Report:
    findings: list[Finding]  # sorted; suppressed ones carry `suppression`
    rules: list[RuleMeta]  # every enabled rule, in catalogue order
    data: RunData
    files: int = 0  # report-set files read
    skipped_files: int = 0  # not Kubernetes input (no `kind` anywhere)
    objects: int = 0  # report-set objects
    context_files: int = 0
    elapsed: float = 0.0
    cache_hits: int = 0
    # The whole-run cache (`run.run_cache`): whether the findings were replayed (nothing read
    # changed), else how many cross-file checks were reused and how many ran.
    replayed: bool = False
    checks_reused: int = 0
    checks_run: int = 0
    # The diff-aware mode (`filters.changed`): what the change is compared with, and how many findings
    # it left out because the base had them too, outside the changed files.
    change_base: str | None = None
    unchanged: int = 0
    # Every file of the run and what it was: "linted", "context", "skipped: <reason>" (folders the
    # walk left out end with "/").
    file_roles: list[tuple[str, str]] = field(default_factory=lambda: list[tuple[str, str]]())
    # `--fix`: how many fixes were applied before this report's run; whether unsafe fixes count
    # as fixable (`--unsafe-fixes`), for the `[*]` marks and the summary.
    fixed: int = 0
    unsafe_fixes: bool = False
    helm_charts: list[HelmChart] = field(default_factory=lambda: list[HelmChart]())
    kustomize_roots: list[KustomizeRoot] = field(default_factory=lambda: list[KustomizeRoot]())
    # With `RunOptions.keep_inventories`: the inventory of each scope of the run.
    inventories: list[Inventory] = field(default_factory=lambda: list[Inventory]())
    # With `RunOptions.outputs_key` and the cache: its reports, kept or to keep. When they were
    # kept (`texts`), the rest of this report is empty: nothing ran.
    reports: KeptReports | None = None

    def skipped_by_reason(self) -> dict[str, int]:
        """What the walk left out, by reason (files the report set read are not counted, nor
        what git ignores: see `SKIP_GITIGNORED`)."""
        counts: dict[str, int] = {}
        for _, role in self.file_roles:
            reason = role.removeprefix("skipped: ")
            if reason not in (role, NOT_KUBERNETES, SKIP_GITIGNORED):
                counts[reason] = counts.get(reason, 0) + 1
        return counts

    @property
    def active(self) -> list[Finding]:
        return [f for f in self.findings if f.suppression is None]

    @property
    def suppressed(self) -> list[Finding]:
        return [f for f in self.findings if f.suppression is not None]
