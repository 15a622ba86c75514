"""Small helpers every reporter shares: counts by severity and plurals."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

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
