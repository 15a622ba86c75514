"""Which rules run: ruff-style `select` / `extend-select` / `ignore` (DESIGN §7).

Entries are rule ids, id prefixes that end at a `-` boundary (`ingress`, `service-port`) or
`all`. `select` replaces the default set, `extend-select` adds to it, `ignore` removes. A rule that
is off by default runs only when selected by its full id or by `all`. The input and tool errors
(`ALWAYS_REPORTED`) run whatever the entries say; naming one in `ignore` is refused, since it
would do nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import NamedTuple

from netlint.api import RuleMeta
from netlint.findings import ALWAYS_REPORTED


class SelectionError(ValueError):
    """An entry that names no rule (exit code 2)."""


def entry_matches(entry: str, rule_id: str) -> bool:
    return entry in ("all", rule_id) or rule_id.startswith(entry + "-")


def unknown_entry_message(entry: str, known_ids: Iterable[str], *, prefixes: bool = True) -> str:
    """`unknown rule or prefix 'ingres'`, with the closest id (or prefix) when one is close."""
    ids = list(known_ids)
    candidates = set(ids)
    if prefixes:
        candidates.update(rule_id[:i] for rule_id in ids for i, c in enumerate(rule_id) if c == "-")
    import difflib  # an unknown id's did-you-mean only (issue 31)

    close = difflib.get_close_matches(entry, sorted(candidates), n=1, cutoff=0.7)
    suggestion = f"; did you mean {close[0]!r}?" if close else ""
    what = "rule or prefix" if prefixes else "rule"
    return f"unknown {what} {entry!r}{suggestion} (see `netlint rules`)"


def always_reported_message(rule_id: str) -> str:
    return (
        f"{rule_id} is always reported: input and tool errors cannot be turned off or down "
        f"(per-file-ignores or `# netlint: ignore[{rule_id}]` silence it in one file)"
    )


class Selection(NamedTuple):
    select: tuple[str, ...] | None = None  # None: the default set
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()

    def validate(self, known_ids: Iterable[str]) -> None:
        ids = list(known_ids)
        for entry in (*(self.select or ()), *self.extend_select, *self.ignore):
            if not any(entry_matches(entry, rule_id) for rule_id in ids):
                raise SelectionError(unknown_entry_message(entry, ids))
        for entry in self.ignore:
            if entry in ALWAYS_REPORTED:
                raise SelectionError(always_reported_message(entry))

    def enabled(self, meta: RuleMeta) -> bool:
        if meta.id in ALWAYS_REPORTED:
            return True

        def picks(entries: Sequence[str]) -> bool:
            if meta.enabled_by_default:
                return any(entry_matches(entry, meta.id) for entry in entries)
            # Off-by-default rules need their full id (or `all`): a prefix is not an opt-in.
            return any(entry in ("all", meta.id) for entry in entries)

        chosen = picks(self.select) if self.select is not None else meta.enabled_by_default
        chosen = chosen or picks(self.extend_select)
        # A full-id select beats a prefix ignore, as in ruff: the more specific entry wins.
        if any(entry_matches(entry, meta.id) for entry in self.ignore):
            explicitly_selected = meta.id in (*(self.select or ()), *self.extend_select)
            ignored_exactly = meta.id in self.ignore
            if ignored_exactly or not explicitly_selected:
                return False
        return chosen
