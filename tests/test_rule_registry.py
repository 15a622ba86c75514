"""The built-in pack's registry (rules/_registry.py) says of every rule what the rule says of
itself: a run uses the registry's metadata, kinds and `settles_locally` for rules it never
imports (issue 31), so a stale entry would change what users see."""

from __future__ import annotations

from netlint._builtin.rules import CATALOGUE, RULES
from netlint._builtin.rules._lazy import registered, source_of
from netlint._builtin.rules._registry import REGISTRY

from netlint.api import LazyRule, unwrapped
from netlint.input.loader import load_yaml
from netlint.model.manifest import Manifest, objects_of

PACK = "netlint._builtin.rules"
REGENERATE = "stale rules/_registry.py: run `python -m netlint._builtin.rules._generate`"


def test_the_registry_holds_the_catalogue_and_nothing_else() -> None:
    assert list(REGISTRY) == list(CATALOGUE), REGENERATE


def test_every_entry_is_what_its_rule_says_of_itself() -> None:
    for entry in CATALOGUE:
        rule = LazyRule.import_rule(source_of(PACK, entry))
        assert REGISTRY[entry] == registered(rule), f"{entry}: {REGENERATE}"


def test_the_pack_lists_every_rule_lazily_with_the_registry_values() -> None:
    assert len(RULES) == len(CATALOGUE)
    for entry, rule in zip(CATALOGUE, RULES, strict=True):
        assert isinstance(rule, LazyRule)
        assert registered(rule) == REGISTRY[entry]
        assert unwrapped(rule).meta == rule.meta


def _manifest(text: str) -> Manifest:
    (manifest,) = objects_of(load_yaml(text, "one.yaml").documents).manifests
    return manifest


def test_a_lazy_rule_is_imported_only_for_an_object_of_its_kinds() -> None:
    entry = ("ingress.ingress_tls_host", "IngressTlsHost")
    meta, kinds, settles, hooks = REGISTRY[entry]
    lazy = LazyRule(meta, kinds, settles, source_of(PACK, entry), hooks)
    assert not hasattr(lazy, "cache_token")  # as the rule has none, asked without importing it
    service = _manifest("apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n")
    assert lazy.applies_to(service) is False
    assert lazy._rule is None  # pyright: ignore[reportPrivateUsage]
    ingress = _manifest("apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: web\n")
    assert lazy.applies_to(ingress) is True
    assert type(unwrapped(lazy)).__name__ == "IngressTlsHost"


def test_every_rule_class_of_the_pack_is_listed_by_its_class() -> None:
    """A rule module's class is what the catalogue lists (a policy-backed rule class such as
    `ingress-path-format`, listed as its bare policy, would lose what its class adds)."""
    import importlib
    import inspect
    from pathlib import Path

    from netlint.api import Rule

    root = Path(importlib.import_module(PACK).__file__ or "").parent
    listed = {entry[:2] for entry in CATALOGUE}
    found: set[tuple[str, str]] = set()
    for path in sorted(root.glob("*/*.py")):
        if path.name.startswith("_"):
            continue
        module_name = f"{path.parent.name}.{path.stem}"
        module = importlib.import_module(f"{PACK}.{module_name}")
        for name, value in vars(module).items():
            if (
                inspect.isclass(value)
                and issubclass(value, Rule)
                and value.__module__ == module.__name__
            ):
                found.add((module_name, name))
    assert found
    assert sorted(found - listed) == []
