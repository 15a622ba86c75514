"""The texts of the report set, read again from their files when a reporter asks for one."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from netlint.input.reading import DEFAULT_MAX_FILE_SIZE, Source, read_source


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
