"""A cache of per-file results, keyed by content, so that re-linting an unchanged tree is fast.

The key covers the file's text and path, netlint's version, the settings and the rule set, as
ruff's cache does; only per-file work is stored (`per_file.FileResult`), never a conclusion that
depends on other files. Entries are pickles, and unpickling runs code, so each entry carries an
HMAC under a random key kept in the cache folder with owner-only permissions: an entry that
someone else wrote (a `.netlint_cache` committed to a repository under review) is ignored.
Entries are kept per salt (version, settings, rule set) in a folder of their own, and a folder no
run has used for two weeks is deleted. The whole cache folder is safe to delete at any time.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import pickle
import re
import shutil
import tempfile
import time
from contextlib import suppress
from pathlib import Path

from netlint.run.per_file import FileResult

_KEY_FILE = "hmac.key"
_VERSION = b"netlint-cache-v5"  # v5: slotted dataclasses pickled as tuples


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
# Entry folders: one per salt, and the two-hex-digit folders of the first cache layout (entries
# straight below the cache folder), which no run reads any more and which age out the same way.
_SALT_FOLDER = re.compile(r"[0-9a-f]{16}|[0-9a-f]{2}")


class ResultCache:
    def __init__(self, directory: Path, salt: str) -> None:
        self.directory = directory
        self.salt = hashlib.sha256(_VERSION + salt.encode("utf-8")).digest()
        self.entries = directory / self.salt.hex()[:16]
        self.enabled = True
        try:
            self.entries.mkdir(parents=True, exist_ok=True)
            os.utime(self.entries)  # in use: see _prune
            self._secret = self._load_secret()
        except OSError:
            self.enabled = False  # an unwritable cache is no cache, never an error
            self._secret = b""
            return
        with suppress(OSError):  # a folder it cannot list is no reason to stop
            self._prune()

    def _prune(self) -> None:
        """Delete the entry folders of other salts that no run has used for `_STALE_SECONDS`."""
        now = time.time()
        for folder in self.directory.iterdir():
            if folder == self.entries or not _SALT_FOLDER.fullmatch(folder.name):
                continue
            with suppress(OSError):
                stale = now - folder.stat().st_mtime > _STALE_SECONDS
                if stale and folder.is_dir() and not folder.is_symlink():
                    shutil.rmtree(folder, ignore_errors=True)

    def _load_secret(self) -> bytes:
        key_path = self.directory / _KEY_FILE
        try:
            secret = key_path.read_bytes()
            info = key_path.stat()
            # A key readable or writable by others could have been planted: start afresh.
            if len(secret) == 32 and info.st_mode & 0o077 == 0 and info.st_uid == os.getuid():
                return secret
        except OSError:
            pass
        secret = os.urandom(32)
        _write_atomically(key_path, secret)  # mkstemp's files are owner-only (0600)
        return secret

    def key(self, path: str, in_report_set: bool, text: str) -> str:
        digest = hashlib.sha256(self.salt)
        digest.update(path.encode("utf-8", "surrogateescape"))
        digest.update(b"\x00R" if in_report_set else b"\x00C")
        digest.update(text.encode("utf-8", "surrogatepass"))
        return digest.hexdigest()

    def _entry(self, key: str) -> Path:
        return self.entries / key[:2] / f"{key}.pickle"

    def get(self, key: str) -> bytes | None:
        """The entry stored under `key`, still pickled (`load` unpickles it): a worker process
        passes it on to the parent as it is, instead of unpickling and pickling it again."""
        if not self.enabled:
            return None
        try:
            blob = self._entry(key).read_bytes()
        except OSError:
            return None
        mac, payload = blob[:32], blob[32:]
        if not hmac.compare_digest(mac, hmac.new(self._secret, payload, hashlib.sha256).digest()):
            return None
        return payload

    @staticmethod
    def load(payload: bytes) -> FileResult | None:
        """An entry from `get`; None when it is truncated or stale (a miss)."""
        try:
            result = pickle.loads(payload)
        except Exception:
            return None
        return result if isinstance(result, FileResult) else None

    def put(self, key: str, result: FileResult) -> None:
        if not self.enabled:
            return
        payload = pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL)
        mac = hmac.new(self._secret, payload, hashlib.sha256).digest()
        entry = self._entry(key)
        try:
            entry.parent.mkdir(exist_ok=True)
            _write_atomically(entry, mac + payload)
        except OSError:
            self.enabled = False


def _write_atomically(path: Path, data: bytes) -> None:
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
