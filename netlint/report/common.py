"""Small helpers every reporter shares: counts and object paths."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from netlint.findings import Finding, Path, Severity

_FIELD_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


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


def object_path_text(path: Path) -> str:
    """`spec.ports[0].port`, as the API server spells field paths; keys that are not field
    names go in brackets: `metadata.labels[app.kubernetes.io/name]`."""
    parts: list[str] = []
    for step in path:
        if isinstance(step, int):
            parts.append(f"[{step}]")
        elif _FIELD_NAME.fullmatch(step):
            parts.append(f".{step}" if parts else step)
        else:
            parts.append(f"[{step}]")
    return "".join(parts)


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    return f"{count} {singular if count == 1 else (plural_form or singular + 's')}"
