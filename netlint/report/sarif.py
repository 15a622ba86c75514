"""The SARIF 2.1.0 reporter, shaped for GitHub code scanning (DESIGN §8, "sarif").

One run. `tool.driver.rules` describes every enabled rule (id, PascalCase name, descriptions,
help in ruff's "What it does / Why is this bad? / Example / Use instead" shape, `helpUri`,
default level, tags, and `security-severity` for rules tagged `security`); results point at them
by `ruleId` and `ruleIndex`.

Artifact URIs are relative to `%SRCROOT%`, the root of the git work tree that holds the files
(found by walking up from each file's real path to a `.git` entry), else the working directory:
code scanning resolves them against the repository. A file under another root (a second
checkout) gets an absolute `file://` URI instead; stdin is `stdin`. Regions are 1-based with an
exclusive end column, counted in Unicode code points (`columnKind`). Suppressed findings are
kept as results with `suppressions` (`external` for the baseline, else `inSource`). A finding's
fix is the result's one `fixes` entry (§3.55): an artifactChange of its file whose replacements
are the edits (`deletedRegion`, empty for an insertion, and `insertedContent`); an unsafe fix
says so in its description and in `properties.applicability`.
"""

from __future__ import annotations

import json
import os
import re
from collections import Counter
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import cast
from urllib.parse import quote

from netlint.api import RuleMeta
from netlint.filters.fingerprint import fingerprint
from netlint.findings import Finding, Severity
from netlint.input.reading import STDIN_PATH
from netlint.input.work_trees import WorkTrees, reported_path
from netlint.report.common import fix_edits, helm_charts_json
from netlint.report.rule_docs import page_url, reference_urls
from netlint.run.results import Report

SARIF_SCHEMA = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
SRCROOT = "%SRCROOT%"
FINGERPRINT_KEY = "netlint/v1"

_LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def pascal_case(rule_id: str) -> str:
    return "".join(part[:1].upper() + part[1:] for part in rule_id.split("-"))


def _help_text(meta: RuleMeta) -> str:
    parts = [f"What it does\n{meta.what}", f"Why is this bad?\n{meta.why}"]
    if meta.example:
        parts.append(f"Example\n{meta.example.rstrip()}")
    if meta.fix:
        parts.append(f"Use instead\n{meta.fix.rstrip()}")
    references = reference_urls(meta)
    if references:
        parts.append("References\n" + "\n".join(references))
    return "\n\n".join(parts)


def _fenced(text: str) -> str:
    """YAML in a fence when it looks like YAML, else the text itself."""
    if "\n" in text.strip() or ": " in text:
        return f"```yaml\n{text.rstrip()}\n```"
    return text


def _help_markdown(meta: RuleMeta) -> str:
    parts = [f"## What it does\n{meta.what}", f"## Why is this bad?\n{meta.why}"]
    if meta.example:
        parts.append(f"## Example\n{_fenced(meta.example)}")
    if meta.fix:
        parts.append(f"## Use instead\n{_fenced(meta.fix)}")
    references = [f"- [{url}]({url})" for url in reference_urls(meta)]
    if references:
        parts.append("## References\n" + "\n".join(references))
    return "\n\n".join(parts)


def rule_descriptor(meta: RuleMeta) -> dict[str, object]:
    properties: dict[str, object] = {"tags": list(meta.tags)}
    if "security" in meta.tags and meta.security_severity is not None:
        # GitHub reads this as a string holding a number from 0.0 to 10.0.
        properties["security-severity"] = f"{meta.security_severity:.1f}"
    descriptor: dict[str, object] = {
        "id": meta.id,
        "name": pascal_case(meta.id),
        "shortDescription": {"text": meta.summary},
        "fullDescription": {"text": meta.what},
        "help": {"text": _help_text(meta), "markdown": _help_markdown(meta)},
    }
    help_uri = page_url(meta)
    if help_uri:
        descriptor["helpUri"] = help_uri
    descriptor["defaultConfiguration"] = {"level": _LEVELS[meta.severity]}
    descriptor["properties"] = properties
    return descriptor


# What `quote(..., safe="/")` leaves as it is.
_URI_SAFE = re.compile(r"[A-Za-z0-9_.~/-]*")


def _relative_uri(path: str, root: str) -> str | None:
    prefix = root if root.endswith(os.sep) else root + os.sep
    if not path.startswith(prefix):
        return None
    relative = path[len(prefix) :].replace(os.sep, "/")
    if _URI_SAFE.fullmatch(relative):  # the usual name: urllib's quoting is per character
        return relative
    # The file system's bytes, percent-encoded: a name that is not UTF-8 stays exact and valid.
    return quote(os.fsencode(relative), safe="/")


def _artifact_locations(report: Report, cwd: Path) -> tuple[dict[str, dict[str, str]], Path]:
    """artifactLocation per display path, and the root used as %SRCROOT%."""
    roots = WorkTrees(cwd)
    paths = sorted({f.location.path for f in report.findings} - {STDIN_PATH})
    real = {path: reported_path(path, report.data.real_paths, roots.cwd) for path in paths}
    root_of = {path: roots.root_of(real[path]) for path in paths}
    cwd_root = roots.git_root(roots.cwd) or roots.cwd
    if root_of:
        tally = Counter(root_of.values())
        # The root holding most files; ties go to the working directory's root, then the name.
        srcroot = min(tally, key=lambda root: (-tally[root], root != cwd_root, root))
    else:
        srcroot = cwd_root
    locations: dict[str, dict[str, str]] = {STDIN_PATH: {"uri": "stdin"}}
    for path in paths:
        uri = _relative_uri(real[path], srcroot)
        if uri is not None:
            locations[path] = {"uri": uri, "uriBaseId": SRCROOT}
        else:
            locations[path] = {"uri": Path(real[path]).as_uri()}
    return locations, Path(srcroot)


def _suppression(reason: str) -> dict[str, str]:
    kind = "external" if reason.lower().startswith("baseline") else "inSource"
    return {"kind": kind, "justification": reason}


def _fixes(
    finding: Finding, artifact: dict[str, str], sources: Mapping[str, str]
) -> list[dict[str, object]]:
    if finding.fix is None:
        return []
    applicability = finding.fix.applicability.value
    replacements = [
        {
            "deletedRegion": {
                "startLine": edit.line + 1,
                "startColumn": edit.column + 1,
                "endLine": edit.end_line + 1,
                "endColumn": edit.end_column + 1,
            },
            "insertedContent": {"text": edit.text},
        }
        for edit in fix_edits(finding, sources)
    ]
    title = finding.fix.title if applicability == "safe" else f"{finding.fix.title} (unsafe)"
    return [
        {
            "description": {"text": title},
            "artifactChanges": [{"artifactLocation": dict(artifact), "replacements": replacements}],
            "properties": {"applicability": applicability},
        }
    ]


def _result(
    finding: Finding,
    rule_index: int,
    artifact: dict[str, str],
    sources: Mapping[str, str],
) -> dict[str, object]:
    loc = finding.location
    result: dict[str, object] = {
        "ruleId": finding.rule_id,
        "ruleIndex": rule_index,
        "level": _LEVELS[finding.severity],
        "message": {"text": finding.message},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": dict(artifact),
                    "region": {
                        "startLine": loc.line,
                        "startColumn": loc.column,
                        "endLine": loc.end_line,
                        "endColumn": loc.end_column,
                    },
                }
            }
        ],
        "partialFingerprints": {FINGERPRINT_KEY: fingerprint(finding)},
    }
    if finding.suppression is not None:
        result["suppressions"] = [_suppression(finding.suppression)]
    fixes = _fixes(finding, artifact, sources)
    if fixes:
        result["fixes"] = fixes
    return result


def sarif_log(report: Report, *, cwd: Path, tool_version: str) -> dict[str, object]:
    """The whole SARIF log as data."""
    log, results = _log_and_results(report, cwd, tool_version)
    (run,) = cast("list[dict[str, object]]", log["runs"])
    run["results"] = list(results)
    return log


def _log_and_results(
    report: Report, cwd: Path, tool_version: str
) -> tuple[dict[str, object], Iterator[dict[str, object]]]:
    """The log without its run's `results` (which come last), and the results, built one at a
    time as they are read."""
    metas = list(report.rules)
    index = {meta.id: i for i, meta in enumerate(metas)}
    descriptors = [rule_descriptor(meta) for meta in metas]
    # A finding of a rule the report does not describe (should not happen) still gets a rule.
    for finding in report.findings:
        if finding.rule_id not in index:
            index[finding.rule_id] = len(descriptors)
            descriptors.append({"id": finding.rule_id, "name": pascal_case(finding.rule_id)})
    locations, srcroot = _artifact_locations(report, cwd)
    sources = report.data.sources
    results = (
        _result(finding, index[finding.rule_id], locations[finding.location.path], sources)
        for finding in report.findings
    )
    run: dict[str, object] = {
        "tool": {
            "driver": {
                "name": "netlint",
                "version": tool_version,
                "rules": descriptors,
            }
        },
        "originalUriBaseIds": {SRCROOT: {"uri": srcroot.as_uri().rstrip("/") + "/"}},
        "columnKind": "unicodeCodePoints",
    }
    if report.helm_charts:  # what the text summary says of them (issue 23, item 4)
        run["properties"] = {"helmCharts": helm_charts_json(report.helm_charts)}
    return {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}, results


# How the indented log ends: the run (the last one), then `runs`, then the log.
_LOG_END = "\n    }\n  ]\n}"


def render_sarif(report: Report, *, cwd: Path, tool_version: str) -> str:
    """The SARIF log as JSON, ending with a newline: indented, except that each result takes one
    line. A report can hold thousands of results; one per line reads and diffs well, and
    json's C encoder writes them several times faster than its indenting one.

    Each result is encoded as soon as it is built, and the lines joined once into the log: the
    results as data (3.7 MiB for 2,000 results) and a second copy of their text were held at
    once before, on top of the run's peak (issue 31)."""
    log, results = _log_and_results(report, cwd, tool_version)
    envelope = json.dumps(log, indent=2, ensure_ascii=False)
    assert envelope.endswith(_LOG_END)
    encode = json.JSONEncoder(ensure_ascii=False).encode  # json.dumps builds one per call
    parts = [envelope[: -len(_LOG_END)], ',\n      "results": [']
    separator = "\n        "
    for result in results:
        parts += (separator, encode(result))
        separator = ",\n        "
    parts.append("\n      ]" if len(parts) > 2 else "]")
    parts.append(_LOG_END + "\n")
    return "".join(parts)
