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


def broken_files(report: Report) -> dict[str, str]:
    """The files whose text is not what the positions describe, each with why: a finding of
    `UNFIXABLE_FILE` (suppressed ones too: the text is what matters), the first one's."""
    broken: dict[str, str] = {}
    for finding in report.findings:
        if finding.rule_id in UNFIXABLE_FILE and finding.location.path not in broken:
            broken[finding.location.path] = (
                f"{finding.location.path}: not fixed: {finding.rule_id} at line "
                f"{finding.location.line}"
            )
    return broken


def refusal(
    path: str, report: Report, text: str, allow_helm_stdin: bool, broken: dict[str, str]
) -> str | None:
    """Why the file at `path` (whose text is `text`) must not be fixed, or None; `broken` is
    `broken_files(report)`."""
    if path in report.data.rendered:
        return f"{path}: not fixed: it is the output of helm template; fix the chart's templates"
    if path == STDIN_PATH and "# Source: " in text and not allow_helm_stdin:
        return HELM_STDIN_NOTE
    return broken.get(path)


def drop_unfixable(report: Report) -> None:
    """Take the fixes off the findings of files `--fix` would not fix, so that the report does
    not offer them (`[*]`, the summary's count, JSON `fix`, SARIF `fixes`)."""
    paths = {f.location.path for f in report.findings if f.fix is not None}
    if not paths:
        return
    broken = broken_files(report)
    sources = report.data.sources
    refused = {
        path
        for path in paths
        if refusal(path, report, sources.get(path) or "", False, broken) is not None
    }
    if refused:
        report.findings = [
            dataclasses.replace(f, fix=None) if f.location.path in refused else f
            for f in report.findings
        ]
