"""Finding rule packs: the built-in pack and installed packs through the `netlint.rules` entry
point group, and packs named with `--rules PATH` (DESIGN §6).

A pack is a module with a module-level `RULES` sequence. netlint imports exactly the module named;
it never imports every `*.py` of a folder, and configuration files never cause code to run.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from types import ModuleType
from typing import NamedTuple

from netlint.api import Rule
from netlint.run.entry_points import entry_points

ENTRY_POINT_GROUP = "netlint.rules"
BUILTIN_PACK = "netlint._builtin.rules"


class PackError(Exception):
    """A pack that cannot be loaded or that clashes with another (exit code 2)."""


class RuleSet(NamedTuple):
    rules: tuple[Rule, ...]
    origin: dict[str, str]  # rule id -> pack that provides it

    def by_id(self) -> dict[str, Rule]:
        return {rule.meta.id: rule for rule in self.rules}


def _rules_of(module: ModuleType, label: str) -> list[Rule]:
    rules = getattr(module, "RULES", None)
    if not isinstance(rules, (list, tuple)):
        raise PackError(f"rule pack {label} has no RULES list")
    found: list[Rule] = []
    for item in rules:  # pyright: ignore[reportUnknownVariableType]
        if not isinstance(item, Rule):
            raise PackError(f"rule pack {label}: RULES holds {item!r}, which is not a netlint Rule")
        found.append(item)
    return found


def _import_path(path: Path) -> ModuleType:
    """Import a `.py` file or a package folder given on the command line."""
    target = path / "__init__.py" if path.is_dir() else path
    if not target.is_file() or target.suffix != ".py":
        raise PackError(f"--rules {path}: not a Python module or package")
    module_name = f"netlint_user_pack_{abs(hash(str(target.resolve()))):x}"
    spec = importlib.util.spec_from_file_location(
        module_name, target, submodule_search_locations=[str(path)] if path.is_dir() else None
    )
    if spec is None or spec.loader is None:
        raise PackError(f"--rules {path}: cannot import")
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module
    try:
        spec.loader.exec_module(module)
    except Exception as error:
        raise PackError(f"--rules {path}: importing the pack failed: {error!r}") from error
    return module


def _entry_point_modules() -> list[tuple[str, ModuleType]]:
    modules: list[tuple[str, ModuleType]] = []
    seen_builtin = False
    for entry in sorted(
        entry_points(ENTRY_POINT_GROUP), key=lambda e: (e.value != BUILTIN_PACK, e.name)
    ):
        try:
            loaded: object = entry.load()
        except Exception as error:
            raise PackError(
                f"installed rule pack {entry.name} ({entry.value}) failed to load: {error!r}"
            ) from error
        if not isinstance(loaded, ModuleType):
            raise PackError(f"installed rule pack {entry.name} ({entry.value}) is not a module")
        seen_builtin = seen_builtin or entry.value == BUILTIN_PACK
        modules.append((entry.value, loaded))
    if not seen_builtin:
        # Running from a checkout whose metadata is stale: the built-in pack is still ours to load.
        modules.insert(0, (BUILTIN_PACK, importlib.import_module(BUILTIN_PACK)))
    return modules


def load_rules(
    extra_python_packs: Sequence[Path] = (), extra_rules: Iterable[tuple[str, Rule]] = ()
) -> RuleSet:
    """The built-in pack, installed packs, then `--rules` packs; ids must be unique."""
    rules: list[Rule] = []
    origin: dict[str, str] = {}

    def add(pack: str, rule: Rule) -> None:
        rule_id = rule.meta.id
        if rule_id in origin:
            raise PackError(
                f"rule id {rule_id!r} from {pack} is already defined by {origin[rule_id]}; "
                "pack rule ids must not collide with built-in or other packs' ids"
            )
        origin[rule_id] = pack
        rules.append(rule)

    for label, module in _entry_point_modules():
        for rule in _rules_of(module, label):
            add(label, rule)
    for path in extra_python_packs:
        for rule in _rules_of(_import_path(path), str(path)):
            add(str(path), rule)
    for label, rule in extra_rules:
        add(label, rule)
    return RuleSet(tuple(rules), origin)
