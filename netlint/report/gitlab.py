"""GitLab Code Quality (DESIGN §8, "gitlab"): the JSON array GitLab reads from a job's
`artifacts:reports:codequality` and shows in the merge request widget and diff.

    [{"type": "issue", "check_name": "service-port-name", "description": "...",
      "severity": "major", "fingerprint": "...",
      "location": {"path": "k8s/web.yaml", "lines": {"begin": 12, "end": 12}}}]

The format is a subset of the Code Climate issue spec; GitLab reads `description`, `check_name`,
`fingerprint`, `severity` and `location.path` with `location.lines.begin`. Severities map onto its
five levels: an error (the cluster refuses the object, or traffic cannot flow) is `major`, a
warning `minor`, an info `info`. GitLab tells a new issue from a fixed one by its fingerprint, so
it is line-independent (`netlint.filters.fingerprint`), and made unique within the report when
one object has the same finding twice. Suppressed findings are left out; findings on stdin have
no file and are reported at `stdin`.
"""

from __future__ import annotations

import hashlib
import json
from typing import TYPE_CHECKING

from netlint.filters.fingerprint import fingerprint
from netlint.findings import Finding, Severity

if TYPE_CHECKING:
    from netlint.run.results import Report

SEVERITIES = {Severity.ERROR: "major", Severity.WARNING: "minor", Severity.INFO: "info"}


def _issue(finding: Finding, identity: str) -> dict[str, object]:
    description = finding.message
    if finding.hint:
        description += f" (help: {finding.hint})"
    location = finding.location
    return {
        "type": "issue",
        "check_name": finding.rule_id,
        "description": description,
        "severity": SEVERITIES[finding.severity],
        "fingerprint": identity,
        "location": {
            "path": location.path,
            "lines": {"begin": location.line, "end": location.end_line},
        },
    }


def render_gitlab(report: Report) -> str:
    """The Code Quality report of the active findings, ending with a newline."""
    seen: dict[str, int] = {}
    issues: list[dict[str, object]] = []
    for finding in report.active:
        base = fingerprint(finding)
        repeat = seen.get(base, 0)
        seen[base] = repeat + 1
        identity = base if not repeat else hashlib.sha256(f"{base}#{repeat}".encode()).hexdigest()
        issues.append(_issue(finding, identity[:32]))
    return json.dumps(issues, indent=2, ensure_ascii=False) + "\n"
