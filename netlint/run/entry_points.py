"""The entry points of one group, as `importlib.metadata.entry_points(group=...)` finds them,
without importing `importlib.metadata` for the usual installs (issue 31).

Importing `importlib.metadata` (email, csv, zipfile, importlib.resources and more) and searching
with it took about 20 ms of a one-file run, which only asks whether a rule pack is installed.
For distributions installed as folders on `sys.path` (every pip install, editable or not), the
search below follows `importlib.metadata`'s own (Python 3.10 to 3.13: `FastPath`/`Lookup`,
`PathDistribution._normalized_name`, `Sectioned.read`): the `*.dist-info` and `*.egg-info`
folders of each `sys.path` folder, the first distribution of a normalized name winning, each
one's `entry_points.txt` read as ini-style sections of `name = value` lines. Anything else (a zip
or egg on `sys.path`, a finder of its own that lists distributions, a line that is not
`name = value`) is left to `importlib.metadata` itself.
"""

from __future__ import annotations

import functools
import os
import re
import sys
from collections.abc import Callable
from importlib import import_module
from importlib.machinery import PathFinder

# `importlib.metadata.EntryPoint.pattern`: `module[:attr[.attr]] [extras]`.
_VALUE = re.compile(r"(?P<module>[\w.]+)\s*(:\s*(?P<attr>[\w.]+)\s*)?((?P<extras>\[.*\])\s*)?$")
_INFO_SUFFIXES = (".dist-info", ".egg-info")


class EntryPoint:
    """What netlint asks of an entry point: its name and value, and the object it names."""

    __slots__ = ("_load", "name", "value")

    def __init__(self, name: str, value: str, load: Callable[[], object]) -> None:
        self.name = name
        self.value = value
        self._load = load

    def load(self) -> object:
        return self._load()


def _load_value(value: str) -> object:
    """`importlib.metadata.EntryPoint.load`: import the module, then follow the attributes."""
    match = _VALUE.match(value)
    if match is None:
        raise ValueError(f"not an entry point value: {value!r}")
    module = import_module(match.group("module"))
    attrs = filter(None, (match.group("attr") or "").split("."))
    return functools.reduce(getattr, attrs, module)


class _Unusual(Exception):
    """An install that `importlib.metadata` searches in ways this module does not."""


def _normalize(name: str) -> str:
    """`importlib.metadata.Prepared.normalize`: PEP 503, with dashes as underscores."""
    return re.sub(r"[-_.]+", "-", name).lower().replace("-", "_")


def _info_folders(root: str) -> list[str]:
    """`FastPath(root).search(Prepared(None))`: the metadata folders of one `sys.path` entry,
    grouped by normalized name in the order the names first appear."""
    folder = root or "."
    try:
        children = os.listdir(folder)
    except OSError:
        if os.path.exists(folder):
            raise _Unusual from None  # a zip file: importlib.metadata reads its listing
        return []
    if os.path.basename(root).lower().endswith(".egg"):
        raise _Unusual  # an unpacked egg: its `EGG-INFO` is searched too
    by_name: dict[str, list[str]] = {}
    for child in children:
        low = child.lower()
        if low.endswith(_INFO_SUFFIXES):
            name = _normalize(low.rpartition(".")[0].partition("-")[0])
            by_name.setdefault(name, []).append(os.path.join(root, child))
    return [path for paths in by_name.values() for path in paths]


def _distribution_name(path: str) -> str:
    """`PathDistribution._normalized_name`, from the folder's name."""
    filename, ext = os.path.splitext(os.path.basename(path))
    name = filename.partition("-")[0]
    if ext not in _INFO_SUFFIXES or not name:
        raise _Unusual  # `.DIST-INFO`, `-1.0.dist-info`: the name would come from its metadata
    return _normalize(name)


def _read_entry_points(path: str) -> str:
    try:
        with open(os.path.join(path, "entry_points.txt"), encoding="utf-8") as handle:
            return handle.read()
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError, PermissionError):
        return ""


def _group_pairs(text: str, group: str) -> list[tuple[str, str]]:
    """`Sectioned.section_pairs`: the (name, value) lines of section `group`."""
    found: list[tuple[str, str]] = []
    section: str | None = None
    for line in map(str.strip, text.splitlines()):
        if not line or line.startswith("#"):
            continue
        if line.startswith("[") and line.endswith("]"):
            section = line.strip("[]")
            continue
        if section is None:
            continue
        name, equals, value = line.partition("=")
        if not equals:
            raise _Unusual  # importlib.metadata fails on it: let it say how
        if section == group:
            found.append((name.strip(), value.strip()))
    return found


def _searched_by_path_finder_only() -> bool:
    return all(
        finder is PathFinder or getattr(finder, "find_distributions", None) is None
        for finder in sys.meta_path
    )


def _fast(group: str) -> list[EntryPoint]:
    if not _searched_by_path_finder_only():
        raise _Unusual
    seen: set[str] = set()
    found: list[EntryPoint] = []
    for root in sys.path:
        for path in _info_folders(root):
            name = _distribution_name(path)
            if name in seen:
                continue
            seen.add(name)
            for entry_name, value in _group_pairs(_read_entry_points(path), group):
                found.append(EntryPoint(entry_name, value, functools.partial(_load_value, value)))
    return found


def entry_points(group: str) -> list[EntryPoint]:
    """The entry points of `group`, in the order `importlib.metadata` lists them."""
    try:
        return _fast(group)
    except _Unusual:
        from importlib.metadata import entry_points as metadata_entry_points

        return [
            EntryPoint(entry.name, entry.value, entry.load)
            for entry in metadata_entry_points(group=group)
        ]
