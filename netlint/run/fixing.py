"""`netlint check --fix` and `--diff`: apply the findings' fixes, lint again, until none is left
(DESIGN §8a).

Each pass applies, file by file, the fixes that do not overlap (`netlint.input.edits`), then
lints the whole run again with the new texts in place of the files (`RunOptions.replaced`), so
that fixes that clashed, and findings that only the fixed text shows, come up in the next pass;
at most `MAX_PASSES` passes. Nothing is written here: the caller writes `FixOutcome.texts` (with
`write_fixed`) or prints their diff.

Never fixed: the files `netlint.run.fix_refusals` refuses (a Helm-rendered stream on stdin only
with `allow_helm_stdin`, `--diff`, with a note). A pass whose text no longer parses is undone
and that file is left as it was before it.
"""

from __future__ import annotations

import codecs
import difflib
import os
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from netlint.api import SchemaChecker
from netlint.findings import Finding
from netlint.input.edits import apply_fixes
from netlint.input.loader import load_yaml
from netlint.input.reading import STDIN_PATH, decode
from netlint.run.engine import RunOptions, run
from netlint.run.fix_refusals import HELM_STDIN_NOTE, broken_files, refusal
from netlint.run.registry import RuleSet
from netlint.run.results import Report

MAX_PASSES = 10


@dataclass(slots=True)
class FixOutcome:
    report: Report  # the last run's: what is left after the fixes
    originals: dict[str, str] = field(default_factory=lambda: {})  # path -> text as first linted
    texts: dict[str, str] = field(default_factory=lambda: {})  # path -> fixed text (changed only)
    fixed: dict[str, int] = field(default_factory=lambda: {})  # path -> fixes applied
    notes: list[str] = field(default_factory=lambda: list[str]())  # why a file was not fixed

    @property
    def count(self) -> int:
        return sum(self.fixed.values())


def fixable(finding: Finding, unsafe: bool) -> bool:
    return finding.fix is not None and finding.fix.applies(unsafe)


def _parses(text: str, path: str) -> bool:
    return not any(p.rule_id == "yaml-syntax" for p in load_yaml(text, path).problems)


def fix_run(
    options: RunOptions,
    rule_set: RuleSet,
    schemas: SchemaChecker,
    *,
    unsafe: bool,
    allow_helm_stdin: bool = False,
) -> FixOutcome:
    """Lint, fix and lint again (see the module's docstring); files are not written."""
    report = run(options, rule_set, schemas)
    outcome = FixOutcome(report)
    real_paths: dict[str, str] = {}
    blocked: set[str] = set()
    for _ in range(MAX_PASSES):
        broken = broken_files(report)
        by_path: dict[str, list[Finding]] = {}
        for finding in report.active:
            if fixable(finding, unsafe) and finding.location.path not in blocked:
                by_path.setdefault(finding.location.path, []).append(finding)
        changed = False
        for path, findings in by_path.items():
            text = outcome.texts.get(path)
            if text is None:
                text = report.data.sources.get(path)
            if text is None:  # changed on disk since it was read: not what was linted
                blocked.add(path)
                outcome.notes.append(f"{path}: not fixed: the file changed while it was linted")
                continue
            reason = refusal(path, report, text, allow_helm_stdin, broken)
            if reason is not None:
                blocked.add(path)
                outcome.notes.append(reason)
                continue
            new_text, applied = apply_fixes(text, [f.fix for f in findings if f.fix is not None])
            if not applied or new_text == text:
                continue
            if not _parses(new_text, path):
                blocked.add(path)
                outcome.notes.append(
                    f"{path}: some fixes were not applied: they would have broken the YAML "
                    "(a bug of the rule's fix; please report it)"
                )
                continue
            outcome.originals.setdefault(path, text)
            outcome.texts[path] = new_text
            outcome.fixed[path] = outcome.fixed.get(path, 0) + len(applied)
            real = report.data.real_paths.get(path)
            if real is not None:
                real_paths[path] = os.path.realpath(real)
            changed = True
        if not changed:
            break
        report = run(_with_texts(options, outcome.texts, real_paths), rule_set, schemas)
        outcome.report = report
    for path in list(outcome.texts):
        if outcome.texts[path] == outcome.originals[path]:  # fixed back to what it was
            del outcome.texts[path]
    if (
        allow_helm_stdin
        and STDIN_PATH in outcome.texts
        and "# Source: " in outcome.originals.get(STDIN_PATH, "")
    ):
        outcome.notes.append(HELM_STDIN_NOTE)
    return outcome


def _with_texts(
    options: RunOptions, texts: Mapping[str, str], real_paths: Mapping[str, str]
) -> RunOptions:
    replaced = dict(options.replaced)
    for path, text in texts.items():
        if path in real_paths:
            replaced[real_paths[path]] = text
    stdin_text = texts.get(STDIN_PATH, options.stdin_text)
    return replace(options, replaced=replaced, stdin_text=stdin_text)


def unified_diff(path: str, before: str, after: str) -> str:
    """The change of one file, as `diff -u` prints it (`a/` and `b/` prefixes, as git)."""
    lines = difflib.unified_diff(
        before.splitlines(keepends=True),
        after.splitlines(keepends=True),
        fromfile=f"a/{path}",
        tofile=f"b/{path}",
    )
    out: list[str] = []
    for line in lines:
        out.append(
            line if line.endswith(("\n", "\r")) else line + "\n\\ No newline at end of file\n"
        )
    return "".join(out)


def encoded(text: str, original: bytes) -> bytes:
    """`text` in the encoding of the file's `original` bytes, its byte-order mark kept."""
    for bom, codec in (
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
        (codecs.BOM_UTF8, "utf-8"),
    ):
        if original.startswith(bom):
            return bom + text.encode(codec)
    return text.encode("utf-8")


def write_fixed(file: str, before: str, after: str) -> str | None:
    """Write `after` over `file` if it still holds `before`, in its encoding, atomically and
    keeping its mode (through a symlink: the file it names); the reason when it was not
    written."""
    file = os.path.realpath(file)
    try:
        with open(file, "rb") as handle:
            original = handle.read()
        if decode(original) != before:
            return f"{file}: not fixed: the file changed while it was linted"
        info = os.stat(file)
        folder = os.path.dirname(os.path.abspath(file))
        descriptor, temporary = tempfile.mkstemp(prefix=".netlint-fix-", dir=folder)
        try:
            with os.fdopen(descriptor, "wb") as handle:
                handle.write(encoded(after, original))
            os.chmod(temporary, info.st_mode & 0o7777)
            os.replace(temporary, file)
        except BaseException:
            os.unlink(temporary)
            raise
    except (OSError, ValueError) as error:
        return f"{file}: not fixed: {error}"
    return None
