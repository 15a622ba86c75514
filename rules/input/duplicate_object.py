"""`duplicate-object`: the same kind/namespace/name twice in the input."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from netlint.api import Diagnostic, Inventory, Manifest, Path, Rule, RuleContext, RuleMeta, Severity
from netlint.k8s import SHOWN, capped

from .._listing import positions_text

_NAME: Path = ("metadata", "name")
_Key = tuple[str, str | None, str]
_Order = tuple[int, Path]


def _order(manifest: Manifest) -> _Order:
    """Where the object is in its file, without locating it: documents, then `*List` items,
    come in the order of their text."""
    return (manifest.document.index, manifest.base)


@dataclass(frozen=True, slots=True)
class _Copies:
    """Every copy of one kind/namespace/name, grouped by file: what each copy's check needs,
    computed once for the key rather than once per copy (N copies must not cost N²)."""

    files: list[str]  # sorted
    in_file: dict[str, list[Manifest]]  # each file's copies, in the order of its text
    orders: dict[str, list[_Order]]  # their `_order`s, for bisecting

    @staticmethod
    def of(copies: Sequence[Manifest]) -> _Copies:
        in_file: dict[str, list[Manifest]] = {}
        for manifest in copies:
            in_file.setdefault(manifest.source_path, []).append(manifest)
        for group in in_file.values():
            group.sort(key=_order)
        orders = {path: [_order(m) for m in group] for path, group in in_file.items()}
        return _Copies(sorted(in_file), in_file, orders)

    def other_files(self, path: str) -> tuple[list[str], int]:
        """The first other files (sorted), enough to show, and how many there are."""
        shown = [file for file in self.files[: SHOWN + 1] if file != path]
        total = len(self.files) - (1 if path in self.in_file else 0)
        return shown[:SHOWN], total


def _copies(inventory: Inventory, key: _Key) -> _Copies:
    by_key = inventory.memo("duplicate-object:copies", lambda _: dict[_Key, _Copies]())
    found = by_key.get(key)
    if found is None:
        found = by_key[key] = _Copies.of(inventory.copies(*key))
    return found


def _times(count: int) -> str:
    return "twice" if count == 2 else f"{count:,} times"


class DuplicateObject(Rule):
    meta = RuleMeta(
        id="duplicate-object",
        severity=Severity.ERROR,
        summary="The same kind/namespace/name appears twice in the input",
        what=(
            "Reports an object whose kind, namespace and name another object of the input already "
            "has. Namespaces are defaulted first: an object without `metadata.namespace` and one "
            "in `default` are the same object. Within one file or stream it is an error, reported "
            "once, on the first repetition, with the positions of every further copy (the first "
            "10, then how many more); across files a warning, reported in each file on its first "
            "copy and naming the other files."
        ),
        why=(
            "`kubectl apply` applies both and the last one silently wins, so one of the two "
            "definitions never takes effect. Repositories often keep alternative variants side by "
            "side in different files (`install.yaml` and `ha/install.yaml`), hence only a "
            "warning across files."
        ),
        example=(
            "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec: {ports: [{port: 80}]}\n"
            "---\napiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  namespace: default\n"
            "spec: {ports: [{port: 8080}]}\n"
        ),
        fix="Keep one definition, or give the second object its own name or namespace.",
        help_uri="https://kubernetes.io/docs/concepts/overview/working-with-objects/names/",
        tags=("input",),
    )

    def check(self, manifest: Manifest, ctx: RuleContext) -> Iterator[Diagnostic]:
        key = (manifest.kind_key, manifest.namespace, manifest.name)
        if len(ctx.inventory.copies(*key)) < 2:
            return
        copies = _copies(ctx.inventory, key)
        path = manifest.source_path
        group = copies.in_file.get(path, [])
        orders = copies.orders.get(path, [])
        mine = _order(manifest)
        before = bisect_left(orders, mine)
        if before == 1:  # the first copy that repeats one of this file: the file's finding
            later = group[bisect_right(orders, mine) :]
            yield self._within_file(manifest, group[0], later)
            return
        if before > 1:
            return  # listed in the finding on the file's second copy
        files, total = copies.other_files(path)
        if total:
            yield Diagnostic(
                _NAME,
                f"{manifest.ref} is also defined in {capped(files, total)}; applying both files "
                "makes the last one win",
                severity=Severity.WARNING,
            )

    @staticmethod
    def _within_file(manifest: Manifest, first: Manifest, later: list[Manifest]) -> Diagnostic:
        """One finding for every repetition in a file, on the first, listing the others."""
        line = first.span_of(())[0] + 1
        if not later:
            return Diagnostic(
                _NAME,
                f"{manifest.ref} is defined twice in this file (first at line {line}); kubectl "
                "applies both and the last one wins",
                severity=Severity.ERROR,
            )
        again = positions_text([(copy, _NAME) for copy in later])
        return Diagnostic(
            _NAME,
            f"{manifest.ref} is defined {_times(len(later) + 2)} in this file (first at line "
            f"{line}, again here and at {again}); kubectl applies every copy and the last one wins",
            severity=Severity.ERROR,
        )
