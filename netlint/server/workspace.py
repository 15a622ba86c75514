"""Linting the open documents of a workspace with the engine, the workspace as context.

Every lint names all open documents as the report set (so a change in one file re-judges the
others: the Ingress whose Service was just edited) and the workspace's paths as context, with
the editor's unsaved texts in place of the files (`RunOptions.replaced`). Files are keyed by
their real path (symlinks resolved), as the engine identifies them.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path

from netlint.findings import Finding
from netlint.input.reading import Source
from netlint.input.sources import MissingPathError
from netlint.run.engine import run
from netlint.run.fixing import fix_run
from netlint.run.memory import ResultMemory
from netlint.run.results import Report
from netlint.server.setup import RunSetup


@dataclass(frozen=True, slots=True)
class Linted:
    """The active findings of each open document (by real path), and the texts linted."""

    findings: Mapping[str, list[Finding]]
    texts: Mapping[str, str]


class Workspace:
    def __init__(self, setup: RunSetup) -> None:
        # The workspace's per-file results stay in memory: an edit re-lints the changed file
        # and the cross-file stage, and reads the other files only to see they did not change.
        self.setup = replace(setup, options=replace(setup.options, memory=ResultMemory()))

    def _report(self, documents: Mapping[str, str]) -> Report | None:
        """The run over `documents` (real path -> text), or None when there is nothing to
        lint. Documents that are not on disk (a new file not saved yet) are linted from their
        text alone."""
        on_disk = {path: text for path, text in documents.items() if os.path.isfile(path)}
        new = [Source(_shown(path, self.setup), text, path) for path, text in documents.items()
               if path not in on_disk]  # fmt: skip
        options = replace(
            self.setup.options,
            paths=sorted(on_disk),
            context=self.setup.context,
            replaced=on_disk,
            restored=new,
        )
        if not on_disk and not new:
            return None
        try:
            return run(options, self.setup.rule_set, self.setup.schemas)
        except MissingPathError:  # deleted between the check and the walk: the next lint sees it
            return None

    def lint(self, documents: Mapping[str, str]) -> Linted:
        """The findings of every document of `documents` (real path -> text)."""
        findings: dict[str, list[Finding]] = {path: [] for path in documents}
        report = self._report(documents)
        if report is not None:
            real_of = _real_paths(report, self.setup)
            for finding in report.active:
                real = real_of.get(finding.location.path)
                if real in findings:
                    findings[real].append(finding)
        return Linted(findings, dict(documents))

    def fix_all(self, path: str, text: str) -> str | None:
        """`text` of the document at `path` with every safe fix applied (as `netlint check
        --fix` would write it), or None when nothing changes."""
        options = replace(
            self.setup.options,
            paths=[path] if os.path.isfile(path) else [],
            context=self.setup.context,
            replaced={path: text} if os.path.isfile(path) else {},
            restored=[] if os.path.isfile(path) else [Source(_shown(path, self.setup), text, path)],
        )
        try:
            outcome = fix_run(options, self.setup.rule_set, self.setup.schemas, unsafe=False)
        except MissingPathError:
            return None
        for shown, fixed in outcome.texts.items():
            real = outcome.report.data.real_paths.get(shown)
            if real is not None and os.path.realpath(real) == path:
                return fixed
            if shown == _shown(path, self.setup):
                return fixed
        return None


def _shown(path: str, setup: RunSetup) -> str:
    """The display path the engine gives `path`: relative to the workspace root when inside."""
    root = setup.options.cwd
    try:
        return str(Path(path).relative_to(root))
    except ValueError:
        return path


def _real_paths(report: Report, setup: RunSetup) -> dict[str, str]:
    """Display path -> real path of every report-set file of `report`."""
    found = {shown: os.path.realpath(real) for shown, real in report.data.real_paths.items()}
    for shown in {f.location.path for f in report.active} - found.keys():
        candidate = os.path.realpath(setup.options.cwd / shown)
        found[shown] = candidate
    return found
