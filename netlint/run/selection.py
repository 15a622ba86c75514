"""Which rules run: ruff-style `select` / `extend-select` / `ignore` (DESIGN §7).

Entries are rule ids, id prefixes that end at a `-` boundary (`ingress`, `service-port`) or
`all`. `select` replaces the default set, `extend-select` adds to it, `ignore` removes. A rule that
is off by default runs only when selected by its full id or by `all`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from netlint.api import RuleMeta


class SelectionError(ValueError):
    """An entry that names no rule (exit code 2)."""


def entry_matches(entry: str, rule_id: str) -> bool:
    return entry in ("all", rule_id) or rule_id.startswith(entry + "-")


@dataclass(frozen=True, slots=True)
class Selection:
    select: tuple[str, ...] | None = None  # None: the default set
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()

    def validate(self, known_ids: Iterable[str]) -> None:
        ids = list(known_ids)
        for entry in (*(self.select or ()), *self.extend_select, *self.ignore):
            if not any(entry_matches(entry, rule_id) for rule_id in ids):
                raise SelectionError(f"unknown rule or prefix {entry!r} (see `netlint rules`)")

    def enabled(self, meta: RuleMeta) -> bool:
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
