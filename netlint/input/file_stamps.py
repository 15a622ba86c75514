"""What a run's input looked like on disk, to tell cheaply whether it is still the same: the
stamps (`os.stat`) of every folder walked, every file read and every file that decided what
the walk left out, as a replayed run checks them (`run.kept_run`) instead of walking the tree
and reading every file again (issue 31).

It is git's index check: a file whose size, modification and change times, inode and device
are what they were holds what it held. The change time cannot be set back (`touch -d` and
`tar` set only the modification time), so a rewrite that keeps the modification time is seen
too. What git calls racy is taken care of the same way: a stamp taken less than `_SETTLE_NS`
after the file last changed may not tell a second change within the same tick of the file
system's clock from none, so such a file is read again (and a folder walked again) rather than
trusted by its stamp.
"""

from __future__ import annotations

import os
import stat
import time

# (size, mtime_ns, ctime_ns, inode, device)
FileStamp = tuple[int, int, int, int, int]

# Wider than the coarsest file-system clock netlint may meet (2 s on FAT; ext4, xfs, btrfs and
# tmpfs tick in nanoseconds but are set from a clock a few milliseconds coarse).
_SETTLE_NS = 2_000_000_000


def stamp_of(info: os.stat_result) -> FileStamp:
    return (info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino, info.st_dev)


def current_stamp(path: str) -> FileStamp | None:
    """The stamp of `path` now (symlinks followed, as the walk and the read follow them), or
    None when there is nothing to stat."""
    try:
        return stamp_of(os.stat(path))
    except (OSError, ValueError):
        return None


def path_kind(path: str, follow: bool) -> str:
    """What is at `path` (a symlink followed when `follow`, else itself): "file", "folder",
    "other" or "missing"."""
    try:
        mode = (os.stat(path) if follow else os.lstat(path)).st_mode
    except (OSError, ValueError):
        return "missing"
    if stat.S_ISREG(mode):
        return "file"
    return "folder" if stat.S_ISDIR(mode) else "other"


def settled(stamp: FileStamp, taken_ns: int) -> bool:
    """Whether `stamp`, taken at `taken_ns` (`time.time_ns`) or later, can be trusted by a later
    run: the file last changed long enough before that a change since shows in the stamp."""
    _, mtime, ctime, _, _ = stamp
    return max(mtime, ctime) <= taken_ns - _SETTLE_NS


class InputStamps:
    """The stamps of one run's input as the walk, the reads and the ignore rules meet it.
    `settled` turns False once anything was stamped too soon after it changed to be trusted
    later: such a run's stamps are not kept (files are the exception: `settled_stamp`)."""

    def __init__(self) -> None:
        self.started_ns = time.time_ns()
        self.settled = True
        self.folders: list[tuple[str, FileStamp]] = []

    def settled_stamp(self, stamp: FileStamp) -> FileStamp | None:
        """`stamp` if it can be trusted by a later run, else None (read that file again)."""
        return stamp if settled(stamp, self.started_ns) else None

    def unkeepable(self) -> None:
        """The walk decided something on a path it does not stamp (a symlink's target): a
        later run could not tell that it changed, so this run is not kept."""
        self.settled = False

    def folder(self, path: str) -> None:
        """Stamp a folder before it is listed: a file added or removed since changes it."""
        stamp = current_stamp(path)
        if stamp is None or self.settled_stamp(stamp) is None:
            self.settled = False
        else:
            self.folders.append((path, stamp))
