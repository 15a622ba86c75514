"""Small helpers every reporter shares: counts by severity and plurals."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence

from netlint.api import RuleMeta
from netlint.findings import Edit, Finding, Severity
from netlint.input.edits import LineTable, concrete_edit
from netlint.records import record
from netlint.run.results import HelmChart, KustomizeRoot


@record(frozen=True, slots=True)
class Counts:
    errors: int = 0
    warnings: int = 0
    info: int = 0


def count_by_severity(findings: Iterable[Finding]) -> Counts:
    tally = dict.fromkeys(Severity, 0)
    for finding in findings:
        tally[finding.severity] += 1
    return Counts(tally[Severity.ERROR], tally[Severity.WARNING], tally[Severity.INFO])


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    return f"{count} {singular if count == 1 else (plural_form or singular + 's')}"


@record(frozen=True, slots=True)
class RuleCount:
    """One row of `--statistics`: a rule, how often it was reported and at which severities."""

    rule_id: str
    count: int
    severities: tuple[Severity, ...]  # most severe first
    summary: str
    fixable: int = 0  # of them, with a fix `--fix` applies (with `--unsafe-fixes`, if given)


def rule_counts(
    findings: Iterable[Finding], rules: Sequence[RuleMeta], unsafe_fixes: bool = False
) -> list[RuleCount]:
    """Counts per rule, most frequent first, as `ruff --statistics` orders them."""
    counts: Counter[str] = Counter()
    fixable: Counter[str] = Counter()
    severities: dict[str, set[Severity]] = {}
    for finding in findings:
        counts[finding.rule_id] += 1
        if finding.fix is not None and finding.fix.applies(unsafe_fixes):
            fixable[finding.rule_id] += 1
        severities.setdefault(finding.rule_id, set()).add(finding.severity)
    summaries = {meta.id: meta.summary for meta in rules}
    return [
        RuleCount(
            rule_id,
            count,
            tuple(sorted(severities[rule_id], reverse=True)),
            summaries.get(rule_id, ""),
            fixable[rule_id],
        )
        for rule_id, count in sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    ]


SHOWN_CHARTS = 5  # charts named in the summary line; the JSON and SARIF reports list them all
GENERIC_RENDER = "helm template NAME CHART | netlint check -"


def helm_summary(charts: Sequence[HelmChart]) -> list[str]:
    """The summary's parts on the Helm charts the walk met: how many were rendered, and which
    were not, why, and how to lint them (issue 23, item 4)."""
    parts: list[str] = []
    rendered = [chart for chart in charts if chart.rendered]
    if rendered:
        parts.append(f"{plural(len(rendered), 'Helm chart')} rendered with helm template")
    skipped = [chart for chart in charts if not chart.rendered]
    if skipped:
        reasons = ", ".join(sorted({chart.reason or "" for chart in skipped}))
        if len(skipped) == 1:
            chart = skipped[0]
            parts.append(
                f"Helm chart {chart.path} not rendered ({reasons}): lint it with `{chart.command}`"
            )
        else:
            names = ", ".join(chart.path for chart in skipped[:SHOWN_CHARTS])
            if len(skipped) > SHOWN_CHARTS:
                names += f" and {len(skipped) - SHOWN_CHARTS} more"
            parts.append(
                f"{len(skipped)} Helm charts not rendered ({reasons}): {names}, lint each with "
                f"`{GENERIC_RENDER}`"
            )
    return parts


def kustomize_summary(roots: Sequence[KustomizeRoot]) -> list[str]:
    """The summary's parts on the kustomize roots: how many were built, and which were not and
    why (issue 23, item 3)."""
    parts: list[str] = []
    built = [root for root in roots if root.rendered]
    if built:
        commands = ", ".join(sorted({root.command or "" for root in built}))
        parts.append(f"{plural(len(built), 'kustomize root')} rendered with {commands}")
    skipped = [root for root in roots if not root.rendered]
    if skipped:
        reasons = ", ".join(sorted({root.reason or "" for root in skipped}))
        names = ", ".join(root.path for root in skipped[:SHOWN_CHARTS])
        if len(skipped) > SHOWN_CHARTS:
            names += f" and {len(skipped) - SHOWN_CHARTS} more"
        what = "kustomize root" if len(skipped) == 1 else f"{len(skipped)} kustomize roots"
        parts.append(f"{what} {names} not rendered ({reasons}): linted as plain files")
    return parts


def kustomize_roots_json(roots: Sequence[KustomizeRoot]) -> list[dict[str, object]]:
    """The roots as the JSON report's summary lists them."""
    return [
        {
            "path": root.path,
            "rendered": root.rendered,
            "reason": root.reason,
            "command": root.command,
        }
        for root in roots
    ]


def helm_charts_json(charts: Sequence[HelmChart]) -> list[dict[str, object]]:
    """The charts as the JSON report's summary and SARIF's run properties list them."""
    return [
        {
            "path": chart.path,
            "rendered": chart.rendered,
            "reason": chart.reason,
            "command": chart.command,
        }
        for chart in charts
    ]


def fix_edits(finding: Finding, sources: Mapping[str, str]) -> list[Edit]:
    """The edits of the finding's fix with real columns and line breaks (`concrete_edit`), for
    the JSON and SARIF outputs; as the rule wrote them when the file's text is not at hand."""
    if finding.fix is None:
        return []
    text = sources.get(finding.location.path)
    if text is None:
        return list(finding.fix.edits)
    table = LineTable(text)
    return [concrete_edit(table, edit) for edit in finding.fix.edits]
