"""Scopes: what is applied together (DESIGN §3, "Scopes"; issue 23 item 2).

Cross-object rules join the objects of one scope only, so that `envs/dev/` never satisfies a
reference in `envs/prod/`. A file belongs to:

- each kustomize root whose build uses it: a folder holding a kustomization that no other
  kustomization of the input lists as a resource (an overlay, or a base nobody uses), with
  every resource, base and component it lists, followed through the kustomizations they are;
- else the deepest folder of config `scopes:` that holds it;
- else the Helm chart that holds it (a folder with `Chart.yaml`);
- else the one shared scope of everything else.

The patch files a kustomization names (`patches`, `patchesStrategicMerge`, `patchesJson6902`)
are parts of objects, never whole ones: `patch_files` names them so that the engine lints them
as no object at all.

Kustomizations are read as data, never built here: nothing in a checkout runs.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import field
from typing import NamedTuple

from netlint.input.document import Node
from netlint.input.loader import load_yaml
from netlint.input.reading import Source, read_source
from netlint.model.access import as_list, as_map, as_str
from netlint.records import record

KUSTOMIZATION_NAMES = ("kustomization.yaml", "kustomization.yml", "Kustomization")
CHART_FILE = "Chart.yaml"
# A kustomization's own size limit: it is a short list of paths.
_MAX_KUSTOMIZATION_SIZE = 1_000_000


class Scope(NamedTuple):
    """One set of files applied together. `label` names it in messages (a folder, relative to
    the working directory where possible; "" for the shared scope)."""

    label: str
    kind: str  # "kustomize", "config", "helm" or "shared"


SHARED = Scope("", "shared")


@record(slots=True)
class Kustomization:
    """What netlint reads of one kustomization file: the paths it uses."""

    folder: str  # absolute
    resources: list[str] = field(default_factory=lambda: list[str]())  # absolute paths
    patches: list[str] = field(default_factory=lambda: list[str]())  # absolute patch files
    # Remote entries (a git or http base): kustomize would fetch them, netlint never does.
    remote: list[str] = field(default_factory=lambda: list[str]())
    component: bool = False  # `kind: Component`: built only as part of a kustomization


def _local(entry: str) -> bool:
    """A path in the checkout, not a remote base (`github.com/...`, `https://...`)."""
    return "://" not in entry and not entry.startswith(("github.com/", "git@", "ssh:"))


def _entries(node: Node) -> Iterable[str]:
    for item in as_list(node) or []:
        text = as_str(item)
        if text:
            yield text


def read_kustomization(path: str) -> Kustomization | None:
    """The kustomization at `path` (absolute), or None if it cannot be read as one; its
    problems are `yaml-syntax`'s and `file-unreadable`'s, reported where the file is linted."""
    item = read_source(path, path, _MAX_KUSTOMIZATION_SIZE)
    if not isinstance(item, Source):
        return None
    loaded = load_yaml(item.text, path)
    data = as_map(loaded.documents[0].data) if loaded.documents else None
    if data is None:
        return None
    folder = os.path.dirname(path)
    found = Kustomization(folder)

    def absolute(entry: str) -> str:
        return os.path.normpath(os.path.join(folder, entry))

    found.component = as_str(data.get("kind")) == "Component"
    for key in ("resources", "bases", "components"):
        found.resources += [absolute(e) for e in _entries(data.get(key)) if _local(e)]
        found.remote += [e for e in _entries(data.get(key)) if not _local(e)]
    found.patches += [absolute(e) for e in _entries(data.get("patchesStrategicMerge")) if _local(e)]
    for key in ("patches", "patchesJson6902"):
        for item_node in as_list(data.get(key)) or []:
            mapping = as_map(item_node)
            patch_path = as_str(mapping.get("path")) if mapping is not None else None
            if patch_path and _local(patch_path):
                found.patches.append(absolute(patch_path))
    return found


def read_kustomizations(files: Iterable[str]) -> dict[str, Kustomization]:
    """The kustomizations among `files` (absolute paths) that can be read as one, by path."""
    found: dict[str, Kustomization] = {}
    for path in files:
        if os.path.basename(path) in KUSTOMIZATION_NAMES:
            kustomization = read_kustomization(path)
            if kustomization is not None:
                found[path] = kustomization
    return found


def _kustomization_in(folder: str, by_file: Mapping[str, Kustomization]) -> Kustomization | None:
    for name in KUSTOMIZATION_NAMES:
        found = by_file.get(os.path.join(folder, name))
        if found is not None:
            return found
    return None


def _under(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


def build_chain(
    root: Kustomization, kustomizations: Mapping[str, Kustomization]
) -> list[Kustomization]:
    """`root` and every kustomization its build uses (bases, components, bases of those) among
    `kustomizations` (by file), each once."""
    chain: list[Kustomization] = []
    seen: set[str] = set()
    pending = [root]
    while pending:
        current = pending.pop()
        if current.folder in seen:
            continue  # a cycle, or a base listed twice
        seen.add(current.folder)
        chain.append(current)
        for resource in current.resources:
            inner = _kustomization_in(resource, kustomizations)
            if inner is not None:
                pending.append(inner)
    return chain


@record(slots=True)
class ScopeMap:
    """Which scopes each file (by absolute path) belongs to, and which files are patches."""

    scopes: dict[str, tuple[Scope, ...]]
    patch_files: frozenset[str]
    roots: tuple[Scope, ...]  # the kustomize roots found, for the summary
    # Each root's kustomization, by its scope (`run.kustomize_render` builds them).
    root_kustomizations: dict[Scope, Kustomization] = field(
        default_factory=lambda: dict[Scope, Kustomization]()
    )

    def of(self, real_path: str | None) -> tuple[Scope, ...]:
        if real_path is None:
            return (SHARED,)
        return self.scopes.get(real_path, (SHARED,))


def assign_scopes(
    files: Sequence[str],
    kustomizations: Mapping[str, Kustomization],
    config_scopes: Sequence[str],
    cwd: str,
) -> ScopeMap:
    """The scopes of `files` (absolute paths: every file of the run, context included), given
    the kustomizations among them (`read_kustomizations`). `config_scopes` are absolute
    folders or files from config `scopes:`; labels are relative to `cwd`."""

    used: set[str] = set()  # kustomization files that another one lists
    for kustomization in kustomizations.values():
        for resource in kustomization.resources:
            inner = _kustomization_in(resource, kustomizations)
            if inner is not None:
                used.add(inner.folder)
    roots = [k for k in kustomizations.values() if k.folder not in used]

    def label(folder: str) -> str:
        relative = os.path.relpath(folder, cwd)
        return folder if relative.startswith("..") else relative

    memberships: dict[str, list[Scope]] = {}
    patch_files: set[str] = set()
    file_set = set(files)
    root_scopes: dict[Scope, Kustomization] = {}
    for root in sorted(roots, key=lambda k: k.folder):
        scope = Scope(label(root.folder), "kustomize")
        root_scopes[scope] = root
        for current in build_chain(root, kustomizations):
            patch_files.update(current.patches)
            for resource in current.resources:
                inner = _kustomization_in(resource, kustomizations)
                if inner is not None:
                    continue  # a base: a kustomization of the chain itself
                if resource in file_set:
                    memberships.setdefault(resource, []).append(scope)
                else:  # a folder without a kustomization of the input: its files
                    for path in files:
                        if _under(path, resource):
                            memberships.setdefault(path, []).append(scope)
            for patch in current.patches:
                memberships.setdefault(patch, []).append(scope)

    folders = [(folder, Scope(label(folder), "config")) for folder in config_scopes]
    charts = sorted(
        {os.path.dirname(p) for p in files if os.path.basename(p) == CHART_FILE}, key=len
    )
    folders += [(folder, Scope(label(folder), "helm")) for folder in charts]
    for path in files:
        if path in memberships:
            continue
        holders = [(folder, scope) for folder, scope in folders if _under(path, folder)]
        if holders:
            # The deepest folder; a config scope before a chart of the same folder.
            deepest = max(len(folder) for folder, _ in holders)
            memberships[path] = [next(s for f, s in holders if len(f) == deepest)]
    return ScopeMap(
        {path: tuple(dict.fromkeys(scopes)) for path, scopes in memberships.items()},
        frozenset(patch_files),
        tuple(root_scopes),
        root_scopes,
    )


__all__ = [
    "KUSTOMIZATION_NAMES",
    "SHARED",
    "Kustomization",
    "Scope",
    "ScopeMap",
    "assign_scopes",
    "build_chain",
    "read_kustomization",
    "read_kustomizations",
]
