"""The diff-aware mode (issue 24): lint everything, report what the change is responsible for.

`--staged` (the pre-commit hook) and `--changed-since REV` (pull requests) lint the whole input
as usual, then lint it once more as it was at the base: the changed files with their old text,
the deleted ones restored, the added ones left out. Reported are the findings in the changed
files, and the findings anywhere else that the base did not have: those the change caused in a
file it did not touch (the Ingress whose Service port was renamed, the Service whose Deployment
was deleted). A finding is matched with the base's by its fingerprint (rule, object, path in the
object; DESIGN §7), as a baseline matches, so moving lines does not make one new. The second run
reads unchanged files from the cache, so it costs the cross-object stage mostly.

A change to the configuration file changes what every file is judged by: then every finding is
reported.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path

from netlint.api import SchemaChecker
from netlint.filters.fingerprint import fingerprint
from netlint.findings import Finding
from netlint.input.display_paths import display_path
from netlint.input.gitignore import GitIgnore
from netlint.input.reading import Source
from netlint.input.real_paths import RealPaths
from netlint.input.sources import EXTENSIONS, PathMatcher, force_excluded
from netlint.run.engine import RunOptions, run
from netlint.run.git_changes import ChangeSet
from netlint.run.registry import RuleSet
from netlint.run.results import Report
from netlint.run.shared_inputs import sharing_inputs


def run_changed(
    options: RunOptions,
    rule_set: RuleSet,
    schemas: SchemaChecker,
    change_set: ChangeSet,
    config_file: Path | None,
) -> Report:
    """`run(options)`, keeping only the findings the change is responsible for."""
    with sharing_inputs():  # the base's run walks and reads what this one did
        return _run_changed(options, rule_set, schemas, change_set, config_file)


def _run_changed(
    options: RunOptions,
    rule_set: RuleSet,
    schemas: SchemaChecker,
    change_set: ChangeSet,
    config_file: Path | None,
) -> Report:
    report = run(options, rule_set, schemas)
    linted = _Linted(report.data.real_paths)
    watched = [*linted.reals, *([str(config_file)] if config_file is not None else [])]
    changes = change_set.changes(watched)
    report.change_base = change_set.label
    if config_file is not None and any(c.path == os.path.realpath(config_file) for c in changes):
        return report  # the rules themselves changed: everything is the change's
    roots = _roots([*options.paths, *options.context], options.cwd)
    deleted = [
        change
        for change in changes
        if linted.shown(change.path) is None
        and change.old_text is not None
        and not os.path.lexists(change.path)
        and _lintable(change.path, roots, options.excludes, options.cwd, options.gitignore)
    ]
    changed_shown = {shown for c in changes if (shown := linted.shown(c.path)) is not None}
    if not changed_shown and not deleted:
        report.unchanged = len(report.active)
        report.findings = [f for f in report.findings if f.suppression is not None]
        return report
    base_options = replace(
        options,
        replaced={c.path: c.old_text for c in changes if os.path.lexists(c.path)},
        restored=[
            Source(display_path(c.path, options.cwd), c.old_text or "", c.path) for c in deleted
        ],
    )
    base = run(base_options, rule_set, schemas)
    kept, left_out = _responsible(report.findings, base.active, changed_shown)
    report.findings = kept
    report.unchanged = left_out
    report.elapsed += base.elapsed
    return report


class _Linted:
    """The files of the report by real path (a change names files by their real path), for the
    few paths of a change: the report's real paths are real already, so each is resolved again
    (thousands of `lstat`) only when a path of the change is not among them."""

    def __init__(self, real_paths: Mapping[str, str]) -> None:
        self.reals = {real: shown for shown, real in real_paths.items()}
        self._resolved: dict[str, str] | None = None

    def shown(self, path: str) -> str | None:
        found = self.reals.get(path)
        if found is None:
            if self._resolved is None:
                resolver = RealPaths()
                self._resolved = {resolver.resolve(r): s for r, s in self.reals.items()}
            found = self._resolved.get(path)
        return found


def _responsible(
    findings: Sequence[Finding], before: Sequence[Finding], changed: set[str]
) -> tuple[list[Finding], int]:
    """The findings in `changed` files, and the others the base did not have (each of the base's
    copies accounts for one copy now); and how many were left out."""
    remaining = Counter(fingerprint(finding) for finding in before)
    kept: list[Finding] = []
    left_out = 0
    for finding in findings:  # sorted: which copies count as old does not depend on rule order
        if finding.suppression is None and finding.location.path not in changed:
            key = fingerprint(finding)
            if remaining[key] > 0:
                remaining[key] -= 1
                left_out += 1
                continue
        kept.append(finding)
    return kept, left_out


def _roots(paths: Sequence[str], cwd: Path) -> list[str]:
    return [os.path.realpath(cwd / raw) for raw in paths if raw != "-"]


def _lintable(
    path: str,
    roots: Sequence[str],
    excludes: PathMatcher,
    cwd: Path,
    gitignore: GitIgnore | None,
) -> bool:
    """Whether walking `roots` would have linted the deleted file `path`."""
    if not path.endswith(EXTENSIONS) or force_excluded(path, excludes, cwd, gitignore):
        return False
    return any(path == root or path.startswith(root.rstrip(os.sep) + os.sep) for root in roots)
