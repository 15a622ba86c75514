"""`os.path.realpath` of many files, each folder on the way resolved once.

`realpath` stats every component of the path it is given: for the thousands of files of a git
tree (`run.git_changes`) or of a run's report (`filters.changed`) that is tens of thousands of
`lstat` calls, most of them on the same folders again. A file's real path is its folder's real
path and its name, unless the file itself is a symlink: so each folder is resolved once (from
its parent's), and each file or folder costs one `lstat`.
"""

from __future__ import annotations

import os


class RealPaths:
    """`resolve(path)` is `os.path.realpath(path)`, with the real path of each folder and file
    kept (for one pass over a tree, or two listings of it: a folder replaced by a symlink
    meanwhile is not noticed)."""

    def __init__(self) -> None:
        self._known: dict[str, str] = {}

    def resolve(self, path: str) -> str:
        known = self._known.get(path)
        if known is None:
            folder, name = os.path.split(path)
            if not name or name in (os.curdir, os.pardir):
                known = os.path.realpath(path)  # nothing to split off: resolved as given
            else:
                known = _joined(self.resolve(folder), name)
            self._known[path] = known
        return known


def _joined(real_folder: str, name: str) -> str:
    """The real path of `name` in a folder whose path is real: one `lstat`."""
    joined = os.path.join(real_folder, name)
    return os.path.realpath(joined) if os.path.islink(joined) else joined
