"""Rule documentation for people: `netlint rules` and `netlint explain ID`, generated from the
rules' metadata so that it cannot drift from the code (kube-linter's lesson)."""

from __future__ import annotations

import textwrap

from netlint.api import RuleMeta
from netlint.report.escape import inert, inert_lines
from netlint.report.rule_docs import FIXABLE_TEXT, default_text, default_word, reference_urls
from netlint.run.registry import RuleSet


def rules_table(rule_set: RuleSet) -> str:
    rows = [("ID", "SEVERITY", "DEFAULT", "FIX", "SUMMARY")]
    for rule in rule_set.rules:
        meta = rule.meta
        rows.append(
            (meta.id, meta.severity.label, default_word(meta), meta.fixable, inert(meta.summary))
        )
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    return "\n".join(
        "  ".join(f"{cell:<{width}}" for cell, width in zip(row, widths, strict=False))
        + f"  {row[4]}"
        for row in rows
    )


def rules_markdown(rule_set: RuleSet) -> str:
    """The README's rule table (kept current by a test)."""
    lines = ["| id | severity | default | what it catches |", "|---|---|---|---|"]
    for rule in rule_set.rules:
        meta = rule.meta
        summary = inert(meta.summary).replace("|", "\\|")
        if meta.fixable != "never":  # only these rows differ: other branches' rows stay as they are
            summary += f" (fix: {meta.fixable})"
        lines.append(f"| `{meta.id}` | {meta.severity.label} | {default_word(meta)} | {summary} |")
    return "\n".join(lines)


def _block(text: str) -> str:
    return textwrap.indent(inert_lines(text.rstrip("\n")), "    ")


def _fill(text: str) -> str:
    return textwrap.fill(inert(text), 96)


def explain_text(meta: RuleMeta) -> str:
    """The rule's docs in ruff's shape: what it does, why it is bad, example, use instead."""
    default = default_text(meta)
    lines = [
        f"{meta.id} ({meta.severity.label}, {default})",
        "",
        inert(meta.summary),
        "",
        "What it does",
        _fill(meta.what),
        "",
        "Why is this bad?",
        _fill(meta.why),
    ]
    if meta.example:
        lines += ["", "Example", _block(meta.example)]
    if meta.fix:
        lines += [
            "",
            "Use instead",
            _block(meta.fix) if "\n" in meta.fix else _fill(meta.fix),
        ]
    lines += ["", f"Fix: {FIXABLE_TEXT[meta.fixable]}"]
    if meta.options:
        lines += ["", "Options", _fill(meta.options)]
    if meta.gateway_counterpart:
        lines += ["", f"Gateway API counterpart: {inert(meta.gateway_counterpart)}"]
    references = [inert(url) for url in reference_urls(meta)]
    if references:
        lines += ["", "References", *references]
    if meta.tags:
        lines += ["", "Tags: " + inert(", ".join(meta.tags))]
    return "\n".join(lines)
