"""The default, human reporter (DESIGN §8, "text").

Each active finding is printed as

    path:line:col: severity[rule-id] message
      12 |     app: web
         |          ^^^
      help: what to do

followed by one summary line (counts by severity, files, objects, suppressed findings, time).
Columns are 1-based code points; the caret line copies the tabs of the source line and gives
East Asian wide characters two cells, so the caret sits under the node in a terminal.

`quiet` mirrors `ruff --quiet`: the diagnostics exactly as usual, but no summary. `statistics`
mirrors `ruff --statistics`: a table of counts per rule instead of the findings. Colour is ANSI
escapes only, and only when the caller asks for it (the CLI decides: TTY, `NO_COLOR`,
`--no-color`). Suppressed findings are never listed, only counted.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

from netlint.findings import Finding, Severity
from netlint.input.lines import split_lines
from netlint.input.sources import SKIP_EXCLUDED, SKIP_HELM_TEMPLATES
from netlint.report.common import (
    count_by_severity,
    helm_summary,
    kustomize_summary,
    plural,
    rule_counts,
)
from netlint.report.escape import inert
from netlint.run.results import NOT_KUBERNETES, Report

_RESET = "\x1b[0m"
_BOLD = "\x1b[1m"
_SEVERITY_STYLE = {
    Severity.ERROR: "\x1b[1;31m",
    Severity.WARNING: "\x1b[1;33m",
    Severity.INFO: "\x1b[1;36m",
}
_GUTTER_STYLE = "\x1b[1;34m"
_HELP_STYLE = "\x1b[1;36m"

# Source lines longer than this are shown as a window around the node.
_MAX_SHOWN = 160
_CONTEXT = 60


class _Style:
    def __init__(self, color: bool) -> None:
        self.color = color

    def __call__(self, text: str, code: str) -> str:
        return f"{code}{text}{_RESET}" if self.color and text else text


def _cells(char: str) -> str:
    """What to put under `char` so that the next character lines up."""
    if char == "\t":
        return "\t"
    if unicodedata.combining(char) or unicodedata.category(char) in ("Mn", "Me", "Cf"):
        return ""
    if unicodedata.east_asian_width(char) in ("W", "F"):
        return "  "
    return " "


def _under(text: str) -> str:
    """What to put under `text` (`_cells` of each character). ASCII, nearly every line of a
    manifest, is one cell a character: a finding's snippet then costs no lookup per character."""
    if text.isascii():
        return " " * len(text) if "\t" not in text else re.sub("[^\t]", " ", text)
    return "".join(_cells(char) for char in text)


def _width(text: str) -> int:
    if text.isascii():
        return len(text)
    return sum(len(_cells(char).replace("\t", " ")) for char in text)


def _snippet(line_text: str, finding: Finding) -> tuple[str, str, str]:
    """The source line to show, and the padding and carets of the line under it."""
    loc = finding.location
    start = max(loc.column - 1, 0)
    if loc.end_line == loc.line and loc.end_column > loc.column:
        end = loc.end_column - 1
    else:
        end = start + 1
    shown = line_text
    offset = 0
    prefix = ""
    if len(line_text) > _MAX_SHOWN:
        offset = max(0, start - _CONTEXT)
        stop = min(len(line_text), max(end, start + 1) + _CONTEXT)
        shown = line_text[offset:stop]
        if offset > 0:
            prefix = "…"
        if stop < len(line_text):
            shown += "…"
        shown = prefix + shown
    pad = _under(prefix + line_text[offset:start])
    if start > len(line_text):  # past the end of the line (e.g. a missing value at end of line)
        pad += " " * (start - len(line_text))
    covered = line_text[start:end]
    carets = "^" * max(1, _width(covered) + max(0, end - max(start, len(line_text))))
    return shown, pad, carets


def _inert_line(line: str) -> str:
    """A source line with control characters (but tabs) shown as `?`, one cell each, so the
    caret line below stays aligned."""
    if line.isprintable():
        return line
    return "".join(char if char == "\t" or char.isprintable() else "?" for char in line)


def _header(finding: Finding, style: _Style, unsafe: bool) -> str:
    loc = finding.location
    label = f"{finding.severity.label}[{finding.rule_id}]"
    severity = style(label, _SEVERITY_STYLE[finding.severity])
    mark = " [*]" if finding.fix is not None and finding.fix.applies(unsafe) else ""
    return (
        f"{style(loc.path, _BOLD)}:{loc.line}:{loc.column}: {severity}{mark} "
        f"{inert(finding.message)}"
    )


def _finding_block(
    finding: Finding, lines: list[str] | None, style: _Style, unsafe: bool = False
) -> list[str]:
    block = [_header(finding, style, unsafe)]
    line_no = finding.location.line
    if lines is not None and 1 <= line_no <= len(lines):
        shown, pad, carets = _snippet(_inert_line(lines[line_no - 1]), finding)
        number = str(line_no)
        gutter = " " * len(number)
        block.append(f"  {style(number + ' |', _GUTTER_STYLE)} {shown}".rstrip())
        carets = style(carets, _SEVERITY_STYLE[finding.severity])
        block.append(f"  {style(gutter + ' |', _GUTTER_STYLE)} {pad}{carets}")
    if finding.hint:
        # A hint may run over several lines; each continuation is indented under `help:`, so
        # no line of it can pass for a finding's first line.
        first, *rest = finding.hint.split("\n")
        block.append(f"  {style('help:', _HELP_STYLE)} {inert(first)}")
        block.extend(f"        {inert(line)}" for line in rest)
    return block


def _summary(report: Report, style: _Style) -> str:
    counts = count_by_severity(report.active)
    severities = ", ".join(
        style(text, _SEVERITY_STYLE[severity]) if number else text
        for severity, number, text in (
            (Severity.ERROR, counts.errors, plural(counts.errors, "error")),
            (Severity.WARNING, counts.warnings, plural(counts.warnings, "warning")),
            (Severity.INFO, counts.info, f"{counts.info} info"),
        )
    )
    linted = report.files - report.skipped_files
    files = [f"{plural(linted, 'file')} linted"]
    if report.skipped_files:
        files.append(f"{report.skipped_files} skipped ({NOT_KUBERNETES})")
    for reason, count in report.skipped_by_reason().items():
        if reason == SKIP_HELM_TEMPLATES:
            continue  # the charts are named below
        # "1 excluded", "1 skipped (symlink out of the tree)": folders count as one each.
        files.append(
            f"{count} {reason}" if reason == SKIP_EXCLUDED else f"{count} skipped ({reason})"
        )
    if report.context_files:
        files.append(f"{plural(report.context_files, 'context file')}")
    parts = [
        severities,
        ", ".join(files),
        *helm_summary(report.helm_charts),
        *kustomize_summary(report.kustomize_roots),
    ]
    parts.append(plural(report.objects, "object"))
    suppressed = len(report.suppressed)
    if suppressed:
        parts.append(f"{suppressed} suppressed")
    stale = sum(count for _, count in report.data.stale_baseline)
    if stale:
        parts.append(f"{plural(stale, 'baseline entry', 'baseline entries')} matched nothing")
    if report.change_base is not None:
        parts.append(f"{report.unchanged} not shown (there before {report.change_base})")
    if report.fixed:
        parts.append(f"{report.fixed} fixed")
    parts.append(f"in {report.elapsed:.2f}s")
    return "; ".join(parts)


def fixable_line(findings: Sequence[Finding], unsafe: bool) -> str | None:
    """`[*] 3 fixable with --fix (1 more with --unsafe-fixes)`, or None when none is."""
    safe = sum(1 for f in findings if f.fix is not None and f.fix.applies(False))
    hidden = sum(1 for f in findings if f.fix is not None and not f.fix.applies(False))
    if unsafe:
        safe, hidden = safe + hidden, 0
        flag = "--fix --unsafe-fixes"
    else:
        flag = "--fix"
    if not safe and not hidden:
        return None
    more = f" ({hidden} more with --unsafe-fixes)" if hidden else ""
    return f"[*] {safe} fixable with {flag}{more}"


def _statistics(findings: Sequence[Finding], report: Report, style: _Style) -> list[str]:
    rows = [
        (str(row.count), row.rule_id, "/".join(level.label for level in row.severities), row)
        for row in rule_counts(findings, report.rules, report.unsafe_fixes)
    ]
    if not rows:
        return []
    fix_cells = [f"{row.fixable} fixable" if row.fixable else "" for *_, row in rows]
    fix_width = max(len(cell) for cell in fix_cells)
    count_width = max(len(count) for count, _, _, _ in rows)
    id_width = max(len(rule_id) for _, rule_id, _, _ in rows)
    level_width = max(len(label) for _, _, label, _ in rows)
    lines: list[str] = []
    for (count, rule_id, label, row), fix_cell in zip(rows, fix_cells, strict=True):
        rule_cell = style(rule_id, _BOLD) + " " * (id_width - len(rule_id))
        level_cell = style(label, _SEVERITY_STYLE[row.severities[0]]) + " " * (
            level_width - len(label)
        )
        mark = f"{fix_cell:<{fix_width}}  " if fix_width else ""
        lines.append(
            f"{count:>{count_width}}  {rule_cell}  {level_cell}  {mark}{inert(row.summary)}".rstrip()
        )
    return lines


def render_text(
    report: Report, *, color: bool, statistics: bool = False, quiet: bool = False
) -> str:
    """The report for a terminal; ends with a newline unless empty."""
    style = _Style(color)
    active = report.active
    out: list[str] = []
    if statistics:
        out.extend(_statistics(active, report, style))
        return "".join(line + "\n" for line in out)
    shown_path: str | None = None  # findings are sorted by path: one file's lines at a time
    lines: list[str] | None = None
    for finding in active:
        path = finding.location.path
        if path != shown_path:
            text = report.data.sources.get(path)
            lines = split_lines(text) if text is not None else None
            shown_path = path
        out.extend(_finding_block(finding, lines, style, report.unsafe_fixes))
        out.append("")
    if not quiet:
        if not active and report.objects == 0 and not report.suppressed:
            out.append("No Kubernetes objects found in the input.")
        out.append(_summary(report, style))
        fixes = fixable_line(active, report.unsafe_fixes)
        if fixes is not None:
            out.append(fixes)
    return "".join(line + "\n" for line in out)
