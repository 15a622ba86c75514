"""Which files `--fix` leaves alone (DESIGN §8a), apart from the fixer itself: the text report
marks a finding fixable (`[*]`) and counts it in the summary only when `--fix` would fix it, so
a plain run asks the same question without importing the fixer.

Never fixed: files with a YAML syntax error or that the loader could not read whole (their
positions are not the whole text's), Helm chart output netlint rendered, and a Helm-rendered
stream on stdin (`# Source:` comments), whose change belongs in the templates (that one is shown
by `--diff`, with a note). Context files have no findings, so nothing of theirs is fixed.
"""

from __future__ import annotations

import dataclasses

from netlint.input.reading import STDIN_PATH
from netlint.run.results import Report

# Findings that mean the file's text is not what its positions describe, or not all of it.
UNFIXABLE_FILE = frozenset(["yaml-syntax", "input-limit", "internal-error", "helm-template"])
HELM_STDIN_NOTE = (
    "stdin is Helm output (`# Source:` comments): the change belongs in the chart's templates; "
    "nothing is fixed on a rendered stream"
)


def refusal(path: str, report: Report, text: str, allow_helm_stdin: bool) -> str | None:
    """Why the file at `path` (whose text is `text`) must not be fixed, or None."""
    if path in report.data.rendered:
        return f"{path}: not fixed: it is the output of helm template; fix the chart's templates"
    if path == STDIN_PATH and "# Source: " in text and not allow_helm_stdin:
        return HELM_STDIN_NOTE
    for finding in report.findings:  # suppressed ones too: the text is what matters
        if finding.location.path == path and finding.rule_id in UNFIXABLE_FILE:
            return f"{path}: not fixed: {finding.rule_id} at line {finding.location.line}"
    return None


def drop_unfixable(report: Report) -> None:
    """Take the fixes off the findings of files `--fix` would not fix, so that the report does
    not offer them (`[*]`, the summary's count, JSON `fix`, SARIF `fixes`)."""
    paths = {f.location.path for f in report.findings if f.fix is not None}
    refused = {
        path
        for path in paths
        if refusal(path, report, report.data.sources.get(path) or "", False) is not None
    }
    if refused:
        report.findings = [
            dataclasses.replace(f, fix=None) if f.location.path in refused else f
            for f in report.findings
        ]
