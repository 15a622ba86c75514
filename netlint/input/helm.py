"""Helm charts in the input: which files are Go templates rather than YAML (issue 23, item 4).

A chart is a folder holding `Chart.yaml`; the files below its `templates/` folder are Go
templates, which only `helm template` turns into YAML. The walk leaves those folders out
(`sources`); a template named on the command line is reported once, as a template
(`helm-template`), instead of as the YAML syntax errors its `{{ ... }}` actions cause. So is any
file that does not parse as YAML and holds a Helm action before its first syntax error.

Only actions that look like Helm's are taken for one: `{{ .Values.x }}`, `{{- include ... }}`,
`{{ if }}`/`{{ end }}`, `{{ $var }}`, `{{/* comment */}}`, ... Argo Workflows' `{{inputs.x}}` and
other tools' placeholders in valid YAML strings are not, and a file that parses is never one
(unless it is below a chart's `templates/`).
"""

from __future__ import annotations

import os
import re
from functools import cache

CHART_FILE = "Chart.yaml"
TEMPLATES_DIR = "templates"
RULE_ID = "helm-template"


@cache
def _action() -> re.Pattern[str]:
    """`{{`, an optional `-` trim marker, then what a Helm action starts with: a field or
    variable, a comment, or one of the template language's keywords and the functions charts
    use most. Compiled on first use: a run without templates never needs it (issue 31)."""
    return re.compile(
        r"\{\{-?\s*(?:[.$(]|/\*|(?:if|else|end|range|with|define|template|include|block|"
        r"toYaml|toJson|tpl|printf|print|default|quote|required|nindent|indent|lookup|fail)\b)"
    )


def chart_of_template(path: str) -> str | None:
    """The chart folder (the one holding `Chart.yaml`) when `path` is below its `templates/`
    folder; None otherwise. `path` is a real path; only its folders are looked at."""
    folder = os.path.dirname(path)
    while True:
        parent = os.path.dirname(folder)
        if parent == folder:
            return None
        if os.path.basename(folder) == TEMPLATES_DIR and os.path.isfile(
            os.path.join(parent, CHART_FILE)
        ):
            return parent
        folder = parent


def first_action(text: str, until_line: int | None = None) -> tuple[int, int, int] | None:
    """(1-based line, 0-based column, end column) of the first Helm action in `text`, on or
    before line `until_line` when given; None if there is none. An action on a line of its own
    is preferred to one in a YAML comment line (`# {{ ... }}`), which is where a reader looks."""
    found: tuple[int, int, int] | None = None
    action = _action()
    for number, line in enumerate(text.split("\n"), start=1):
        if until_line is not None and number > until_line:
            break
        match = action.search(line)
        if match is None:
            continue
        close = line.find("}}", match.start())
        at = (number, match.start(), close + 2 if close >= 0 else match.end())
        if not line.lstrip().startswith("#"):
            return at
        found = found or at
    return found


def render_command(chart: str, shown: str) -> str:
    """How to lint chart folder `chart` (shown as `shown`) by hand."""
    return f"helm template {os.path.basename(os.path.abspath(chart))} {shown} | netlint check -"


def template_message(chart_shown: str | None) -> str:
    """The `helm-template` message, naming the chart (as shown) when the file is below one."""
    of = f" of chart {chart_shown}" if chart_shown is not None else ""
    return f"a Helm template{of}, not YAML: render it first and lint what it renders"


def template_hint(chart: str | None, chart_shown: str | None) -> str:
    if chart is not None and chart_shown is not None:
        return render_command(chart, chart_shown)
    return "helm template NAME CHART | netlint check -"
