"""Suppressions that say nothing true (issue 24): `unknown-suppression` and `unused-suppression`.

ruff's lesson (RUF100): a suppression that names no rule, or that no longer suppresses anything,
hides the next real problem or just lies to the reader. This filter runs after every suppression
filter of the run, reads what they recorded in `RunData` (`used_suppressions`,
`used_file_ignores`, `stale_baseline`) and reports:

- `unknown-suppression`: an entry of a `# netlint: ignore[...]` comment or a `netlint.io/ignore`
  annotation that is no rule id, prefix or `all` of the loaded rules, with the closest id;
- `unused-suppression` (off by default, `--report-unused`): a comment, annotation or
  per-file-ignores entry that suppressed nothing, and a baseline entry that matched no finding.
  An entry is judged only when a rule it names ran: with `--select service`, an
  `ignore[ingress-tls-host]` comment is neither used nor unused.

Its own findings are not suppressed by the comments they are about.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import field
from pathlib import Path
from typing import cast

from netlint.findings import Finding, Location, Severity
from netlint.records import record
from netlint.run.results import FindingFilter, RunData
from netlint.run.selection import entry_matches

from .suppression import IGNORE_ANNOTATION, annotation_line, directives_in, ignore_annotation

UNKNOWN = "unknown-suppression"
UNUSED = "unused-suppression"

# (glob, index of the entry in its list) -> (path, 1-based line) of the entry in the config file.
Locate = Callable[[str, int], tuple[str, int]]


@record(frozen=True)
class HygieneSettings:
    known_ids: Sequence[str]  # every loaded rule
    enabled: frozenset[str]  # the rules this run ran
    severities: Mapping[str, Severity]  # of UNKNOWN and UNUSED, overrides applied
    file_ignores: Mapping[str, Sequence[str]] = field(default_factory=lambda: {})
    locate_file_ignore: Locate | None = None
    baseline: Path | None = None
    baseline_shown: str = ""  # how the baseline is named in findings


def _similar(entry: str, known_ids: Sequence[str]) -> str:
    import difflib  # an unknown id's did-you-mean only (issue 31)

    close = difflib.get_close_matches(entry, known_ids, n=1, cutoff=0.7)
    return f"; did you mean {close[0]!r}?" if close else ""


def _location(path: str, line: int, column: int, width: int) -> Location:
    return Location(path, line, column, line, column + max(width, 1))


@record
class _Check:
    settings: HygieneSettings
    found: list[Finding] = field(default_factory=lambda: list[Finding]())

    def known(self, entry: str) -> bool:
        return any(entry_matches(entry, rule_id) for rule_id in self.settings.known_ids)

    def judged(self, entry: str | None) -> bool:
        """Whether a rule the entry names ran (None: a bare directive, every rule)."""
        if entry is None:
            return bool(self.settings.enabled)
        return any(entry_matches(entry, rule_id) for rule_id in self.settings.enabled)

    def report(self, rule_id: str, message: str, where: Location, hint: str | None) -> None:
        severity = self.settings.severities.get(rule_id)
        if severity is not None:
            self.found.append(Finding(rule_id, severity, message, where, None, (), hint))


def _comments(check: _Check, data: RunData) -> None:
    used = data.used_suppressions
    for path in sorted(data.directive_paths):
        text = data.sources.get(path)
        for directive in directives_in(text or ""):
            line = directive.line
            if directive.entries is None:
                if (path, line, None) not in used and check.judged(None):
                    check.report(
                        UNUSED,
                        "`# netlint: ignore` suppresses no finding of the rules that ran",
                        _location(path, line, directive.column, 1),
                        "remove the comment",
                    )
                continue
            for entry, column in directive.entries:
                where = _location(path, line, column, len(entry))
                if not check.known(entry):
                    check.report(
                        UNKNOWN,
                        f"`# netlint: ignore[{entry}]` names no rule"
                        f"{_similar(entry, check.settings.known_ids)}",
                        where,
                        "use a rule id from `netlint rules`, a prefix of one, or `all`",
                    )
                elif (path, line, entry) not in used and check.judged(entry):
                    check.report(
                        UNUSED,
                        f"`# netlint: ignore[{entry}]` suppresses no finding",
                        where,
                        f"remove {entry} from the comment",
                    )


def _object_annotations(check: _Check, data: RunData) -> None:
    for manifest in data.manifests:
        if manifest.source_path not in data.directive_paths:
            continue  # no annotation's word in its file: nothing to load
        annotation = ignore_annotation(manifest)
        if annotation is None:
            continue
        entries = annotation[0]
        line = annotation_line(manifest)
        span = manifest.span_of(("metadata", "annotations", IGNORE_ANNOTATION))
        where = Location(manifest.source_path, span[0] + 1, span[1] + 1, span[2] + 1, span[3] + 1)
        for entry in entries:
            subject = f"annotation {IGNORE_ANNOTATION} of {manifest.ref}"
            if not check.known(entry):
                check.report(
                    UNKNOWN,
                    f"{subject} names {entry!r}, which is no rule"
                    f"{_similar(entry, check.settings.known_ids)}",
                    where,
                    "use a rule id from `netlint rules`, a prefix of one, or `all`",
                )
            elif (manifest.source_path, line, entry) not in data.used_suppressions and (
                check.judged(entry)
            ):
                check.report(
                    UNUSED,
                    f"{subject}: {entry} suppresses no finding",
                    where,
                    f"remove {entry} from the annotation",
                )


def _file_ignores(check: _Check, data: RunData) -> None:
    locate = check.settings.locate_file_ignore
    if locate is None:
        return
    for glob, entries in check.settings.file_ignores.items():
        for index, entry in enumerate(entries):
            if (glob, entry) in data.used_file_ignores or not check.judged(entry):
                continue
            path, line = locate(glob, index)
            check.report(
                UNUSED,
                f"per-file-ignores {glob!r}: {entry} drops no finding",
                _location(path, line, 1, 1),
                f"remove {entry} from the entry for {glob!r}",
            )


def _baseline_entries(text: str) -> dict[str, str]:
    """fingerprint -> "rule in path (object)" of a baseline file's entries, for messages."""
    try:
        document: object = json.loads(text)
    except json.JSONDecodeError:
        return {}
    entries = (
        cast("dict[str, object]", document).get("findings") if isinstance(document, dict) else None
    )
    described: dict[str, str] = {}
    for raw in cast("list[object]", entries) if isinstance(entries, list) else []:
        if isinstance(raw, dict):
            entry = cast("dict[str, object]", raw)
            rule, path, obj = entry.get("rule"), entry.get("path"), entry.get("object")
            text_of = f"{rule} in {path}" + (f" ({obj})" if obj else "")
            described[str(entry.get("fingerprint"))] = text_of
    return described


def _baseline(check: _Check, data: RunData) -> None:
    baseline = check.settings.baseline
    if baseline is None or not data.stale_baseline:
        return
    try:
        text = baseline.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        text = ""
    lines = text.splitlines()
    described = _baseline_entries(text)
    for fingerprint, count in data.stale_baseline:
        line, column = next(
            ((n, t.index(fingerprint) + 1) for n, t in enumerate(lines, 1) if fingerprint in t),
            (1, 1),
        )
        copies = "a finding that is" if count == 1 else f"{count} findings that are"
        what = described.get(fingerprint, f"entry {fingerprint}")
        check.report(
            UNUSED,
            f"the baseline records {copies} gone: {what}",
            _location(check.settings.baseline_shown, line, column, len(fingerprint)),
            "rewrite the baseline with --write-baseline",
        )


def suppression_hygiene_filter(settings: HygieneSettings) -> FindingFilter:
    """The filter that adds `unknown-suppression` and `unused-suppression` findings; it must run
    after every suppression filter."""

    def apply(findings: list[Finding], data: RunData) -> list[Finding]:
        if not settings.severities:
            return findings
        check = _Check(settings)
        _comments(check, data)
        _object_annotations(check, data)
        _file_ignores(check, data)
        _baseline(check, data)
        if not check.found:
            return findings
        return sorted([*findings, *check.found], key=Finding.sort_key)

    return apply


__all__ = ["UNKNOWN", "UNUSED", "HygieneSettings", "suppression_hygiene_filter"]
