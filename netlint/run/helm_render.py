"""Helm charts met by the walk, rendered with the real `helm template` (issue 23, item 4).

The walk leaves a chart's `templates/` folder out (Go templates are not YAML). With config
`render.helm: auto` (the default) and `helm` on PATH, each such chart is rendered with
`helm template <chart folder name> <chart folder>` (plus `-f` for each `render.helm-values`
file) and the output is linted as one more source of the report set; the `# Source:` comments
Helm writes then map its findings back to the template files (`filters.helm_sources`).
Otherwise the summary names the charts that were not rendered and how to lint them.

Only helm runs, never anything the manifests name: the argument list is passed without a
shell, stdin is closed, and a render that takes longer than `HelmOptions.timeout` is stopped and
reported as not rendered. A chart that helm refuses (a missing dependency, a template error) is
not rendered either; the summary says why.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import TYPE_CHECKING

from netlint.input.display_paths import printable
from netlint.input.helm import render_command
from netlint.input.reading import Source
from netlint.run.renders import HelmOptions, Rendered
from netlint.run.results import HelmChart

if TYPE_CHECKING:
    import subprocess

RENDER_MODES = ("auto", "never")
NOT_ON_PATH = "helm is not on PATH"
TURNED_OFF = "render.helm is never"
RENDERED_SUFFIX = " (helm template)"  # the display path of a chart's rendered stream


def _failure(completed: subprocess.CompletedProcess[bytes]) -> str:
    lines = completed.stderr.decode("utf-8", "replace").strip().splitlines()
    detail = lines[-1].strip() if lines else f"exit status {completed.returncode}"
    return f"helm template failed: {printable(detail[:200])}"  # helm's text, shown in the summary


def _render(chart: str, options: HelmOptions, binary: str) -> tuple[str | None, str | None]:
    """(helm's output, None) or (None, why not)."""
    import subprocess  # by the runs that render a chart (issue 31)

    name = os.path.basename(os.path.abspath(chart))
    args = [binary, "template", name, chart]
    for values in options.values:
        args += ["-f", values]
    try:
        completed = subprocess.run(
            args,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            timeout=options.timeout,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return None, f"helm template took longer than {options.timeout:g}s"
    except OSError as error:
        return None, f"helm could not run: {error.strerror or error}"
    if completed.returncode != 0:
        return None, _failure(completed)
    return completed.stdout.decode("utf-8", "replace"), None


def render_charts(charts: Sequence[tuple[str, str]], options: HelmOptions) -> Rendered:
    """Render `charts` ((real folder, display path) pairs) as `options` say."""
    rendered = Rendered([], [], {})
    for chart, shown in charts:
        command = render_command(chart, shown)
        if options.mode == "never" or options.binary is None:
            reason = TURNED_OFF if options.mode == "never" else NOT_ON_PATH
            rendered.charts.append(HelmChart(shown, False, reason, command))
            continue
        text, reason = _render(chart, options, options.binary)
        if text is None:
            rendered.charts.append(HelmChart(shown, False, reason, command))
            continue
        stream = shown + RENDERED_SUFFIX
        rendered.sources.append(Source(stream, text))
        rendered.streams[stream] = (chart, shown)
        rendered.charts.append(HelmChart(shown, True, None, command))
    return rendered
