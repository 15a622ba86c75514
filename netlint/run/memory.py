"""Per-file results kept in memory between the runs of one process (`netlint server`).

An editor's server lints the same workspace again at each edit: the files that did not change
give the same per-file result, which the on-disk cache would decode again each time (about
two thirds of a re-run of 1,000 files). This keeps the results themselves, keyed as the cache
is (the salt, the path, whether it is reported, the text), and only for the files the last
run met, so that it holds one workspace's results and no history.
"""

from __future__ import annotations

import copy

from netlint.run.per_file import FileResult

_Key = tuple[str, bool, str]  # (display path, in the report set, text)


class ResultMemory:
    def __init__(self) -> None:
        self._salt = ""
        self._kept: dict[_Key, FileResult] = {}
        self._used: set[_Key] = set()

    def begin(self, salt: str) -> None:
        """A run starts with these settings and rules (`engine._cache_salt`): results of other
        ones are forgotten."""
        if salt != self._salt:
            self._salt = salt
            self._kept.clear()
        self._used.clear()

    def get(self, path: str, in_report_set: bool, text: str) -> FileResult | None:
        """A copy of the kept result (the run assigns to its fields), or None."""
        key = (path, in_report_set, text)
        kept = self._kept.get(key)
        if kept is None:
            return None
        self._used.add(key)
        return copy.copy(kept)

    def put(self, path: str, in_report_set: bool, text: str, result: FileResult) -> None:
        key = (path, in_report_set, text)
        self._kept[key] = copy.copy(result)
        self._used.add(key)

    def end(self) -> None:
        """The run is done: forget what it did not meet (old texts of edited files)."""
        for key in self._kept.keys() - self._used:
            del self._kept[key]
