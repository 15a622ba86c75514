"""GitHub Actions workflow commands (DESIGN §8, "github"): one annotation per active finding.

    ::error file=k8s/web.yaml,line=12,col=7,endLine=12,endColumn=15,title=netlint(rule-id)::message

`::error`, `::warning`, or `::notice` for info; most severe first, then in the report's order;
suppressed findings are omitted. Columns are sent only when the finding starts and ends on the
same line (GitHub refuses columns on a multi-line annotation); like ruff's output, `endColumn` is
exclusive. Values are escaped as the Actions runner unescapes them: `%`, CR and LF in the message,
and also `:` and `,` in properties; other control characters and line separators in the message
are shown as escapes (`netlint.report.escape`). `file` is the path netlint displays (relative to the working
directory, which in a workflow is the checkout); findings on stdin get no location. A hint
follows the message on its own line (`help: ...`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from netlint.findings import Finding, Severity
from netlint.input.reading import STDIN_PATH
from netlint.report.escape import inert

if TYPE_CHECKING:  # the Action's wrapper imports this module and must not load the engine
    from netlint.run.results import Report

_COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(finding: Finding) -> str:
    loc = finding.location
    properties: list[tuple[str, str]] = []
    if loc.path != STDIN_PATH:
        properties += [("file", loc.path), ("line", str(loc.line))]
        if loc.end_line == loc.line:
            properties += [
                ("col", str(loc.column)),
                ("endLine", str(loc.end_line)),
                ("endColumn", str(loc.end_column)),
            ]
        else:
            properties.append(("endLine", str(loc.end_line)))
    properties.append(("title", f"netlint({finding.rule_id})"))
    rendered = ",".join(f"{key}={escape_property(value)}" for key, value in properties)
    # The message's own control characters shown as escapes (ESC and BEL reach the log viewer,
    # U+2028 splits a line for some readers); the hint's line break is the only real one.
    message = inert(finding.message)
    if finding.hint:
        message += f"\nhelp: {inert(finding.hint)}"
    return f"::{_COMMANDS[finding.severity]} {rendered}::{escape_data(message)}"


def render_github(report: Report) -> str:
    """One workflow command per line, ending with a newline; empty when nothing is active."""
    ordered = sorted(report.active, key=lambda finding: -finding.severity)
    return "".join(annotation(finding) + "\n" for finding in ordered)
