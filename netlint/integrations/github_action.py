"""The script of netlint's composite GitHub Action (`action.yml` runs `python -m netlint.integrations.github_action`).

One netlint run gives everything the step shows (DESIGN §8): workflow-command annotations
(`--output-format github`), a SARIF file for `github/codeql-action/upload-sarif`, and the JSON
report from which this module writes the job summary and the step's outputs. The step's exit code
is netlint's: 0 clean, 1 findings at or above the fail level (or an internal error), 2 usage or
configuration error.

Inputs reach this script only through environment variables that `action.yml` sets with `env:`,
never through text interpolated into a `run:` script (a path or an argument could otherwise
inject shell code):

    INPUT_PATHS       paths or glob patterns to lint, separated by whitespace or newlines,
                      shell-quoted if they hold spaces (empty: the config's `paths`, else `.`)
    INPUT_CONFIG      configuration file (empty: discovered as usual)
    INPUT_FAIL_ON     error | warning | info (empty: the config's `fail-on`, else warning)
    INPUT_ARGS        extra `netlint check` arguments, shell-quoted
    INPUT_SARIF_FILE  where to write SARIF (empty: no SARIF)
    INPUT_CHANGED_SINCE  diff-aware base: a git revision, `all` for every finding, empty for the
                      pull request's base on pull_request events (else every finding)

and the runner's own `GITHUB_STEP_SUMMARY`, `GITHUB_OUTPUT` and `RUNNER_TEMP`.

GitHub's limits, as the Actions toolkit documents them (docs/problem-matchers.md, "Limitations"):
a step shows at most 10 error, 10 warning and 10 notice annotations, and a job at most 50; a
step's summary may hold at most 1 MiB (docs.github.com, workflow commands, "Step isolation and
limits"). So the most severe findings become annotations, ten of each level, and the others are
listed in the log between `stop-commands` markers (their text is never read as a command) and in
the summary table, which stops before the size limit and says how many rows it left out.
"""

from __future__ import annotations

import glob
import html
import json
import os
import secrets
import shlex
import subprocess
import sys
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO, cast

from netlint.report.common import plural
from netlint.report.escape import inert, inert_lines
from netlint.report.github import escape_data
from netlint.run.git_changes import GitError, merge_parents

ANNOTATIONS_PER_LEVEL = 10  # per step and per level (error, warning, notice)
SUMMARY_BUDGET = 1_000_000  # bytes; GitHub refuses a step summary above 1 MiB
_LEVELS = ("error", "warning", "notice")
_SEVERITY_RANK = {"error": 0, "warning": 1, "info": 2}
_MARKDOWN_SPECIAL = "\\`*_[]|~"
EXIT_USAGE = 2


@dataclass(frozen=True, slots=True)
class ActionInputs:
    paths: tuple[str, ...] = ()
    config: str = ""
    fail_on: str = ""
    args: tuple[str, ...] = ()
    sarif_file: str = ""
    changed_since: str = ""

    @classmethod
    def from_env(cls, env: Mapping[str, str], cwd: str = ".") -> ActionInputs:
        """Reads the INPUT_* variables; raises ValueError for text that cannot be split, and
        for a pattern in `paths` that matches nothing under `cwd` (the workspace)."""

        def get(name: str) -> str:
            return env.get(name, "").strip()

        try:
            paths = tuple(shlex.split(get("INPUT_PATHS")))
            args = tuple(shlex.split(get("INPUT_ARGS")))
        except ValueError as error:
            raise ValueError(f"cannot split the paths or args input: {error}") from None
        paths = expand_globs(paths, cwd)
        fail_on = get("INPUT_FAIL_ON").lower()
        if fail_on and fail_on not in _SEVERITY_RANK:
            raise ValueError(f"fail-on must be error, warning or info, not {fail_on!r}")
        return cls(
            paths,
            get("INPUT_CONFIG"),
            fail_on,
            args,
            get("INPUT_SARIF_FILE"),
            get("INPUT_CHANGED_SINCE"),
        )


_GLOB_CHARACTERS = frozenset("*?[")


def expand_globs(paths: Sequence[str], cwd: str) -> tuple[str, ...]:
    """The `paths` input read as config `paths:` reads its entries: a pattern (`k8s/**/*.yaml`,
    `**` crossing folders) stands for the files and folders it matches under `cwd`, sorted. A
    path that exists is itself, even with glob characters in its name. netlint, not a shell,
    gets the input, so nothing else would expand it."""
    expanded: list[str] = []
    for path in paths:
        if not _GLOB_CHARACTERS & set(path) or os.path.lexists(os.path.join(cwd, path)):
            expanded.append(path)
            continue
        matches = sorted(glob.glob(path, root_dir=cwd, recursive=True))
        if not matches:
            raise ValueError(f"paths: {path!r} matches no file or folder")
        expanded += matches
    return tuple(expanded)


PULL_REQUEST_EVENTS = ("pull_request", "pull_request_target")


def change_base(inputs: ActionInputs, env: Mapping[str, str], cwd: str) -> tuple[str | None, str]:
    """The revision the run is diff-aware against (None: report every finding), and a line for
    the log saying what the step reports. On a pull request, actions/checkout checks out the
    merge commit GitHub made of it: its first parent is the base branch, so the change is what
    the pull request brings (it needs `fetch-depth: 2`, else the parents are not fetched)."""
    if inputs.changed_since == "all":
        return None, "netlint: reporting every finding (changed-since: all)"
    if inputs.changed_since:
        return inputs.changed_since, f"netlint: reporting the change since {inputs.changed_since}"
    if env.get("GITHUB_EVENT_NAME") not in PULL_REQUEST_EVENTS:
        return None, "netlint: reporting every finding (not a pull request)"
    try:
        parents = merge_parents(cwd)
    except GitError as error:
        parents, reason = None, str(error)
    else:
        reason = "HEAD is not a merge commit, or its parents were not fetched"
    if parents is None:
        return None, (
            f"netlint: reporting every finding, not only the pull request's: {reason} "
            "(check out with fetch-depth: 2, or set changed-since)"
        )
    return parents[0], f"netlint: reporting what the pull request changes (base {parents[0][:12]})"


def netlint_command(inputs: ActionInputs, json_file: str, base: str | None = None) -> list[str]:
    """The `netlint check` command line. The user's extra arguments come first, so that the
    options this action depends on (format, reports) win where an option is given twice. The
    paths come after `--`, so a path that starts with `-` is a file, never an option; Python runs
    isolated (`-I`), so nothing in the linted checkout (the working directory) is imported."""
    command = [sys.executable, "-I", "-m", "netlint", "check", *inputs.args]
    if inputs.config:
        command += ["--config", inputs.config]
    if inputs.fail_on:
        command += ["--fail-on", inputs.fail_on]
    command += ["--output-format", "github", "--json-file", json_file]
    if inputs.sarif_file:
        command += ["--sarif-file", inputs.sarif_file]
    if base is not None:
        command += ["--changed-since", base]
    if inputs.paths:
        command += ["--", *inputs.paths]
    return command


@dataclass(slots=True)
class Findings:
    """What the JSON report says, reduced to what the step shows."""

    errors: int = 0
    warnings: int = 0
    info: int = 0
    suppressed: int = 0
    files: int = 0
    objects: int = 0
    active: list[dict[str, object]] = field(default_factory=lambda: list[dict[str, object]]())

    @classmethod
    def from_json(cls, text: str) -> Findings:
        data = cast("dict[str, object]", json.loads(text))
        summary = cast("dict[str, int]", data.get("summary", {}))
        findings = cast("list[dict[str, object]]", data.get("findings", []))
        active = [f for f in findings if f.get("suppressed") is None]
        active.sort(key=lambda f: _SEVERITY_RANK.get(str(f.get("severity")), 3))  # stable
        return cls(
            errors=int(summary.get("errors", 0)),
            warnings=int(summary.get("warnings", 0)),
            info=int(summary.get("info", 0)),
            suppressed=int(summary.get("suppressed", 0)),
            files=int(summary.get("files", 0)) - int(summary.get("skippedFiles", 0)),
            objects=int(summary.get("objects", 0)),
            active=active,
        )


# --- annotations -------------------------------------------------------------------------------


def split_annotations(lines: Sequence[str]) -> tuple[list[str], list[int]]:
    """The workflow commands GitHub will show (at most ANNOTATIONS_PER_LEVEL per level, in the
    order given, which netlint makes most severe first) and the indexes of the others."""
    shown: list[str] = []
    left_out: list[int] = []
    counts = dict.fromkeys(_LEVELS, 0)
    for index, line in enumerate(lines):
        level = line[2:].split(" ", 1)[0].split("::", 1)[0] if line.startswith("::") else ""
        if level not in counts:
            continue
        if counts[level] < ANNOTATIONS_PER_LEVEL:
            counts[level] += 1
            shown.append(line)
        else:
            left_out.append(index)
    return shown, left_out


def finding_line(finding: Mapping[str, object]) -> str:
    """`path:line:col: severity[rule] message`, as the text reporter's first line, followed by
    ` (help: HINT)` when the finding has a hint (the text reporter puts it on its own line)."""
    location = f"{finding.get('path')}:{finding.get('line')}:{finding.get('column')}"
    text = f"{location}: {finding.get('severity')}[{finding.get('rule')}] {finding.get('message')}"
    hint = finding.get("hint")
    return inert(f"{text} (help: {hint})" if hint else text)


def write_annotations(
    out: TextIO, annotation_lines: Sequence[str], findings: Findings, token: str | None = None
) -> int:
    """Prints the annotations GitHub will show, then the other findings as plain log lines.
    Returns how many findings got no annotation."""
    shown, left_out = split_annotations(annotation_lines)
    for line in shown:
        out.write(line + "\n")
    if not left_out:
        return 0
    # The reporter writes one command per active finding, in the same order as `active`.
    rest = [findings.active[i] for i in left_out if i < len(findings.active)]
    token = token or secrets.token_hex(16)
    out.write(
        f"::group::netlint: {len(left_out)} more findings without an annotation (GitHub shows "
        f"at most {ANNOTATIONS_PER_LEVEL} per level and step; all are in the job summary and "
        "the SARIF file)\n"
    )
    out.write(f"::stop-commands::{token}\n")
    for finding in rest:
        out.write(finding_line(finding) + "\n")  # one line: finding_line escapes line breaks
    out.write(f"::{token}::\n")
    out.write("::endgroup::\n")
    return len(left_out)


# --- job summary -------------------------------------------------------------------------------


def markdown_cell(text: str) -> str:
    """Text shown literally in a GitHub-flavoured Markdown table cell."""
    escaped = html.escape(inert_lines(text), quote=False)
    for char in _MARKDOWN_SPECIAL:
        escaped = escaped.replace(char, "\\" + char)
    return escaped.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "<br>")


def summary_markdown(
    findings: Findings, exit_code: int, sarif_file: str, budget: int = SUMMARY_BUDGET
) -> str:
    """The job summary: a headline with the counts, then one table row per active finding, most
    severe first, until the summary would exceed `budget` bytes."""
    headline = (
        f"### netlint: {plural(findings.errors, 'error')}, "
        f"{plural(findings.warnings, 'warning')}, {findings.info} info"
    )
    verdict = {
        0: "passed: nothing at or above the fail level",
        1: "failed: findings at or above the fail level",
    }.get(exit_code, "could not run")
    facts = [
        f"Exit code {exit_code} ({verdict})",
        f"{plural(findings.files, 'file')} linted",
        plural(findings.objects, "object"),
    ]
    if findings.suppressed:
        facts.append(f"{findings.suppressed} suppressed")
    if sarif_file:
        facts.append(f"SARIF: <code>{markdown_cell(sarif_file)}</code>")
    parts = [headline, "", "; ".join(facts) + ".", ""]
    if not findings.active:
        return "\n".join(parts) + "\n"
    parts += ["| Severity | Rule | Location | Message |", "| --- | --- | --- | --- |"]
    used = len("\n".join(parts).encode("utf-8")) + 200  # room for the closing line
    shown = 0
    for finding in findings.active:
        severity = str(finding.get("severity"))
        location = f"{finding.get('path')}:{finding.get('line')}:{finding.get('column')}"
        message = str(finding.get("message"))
        hint = finding.get("hint")
        cell = markdown_cell(message)
        if hint:
            cell += f"<br><i>help: {markdown_cell(str(hint))}</i>"
        row = (
            f"| {'**error**' if severity == 'error' else severity} "
            f"| <code>{markdown_cell(str(finding.get('rule')))}</code> "
            f"| <code>{markdown_cell(location)}</code> | {cell} |"
        )
        size = len(row.encode("utf-8")) + 1
        if used + size > budget:
            break
        parts.append(row)
        used += size
        shown += 1
    left = len(findings.active) - shown
    if left:
        parts += [
            "",
            f"{left} more findings are not listed here (a step summary holds at most 1 MiB); "
            "the SARIF file and the step's log have all of them.",
        ]
    return "\n".join(parts) + "\n"


# --- outputs -----------------------------------------------------------------------------------


def output_lines(values: Mapping[str, str]) -> str:
    """`GITHUB_OUTPUT` entries in the multi-line form, with a delimiter no value contains."""
    text = ""
    for name, value in values.items():
        delimiter = f"netlint_{secrets.token_hex(8)}"
        while delimiter in value:
            delimiter = f"netlint_{secrets.token_hex(8)}"
        text += f"{name}<<{delimiter}\n{value}\n{delimiter}\n"
    return text


def _append(path: str | None, text: str) -> None:
    if path:
        with Path(path).open("a", encoding="utf-8") as handle:
            handle.write(text)


def _usage_failure(
    message: str, env: Mapping[str, str], out: TextIO, code: int = EXIT_USAGE
) -> int:
    """netlint could not run (bad inputs or config, or an internal error): one annotation, and
    `code` as the step's exit code and output."""
    # Split at LF only: str.splitlines also breaks at U+2028, \v, \x85..., which a crafted name
    # in netlint's output could use to start a line of its own.
    first_line = message.strip().split("\n")[0] if message.strip() else "netlint failed"
    out.write(f"::error title=netlint::{escape_data(inert(first_line))}\n")
    _append(
        env.get("GITHUB_STEP_SUMMARY"),
        f"### netlint could not run\n\n<pre>{html.escape(message.strip())}</pre>\n",
    )
    _append(
        env.get("GITHUB_OUTPUT"),
        output_lines(
            {
                "exit-code": str(code),
                "sarif-file": "",
                "errors": "",
                "warnings": "",
                "info": "",
            }
        ),
    )
    return code


def main(env: Mapping[str, str] | None = None, out: TextIO | None = None) -> int:
    """Runs netlint as the action's step does; returns the exit code the step must end with."""
    return _run(os.environ if env is None else env, sys.stdout if out is None else out)


def _run(env: Mapping[str, str], out: TextIO) -> int:
    try:
        inputs = ActionInputs.from_env(env, os.getcwd())
    except ValueError as error:
        return _usage_failure(f"netlint: error: {error}", env, out)
    base, what = change_base(inputs, env, os.getcwd())
    sys.stderr.write(what + "\n")
    temp_dir = env.get("RUNNER_TEMP") or None
    with tempfile.TemporaryDirectory(prefix="netlint-", dir=temp_dir) as scratch:
        json_file = str(Path(scratch) / "report.json")
        completed = subprocess.run(
            netlint_command(inputs, json_file, base),
            capture_output=True,
            text=True,
            encoding="utf-8",
            check=False,
        )
        sys.stderr.write(completed.stderr)
        json_path = Path(json_file)
        if completed.returncode not in (0, 1) or not json_path.is_file():
            # No report: a usage error (2), or an internal error (1: a bug in netlint).
            code = completed.returncode if completed.returncode > 0 else EXIT_USAGE
            return _usage_failure(completed.stderr or completed.stdout, env, out, code)
        findings = Findings.from_json(json_path.read_text(encoding="utf-8"))
    # LF only, as the runner reads the log (see _usage_failure).
    lines = completed.stdout.split("\n")
    annotation_lines = [line.removesuffix("\r") for line in lines if line.startswith("::")]
    write_annotations(out, annotation_lines, findings)
    out.flush()
    _append(
        env.get("GITHUB_STEP_SUMMARY"),
        summary_markdown(findings, completed.returncode, inputs.sarif_file),
    )
    _append(
        env.get("GITHUB_OUTPUT"),
        output_lines(
            {
                "exit-code": str(completed.returncode),
                "sarif-file": inputs.sarif_file,
                "errors": str(findings.errors),
                "warnings": str(findings.warnings),
                "info": str(findings.info),
            }
        ),
    )
    return completed.returncode


if __name__ == "__main__":
    sys.exit(main())
