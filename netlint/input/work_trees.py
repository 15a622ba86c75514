"""Which git work tree holds a file, as SARIF reports name files against (`report.sarif`), and
as a kept SARIF report checks it still is (`run.kept_run`): the nearest folder holding
`.git`. Paths are plain strings: a report can name thousands of files, and pathlib costs ten
times more."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path


class WorkTrees:
    """Finds the git work tree of each folder, once per folder (linear in the files)."""

    def __init__(self, cwd: Path | str) -> None:
        self.cwd = os.path.abspath(cwd)
        self._cache: dict[str, str | None] = {}

    def git_root(self, directory: str) -> str | None:
        seen: list[str] = []
        current = directory
        found: str | None = None
        while True:
            if current in self._cache:
                found = self._cache[current]
                break
            seen.append(current)
            if os.path.exists(os.path.join(current, ".git")):
                found = current
                break
            parent = os.path.dirname(current)
            if parent == current:
                break
            current = parent
        for path in seen:
            self._cache[path] = found
        return found

    def root_of(self, real: str) -> str:
        return self.git_root(os.path.dirname(real)) or self.cwd


def reported_path(display: str, real_paths: Mapping[str, str], cwd: str) -> str:
    """The absolute path a report names for the file shown as `display`."""
    real = real_paths.get(display)
    # join keeps `display` as it is when it is absolute.
    return os.path.abspath(real if real is not None else os.path.join(cwd, display))
