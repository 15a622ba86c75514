"""Which inventory facts a cross-file check read, and which facts a file provides.

The cross-file stage cache (`run.cross_file`) keeps each deferred check's findings with the
keys of the inventory questions it asked, and reuses them while no file that provides one of
those keys changed. A key names a set of objects that contains every possible answer:

    n <kind> <name>   get, all_named, copies, named_anywhere, named_elsewhere: the objects of
                      that kind and name, in any namespace (coarser than the namespace rules
                      the answers follow, never finer)
    k <kind>          of_kind
    l <key> <value>   matching_templates, matching_templates_elsewhere, candidates_with_label,
    l <key> *         by the selector's first label (the one the index looks up): the pod
                      templates whose pods carry key=value, and those on which a controller
                      sets the key to a computed value (`inventory.ANY_VALUE`, ordinals)
    T                 `Inventory.templates`: every pod template
    M                 `Inventory.manifests`, or anything else of the inventory: every object

A changed file (edited, added, deleted, renamed: its old and its new state) makes dirty every
key it provides before and after, so a check that read any object of that file, or that could
now find one there, runs again. An index a rule builds once (`Inventory.memo`) is read through
this recorder too: its build's keys count for every check that asks for it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import TypeVar, cast

from netlint.model.inventory import Inventory, PodTemplate
from netlint.model.label_values import OrdinalValues
from netlint.model.manifest import Manifest
from netlint.run.per_file import FileResult

T = TypeVar("T")

_SEP = "\x1f"
ALL_OBJECTS = "M"
ALL_TEMPLATES = "T"


def name_key(kind: str, name: str) -> str:
    return f"n{_SEP}{kind}{_SEP}{name}"


def kind_key(kind: str) -> str:
    return f"k{_SEP}{kind}"


def label_key(key: str, value: str | None) -> str:
    """`value` None: the templates whose pods get a computed value of `key`."""
    return f"l{_SEP}{key}{_SEP}{'*' if value is None else '=' + value}"


def provided_keys(result: FileResult) -> frozenset[str]:
    """Every key under which an inventory question can find an object or template of the file."""
    keys: set[str] = set()
    for manifest in result.manifests:
        keys.add(name_key(manifest.kind_key, manifest.name))
        keys.add(kind_key(manifest.kind_key))
    if result.manifests:
        keys.add(ALL_OBJECTS)
    for template in result.templates:
        keys.add(ALL_TEMPLATES)
        keys.update(_template_keys(template))
    return frozenset(keys)


def _template_keys(template: PodTemplate) -> Iterable[str]:
    for key, value in template.labels.items():
        yield label_key(key, value)
    for key, values in template.added_labels.items():
        if values is None or isinstance(values, OrdinalValues):
            yield label_key(key, None)
        else:
            for one in values:
                yield label_key(key, one)


class RecordingInventory:
    """The run's inventory, answering as it does, noting the key of every question asked since
    the last `start`. Rules get it in place of the inventory (it has the same methods)."""

    def __init__(self, inner: Inventory) -> None:
        self._inner = inner
        self._reads: set[str] = set()
        self._memo_reads: dict[str, frozenset[str]] = {}

    def start(self) -> None:
        self._reads = set()

    def stop(self) -> frozenset[str]:
        reads = frozenset(self._reads)
        self._reads = set()
        return reads

    # -- objects -----------------------------------------------------------------------------

    def get(self, kind: str, namespace: str | None, name: str) -> Manifest | None:
        self._reads.add(name_key(kind, name))
        return self._inner.get(kind, namespace, name)

    def all_named(self, kind: str, namespace: str | None, name: str) -> list[Manifest]:
        self._reads.add(name_key(kind, name))
        return self._inner.all_named(kind, namespace, name)

    def copies(self, kind: str, namespace: str | None, name: str) -> list[Manifest]:
        self._reads.add(name_key(kind, name))
        return self._inner.copies(kind, namespace, name)

    def named_anywhere(self, kind: str, name: str) -> list[Manifest]:
        self._reads.add(name_key(kind, name))
        return self._inner.named_anywhere(kind, name)

    def named_elsewhere(self, kind: str, namespace: str | None, name: str) -> list[Manifest]:
        self._reads.add(name_key(kind, name))
        return self._inner.named_elsewhere(kind, namespace, name)

    def of_kind(self, kind: str) -> list[Manifest]:
        self._reads.add(kind_key(kind))
        return self._inner.of_kind(kind)

    @property
    def manifests(self) -> list[Manifest]:
        self._reads.add(ALL_OBJECTS)
        return self._inner.manifests

    # -- pods --------------------------------------------------------------------------------

    def _selector_read(self, selector: Mapping[str, str]) -> None:
        if selector:
            key, value = next(iter(selector.items()))  # the label `TemplateIndex` looks up
            self._reads.add(label_key(key, value))
            self._reads.add(label_key(key, None))

    def matching_templates(
        self, selector: Mapping[str, str], namespace: str | None
    ) -> list[PodTemplate]:
        self._selector_read(selector)
        return self._inner.matching_templates(selector, namespace)

    def matching_templates_elsewhere(
        self, selector: Mapping[str, str], namespace: str | None
    ) -> list[PodTemplate]:
        self._selector_read(selector)
        return self._inner.matching_templates_elsewhere(selector, namespace)

    def candidates_with_label(
        self, namespace: str | None, key: str, value: str
    ) -> list[PodTemplate]:
        self._reads.add(label_key(key, value))
        self._reads.add(label_key(key, None))
        return self._inner.candidates_with_label(namespace, key, value)

    @property
    def templates(self) -> list[PodTemplate]:
        self._reads.add(ALL_TEMPLATES)
        return self._inner.templates

    # -- rule-specific indexes ---------------------------------------------------------------

    def memo(self, key: str, build: Callable[[Inventory], T]) -> T:
        """`Inventory.memo`, with `build` asking this recorder: what it read counts for every
        check that asks for the index."""
        known = self._memo_reads.get(key)
        if known is None:
            outer = self._reads
            self._reads = set()
            built = False

            def recorded(_: Inventory) -> T:
                nonlocal built
                built = True
                return build(cast("Inventory", self))

            try:
                value = self._inner.memo(key, recorded)
            finally:
                reads, self._reads = self._reads, outer
            # Built before this recorder existed: what it read is unknown, so everything.
            known = frozenset(reads) if built else frozenset((ALL_OBJECTS, ALL_TEMPLATES))
            self._memo_reads[key] = known
            self._reads |= known
            return value
        self._reads |= known
        return self._inner.memo(key, build)

    def __getattr__(self, name: str) -> object:
        """Anything else of the inventory: it may depend on every object."""
        self._reads.update((ALL_OBJECTS, ALL_TEMPLATES))
        return getattr(self._inner, name)


__all__ = [
    "ALL_OBJECTS",
    "ALL_TEMPLATES",
    "RecordingInventory",
    "kind_key",
    "label_key",
    "name_key",
    "provided_keys",
]
