"""Baselines (DESIGN §7): `--write-baseline FILE` records today's findings, `--baseline FILE`
reports only new ones.

A baseline is JSON:

    {
      "version": 1,
      "tool": "netlint",
      "findings": [
        {"fingerprint": "…", "count": 2, "rule": "service-selector", "path": "k8s/web.yaml",
         "object": "Service shop/web", "message": "…"},
        …
      ]
    }

Only `fingerprint` and `count` are read back; the rest is for the people who review the file.
Fingerprints come from `netlint.filters.fingerprint` and do not depend on line numbers, so edits around a
known problem do not resurface it. A fingerprint recorded with count N suppresses at most N
findings with that fingerprint (in report order): a new copy of an old problem is reported.
Suppressed findings are kept with a justification starting with `baseline`.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path
from typing import cast

from netlint.filters.fingerprint import fingerprint
from netlint.findings import Finding
from netlint.run.config import ConfigError
from netlint.run.results import FindingFilter, RunData

BASELINE_VERSION = 1


def baseline_document(findings: Iterable[Finding]) -> dict[str, object]:
    """The JSON document recording the active (unsuppressed) `findings`."""
    active = sorted((f for f in findings if f.suppression is None), key=Finding.sort_key)
    counts: Counter[str] = Counter()
    first: dict[str, Finding] = {}
    for finding in active:
        key = fingerprint(finding)
        counts[key] += 1
        first.setdefault(key, finding)
    entries: list[dict[str, object]] = []
    for key, finding in first.items():
        entry: dict[str, object] = {
            "fingerprint": key,
            "count": counts[key],
            "rule": finding.rule_id,
            "path": finding.location.path,
        }
        if finding.obj is not None:
            entry["object"] = str(finding.obj)
        entry["message"] = finding.message
        entries.append(entry)
    return {"version": BASELINE_VERSION, "tool": "netlint", "findings": entries}


def write_baseline(path: Path, findings: Iterable[Finding]) -> int:
    """Write the baseline of `findings` to `path`; returns how many findings it records."""
    document = baseline_document(findings)
    text = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    path.write_text(text, encoding="utf-8")
    entries = cast("list[dict[str, object]]", document["findings"])
    return sum(cast("int", entry["count"]) for entry in entries)


def read_baseline(path: Path) -> Counter[str]:
    """fingerprint -> recorded count; ConfigError when the file is missing or not a baseline."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"baseline file not found: {path}") from None
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"{path}: cannot read the baseline: {error}") from None
    try:
        document: object = json.loads(text)
    except json.JSONDecodeError as error:
        raise ConfigError(f"{path}:{error.lineno}: not a netlint baseline: {error.msg}") from None
    invalid = ConfigError(
        f"{path}: not a netlint baseline (expected an object with version {BASELINE_VERSION} "
        "and a `findings` list; write one with --write-baseline)"
    )
    if not isinstance(document, dict):
        raise invalid
    fields = cast("dict[str, object]", document)
    entries = fields.get("findings")
    if fields.get("version") != BASELINE_VERSION or not isinstance(entries, list):
        raise invalid
    counts: Counter[str] = Counter()
    for raw in cast("list[object]", entries):
        if not isinstance(raw, dict):
            raise invalid
        entry = cast("dict[str, object]", raw)
        key, count = entry.get("fingerprint"), entry.get("count", 1)
        if not isinstance(key, str) or not isinstance(count, int) or isinstance(count, bool):
            raise invalid
        counts[key] += max(count, 0)
    return counts


def baseline_filter(path: Path) -> FindingFilter:
    """A filter suppressing the findings recorded in the baseline at `path` (read now, so a
    missing or invalid file is a ConfigError before the run starts)."""
    recorded = read_baseline(path)
    justification = f"baseline {path.name}"

    def apply(findings: list[Finding], data: RunData) -> list[Finding]:
        remaining = Counter(recorded)
        # Report order, so which copies count as old does not depend on rule execution order.
        order = sorted(range(len(findings)), key=lambda i: findings[i].sort_key())
        result = list(findings)
        for index in order:
            finding = findings[index]
            if finding.suppression is not None:
                continue
            key = fingerprint(finding)
            if remaining[key] > 0:
                remaining[key] -= 1
                result[index] = replace(finding, suppression=justification)
        data.stale_baseline = sorted((key, count) for key, count in remaining.items() if count)
        return result

    return apply


__all__ = [
    "BASELINE_VERSION",
    "baseline_document",
    "baseline_filter",
    "read_baseline",
    "write_baseline",
]
