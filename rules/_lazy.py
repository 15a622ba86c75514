"""The built-in pack's rules as `LazyRule`s, from the catalogue and `_registry.py`, which holds
what the engine asks of every rule before checking an object: its metadata, kinds,
`settles_locally` and optional hooks, taken from the rules themselves by `_generate.py`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from netlint.api import OPTIONAL_HOOKS, LazyRule, Rule, RuleMeta

# (module below the pack, name in it, arguments of a factory); a class is called with none.
Entry = tuple[str, ...]
# Per entry: the rule's metadata, its kinds (None: every kind), whether it settles locally and
# which of the engine's optional hooks it has.
Registered = tuple[RuleMeta, frozenset[str] | None, bool, frozenset[str]]


def source_of(package: str, entry: Entry) -> tuple[str, str, tuple[str, ...]]:
    module, name, *args = entry
    return f"{package}.{module}", name, tuple(args)


def lazy_rules(
    package: str, catalogue: Sequence[Entry], registry: Mapping[Entry, Registered]
) -> tuple[Rule, ...]:
    """The catalogue's rules; an entry missing from the registry (a rule added, the registry not
    regenerated yet) is imported now, so that it still runs."""
    rules: list[Rule] = []
    for entry in catalogue:
        registered = registry.get(entry)
        source = source_of(package, entry)
        if registered is None:
            rules.append(LazyRule.import_rule(source))
        else:
            meta, kinds, settles_locally, hooks = registered
            rules.append(LazyRule(meta, kinds, settles_locally, source, hooks))
    return tuple(rules)


def registered(rule: Rule) -> Registered:
    """What the registry keeps of a rule, imported."""
    hooks = frozenset(name for name in OPTIONAL_HOOKS if hasattr(rule, name))
    return rule.meta, rule.kinds, rule.settles_locally, hooks
