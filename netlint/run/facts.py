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
from dataclasses import dataclass
from typing import TypeVar, cast

from netlint.model.inventory import Inventory, PodTemplate
from netlint.model.label_values import OrdinalValues
from netlint.model.manifest import Manifest, observe_spans
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


def object_keys(manifest: Manifest, templates: Iterable[PodTemplate]) -> set[str]:
    """Every key under which an inventory question can find `manifest` or its pod templates."""
    keys = {name_key(manifest.kind_key, manifest.name), kind_key(manifest.kind_key), ALL_OBJECTS}
    for template in templates:
        keys.add(ALL_TEMPLATES)
        keys.update(_template_keys(template))
    return keys


def _templates_by_owner(result: FileResult) -> dict[int, list[PodTemplate]]:
    owned: dict[int, list[PodTemplate]] = {}
    for template in result.templates:
        owned.setdefault(id(template.owner), []).append(template)
    return owned


def provided_keys(result: FileResult) -> frozenset[str]:
    """Every key under which an inventory question can find an object or template of the file."""
    owned = _templates_by_owner(result)
    keys: set[str] = set()
    for manifest in result.manifests:
        keys |= object_keys(manifest, owned.get(id(manifest), ()))
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


def _same_node(old: object, new: object) -> bool:
    """`old == new`, but telling apart what Python's `==` does not and a rule may: `true`,
    `1` and `1.0`; and the order of a mapping's keys."""
    if type(old) is not type(new):
        return False
    if isinstance(old, dict):
        a, b = cast("dict[str, object]", old), cast("dict[str, object]", new)
        return len(a) == len(b) and all(
            k1 == k2 and _same_node(v1, v2)
            for (k1, v1), (k2, v2) in zip(a.items(), b.items(), strict=True)
        )
    if isinstance(old, list):
        a2, b2 = cast("list[object]", old), cast("list[object]", new)
        return len(a2) == len(b2) and all(map(_same_node, a2, b2))
    return old == new


def _same_object(old: Manifest, new: Manifest) -> bool:
    """Whether an inventory question can tell the two apart, their positions aside."""
    return (
        old.kind_key == new.kind_key
        and old.kind == new.kind
        and old.api_version == new.api_version
        and old.namespace == new.namespace
        and old.name == new.name
        and old.in_report_set == new.in_report_set
        and old.source_path == new.source_path
        and _same_node(old.data, new.data)
    )


def same_objects(old: FileResult, new: FileResult) -> frozenset[int]:
    """The numbers of the objects that are the same in two states of one file: the same object
    (`_same_object`) at the same place, under the same number in the file's manifests. A
    deferred check of one reads nothing else of its file but through the inventory, so its
    record holds for the other state while what it read is unchanged (`run.cross_file`)."""
    same: set[int] = set()
    for number, (was, now) in enumerate(zip(old.manifests, new.manifests, strict=False)):
        if (
            was.document.index == now.document.index
            and was.base == now.base
            and _same_object(was, now)
        ):
            same.add(number)
    return frozenset(same)


def changed_keys(old: FileResult, new: FileResult) -> frozenset[str]:
    """The keys of the objects that differ between two states of one file: an object (by its
    document and place there) that is not the same in both gives the keys of both states.
    Positions are not compared: a check that read one is judged by its file (`cross_file`)."""
    old_owned = _templates_by_owner(old)
    new_owned = _templates_by_owner(new)
    before = {(m.document.index, m.base): m for m in old.manifests}
    after = {(m.document.index, m.base): m for m in new.manifests}
    keys: set[str] = set()
    for place in before.keys() | after.keys():
        was, now = before.get(place), after.get(place)
        if was is not None and now is not None and _same_object(was, now):
            continue
        if was is not None:
            keys |= object_keys(was, old_owned.get(id(was), ()))
        if now is not None:
            keys |= object_keys(now, new_owned.get(id(now), ()))
    return frozenset(keys)


@dataclass(frozen=True, slots=True)
class Reads:
    """What one check read: inventory keys, the indexes it used (`Inventory.memo`, whose own
    reads are kept once, by name), and the files of the objects whose positions it asked for."""

    keys: frozenset[str]
    memos: frozenset[str]
    positions: frozenset[str]


class RecordingInventory:
    """The run's inventory, answering as it does, noting the key of every question asked since
    the last `start`. Rules get it in place of the inventory (it has the same methods)."""

    def __init__(self, inner: Inventory) -> None:
        self._inner = inner
        self._reads: set[str] = set()
        self._positions: set[str] = set()  # source paths of the objects whose positions were read
        self._memos: set[str] = set()
        # What each index read to be built: (keys, source paths of positions).
        self.memo_reads: dict[str, tuple[frozenset[str], frozenset[str]]] = {}
        self._built: dict[str, tuple[frozenset[str], frozenset[str]]] = {}  # since `built`

    def start(self) -> None:
        self._reads, self._positions, self._memos = set(), set(), set()
        observe_spans(self._position_read)

    def _position_read(self, manifest: Manifest) -> None:
        self._positions.add(manifest.source_path)

    def stop(self) -> Reads:
        """What was read since `start`: keys, the indexes used, the files of positions."""
        observe_spans(None)
        reads = Reads(frozenset(self._reads), frozenset(self._memos), frozenset(self._positions))
        self._reads, self._positions, self._memos = set(), set(), set()
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
        self._memos.add(key)
        if key in self.memo_reads:
            return self._inner.memo(key, build)
        outer = (self._reads, self._positions, self._memos)
        self._reads, self._positions, self._memos = set(), set(), set()
        built = False

        def recorded(_: Inventory) -> T:
            nonlocal built
            built = True
            return build(cast("Inventory", self))

        failed = True
        try:
            value = self._inner.memo(key, recorded)
            failed = False
        finally:
            reads, positions, memos = self._reads, self._positions, self._memos
            self._reads, self._positions, self._memos = outer
            for used in memos:  # an index built from another: what that one read, too
                keys, files = self.memo_reads.get(used, (frozenset((ALL_OBJECTS,)), frozenset()))
                reads |= keys
                positions |= files
            # Built before this recorder existed, or its build raised (a rule's bug, which the
            # check's finding reports): what it read is unknown, so it read everything. Either
            # way the index is listed, for the checks that name it (`check_store`).
            if not built or failed:
                reads |= {ALL_OBJECTS, ALL_TEMPLATES}
            self.memo_reads[key] = self._built[key] = (frozenset(reads), frozenset(positions))
        return value

    def built(self) -> dict[str, tuple[frozenset[str], frozenset[str]]]:
        """The reads of the indexes built since the last call (a worker sends each once)."""
        built, self._built = self._built, {}
        return built

    def __getattr__(self, name: str) -> object:
        """Anything else of the inventory: it may depend on every object."""
        self._reads.update((ALL_OBJECTS, ALL_TEMPLATES))
        return getattr(self._inner, name)


__all__ = [
    "ALL_OBJECTS",
    "ALL_TEMPLATES",
    "Reads",
    "RecordingInventory",
    "changed_keys",
    "kind_key",
    "label_key",
    "name_key",
    "provided_keys",
]
