"""Reading one source: a file or stdin, decoded as Kubernetes would, within the size cap.

Whatever cannot be read becomes an `Unreadable`, a `file-unreadable` (or `input-limit`) finding
for that path, while the other files are still read (DESIGN §4). Hostile files (DESIGN §10): a
FIFO, socket or device is never opened (opening a FIFO for reading blocks until a writer comes;
the file is opened non-blocking and checked again after opening, so a file swapped for a FIFO in
between cannot hang the run either), and a file is never read past the size cap.
"""

from __future__ import annotations

import codecs
import errno
import os
import stat
import sys
import zlib
from dataclasses import field
from pathlib import Path

from netlint.input.file_stamps import FileStamp, stamp_of
from netlint.records import record

DEFAULT_MAX_FILE_SIZE = 10 * 1024 * 1024
STDIN_PATH = "-"


@record(frozen=True, slots=True)
class Source:
    """A decoded input text and the path findings name."""

    path: str  # display path: relative to the working directory where possible, "-" for stdin
    text: str
    real_path: str | None = None  # absolute path (None for stdin), for SARIF URIs
    checksum: int = 0  # CRC-32 of the bytes read (0 for stdin), see `SourceTexts`
    # The file's stamp as it was opened, before it was read (`input.file_stamps`); None for
    # what was not read from a file. Not part of what the source is.
    stamp: FileStamp | None = field(default=None, compare=False)


@record(frozen=True, slots=True)
class Unreadable:
    """A path that could not be turned into a Source; `rule_id` is the finding it becomes."""

    path: str
    reason: str
    rule_id: str = "file-unreadable"


@record(frozen=True, slots=True)
class Pending:
    """A file found and not read yet: it is read where it is parsed, on any core."""

    path: str  # display path
    file: str  # the path to open (absolute)
    real: str  # symlinks resolved: the file's identity, to read it once however it is named
    size: int  # bytes when found, to share the work out evenly

    def read(self, max_file_size: int) -> Source | Unreadable:
        return read_source(self.file, self.path, max_file_size)


def read_stdin(stdin_text: str | None, max_file_size: int) -> Source | Unreadable:
    if stdin_text is not None:
        text = stdin_text
    else:
        if sys.stdin is None:  # started with file descriptor 0 closed
            return Unreadable(STDIN_PATH, "cannot read stdin: it is closed")
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


def os_error_reason(error: OSError) -> str:
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
        return Unreadable(shown, f"cannot read: {os_error_reason(error)}")
    if not stat.S_ISREG(info.st_mode):
        return Unreadable(shown, _not_regular(info.st_mode))
    if info.st_size > max_file_size:
        return Unreadable(shown, _too_large(info.st_size, max_file_size), "input-limit")
    try:
        # Non-blocking, so that a file replaced by a FIFO since the stat cannot block the run.
        descriptor = os.open(path, _OPEN_FLAGS)
    except OSError as error:
        return Unreadable(shown, f"cannot read: {os_error_reason(error)}")
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
        return Unreadable(shown, f"cannot read: {os_error_reason(error)}")
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
    return Source(shown, text, absolute, zlib.crc32(data), stamp_of(opened))
