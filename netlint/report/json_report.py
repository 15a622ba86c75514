"""The JSON reporter: a stable shape for scripts (DESIGN §8, "json").

The shape is documented by `schemas/netlint-report.schema.json` (JSON Schema draft 2020-12):

    {
      "version": 1,
      "tool": {"name": "netlint", "version": "0.2.0"},
      "summary": {"errors": 2, "warnings": 1, "info": 0, "suppressed": 1, "files": 3,
                  "skippedFiles": 1, "contextFiles": 0, "objects": 12, "elapsedSeconds": 0.12},
      "findings": [
        {"rule": "service-port-name", "severity": "error", "message": "...", "path": "k8s/web.yaml",
         "line": 12, "column": 7, "endLine": 12, "endColumn": 15,
         "object": {"kind": "Service", "namespace": "shop", "name": "web"},
         "objectPath": "spec.ports[0].name", "hint": null, "fingerprint": "...",
         "suppressed": null, "fix": null}
      ]
    }

`findings` holds every finding in the report's order (path, line, column, rule, message),
suppressed ones included with the suppression's reason in `suppressed`; the severity counts of
`summary` count only the others. Lines and columns are 1-based, columns in code points, the end
exclusive. `fix` is what `--fix` (`applicability` "safe") or `--unsafe-fixes` ("unsafe")
would do about the finding: edits on the same coordinates, each replacing the text from
(`line`, `column`) up to (`endLine`, `endColumn`) with `text` (equal ends insert, an empty `text`
deletes). `version` changes only when a field is removed or changes meaning.
"""

from __future__ import annotations

import json
from collections.abc import Mapping

from netlint import __version__
from netlint.filters.fingerprint import fingerprint
from netlint.findings import Finding
from netlint.model.field_errors import path_text
from netlint.report.common import (
    count_by_severity,
    fix_edits,
    helm_charts_json,
    kustomize_roots_json,
    rule_counts,
)
from netlint.run.results import Report

FORMAT_VERSION = 1


def tool_version() -> str:
    return __version__


def fix_json(finding: Finding, sources: Mapping[str, str]) -> dict[str, object] | None:
    """The finding's fix, positions 1-based as the finding's (null: it has none)."""
    if finding.fix is None:
        return None
    return {
        "title": finding.fix.title,
        "applicability": finding.fix.applicability.value,
        "edits": [
            {
                "line": edit.line + 1,
                "column": edit.column + 1,
                "endLine": edit.end_line + 1,
                "endColumn": edit.end_column + 1,
                "text": edit.text,
            }
            for edit in fix_edits(finding, sources)
        ],
    }


def finding_json(finding: Finding, sources: Mapping[str, str] | None = None) -> dict[str, object]:
    loc = finding.location
    obj = finding.obj
    return {
        "rule": finding.rule_id,
        "severity": finding.severity.label,
        "message": finding.message,
        "path": loc.path,
        "line": loc.line,
        "column": loc.column,
        "endLine": loc.end_line,
        "endColumn": loc.end_column,
        "object": None
        if obj is None
        else {"kind": obj.kind, "namespace": obj.namespace, "name": obj.name},
        "objectPath": path_text(finding.obj_path),
        "hint": finding.hint,
        "fingerprint": fingerprint(finding),
        "suppressed": finding.suppression,
        "fix": fix_json(finding, sources if sources is not None else {}),
    }


def report_json(report: Report) -> dict[str, object]:
    counts = count_by_severity(report.active)
    return {
        "version": FORMAT_VERSION,
        "tool": {"name": "netlint", "version": tool_version()},
        "summary": {
            "errors": counts.errors,
            "warnings": counts.warnings,
            "info": counts.info,
            "suppressed": len(report.suppressed),
            "staleBaselineEntries": sum(count for _, count in report.data.stale_baseline),
            "files": report.files,
            "skippedFiles": report.skipped_files,
            "contextFiles": report.context_files,
            "objects": report.objects,
            "elapsedSeconds": round(report.elapsed, 3),
            **({"helmCharts": helm_charts_json(report.helm_charts)} if report.helm_charts else {}),
            **(
                {"kustomizeRoots": kustomize_roots_json(report.kustomize_roots)}
                if report.kustomize_roots
                else {}
            ),
        },
        "findings": [finding_json(finding, report.data.sources) for finding in report.findings],
    }


def render_json(report: Report) -> str:
    """The report as indented JSON (UTF-8 text, not ASCII-escaped), ending with a newline."""
    return json.dumps(report_json(report), indent=2, ensure_ascii=False) + "\n"


def render_json_statistics(report: Report) -> str:
    """`--statistics --output-format json`: the counts per rule as a JSON array, as ruff prints
    them (most frequent first)."""
    rows = [
        {
            "rule": row.rule_id,
            "count": row.count,
            "severity": row.severities[0].label,
            "severities": [level.label for level in row.severities],
            "summary": row.summary,
            "fixable": row.fixable,
        }
        for row in rule_counts(report.active, report.rules, report.unsafe_fixes)
    ]
    return json.dumps(rows, indent=2, ensure_ascii=False) + "\n"
