"""Small helpers every reporter shares: counts by severity and plurals."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from netlint.api import RuleMeta
from netlint.findings import Finding, Severity


@dataclass(frozen=True, slots=True)
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


@dataclass(frozen=True, slots=True)
class RuleCount:
    """One row of `--statistics`: a rule, how often it was reported and at which severities."""

    rule_id: str
    count: int
    severities: tuple[Severity, ...]  # most severe first
    summary: str


def rule_counts(findings: Iterable[Finding], rules: Sequence[RuleMeta]) -> list[RuleCount]:
    """Counts per rule, most frequent first, as `ruff --statistics` orders them."""
    counts: Counter[str] = Counter()
    severities: dict[str, set[Severity]] = {}
    for finding in findings:
        counts[finding.rule_id] += 1
        severities.setdefault(finding.rule_id, set()).add(finding.severity)
    summaries = {meta.id: meta.summary for meta in rules}
    return [
        RuleCount(
            rule_id,
            count,
            tuple(sorted(severities[rule_id], reverse=True)),
            summaries.get(rule_id, ""),
        )
        for rule_id, count in sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    ]
