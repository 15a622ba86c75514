"""Where manifests come from: files, directories and stdin, decoded as Kubernetes would.

Directories are walked for `*.yaml`, `*.yml` and `*.json`. Whatever cannot be read becomes a
`file-unreadable` (or `input-limit`) finding for that path while the others are still read; only a
path named on the command line that does not exist at all is a usage error (DESIGN §4).

Hostile trees (DESIGN §10): a FIFO, socket or device is never opened (opening a FIFO for reading
blocks until a writer comes; the file is opened non-blocking and checked again after opening, so a
file swapped for a FIFO in between cannot hang the run either); a file is never read past the size
cap; symlink loops and unreadable folders are findings; a folder reached twice through symlinks is
walked once. Display paths are printable UTF-8 whatever the file system holds: bytes of a file name
that are not UTF-8 are shown as `\\xNN` (the real path is kept for reading and SARIF URIs).
"""

from __future__ import annotations

import codecs
import errno
import fnmatch
import os
import stat
import sys
import zlib
from collections.abc import Iterable, Iterator, Mapping
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
    real_path: str | None = None  # absolute path (None for stdin), for SARIF URIs
    checksum: int = 0  # CRC-32 of the bytes read (0 for stdin), see `SourceTexts`


@dataclass(frozen=True, slots=True)
class Unreadable:
    """A path that could not be turned into a Source; `rule_id` is the finding it becomes."""

    path: str
    reason: str
    rule_id: str = "file-unreadable"


@dataclass(frozen=True, slots=True)
class Pending:
    """A file found and not read yet: it is read where it is parsed, on any core."""

    path: str  # display path
    file: str  # the path to open (absolute)
    real: str  # symlinks resolved: the file's identity, to read it once however it is named
    size: int  # bytes when found, to share the work out evenly

    def read(self, max_file_size: int) -> Source | Unreadable:
        return read_source(self.file, self.path, max_file_size)


def _read_stdin(stdin_text: str | None, max_file_size: int) -> Source | Unreadable:
    if stdin_text is not None:
        text = stdin_text
    else:
        try:
            data = sys.stdin.buffer.read(max_file_size + 1)
        except (OSError, ValueError) as error:  # ValueError: stdin closed
            return Unreadable(STDIN_PATH, f"cannot read stdin: {error}")
        if len(data) > max_file_size:
            return Unreadable(
                STDIN_PATH,
                f"stdin holds more than {max_file_size} bytes (max-file-size); not read",
                "input-limit",
            )
        try:
            text = decode(data)
        except ValueError as error:
            return Unreadable(STDIN_PATH, str(error))
    return Source(STDIN_PATH, text, None)


class SourceTexts(Mapping[str, str]):
    """Report-set texts by display path, for the reporters and comment suppressions, which read
    only those of files with findings. A file's text is read again when asked for, not kept: in
    a large run most files have no finding, and packing every text to keep it took 5% of the
    per-file stage. The CRC-32 of the bytes first read must match, so a file changed since is
    never shown or searched for directives as if it were what was linted: it has no text here.
    Stdin, which cannot be read twice, is kept."""

    def __init__(self, max_file_size: int = DEFAULT_MAX_FILE_SIZE) -> None:
        self.max_file_size = max_file_size
        self._files: dict[str, tuple[str, int]] = {}  # display path -> (path to open, CRC-32)
        self._kept: dict[str, str] = {}
        self._last: tuple[str, str] | None = None  # readers ask for one file at a time, often twice

    def add_file(self, path: str, file: str, checksum: int) -> None:
        self._files[path] = (file, checksum)

    def add_text(self, path: str, text: str) -> None:
        self._kept[path] = text

    def __getitem__(self, path: str) -> str:
        if path in self._kept:
            return self._kept[path]
        if self._last is not None and self._last[0] == path:
            return self._last[1]
        file, checksum = self._files[path]
        source = read_source(file, path, self.max_file_size)
        if not isinstance(source, Source) or source.checksum != checksum:
            raise KeyError(path)  # unreadable or changed since it was linted
        self._last = (path, source.text)
        return source.text

    def __contains__(self, path: object) -> bool:
        return path in self._kept or path in self._files

    def __iter__(self) -> Iterator[str]:
        yield from self._kept
        yield from self._files

    def __len__(self) -> int:
        return len(self._kept) + len(self._files)


class MissingPathError(Exception):
    """A path named on the command line does not exist (exit code 2)."""


_KIB, _MIB, _GIB = 1 << 10, 1 << 20, 1 << 30
_SIZE_UNITS = {"": 1, "k": _KIB, "kib": _KIB, "m": _MIB, "mib": _MIB, "g": _GIB, "gib": _GIB}


def parse_size(text: str) -> int:
    """`10485760`, `512K`, `10M`, `10MiB`, `1G` -> bytes (binary units); ValueError otherwise."""
    stripped = text.strip()
    digits = len(stripped) - len(stripped.lstrip("0123456789"))
    number, unit = stripped[:digits], stripped[digits:].strip().lower().removesuffix("b")
    if unit.endswith("i"):
        unit += "b"
    if not number or unit not in _SIZE_UNITS or int(number) == 0:
        raise ValueError(
            f"invalid file size {text!r}: use a positive number of bytes, optionally with "
            "K, M or G (KiB, MiB, GiB), e.g. 10M"
        )
    return int(number) * _SIZE_UNITS[unit]


def printable(name: str) -> str:
    """`name` as printable UTF-8: a byte that is not UTF-8 (Python keeps it as a lone surrogate,
    which no UTF-8 output can encode) becomes `\\xNN`, a control character `\\xNN` or `\\uNNNN`."""
    if name.isprintable():
        return name
    shown: list[str] = []
    for char in name:
        code = ord(char)
        if 0xDC80 <= code <= 0xDCFF:  # os.fsdecode's surrogateescape of byte code - 0xDC00
            shown.append(f"\\x{code - 0xDC00:02x}")
        elif char.isprintable() and not 0xD800 <= code <= 0xDFFF:
            shown.append(char)
        elif code <= 0xFF:
            shown.append(f"\\x{code:02x}")
        else:
            shown.append(f"\\u{code:04x}")
    return "".join(shown)


def display_path(path: Path | str, cwd: Path) -> str:
    """`path` relative to `cwd` when it is `cwd` or below it (on strings, not with
    `Path.relative_to`: a run shows thousands of paths), with forward slashes."""
    text, base = str(path), str(cwd)
    if text == base:
        return "."
    prefix = base if base.endswith(os.sep) else base + os.sep
    shown = text[len(prefix) :] if text.startswith(prefix) else text
    return printable(shown if os.sep == "/" else shown.replace(os.sep, "/"))


def _reason(error: OSError) -> str:
    """An OSError as a short reason: `permission denied`, `symlink loop`..."""
    if error.errno == errno.ELOOP:
        return "symlink loop"
    if error.errno in (errno.EACCES, errno.EPERM):
        return "permission denied"
    text = error.strerror or type(error).__name__
    return text[:1].lower() + text[1:]


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
            zeros, others = data[nul % 2 :: 2][:64], data[1 - nul % 2 :: 2][:64]
            if nul <= 1 and len(data) >= 4 and not zeros.strip(b"\x00") and 0 not in others:
                raise ValueError(
                    "UTF-16 text without a byte-order mark (NUL bytes): Kubernetes reads only "
                    "UTF-8 and UTF-16 with a byte-order mark"
                )
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
        self._real_base = _resolved(base)  # matches() runs for every file and folder walked

    def matches(self, path: Path | str) -> bool:
        if not self.patterns:  # the walk asks for every file and folder: no pathlib then
            return False
        path = Path(path)
        try:
            relative = _resolved(path).relative_to(self._real_base).as_posix()
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


def _resolved(path: Path) -> Path:
    """`path` with symlinks resolved; a symlink loop (RuntimeError before Python 3.13, OSError
    after) leaves it absolute but unresolved: the loop is reported when the file is read."""
    try:
        return path.resolve()
    except (OSError, RuntimeError):
        return path.absolute()


_VENV_MARKER = "pyvenv.cfg"


# os.path.isfile, not Path.is_file: a folder netlint may not look into is a finding of the walk,
# and Path.is_file raises PermissionError there (Python < 3.14). The walk passes strings: it
# meets every folder of the tree, and pathlib objects cost more than the checks.
def _is_virtualenv(directory: str) -> bool:
    return os.path.isfile(os.path.join(directory, _VENV_MARKER))


def _is_helm_templates(directory: str) -> bool:
    # Go templates beside a Chart.yaml are not YAML; lint `helm template` output instead.
    return os.path.basename(directory) == "templates" and os.path.isfile(
        os.path.join(os.path.dirname(directory), "Chart.yaml")
    )


def _skip_directory(directory: str, excludes: PathMatcher) -> bool:
    """Whether the walk leaves `directory` out by its name or place. A virtualenv is left out
    too (`_is_virtualenv`), but the walk sees that in the folder's own listing, with no stat."""
    return (
        os.path.basename(directory) in _SKIPPED_DIR_NAMES
        or _is_helm_templates(directory)
        or excludes.matches(directory)
    )


def force_excluded(raw: str, excludes: PathMatcher, cwd: Path) -> bool:
    """Whether walking the folders would have skipped the named file `raw` (ruff's
    `--force-exclude`): pre-commit names every staged YAML file, Go templates of a Helm chart
    and files the config excludes included."""
    if raw == STDIN_PATH:
        return False
    path = Path(raw) if Path(raw).is_absolute() else cwd / raw
    if path.is_dir():
        return False  # a folder is walked, and the walk applies the excludes itself
    if excludes.matches(path):
        return True
    for folder in path.parents:
        if folder in (cwd, folder.parent):
            break
        if _skip_directory(str(folder), excludes) or _is_virtualenv(str(folder)):
            return True
    return False


_OPEN_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_NONBLOCK", 0)
    | getattr(os, "O_NOCTTY", 0)
    | getattr(os, "O_CLOEXEC", 0)
    | getattr(os, "O_BINARY", 0)
)


def _not_regular(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        what = "a FIFO (named pipe)"
    elif stat.S_ISSOCK(mode):
        what = "a socket"
    elif stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        what = "a device"
    elif stat.S_ISDIR(mode):
        what = "a folder"
    else:
        what = "a special file"
    return f"not a regular file: {what} is never read (pipe its content to `netlint check -`)"


def _too_large(size: int, max_file_size: int) -> str:
    return (
        f"file is {size} bytes, above the limit of {max_file_size} bytes (max-file-size); not read"
    )


def _read_up_to(descriptor: int, size: int) -> bytes:
    """At most `size` bytes, fewer only at the end of the file. Unbuffered: a file object (its
    buffer, its locks) per file would cost more than the read itself."""
    chunks: list[bytes] = []
    while size > 0:
        chunk = os.read(descriptor, size)
        if not chunk:
            break
        chunks.append(chunk)
        size -= len(chunk)
    return chunks[0] if len(chunks) == 1 else b"".join(chunks)


def read_source(path: str | Path, shown: str, max_file_size: int) -> Source | Unreadable:
    """The file at `path`, named `shown` in findings."""
    try:
        info = os.stat(path)
    except OSError as error:
        return Unreadable(shown, f"cannot read: {_reason(error)}")
    if not stat.S_ISREG(info.st_mode):
        return Unreadable(shown, _not_regular(info.st_mode))
    if info.st_size > max_file_size:
        return Unreadable(shown, _too_large(info.st_size, max_file_size), "input-limit")
    try:
        # Non-blocking, so that a file replaced by a FIFO since the stat cannot block the run.
        descriptor = os.open(path, _OPEN_FLAGS)
    except OSError as error:
        return Unreadable(shown, f"cannot read: {_reason(error)}")
    try:
        opened = os.fstat(descriptor)
        if not stat.S_ISREG(opened.st_mode):
            return Unreadable(shown, _not_regular(opened.st_mode))
        if opened.st_size > max_file_size:
            return Unreadable(shown, _too_large(opened.st_size, max_file_size), "input-limit")
        # Its size and one byte more (a buffer of max_file_size would be allocated for every
        # file); past that, the file grew while being read, up to the limit.
        data = _read_up_to(descriptor, min(opened.st_size, max_file_size) + 1)
        if len(data) > opened.st_size:
            data += _read_up_to(descriptor, max_file_size + 1 - len(data))
    except OSError as error:
        return Unreadable(shown, f"cannot read: {_reason(error)}")
    finally:
        os.close(descriptor)
    if len(data) > max_file_size:
        return Unreadable(
            shown,
            f"file grew above the limit of {max_file_size} bytes (max-file-size) while it was "
            "read; not read",
            "input-limit",
        )
    try:
        text = decode(data)
    except ValueError as error:
        return Unreadable(shown, str(error))
    absolute = os.fspath(path) if os.path.isabs(path) else str(Path(path).absolute())
    return Source(shown, text, absolute, zlib.crc32(data))


def _is_inside(real: str, ancestor: str) -> bool:
    return real == ancestor or real.startswith(ancestor.rstrip(os.sep) + os.sep)


def _found(
    path: str, real: str | None = None, entry: os.DirEntry[str] | None = None
) -> tuple[str, str, int]:
    """A file to read: its path, its real path (`real` when known) and its size (0 if unknown:
    the read reports what is wrong); a walk's `entry` of it stats it cheapest."""
    try:
        # Both follow a symlink, as the read will.
        size = (entry.stat() if entry is not None else os.stat(path)).st_size
    except OSError:
        size = 0
    return path, real if real is not None else os.path.realpath(path), size


def _walk(
    root: Path, excludes: PathMatcher, cwd: Path
) -> Iterator[tuple[str, str, int] | Unreadable]:
    """Files below `root` in sorted order (see `_found`); a folder reached again through a
    symlink is walked once, and reported when the symlink points at one of its own ancestors
    (a loop). Symlinked folders are walked last, so that files are shown under their real names
    where possible. Folders are strings here: the walk meets every one of them."""
    seen: set[str] = set()
    root_text = str(root)
    # Folders to walk, with their real path when known: a plain subfolder's is its parent's
    # real path and its name, so only the root and symlinks are resolved.
    pending: list[tuple[str, str | None]] = [(root_text, None)]
    linked: list[str] = []  # symlinked folders, walked once everything else is
    while pending or linked:
        directory, known = pending.pop() if pending else (linked.pop(0), None)
        real = known if known is not None else os.path.realpath(directory)
        if real in seen:
            if _is_inside(os.path.realpath(os.path.dirname(directory)), real):
                yield Unreadable(
                    display_path(directory, cwd),
                    "symlink loop: this folder links back to "
                    f"{display_path(real, cwd)}, which holds it; not walked again",
                )
            # Otherwise the same folder under a second name: its files are read once.
            continue
        seen.add(real)
        try:
            with os.scandir(directory) as scan:
                by_name = {entry.name: entry for entry in scan}
        except OSError as error:
            yield Unreadable(display_path(directory, cwd), f"cannot read folder: {_reason(error)}")
            continue
        if _VENV_MARKER in by_name and directory != root_text and _is_virtualenv(directory):
            continue  # a virtualenv below the root (the root is what the user named)
        subdirectories: list[tuple[str, str | None]] = []
        for name in sorted(by_name):
            entry = by_name[name]
            try:
                is_dir = entry.is_dir()
            except OSError:
                is_dir = False
            if is_dir:
                if _skip_directory(entry.path, excludes):
                    continue
                if entry.is_symlink():
                    linked.append(entry.path)
                else:
                    subdirectories.append((entry.path, os.path.join(real, entry.name)))
            elif entry.name.endswith(EXTENSIONS):
                if excludes.matches(entry.path):
                    continue
                # In a folder whose real path is known, only a symlink needs resolving.
                known_real = None if entry.is_symlink() else os.path.join(real, entry.name)
                yield _found(entry.path, known_real, entry)
        pending.extend(reversed(subdirectories))


def collect_paths(
    paths: Iterable[str], excludes: PathMatcher, cwd: Path
) -> Iterator[tuple[str, str, int] | Unreadable | str]:
    """Expand command-line paths into files (or "-" for stdin); raises MissingPathError."""
    for raw in paths:
        if raw == STDIN_PATH:
            yield STDIN_PATH
            continue
        path = Path(raw)
        if not path.is_absolute():
            path = cwd / path
        try:
            info = path.stat()
        except FileNotFoundError:
            if not path.is_symlink():
                raise MissingPathError(f"path does not exist: {printable(raw)}") from None
            yield _found(str(path))  # a dangling symlink: reported when read
            continue
        except OSError as error:
            if error.errno == errno.ENOTDIR:
                raise MissingPathError(f"path does not exist: {printable(raw)}") from None
            yield _found(str(path))  # a symlink loop, a folder it cannot enter: reported when read
            continue
        if stat.S_ISDIR(info.st_mode):
            yield from _walk(path, excludes, cwd)
        else:
            # A file named explicitly is read whatever its extension or the excludes say.
            yield _found(str(path))


def list_sources(
    paths: Iterable[str],
    excludes: PathMatcher,
    cwd: Path,
    max_file_size: int = DEFAULT_MAX_FILE_SIZE,
    stdin_text: str | None = None,
    skip_real_paths: frozenset[str] = frozenset(),
) -> list[Pending | Source | Unreadable]:
    """Every source once, sorted by display path whatever the order of `paths`, so that the
    inventory, and with it every finding, does not depend on the order files were named in.
    Files are not read yet (stdin is); `skip_real_paths` are real paths already listed.

    A file named twice (or reached through two names) is listed once, under the first of its
    names in that order; a folder problem found twice (a folder named twice, or with and without
    a trailing slash) is reported once."""
    chosen: dict[str, tuple[str, Pending | Unreadable | None]] = {}  # identity -> (shown, item)
    for item in collect_paths(paths, excludes, cwd):
        found: Pending | Unreadable | None
        if isinstance(item, Unreadable):
            key, shown, found = f"unreadable:{item.path}", item.path, item
        elif isinstance(item, str):
            key, shown, found = STDIN_PATH, STDIN_PATH, None
        else:
            path, key, size = item
            if key in skip_real_paths:
                continue
            shown = display_path(path, cwd)
            found = Pending(shown, path, key, size)
        known = chosen.get(key)
        if known is None or shown < known[0]:
            chosen[key] = (shown, found)
    return [
        _read_stdin(stdin_text, max_file_size) if item is None else item
        for _, item in sorted(chosen.values(), key=lambda pair: pair[0])
    ]
