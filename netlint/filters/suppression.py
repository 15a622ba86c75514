"""Suppressions (DESIGN §7): inline ones that keep findings as suppressed, and per-file ignores.

Inline suppressions mark a finding as suppressed (it stays in the report with a justification,
which SARIF carries in `suppressions`); they never drop it:

- On the object: the annotation `netlint.io/ignore: "rule-a, rule-b"` suppresses that object's
  findings of those rules. Entries are separated by commas (or spaces); each is a rule id, an id
  prefix ending at a `-` boundary (`service-port`) or `all`, as in `select`. Text after `#` is
  the reason: `netlint.io/ignore: "service-selector # pods come from an operator"`. The
  justification reads `annotation netlint.io/ignore: <reason>`.
- In the file: the YAML comment `# netlint: ignore[rule-a, rule-b]` at the end of the finding's
  line, or alone on the line directly above it (not two lines above). Like ruff's bare `# noqa`,
  `# netlint: ignore` without brackets suppresses every rule on that line. Text after the
  directive is the reason (`# netlint: ignore[schema] -- CRD field`); the justification reads
  `inline comment` or `inline comment: <reason>`.

Comments are looked for only on the lines that have findings (and the line above them). A `#`
starts a comment only at the start of a line or after a space or tab, and not inside a quoted
scalar; a scalar spanning several lines (block or multi-line quoted) is not followed, which is
why a directive must spell `netlint: ignore` in full: ordinary text does not.

`per-file-ignores` (config: glob -> rule ids or prefixes) drops matching findings entirely, as in
ruff. Globs are relative to the configuration's directory and follow `exclude`'s rules.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Mapping, Sequence
from dataclasses import replace
from functools import cache
from pathlib import Path
from typing import NamedTuple

from netlint.findings import Finding
from netlint.input.document import unload_all
from netlint.input.lines import split_lines
from netlint.input.reading import STDIN_PATH
from netlint.input.sources import PathMatcher
from netlint.model.access import as_str
from netlint.model.manifest import Manifest
from netlint.run.results import DIRECTIVE_WORD, FindingFilter, RunData, UsedSuppressions
from netlint.run.selection import entry_matches

IGNORE_ANNOTATION = "netlint.io/ignore"
INLINE_JUSTIFICATION = "inline comment"

_ENTRY_SEPARATOR = r"[,\s]+"  # compiled by `re` on first use, as the two below


@cache
def _entry() -> re.Pattern[str]:
    return re.compile(r"[^,\s]+")


@cache
def _directive() -> re.Pattern[str]:
    """Compiled when a comment is first read, not at import: a run whose files have no comment
    never needs it (issue 31)."""
    return re.compile(r"#\s*netlint:\s*ignore(?![\w-])(?:\[([^\]]*)\])?(.*)$")


def parse_entries(text: str) -> tuple[str, ...]:
    """`"rule-a, rule-b"` -> ("rule-a", "rule-b")."""
    return tuple(entry for entry in re.split(_ENTRY_SEPARATOR, text.strip()) if entry)


# --- comments ------------------------------------------------------------------------------


def comment_start(line: str) -> int | None:
    """Index of the `#` that starts the line's YAML comment, or None (cheap, one line only)."""
    quote: str | None = None
    previous = " "
    index = 0
    while index < len(line):
        char = line[index]
        if quote == '"':
            if char == "\\":
                index += 2
                previous = "x"
                continue
            if char == '"':
                quote = None
        elif quote == "'":
            if char == "'":
                if line[index + 1 : index + 2] == "'":  # '' is a quote inside '...'
                    index += 2
                    continue
                quote = None
        elif char == "#" and previous in " \t":
            return index
        elif char in "\"'" and previous in " \t-:,[{?":
            # A quote opens a quoted scalar only where a scalar can start (not in `it's`).
            quote = char
        previous = char
        index += 1
    return None


class Directive(NamedTuple):
    """A `# netlint: ignore[...]` comment on one line of a source."""

    line: int  # 1-based
    column: int  # 1-based, of its `#`
    entries: tuple[tuple[str, int], ...] | None  # (entry, 1-based column); None: every rule
    reason: str
    alone: bool  # nothing but the comment on its line: it covers the line below too


def directive_on(line: str, number: int) -> Directive | None:
    """The directive of a source's line `number` (1-based), or None."""
    start = comment_start(line)
    if start is None:
        return None
    found = _directive().search(line, start)
    if found is None:
        return None
    entries: tuple[tuple[str, int], ...] | None = None
    if found.group(1) is not None:
        offset = found.start(1)
        entries = tuple(
            (piece.group(), offset + piece.start() + 1)
            for piece in _entry().finditer(found.group(1))
        )
    reason = found.group(2).strip().lstrip("-:#").strip()
    return Directive(number, start + 1, entries, reason, not line[:start].strip())


def directives_in(text: str) -> list[Directive]:
    """Every directive of a source, in line order."""
    if DIRECTIVE_WORD not in text:
        return []
    found: list[Directive] = []
    for number, line in enumerate(split_lines(text), 1):
        if DIRECTIVE_WORD in line:
            directive = directive_on(line, number)
            if directive is not None:
                found.append(directive)
    return found


class _Comments:
    """The directives of one source's lines, parsed on demand."""

    def __init__(self, text: str) -> None:
        self.lines = split_lines(text)
        self.cache: dict[int, Directive | None] = {}

    def at(self, number: int) -> Directive | None:
        """The directive on 1-based line `number`."""
        if number not in self.cache:
            result = None
            if 1 <= number <= len(self.lines):
                result = directive_on(self.lines[number - 1], number)
            self.cache[number] = result
        return self.cache[number]

    def suppresses(self, finding: Finding, used: UsedSuppressions) -> str | None:
        line = finding.location.line
        for number, needs_alone in ((line, False), (line - 1, True)):
            found = self.at(number)
            if found is None or (needs_alone and not found.alone):
                continue
            if found.entries is None:
                used.add((finding.location.path, number, None))
            else:
                matching = [e for e, _ in found.entries if entry_matches(e, finding.rule_id)]
                if not matching:
                    continue
                used.update((finding.location.path, number, entry) for entry in matching)
            return (
                f"{INLINE_JUSTIFICATION}: {found.reason}" if found.reason else INLINE_JUSTIFICATION
            )
        return None


# --- annotations ---------------------------------------------------------------------------


def ignore_annotation(manifest: Manifest) -> tuple[tuple[str, ...], str] | None:
    value = as_str(manifest.annotations.get(IGNORE_ANNOTATION))
    if value is None:
        return None
    entries, _, reason = value.partition("#")
    return parse_entries(entries), reason.strip()


_ObjectKey = tuple[str, str, str | None, str] | str  # (file, kind, namespace, name), or a file


class _Objects:
    """The report-set manifests by file and identity, to find the object a finding is about."""

    def __init__(self, manifests: Sequence[Manifest], sources: Mapping[str, str]) -> None:
        self.sources = sources
        self.by_ref: dict[tuple[str, str, str | None, str], list[Manifest]] = {}
        self.by_file: dict[str, list[Manifest]] = {}
        # Per key of `by_ref` or `by_file` asked about: the start lines of its objects, sorted,
        # and the objects in that order. Finding a finding's object then costs a bisection, not
        # a pass over every copy: N copies of one object with a finding each must not cost N².
        self.starts: dict[_ObjectKey, tuple[list[int], list[Manifest]]] = {}
        # (path, the 0-based numbers of its lines that start with `---`): one file at a time.
        self.markers: tuple[str, list[int]] | None = None
        for manifest in manifests:
            key = (manifest.source_path, manifest.kind, manifest.namespace, manifest.name)
            self.by_ref.setdefault(key, []).append(manifest)
            self.by_file.setdefault(manifest.source_path, []).append(manifest)

    @staticmethod
    def _start(manifest: Manifest) -> int:
        """1-based line where the object's text starts (a node's span ends where it starts)."""
        return manifest.span_of(())[0] + 1

    def _same_document(self, path: str, start: int, line: int) -> bool:
        """Whether no `---` line lies between line `start` and the finding's `line`."""
        if self.markers is None or self.markers[0] != path:
            lines = split_lines(self.sources.get(path, ""))
            self.markers = (path, [n for n, text in enumerate(lines) if text.startswith("---")])
        markers = self.markers[1]
        at = bisect_left(markers, start)  # the first marker at or below line `start` + 1
        return not (at < len(markers) and markers[at] < line - 1)

    def _last_starting_by(
        self, key: _ObjectKey, candidates: list[Manifest], line: int
    ) -> Manifest | None:
        """The last of `candidates` (in their order, among equal starts) that starts at or above
        `line`."""
        found = self.starts.get(key)
        if found is None:
            starts = [self._start(manifest) for manifest in candidates]
            order = sorted(range(len(candidates)), key=starts.__getitem__)  # stable
            found = self.starts[key] = (
                [starts[i] for i in order],
                [candidates[i] for i in order],
            )
        at = bisect_right(found[0], line)
        return found[1][at - 1] if at else None

    def of(self, finding: Finding) -> Manifest | None:
        path, line = finding.location.path, finding.location.line
        key: _ObjectKey
        if finding.obj is not None:
            obj = finding.obj
            key = (path, obj.kind, obj.namespace, obj.name)
            candidates = self.by_ref.get(key, [])
            if len(candidates) == 1:
                return candidates[0]
        else:
            key = path
            candidates = self.by_file.get(path, [])
        # Several objects with one identity (duplicates), or a finding with no object (a
        # duplicate key...): the last object that starts at or above the finding's line, in the
        # same YAML document.
        found = self._last_starting_by(key, candidates, line)
        if (
            found is not None
            and finding.obj is None
            and not self._same_document(path, self._start(found), line)
        ):
            return None
        return found


def annotation_line(manifest: Manifest) -> int:
    """1-based line of an object's `netlint.io/ignore` annotation value."""
    return manifest.span_of(("metadata", "annotations", IGNORE_ANNOTATION))[0] + 1


def _annotation_justification(reason: str) -> str:
    if reason:
        return f"annotation {IGNORE_ANNOTATION}: {reason}"
    return f"annotation {IGNORE_ANNOTATION}"


# --- the filters -------------------------------------------------------------------------------


def inline_suppressions(findings: list[Finding], data: RunData) -> list[Finding]:
    """The inline suppression filter (a `FindingFilter`): annotations and comments."""
    objects: _Objects | None = None
    current_path: str | None = None
    comments: _Comments | None = None
    result: list[Finding] = []
    for finding in findings:
        if finding.suppression is not None:
            result.append(finding)
            continue
        path = finding.location.path
        if path != current_path:
            # The engine sorts findings before the filters: one file's objects and comments at
            # a time (in any other order the answers are the same, only slower).
            unload_all()
            current_path = path
            text = data.sources.get(path)
            # Most files have no directive: a search at C speed saves splitting them into lines.
            comments = _Comments(text) if text and DIRECTIVE_WORD in text else None
        justification: str | None = None
        if objects is None:
            objects = _Objects(data.manifests, data.sources)
        # Only a file holding the annotation's word can hold the annotation (as `unused-suppression`
        # judges them): the objects of the others are not looked at, nor, after a replayed run
        # (`run.whole_run`), at hand.
        manifest = objects.of(finding) if path in data.directive_paths else None
        annotation = ignore_annotation(manifest) if manifest is not None else None
        if annotation is not None and manifest is not None:
            matching = [e for e in annotation[0] if entry_matches(e, finding.rule_id)]
            if matching:
                justification = _annotation_justification(annotation[1])
                at = annotation_line(manifest)
                data.used_suppressions.update((manifest.source_path, at, e) for e in matching)
        if justification is None and comments is not None:
            justification = comments.suppresses(finding, data.used_suppressions)
        result.append(
            finding if justification is None else replace(finding, suppression=justification)
        )
    unload_all()
    return result


def inline_suppression_filter() -> FindingFilter:
    """The inline suppression filter (annotations and comments), as the CLI installs it."""
    return inline_suppressions


def per_file_ignores_filter(patterns: Mapping[str, Sequence[str]], base_dir: Path) -> FindingFilter:
    """The `per-file-ignores` filter: drops the findings of the listed rules in matching files,
    and notes which (glob, entry) pairs dropped something (for `unused-suppression`)."""
    matchers = [
        (glob, PathMatcher([glob], base_dir), tuple(entries)) for glob, entries in patterns.items()
    ]

    def apply(findings: list[Finding], data: RunData) -> list[Finding]:
        if not matchers:
            return findings
        ignored: dict[str, tuple[tuple[str, str], ...]] = {}

        def entries_for(path: str) -> tuple[tuple[str, str], ...]:
            if path not in ignored:
                entries: list[tuple[str, str]] = []
                if path != STDIN_PATH:
                    real = Path(data.real_paths.get(path, path))
                    for glob, matcher, names in matchers:
                        if matcher.matches(real):
                            entries.extend((glob, name) for name in names)
                ignored[path] = tuple(entries)
            return ignored[path]

        kept: list[Finding] = []
        for finding in findings:
            matching = [
                pair
                for pair in entries_for(finding.location.path)
                if entry_matches(pair[1], finding.rule_id)
            ]
            data.used_file_ignores.update(matching)
            if not matching:
                kept.append(finding)
        return kept

    return apply


__all__ = [
    "IGNORE_ANNOTATION",
    "INLINE_JUSTIFICATION",
    "Directive",
    "annotation_line",
    "comment_start",
    "directive_on",
    "directives_in",
    "ignore_annotation",
    "inline_suppression_filter",
    "inline_suppressions",
    "parse_entries",
    "per_file_ignores_filter",
]
