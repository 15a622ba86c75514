"""`duplicate-object`: the same kind/namespace/name twice in the input."""

from __future__ import annotations

import json
import posixpath
from bisect import bisect_left, bisect_right
from collections.abc import Iterator, Sequence
from dataclasses import field

from netlint.api import Diagnostic, Inventory, Manifest, Path, Rule, RuleContext, RuleMeta, Severity
from netlint.k8s import capped
from netlint.records import record

from .._listing import positions_text

_NAME: Path = ("metadata", "name")
_Key = tuple[str, str | None, str]
_Order = tuple[int, Path]


def _order(manifest: Manifest) -> _Order:
    """Where the object is in its file, without locating it: documents, then `*List` items,
    come in the order of their text."""
    return (manifest.document.index, manifest.base)


@record(frozen=True, slots=True)
class _Copies:
    """Every copy of one kind/namespace/name, grouped by file: what each copy's check needs,
    computed once for the key rather than once per copy (N copies must not cost N²)."""

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
        return _Copies(in_file, orders)


def _copies(inventory: Inventory, key: _Key) -> _Copies:
    by_key = inventory.memo("duplicate-object:copies", lambda _: dict[_Key, _Copies]())
    found = by_key.get(key)
    if found is None:
        found = by_key[key] = _Copies.of(inventory.copies(*key))
    return found


# -- across files: one finding per pair of files that define objects differently -----------


def _content(manifest: Manifest) -> bytes:
    """What a copy applies, whatever its comments, quoting style, key order or indentation: its
    data as canonical JSON, without `metadata.namespace` (the copies of a key are in one
    namespace already, whether they write it or take it from the config's default)."""
    data = manifest.data
    metadata = data.get("metadata")
    if isinstance(metadata, dict) and "namespace" in metadata:
        metadata = {key: value for key, value in metadata.items() if key != "namespace"}
        data = {**data, "metadata": metadata}
    text = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    import hashlib  # by the runs with a cross-file duplicate (issue 31)

    return hashlib.blake2b(text.encode(), digest_size=16).digest()


def _file_order(path: str) -> tuple[int, str]:
    """Files in the order their pairs name them: shallower first (`install.yaml` before
    `ha/install.yaml`, the variant), then by path."""
    return (path.count("/"), path)


@record(slots=True)
class _Pair:
    """Two files that define some of the same objects differently: (later copy, earlier copy)
    for each such object."""

    earlier: str
    later: str
    differing: list[tuple[Manifest, Manifest]] = field(default_factory=lambda: [])

    def located_at(self) -> Manifest:
        """The first differing copy of the later file, whichever files are linted and which
        are context: a pre-commit hook that splits its files gets the finding of the whole
        run from the part that holds the later file."""
        return min((copy for copy, _ in self.differing), key=_order)


def _pairs(inventory: Inventory) -> dict[Manifest, list[_Pair]]:
    """Each pair's finding, by the copy it is located at. Per key, each file's definition is
    its last copy (the one that wins within the file), compared with the first earlier file's
    that differs from it: N variants of one object give at most N - 1 pairs, not N², and a
    variant is paired with the first file (`install.yaml`) wherever it differs from it."""
    last: dict[_Key, dict[str, Manifest]] = {}
    for manifest in inventory.manifests:
        in_file = last.setdefault((manifest.kind_key, manifest.namespace, manifest.name), {})
        mine = in_file.get(manifest.source_path)
        if mine is None or _order(mine) < _order(manifest):
            in_file[manifest.source_path] = manifest
    pairs: dict[tuple[str, str], _Pair] = {}
    for in_file in last.values():
        if len(in_file) < 2:
            continue
        files = sorted(in_file, key=_file_order)
        contents = [_content(in_file[path]) for path in files]
        other = next((i for i, content in enumerate(contents) if content != contents[0]), None)
        if other is None:
            continue  # identical copies: applying both changes nothing
        for j in range(other, len(files)):
            earlier = files[0 if contents[j] != contents[0] else other]
            pair = pairs.get((earlier, files[j]))
            if pair is None:
                pair = pairs[(earlier, files[j])] = _Pair(earlier, files[j])
            pair.differing.append((in_file[files[j]], in_file[earlier]))
    found: dict[Manifest, list[_Pair]] = {}
    for pair in pairs.values():
        pair.differing.sort(key=lambda copies: _order(copies[0]))
        found.setdefault(pair.located_at(), []).append(pair)
    return found


_SHOWN_REFS = 3  # objects a pair's finding names


def _pair_hint(pair: _Pair) -> str:
    ignore = f'`per-file-ignores` (`"{pair.later}": [duplicate-object]`)'
    folder = posixpath.dirname(pair.later)
    if folder != posixpath.dirname(pair.earlier):
        return (
            "if the two files are alternatives that are never applied together, declare their "
            f"folders apart with config `scopes:` (`scopes: [{folder}]`), or leave the later "
            f"one out of this rule with {ignore}"
        )
    return (
        "if the two files are alternatives that are never applied together, move them into "
        "folders of their own and declare those with config `scopes:`, or leave the later one "
        f"out of this rule with {ignore}"
    )


def _times(count: int) -> str:
    return "twice" if count == 2 else f"{count:,} times"


class DuplicateObject(Rule):
    meta = RuleMeta(
        id="duplicate-object",
        severity=Severity.ERROR,
        summary="The same kind/namespace/name appears twice in the input",
        what=(
            "Reports an object whose kind, namespace and name another object of the input already "
            "has. Namespaces are defaulted first (config `default-namespace`); an object without "
            "`metadata.namespace` and one in an explicit namespace are not known to be one. "
            "Within one file or stream it is an error, reported once, on the first repetition, "
            "with the positions of every further copy (the first 10, then how many more). "
            "Across files, copies with the same content (ignoring comments, formatting, key "
            "order and how the namespace is given) are no conflict: applying both changes "
            "nothing. Two files that define some of the same objects differently get one "
            "warning for the pair, on the first such object of the later file (shallower paths "
            "first, then by path), counting them and naming the first three."
        ),
        why=(
            "`kubectl apply` applies both and the last one silently wins, so one of the two "
            "definitions never takes effect. Repositories often keep alternative variants side by "
            "side in different files (`install.yaml` and `ha/install.yaml`), hence only a "
            "warning across files, once per pair."
        ),
        example=(
            "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec: {ports: [{port: 80}]}\n"
            "---\napiVersion: v1\nkind: Service\nmetadata:\n  name: web\n"
            "spec: {ports: [{port: 8080}]}\n"
        ),
        fix=(
            "Keep one definition, or give the second object its own name or namespace. Declare "
            "variants that are never applied together as separate scopes (config `scopes`, "
            "for example the folder `ha`), or leave one of their files out of this rule with "
            "config `per-file-ignores`."
        ),
        help_uri="https://kubernetes.io/docs/concepts/overview/working-with-objects/names/",
        tags=("input",),
    )

    def check(self, manifest: Manifest, ctx: RuleContext) -> Iterator[Diagnostic]:
        key = (manifest.kind_key, manifest.namespace, manifest.name)
        if len(ctx.inventory.copies(*key)) < 2:
            return
        copies = _copies(ctx.inventory, key)
        group = copies.in_file.get(manifest.source_path, [])
        orders = copies.orders.get(manifest.source_path, [])
        mine = _order(manifest)
        if bisect_left(orders, mine) == 1:  # the first copy that repeats one of this file
            later = group[bisect_right(orders, mine) :]
            yield self._within_file(manifest, group[0], later)
        for pair in ctx.inventory.memo("duplicate-object:pairs", _pairs).get(manifest, ()):
            yield self._across_files(pair)

    @staticmethod
    def _across_files(pair: _Pair) -> Diagnostic:
        count = len(pair.differing)
        if count == 1:
            what = str(pair.differing[0][0].ref)
        else:
            refs = [str(copy.ref) for copy, _ in pair.differing[:_SHOWN_REFS]]
            what = f"{count:,} of the same objects ({capped(refs, count)})"
        return Diagnostic(
            _NAME,
            f"{pair.earlier} and {pair.later} define {what} differently; applying both files "
            "makes the last one win",
            severity=Severity.WARNING,
            hint=_pair_hint(pair),
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
