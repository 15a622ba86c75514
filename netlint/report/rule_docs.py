"""netlint's own documentation page for each rule (`docs/rules/<id>.md`) and their index,
generated from the rules' metadata, and the address of a rule's page for SARIF `helpUri` and
`netlint explain`.

The pages of the built-in rules live in the repository (a test keeps them current); their base
address is the distribution's `Rule docs` project URL (`[project.urls]` in pyproject.toml), so a
fork or a mirror that publishes the docs elsewhere sets it when it builds. A pack's rule has no
page here: its address is the one the pack gives (`RuleMeta.help_uri`).
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable, Mapping
from functools import cache
from importlib.metadata import PackageNotFoundError, metadata
from pathlib import Path

from netlint.api import Rule, RuleMeta
from netlint.findings import ALWAYS_REPORTED
from netlint.report.escape import inert
from netlint.run.registry import BUILTIN_PACK, RuleSet

DISTRIBUTION = "netlint-k8s"
DOCS_URL_LABEL = "Rule docs"
INDEX = "README.md"  # the page a code host shows for the folder
FIXABLE_TEXT = {
    "always": "always: `netlint check --fix` (or --unsafe-fixes) fixes its findings",
    "sometimes": "sometimes: `netlint check --fix` (or --unsafe-fixes) fixes some of its findings",
    "never": "never: its findings are fixed by hand",
}


def default_word(meta: RuleMeta) -> str:
    """The DEFAULT column of the rule tables: `always` for the input and tool errors no
    selection turns off, else `on` or `off`."""
    if meta.id in ALWAYS_REPORTED:
        return "always"
    return "on" if meta.enabled_by_default else "off"


def default_text(meta: RuleMeta) -> str:
    """Whether a rule runs without being selected, in words."""
    if meta.id in ALWAYS_REPORTED:
        return "always reported: no selection turns it off"
    if meta.enabled_by_default:
        return "on by default"
    return "off by default (select it by its full id)"


@cache
def docs_base_url() -> str | None:
    """The distribution's `Rule docs` URL, ending with `/`; None when netlint runs from a tree
    that was never installed."""
    try:
        urls = metadata(DISTRIBUTION).get_all("Project-URL") or []
    except PackageNotFoundError:
        return None
    for entry in urls:
        label, _, url = entry.partition(",")
        if label.strip() == DOCS_URL_LABEL and url.strip():
            return url.strip().rstrip("/") + "/"
    return None


@cache
def builtin_rule_ids() -> frozenset[str]:
    """The ids that have a page in docs/rules: the built-in pack's rules."""
    rules: Iterable[Rule] = importlib.import_module(BUILTIN_PACK).RULES
    return frozenset(rule.meta.id for rule in rules)


def page_url(meta: RuleMeta) -> str | None:
    """Where a user reads about the rule: netlint's page for a built-in rule, else the pack's
    own address."""
    base = docs_base_url()
    if base is not None and meta.id in builtin_rule_ids():
        return f"{base}{meta.id}.md"
    return meta.help_uri


def reference_urls(meta: RuleMeta) -> list[str]:
    """The addresses a rule's help lists: its netlint page, then the Kubernetes (or
    controller) documentation of the concept."""
    urls = [url for url in (page_url(meta), meta.help_uri) if url]
    return list(dict.fromkeys(urls))


def _fenced(text: str) -> str:
    """YAML in a fence when it looks like YAML, else the text as a paragraph."""
    if "\n" in text.strip() or ": " in text:
        return f"```yaml\n{text.rstrip()}\n```"
    return inert(text)


def rule_page(meta: RuleMeta) -> str:
    """The Markdown page of one rule: ruff's four parts, options, and the references."""
    parts = [
        f"# `{meta.id}`",
        f"{inert(meta.summary)}\n\nSeverity: **{meta.severity.label}**; {default_text(meta)}.",
        f"## What it does\n\n{inert(meta.what)}",
        f"## Why is this bad?\n\n{inert(meta.why)}",
    ]
    if meta.example:
        parts.append(f"## Example\n\n{_fenced(meta.example)}")
    if meta.fix:
        parts.append(f"## Use instead\n\n{_fenced(meta.fix)}")
    parts.append(f"Fix: {FIXABLE_TEXT[meta.fixable]}.")
    if meta.options:
        parts.append(f"## Options\n\n{inert(meta.options)}")
    if meta.gateway_counterpart:
        parts.append(f"## Gateway API counterpart\n\n{inert(meta.gateway_counterpart)}")
    references = [f"- [{meta.help_uri}]({meta.help_uri})"] if meta.help_uri else []
    references.append(f"- `netlint explain {meta.id}` prints this page in the terminal")
    parts.append("## References\n\n" + "\n".join(references))
    if meta.tags:
        parts.append("Tags: " + ", ".join(f"`{tag}`" for tag in meta.tags))
    return "\n\n".join(parts) + "\n"


def index_page(metas: Iterable[RuleMeta]) -> str:
    lines = [
        "# netlint rules",
        "",
        "One page per rule, generated from the rules' metadata by "
        "`netlint rules --write-docs docs/rules` (a test keeps them current).",
        "",
        "| id | severity | default | what it catches |",
        "|---|---|---|---|",
    ]
    for meta in metas:
        summary = inert(meta.summary).replace("|", "\\|")
        lines.append(
            f"| [`{meta.id}`]({meta.id}.md) | {meta.severity.label} | {default_word(meta)} | {summary} |"
        )
    return "\n".join(lines) + "\n"


def docs_pages(rule_set: RuleSet) -> Mapping[str, str]:
    """File name -> content of every page of `rule_set`: one per rule, and the index."""
    metas = [rule.meta for rule in rule_set.rules]
    pages = {f"{meta.id}.md": rule_page(meta) for meta in metas}
    pages[INDEX] = index_page(metas)
    return pages


def write_docs(rule_set: RuleSet, folder: Path) -> list[str]:
    """Write the pages into `folder` and remove pages of rules that no longer exist; the names
    of the files written or removed."""
    folder.mkdir(parents=True, exist_ok=True)
    pages = docs_pages(rule_set)
    changed: list[str] = []
    for stale in sorted(folder.glob("*.md")):
        if stale.name not in pages:
            stale.unlink()
            changed.append(stale.name)
    for name, text in pages.items():
        path = folder / name
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
            changed.append(name)
    return changed
