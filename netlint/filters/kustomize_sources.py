"""Findings on a kustomize build moved back to the files the build came from (issue 23, item 3).

`run.kustomize_render` lints each kustomize root's build output in the root's scope, with the
origin of each of its documents. A finding on that output is moved to the source file and node:
- the node at the finding's path in the object as its file writes it (`base/service.yaml`),
  when the path is there;
- else the node of a patch that wrote the path: a strategic-merge patch of the object (same
  kind, and the name the file gives it) or a JSON 6902 operation on the path, named by a
  kustomization whose transformers changed the object, innermost first; an inline patch is
  the kustomization's `patch` entry;
- else the kustomization field that produced it (`namespace:` for `metadata.namespace`,
  `namePrefix:`, `labels:`, `images:`, ...), else the nearest node the file does write.
An object a generator made (`configMapGenerator`) is located at that generator's entry.

The message then names the root it was built for. A base used by several roots is judged in
each: a finding that several builds move to the same node is reported once, naming the other
roots. A finding moved to a file outside the report set (a base given as context) is dropped,
as any finding on context is.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, replace

from netlint.findings import Finding, Location, Path
from netlint.input.document import Document, Node, Span
from netlint.input.loader import load_yaml
from netlint.input.reading import Source, read_source
from netlint.model.access import as_list, as_map, as_str
from netlint.run.results import FindingFilter, KustomizeOrigin, KustomizeStream, RunData

# The kustomization fields that write a path of every object they transform, by the path's
# first steps; the first the kustomization has is the one shown.
_FIELDS: tuple[tuple[Path, tuple[str, ...]], ...] = (
    (("metadata", "namespace"), ("namespace",)),
    (("metadata", "name"), ("namePrefix", "nameSuffix")),
    (("metadata", "labels"), ("labels", "commonLabels")),
    (("metadata", "annotations"), ("commonAnnotations",)),
    (("spec", "selector"), ("labels", "commonLabels")),
    (("spec", "template", "metadata", "labels"), ("labels", "commonLabels")),
    (("spec", "replicas"), ("replicas",)),
    (("spec", "template", "spec", "containers"), ("images",)),
    (("spec", "template", "spec", "initContainers"), ("images",)),
)
_IDENTITY = ((), ("apiVersion",), ("kind",), ("metadata",), ("metadata", "name"))
_GENERATORS = {"ConfigMapGenerator": "configMapGenerator", "SecretGenerator": "secretGenerator"}
_MAX_SIZE = 10 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class _Target:
    real_path: str
    span: Span
    document: int | None = None  # the index of the source object's document, when it is there


class _Files:
    """Source files read once each, as documents with positions."""

    def __init__(self) -> None:
        self._loaded: dict[str, list[Document]] = {}

    def documents(self, real_path: str) -> list[Document]:
        found = self._loaded.get(real_path)
        if found is None:
            item = read_source(real_path, real_path, _MAX_SIZE)
            found = load_yaml(item.text, real_path).documents if isinstance(item, Source) else []
            self._loaded[real_path] = found
        return found


def _depth(data: Node, path: Path) -> int:
    """How many steps of `path` exist in `data` (all of them: the node is there)."""
    node = data
    for depth, step in enumerate(path):
        if isinstance(node, dict):
            if not isinstance(step, str) or step not in node:
                return depth
            node = node[step]
        elif isinstance(node, list):
            if not isinstance(step, int) or not 0 <= step < len(node):
                return depth
            node = node[step]
        else:
            return depth
    return len(path)


def _identity(data: Node) -> tuple[str | None, str | None]:
    mapping = as_map(data)
    if mapping is None:
        return None, None
    metadata = as_map(mapping.get("metadata"))
    return as_str(mapping.get("kind")), as_str(metadata.get("name")) if metadata else None


def _source_document(
    documents: Sequence[Document], kind: str | None, rendered_name: str | None
) -> Document | None:
    """The document of a source file that became the rendered object: the same kind, and the
    longest name that the rendered name holds (kustomize adds prefixes and suffixes)."""
    best: Document | None = None
    best_length = -1
    for document in documents:
        doc_kind, name = _identity(document.data)
        if doc_kind != kind or name is None or rendered_name is None or name not in rendered_name:
            continue
        if len(name) > best_length:
            best, best_length = document, len(name)
    if best is None:
        same_kind = [d for d in documents if _identity(d.data)[0] == kind]
        return same_kind[0] if len(same_kind) == 1 else None
    return best


def _patch_entries(kustomization: Mapping[str, Node]) -> Iterator[tuple[Path, Node]]:
    """(path of the entry in the kustomization, entry) of every patch it names."""
    for key in ("patchesStrategicMerge", "patches", "patchesJson6902"):
        for index, entry in enumerate(as_list(kustomization.get(key)) or []):
            yield (key, index), entry


def _json_patch_node(document: Document, path: Path) -> Span | None:
    """The span of the JSON 6902 operation of `document` that wrote `path` (or the node of
    its value at `path`), if any."""
    for index, operation in enumerate(as_list(document.data) or []):
        mapping = as_map(operation)
        pointer = as_str(mapping.get("path")) if mapping is not None else None
        if mapping is None or not pointer or not pointer.startswith("/"):
            continue
        steps: list[str | int] = []
        for raw in pointer[1:].split("/"):
            part = raw.replace("~1", "/").replace("~0", "~")
            steps.append(int(part) if part.isdigit() else part)
        if tuple(path[: len(steps)]) == tuple(steps) or tuple(steps[: len(path)]) == path:
            rest = path[len(steps) :]
            return document.span_of((index, "value", *rest) if "value" in mapping else (index,))
    return None


def _in_patches(
    origin: KustomizeOrigin,
    kind: str | None,
    name: str | None,
    path: Path,
    depth: int,
    on_key: bool,
    files: _Files,
) -> _Target | None:
    """The patch node that wrote `path` (at least `depth` steps of it) of the object."""
    for kustomization_file in origin.transformed_in:
        documents = files.documents(kustomization_file)
        data = as_map(documents[0].data) if documents else None
        if data is None:
            continue
        folder = os.path.dirname(kustomization_file)
        for entry_path, entry in _patch_entries(data):
            mapping = as_map(entry)
            patch_file = as_str(entry) if mapping is None else as_str(mapping.get("path"))
            inline = as_str(mapping.get("patch")) if mapping is not None else None
            target = as_map(mapping.get("target")) if mapping is not None else None
            if target is not None:
                target_kind = as_str(target.get("kind"))
                target_name = as_str(target.get("name"))
                if (target_kind and target_kind != kind) or (target_name and target_name != name):
                    continue
            if inline is not None or (patch_file and "\n" in patch_file):
                text = inline or patch_file or ""
                patch = load_yaml(text, "patch").documents
                if any(_patches(d, kind, name, path, target is not None, depth) for d in patch):
                    return _Target(kustomization_file, documents[0].span_of(entry_path))
                continue
            if not patch_file:
                continue
            real = os.path.realpath(os.path.join(folder, patch_file))
            for document in files.documents(real):
                if _patches(document, kind, name, path, target is not None, depth):
                    if isinstance(document.data, list):
                        span = _json_patch_node(document, path)
                        if span is not None:
                            return _Target(real, span)
                        continue
                    return _Target(real, document.span_of(path, on_key=on_key))
    return None


def _patches(
    document: Document, kind: str | None, name: str | None, path: Path, targeted: bool, depth: int
) -> bool:
    """Whether patch `document` of the object `kind`/`name` writes `path`, or at least
    `depth` steps of it."""
    if isinstance(document.data, list):
        return targeted and _json_patch_node(document, path) is not None
    doc_kind, doc_name = _identity(document.data)
    if not targeted and (doc_kind != kind or doc_name != name):
        return False
    return _depth(document.data, path) >= depth


def _in_kustomization(origin: KustomizeOrigin, path: Path, files: _Files) -> _Target | None:
    for kustomization_file in origin.transformed_in:
        documents = files.documents(kustomization_file)
        data = as_map(documents[0].data) if documents else None
        if data is None:
            continue
        for prefix, keys in _FIELDS:
            if tuple(path[: len(prefix)]) != prefix:
                continue
            for key in keys:
                if key in data:
                    return _Target(kustomization_file, documents[0].key_span((key,)))
    return None


def _generated(origin: KustomizeOrigin, files: _Files) -> _Target | None:
    if origin.configured_in is None:
        return None
    documents = files.documents(origin.configured_in)
    data = as_map(documents[0].data) if documents else None
    key = _GENERATORS.get(origin.generator or "")
    if data is None:
        return None
    if key is not None and key in data:
        return _Target(origin.configured_in, documents[0].key_span((key,)))
    return _Target(origin.configured_in, documents[0].span_of(()))


def locate(
    finding: Finding,
    stream: KustomizeStream,
    rendered: Sequence[Document],
    files: _Files,
) -> _Target | None:
    """Where in the source files `finding` (on `stream`) belongs; None when unknown."""
    line = finding.location.line - 1
    index = -1
    for number, document in enumerate(rendered):
        if document.span[0] <= line:
            index = number
    if index < 0 or index >= len(stream.origins):
        return None
    origin = stream.origins[index]
    document = rendered[index]
    kind, rendered_name = _identity(document.data)
    path = finding.obj_path
    start = (finding.location.line - 1, finding.location.column - 1)
    on_key = bool(path) and document.key_span(path)[:2] == start != document.span_of(path)[:2]
    if origin.path is None:  # generated: the generator wrote it, save what transformers did
        found = None if path[:2] == ("metadata", "name") else _in_kustomization(origin, path, files)
        return found or _generated(origin, files)
    source = _source_document(files.documents(origin.path), kind, rendered_name)
    name = _identity(source.data)[1] if source is not None else rendered_name
    # What a patch wrote is the patch's; every patch names its object, which it does not write.
    # A patch wrote the node when it has all of the path, or when the file does not and the
    # patch has as much of it (an item a patch added to a list).
    written = _depth(source.data, path) if source is not None else 0
    if path[:2] not in _IDENTITY:
        depth = len(path) if written == len(path) else max(written, 1)
        found = _in_patches(origin, kind, name, path, depth, on_key, files)
        if found is not None:
            return found
    if source is not None and written == len(path):
        return _Target(origin.path, source.span_of(path, on_key=on_key), source.index)
    found = _in_kustomization(origin, path, files)
    if found is None and source is not None:
        found = _Target(origin.path, source.span_of(path, on_key=on_key), source.index)
    return found


def map_kustomize_sources(findings: list[Finding], data: RunData) -> list[Finding]:
    """The FindingFilter: moves every finding on a kustomize build to its source (`locate`)."""
    if not data.kustomized:
        return findings
    shown = {real: path for path, real in data.real_paths.items()}
    # The objects of the files as they write them, for a finding moved to one: it is about that
    # object then (its suppression annotation, its fingerprint), as on a plain file.
    objects = {
        (m.document.source_path, m.document.index): m.ref for m in data.manifests if not m.base
    }
    files = _Files()
    parsed: dict[str, list[Document]] = {}
    kept: list[Finding] = []
    moved: dict[tuple[str, Location], list[tuple[str, Finding]]] = {}
    for finding in findings:
        stream = data.kustomized.get(finding.location.path)
        if stream is None:
            kept.append(finding)
            continue
        rendered = parsed.get(finding.location.path)
        if rendered is None:
            text = data.sources.get(finding.location.path) or ""
            rendered = parsed[finding.location.path] = load_yaml(text, stream.shown).documents
        target = locate(finding, stream, rendered, files)
        if target is None:
            kept.append(_named(finding, stream.shown, ()))
            continue
        path = shown.get(target.real_path)
        if path is None:
            continue  # a file of the context: not reported
        line, column, end_line, end_column = target.span
        if (end_line, end_column) <= (line, column):
            end_line, end_column = line, column + 1
        at = Location(path, line + 1, column + 1, end_line + 1, end_column + 1)
        obj = objects.get((path, target.document)) if target.document is not None else None
        moved.setdefault((finding.rule_id, at), []).append(
            (stream.shown, replace(finding, location=at, obj=obj or finding.obj))
        )
    for group in moved.values():
        roots = sorted({root for root, _ in group})
        for root, finding in group:
            if root == roots[0]:
                kept.append(_named(finding, root, roots[1:]))
    return kept


def _named(finding: Finding, root: str, others: Sequence[str]) -> Finding:
    """The finding on a build, named so, and without its fix: the fix's edits are of the
    build's output, not of the files it was built from (as for Helm, `helm_sources`)."""
    also = f"; also in the build of {', '.join(others)}" if others else ""
    message = f"{finding.message} (kustomize build of {root}{also})"
    return replace(finding, message=message, fix=None)


def kustomize_source_filter() -> FindingFilter:
    """The filter as the CLI installs it (first, with Helm's: suppressions see the result)."""
    return map_kustomize_sources
