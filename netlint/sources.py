"""Where manifests come from: files, directories and stdin, decoded as Kubernetes would.

Directories are walked for `*.yaml`, `*.yml` and `*.json`. Whatever cannot be read becomes a
`file-unreadable` (or `input-limit`) finding for that path while the others are still read; only a
path named on the command line that does not exist at all is a usage error (DESIGN §4).
"""

from __future__ import annotations

import codecs
import errno
import fnmatch
import os
import stat
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

EXTENSIONS = (".yaml", ".yml", ".json")
DEFAULT_MAX_FILE_SIZE = 10 * 1024 * 1024
STDIN_PATH = "-"
# Folders never worth reading: VCS data, dependencies, virtualenvs (DESIGN §3).
_SKIPPED_DIR_NAMES = frozenset(
    [".git", ".hg", ".svn", "node_modules", ".venv", "venv", ".tox", "__pycache__"]
)


@dataclass(frozen=True, slots=True)
class Source:
    """A decoded input text and the path findings name."""

    path: str  # display path: relative to the working directory where possible, "-" for stdin
    text: str
    real_path: str | None = None  # absolute path (None for stdin), for dedup and SARIF URIs


@dataclass(frozen=True, slots=True)
class Unreadable:
    """A path that could not be turned into a Source; `rule_id` is the finding it becomes."""

    path: str
    reason: str
    rule_id: str = "file-unreadable"


class MissingPathError(Exception):
    """A path named on the command line does not exist (exit code 2)."""


def display_path(path: Path, cwd: Path) -> str:
    try:
        return path.relative_to(cwd).as_posix()
    except ValueError:
        return path.as_posix()


def decode(data: bytes) -> str:
    """UTF-8 (with or without BOM) or UTF-16 with BOM; raises ValueError with a reason otherwise."""
    if data.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        raise ValueError(
            "UTF-32 text: Kubernetes reads only UTF-8 and UTF-16 with a byte-order mark"
        )
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as error:
            raise ValueError(f"invalid UTF-16 at byte {error.start}") from None
    else:
        nul = data.find(b"\x00")
        if nul >= 0:
            raise ValueError(f"binary content: NUL byte at offset {nul}; not a text manifest")
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise ValueError(
                f"not UTF-8: invalid byte 0x{data[error.start]:02x} at offset {error.start} "
                "(Kubernetes reads only UTF-8 and UTF-16 with a byte-order mark)"
            ) from None
    if "\x00" in text:
        raise ValueError("binary content: NUL character in the text; not a text manifest")
    return text


class PathMatcher:
    """Exclude globs as users write them in ruff or .gitignore, relative to a base directory.

    `foo` matches a file or folder named foo anywhere; `dir/*.yaml` matches relative to the base;
    `**` crosses folders.
    """

    def __init__(self, patterns: Iterable[str], base: Path) -> None:
        self.base = base
        self.patterns = [pattern.rstrip("/") for pattern in patterns if pattern.strip()]

    def matches(self, path: Path) -> bool:
        if not self.patterns:
            return False
        try:
            relative = path.resolve().relative_to(self.base.resolve()).as_posix()
        except ValueError:
            relative = path.as_posix()
        parts = relative.split("/")
        for pattern in self.patterns:
            if "/" not in pattern:
                if any(fnmatch.fnmatchcase(part, pattern) for part in parts):
                    return True
                continue
            normalized = pattern.removeprefix("./")
            if fnmatch.fnmatchcase(relative, normalized) or fnmatch.fnmatchcase(
                relative, normalized.replace("**/", "")
            ):
                return True
            # A pattern naming a folder excludes everything below it.
            for depth in range(1, len(parts)):
                if fnmatch.fnmatchcase("/".join(parts[:depth]), normalized):
                    return True
        return False


def _is_virtualenv(directory: Path) -> bool:
    return (directory / "pyvenv.cfg").is_file()


def _is_helm_templates(directory: Path) -> bool:
    # Go templates beside a Chart.yaml are not YAML; lint `helm template` output instead.
    return directory.name == "templates" and (directory.parent / "Chart.yaml").is_file()


def _skip_directory(directory: Path, excludes: PathMatcher) -> bool:
    return (
        directory.name in _SKIPPED_DIR_NAMES
        or _is_virtualenv(directory)
        or _is_helm_templates(directory)
        or excludes.matches(directory)
    )


def read_source(path: Path, cwd: Path, max_file_size: int) -> Source | Unreadable:
    shown = display_path(path, cwd)
    try:
        info = path.stat()
    except OSError as error:
        if error.errno == errno.ELOOP:
            return Unreadable(shown, "symlink loop")
        return Unreadable(shown, error.strerror or str(error))
    if not stat.S_ISREG(info.st_mode):
        return Unreadable(shown, "not a regular file (a FIFO, socket or device)")
    if info.st_size > max_file_size:
        return Unreadable(
            shown,
            f"file is {info.st_size} bytes, above the limit of {max_file_size} bytes; not read",
            "input-limit",
        )
    try:
        with path.open("rb") as handle:
            data = handle.read(max_file_size + 1)
    except OSError as error:
        return Unreadable(shown, error.strerror or str(error))
    if len(data) > max_file_size:
        return Unreadable(
            shown, f"file grew above the limit of {max_file_size} bytes", "input-limit"
        )
    try:
        text = decode(data)
    except ValueError as error:
        return Unreadable(shown, str(error))
    return Source(shown, text, str(path.absolute()))


def _walk(root: Path, excludes: PathMatcher, cwd: Path) -> Iterator[Path | Unreadable]:
    """Files below `root` in sorted order; symlinked folders are followed once, loops reported."""
    seen: set[str] = set()
    pending = [root]
    while pending:
        directory = pending.pop()
        try:
            real = os.path.realpath(directory)
        except OSError:
            real = str(directory)
        if real in seen:
            yield Unreadable(display_path(directory, cwd), "symlink loop: folder already visited")
            continue
        seen.add(real)
        try:
            entries = sorted(os.scandir(directory), key=lambda entry: entry.name)
        except OSError as error:
            yield Unreadable(display_path(directory, cwd), error.strerror or str(error))
            continue
        subdirectories: list[Path] = []
        for entry in entries:
            entry_path = Path(entry.path)
            try:
                is_dir = entry.is_dir()
            except OSError:
                is_dir = False
            if is_dir:
                if not _skip_directory(entry_path, excludes):
                    subdirectories.append(entry_path)
            elif entry.name.endswith(EXTENSIONS) and not excludes.matches(entry_path):
                yield entry_path
        pending.extend(reversed(subdirectories))


def collect_paths(
    paths: Iterable[str], excludes: PathMatcher, cwd: Path
) -> Iterator[Path | Unreadable | str]:
    """Expand command-line paths into files (or "-" for stdin); raises MissingPathError."""
    for raw in paths:
        if raw == STDIN_PATH:
            yield STDIN_PATH
            continue
        path = Path(raw)
        if not path.is_absolute():
            path = cwd / path
        if not path.exists() and not path.is_symlink():
            raise MissingPathError(f"path does not exist: {raw}")
        if path.is_dir():
            yield from _walk(path, excludes, cwd)
        else:
            # A file named explicitly is read whatever its extension or the excludes say.
            yield path


def read_sources(
    paths: Iterable[str],
    excludes: PathMatcher,
    cwd: Path,
    max_file_size: int = DEFAULT_MAX_FILE_SIZE,
    stdin_text: str | None = None,
    skip_real_paths: frozenset[str] = frozenset(),
) -> Iterator[Source | Unreadable]:
    """Every source once, in a stable order; a file named twice is read once."""
    seen: set[str] = set(skip_real_paths)
    for item in collect_paths(paths, excludes, cwd):
        if isinstance(item, Unreadable):
            yield item
            continue
        if isinstance(item, str):
            if STDIN_PATH in seen:
                continue
            seen.add(STDIN_PATH)
            text = stdin_text
            if text is None:
                try:
                    text = decode(sys.stdin.buffer.read())
                except ValueError as error:
                    yield Unreadable(STDIN_PATH, str(error))
                    continue
            yield Source(STDIN_PATH, text, None)
            continue
        key = os.path.realpath(item)
        if key in seen:
            continue
        seen.add(key)
        yield read_source(item, cwd, max_file_size)
