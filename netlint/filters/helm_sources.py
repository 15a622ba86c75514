"""Helm's `# Source:` comments in a rendered stream: which template a finding on stdin came from.

`helm template CHART | netlint check -` lints Helm's output, so findings point at lines of that
stream (`-:120:7`). Helm starts every manifest it renders with a comment naming its template:

    ---
    # Source: shop/templates/service.yaml
    apiVersion: v1
    kind: Service

This module maps a stream line back to that template and to the line within the template's
rendered section, counted from the line after the `# Source:` comment (the `apiVersion` line
above is rendered output line 1 of `shop/templates/service.yaml`). That is a line of Helm's
OUTPUT for the template, not of the template's source: template directives, `include`s and
conditionals make the source line unknowable from the output, so the message says "rendered
output line" and never pretends otherwise.

A section runs from its `# Source:` comment to the next document marker (`---` or `...` at the
start of a line); documents without the comment (a chart's CRDs, a file's header, or anything
that is not Helm output) are left alone. Stdin (`-`) is mapped, and so is the output of the
charts netlint renders itself (`run.helm_render`): there a finding moves to the template file
it came from, at line 1 (the template's own line cannot be known), its message naming the
rendered output line. A rendered file committed to a repository already has real line numbers
of its own and is not mapped.
"""

from __future__ import annotations

import bisect
import os
import re
from dataclasses import dataclass, replace

from netlint.findings import Finding, Location
from netlint.input.lines import split_lines
from netlint.input.reading import STDIN_PATH
from netlint.run.results import FindingFilter, RunData

_SOURCE_COMMENT = re.compile(r"# Source: (?P<template>\S.*?)\s*")
_DOCUMENT_MARKER = re.compile(r"(?:---|\.\.\.)(?:[ \t].*)?")


@dataclass(frozen=True, slots=True)
class RenderedLine:
    """Where a stream line came from: a template and the line within its rendered section."""

    template: str
    line: int  # 1-based, counted from the line after the `# Source:` comment

    def describe(self) -> str:
        return f"in {self.template}, rendered output line {self.line}"


class SourceMap:
    """Stream line -> `RenderedLine` for one rendered stream (built once, looked up by bisection)."""

    def __init__(self, text: str) -> None:
        # Sorted 1-based line numbers where a section starts (`# Source:`) or ends (a marker),
        # with the template of each start (None for an end).
        self._starts: list[int] = []
        self._templates: list[str | None] = []
        for number, line in enumerate(split_lines(text), start=1):
            comment = _SOURCE_COMMENT.fullmatch(line)
            if comment is not None:
                self._starts.append(number)
                self._templates.append(comment.group("template"))
            elif _DOCUMENT_MARKER.fullmatch(line) and self._templates and self._templates[-1]:
                self._starts.append(number)
                self._templates.append(None)

    def __bool__(self) -> bool:
        return any(template is not None for template in self._templates)

    def locate(self, line: int) -> RenderedLine | None:
        """The template of stream line `line` (1-based), or None outside any `# Source:` section."""
        index = bisect.bisect_right(self._starts, line) - 1
        if index < 0 or self._starts[index] == line:
            return None  # before the first section, or on a comment or marker line itself
        template = self._templates[index]
        if template is None:
            return None
        return RenderedLine(template, line - self._starts[index])


def with_template(finding: Finding, source_map: SourceMap) -> Finding:
    """`finding` with its template named at the end of the message, when the map knows it."""
    rendered = source_map.locate(finding.location.line)
    if rendered is None:
        return finding
    return replace(finding, message=f"{finding.message} ({rendered.describe()})")


def in_template(finding: Finding, source_map: SourceMap, chart: str, chart_shown: str) -> Finding:
    """A finding on chart `chart`'s rendered stream moved to its template file (at line 1, the
    message naming the rendered output line), when the map knows the template and the file is
    in the chart folder; else `with_template`. Helm names a template `<chart name>/<path in the
    chart>`, a subchart's `<chart name>/charts/<subchart>/...`."""
    rendered = source_map.locate(finding.location.line)
    if rendered is None:
        return finding
    inside = rendered.template.partition("/")[2]
    parts = inside.split("/")
    if not inside or ".." in parts or not os.path.isfile(os.path.join(chart, *parts)):
        return with_template(finding, source_map)
    shown = inside if chart_shown == "." else f"{chart_shown}/{inside}"
    return replace(
        finding,
        location=Location(shown, 1, 1, 1, 2),
        fix=None,  # its edits are of the rendered stream, not of the template
        message=f"{finding.message} (helm template output line {rendered.line} of this template)",
    )


def map_helm_sources(findings: list[Finding], data: RunData) -> list[Finding]:
    """The FindingFilter: names the template of every finding located on a Helm stream on stdin,
    and moves those on a chart netlint rendered to their template (`in_template`)."""
    maps: dict[str, SourceMap] = {}
    for path in (STDIN_PATH, *data.rendered):
        text = data.sources.get(path)
        if text is not None and "# Source: " in text:
            source_map = SourceMap(text)
            if source_map:
                maps[path] = source_map
    if not maps:
        return findings
    mapped: list[Finding] = []
    for finding in findings:
        source_map = maps.get(finding.location.path)
        if source_map is None:
            mapped.append(finding)
        elif finding.location.path == STDIN_PATH:
            mapped.append(with_template(finding, source_map))
        else:
            chart, chart_shown = data.rendered[finding.location.path]
            mapped.append(in_template(finding, source_map, chart, chart_shown))
    return mapped


def helm_source_filter() -> FindingFilter:
    """The filter as the CLI installs it (first, so baselines and suppressions see the result)."""
    return map_helm_sources
