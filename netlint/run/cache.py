"""A cache of per-file results, keyed by content, so that re-linting an unchanged tree is fast.

The key covers the file's text and path, netlint's version, the settings and the rule set, as
ruff's cache does; only per-file work is stored (`per_file.FileResult`), never a conclusion that
depends on other files. The cache folder may hold what someone else wrote (a CI cache restored
from another branch), so entries are plain data (`cache_format`), never code, and each is checked
against the shape netlint writes as it is read: one that is not (truncated, corrupt, of another
format or version, crafted) is a miss, and the file is linted again. A CRC-32 catches corruption
early; it is no signature, and none would help with a key kept beside the entries.
Entries are kept per salt (version, settings, rule set) in a folder of their own, marked as
netlint's, and such a folder no run has used for two weeks is deleted; nothing else in the cache
folder is ever touched. The whole cache folder is safe to delete at any time.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import struct
import sys
import tempfile
import time
import zlib
from contextlib import suppress
from pathlib import Path

from netlint.run.cache_format import FORMAT_VERSION, BadEntry, decode, encode
from netlint.run.per_file import FileResult

# Byte order is in the salt: span words are stored as this machine writes them.
_VERSION = f"netlint-cache-v{FORMAT_VERSION}-{sys.byteorder}".encode()
# An entry: this magic, the CRC-32 of the rest, then the msgpack payload (`cache_format`).
_MAGIC = b"netlint\x00" + bytes([FORMAT_VERSION])
_CRC = struct.Struct("<I")
_HEADER = len(_MAGIC) + _CRC.size


def default_cache_dir() -> Path:
    """`$NETLINT_CACHE_DIR`, else the user's cache folder (XDG), never the linted checkout."""
    explicit = os.environ.get("NETLINT_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "netlint"


# Entries of one salt (netlint version, configuration, rule set) live in one folder named by
# the salt; a folder no run has used for this long is deleted, so that upgrades and changed
# configurations do not pile up copies of every file.
_STALE_SECONDS = 14 * 24 * 3600
# An entry folder is named so and holds this marker file: `$NETLINT_CACHE_DIR` may be a folder
# of the user's, and only what netlint made there is ever deleted.
_SALT_FOLDER = re.compile(r"netlint-[0-9a-f]{16}")
_MARKER = "NETLINT_CACHE"
_MARKER_TEXT = b"A folder of netlint's per-file result cache: safe to delete.\n"
# Folders of the pickle formats (up to v5): 16 hex digits, holding two-hex-digit folders, or
# two hex digits straight below the cache folder; recognised by holding nothing but entries.
_OLD_SALT_FOLDER = re.compile(r"[0-9a-f]{16}")
_OLD_ENTRY_FOLDER = re.compile(r"[0-9a-f]{2}")
_OLD_ENTRY = re.compile(r"[0-9a-f]{64}\.pickle|tmp\w+")


class ResultCache:
    def __init__(
        self, directory: Path, salt: str, rule_ids: frozenset[str], max_depth: int
    ) -> None:
        """`rule_ids`: the rules whose checks the per-file stage may defer; `max_depth`: the
        loader's nesting cap. An entry naming another rule or nesting deeper is a miss."""
        self.directory = directory
        self.salt = hashlib.sha256(_VERSION + salt.encode("utf-8")).digest()
        self.entries = directory / f"netlint-{self.salt.hex()[:16]}"
        self._folder = str(self.entries)
        self.rule_ids = rule_ids
        self.max_depth = max_depth
        # Whether a hit's documents are decoded and checked on first read rather than at once
        # (`cache_format.decode`): only where a run can start over when one is not well-formed,
        # which is within the engine's own run (`engine.run`).
        self.deferred = False
        self.enabled = True
        try:
            self.entries.mkdir(parents=True, exist_ok=True)
            marker = self.entries / _MARKER
            if not marker.is_file():
                write_atomically(marker, _MARKER_TEXT)
            os.utime(self.entries)  # in use: see _prune
        except OSError:
            self.enabled = False  # an unwritable cache is no cache, never an error
            return
        with suppress(OSError):  # a folder it cannot list is no reason to stop
            self._prune()

    def _prune(self) -> None:
        """Delete the entry folders of other salts that no run has used for `_STALE_SECONDS`."""
        now = time.time()
        for folder in self.directory.iterdir():
            if folder == self.entries:
                continue
            with suppress(OSError):
                info = folder.lstat()
                if now - info.st_mtime > _STALE_SECONDS and _is_entry_folder(folder):
                    shutil.rmtree(folder, ignore_errors=True)

    def key(self, path: str, in_report_set: bool, text: str) -> str:
        digest = hashlib.sha256(self.salt)
        digest.update(path.encode("utf-8", "surrogateescape"))
        digest.update(b"\x00R" if in_report_set else b"\x00C")
        digest.update(text.encode("utf-8", "surrogatepass"))
        return digest.hexdigest()

    def _entry_name(self, key: str) -> str:
        """Where `key`'s entry is, as a string: built for the read of every hit, where pathlib's
        joins cost more than the read."""
        return f"{self._folder}{os.sep}{key[:2]}{os.sep}{key}.entry"

    def get(self, key: str) -> FileResult | None:
        """The result stored under `key`; None for a miss, which is also what any entry that is
        not exactly what `put` writes is. Its `real_path` is for the caller to set."""
        if not self.enabled:
            return None
        try:
            with open(self._entry_name(key), "rb") as handle:
                blob = handle.read()
        except OSError:
            return None
        if blob[: len(_MAGIC)] != _MAGIC or len(blob) < _HEADER:
            return None  # another format: an older netlint's, or not netlint's at all
        payload = memoryview(blob)[_HEADER:]
        if zlib.crc32(payload) != _CRC.unpack_from(blob, len(_MAGIC))[0]:
            return None  # corrupt
        try:
            return decode(payload, self.rule_ids, self.max_depth, deferred=self.deferred)
        except BadEntry:
            return None

    def put(self, key: str, result: FileResult) -> None:
        """Store `result`, whose documents are not packed yet (`cache_format.encode`)."""
        if not self.enabled:
            return
        try:
            payload = encode(result)
        except (ValueError, TypeError, OverflowError):
            return  # data msgpack cannot hold (an integer beyond 64 bits): not cached
        entry = Path(self._entry_name(key))
        try:
            entry.parent.mkdir(exist_ok=True)
            write_atomically(entry, _MAGIC + _CRC.pack(zlib.crc32(payload)) + payload)
        except OSError:
            self.enabled = False


def _is_entry_folder(folder: Path) -> bool:
    """Whether `folder` (not a symlink) is one netlint made for entries: named and marked so, or
    in an older layout and holding nothing but entries of it."""
    if folder.is_symlink() or not folder.is_dir():
        return False
    if _SALT_FOLDER.fullmatch(folder.name):
        return (folder / _MARKER).is_file()
    if _OLD_SALT_FOLDER.fullmatch(folder.name):
        subfolders = list(folder.iterdir())
        return bool(subfolders) and all(
            _OLD_ENTRY_FOLDER.fullmatch(sub.name) and _holds_old_entries(sub) for sub in subfolders
        )
    return bool(_OLD_ENTRY_FOLDER.fullmatch(folder.name)) and _holds_old_entries(folder)


def _holds_old_entries(folder: Path) -> bool:
    """A folder of pickled entries (up to v5), and nothing else: at least one, no folder."""
    if folder.is_symlink() or not folder.is_dir():
        return False
    names = list(folder.iterdir())
    return any(item.name.endswith(".pickle") for item in names) and all(
        _OLD_ENTRY.fullmatch(item.name) and item.is_file() for item in names
    )


def write_atomically(path: Path, data: bytes) -> None:
    """Write `path` whole or not at all (a temporary file renamed over it, removed on failure)."""
    descriptor, temporary = tempfile.mkstemp(dir=path.parent)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
        os.replace(temporary, path)
    except BaseException:
        with suppress(OSError):
            os.unlink(temporary)
        raise
