"""A run's reports kept as written, for the same run of an unchanged tree to write them again
without walking the tree, reading its files or rendering anything (issue 31).

A run the whole-run cache serves (`run.whole_run`) keeps, beside its entries in `runs/`, one
`<digest>.kept` per input and output settings (`<digest>`: of the cache's salt, which covers
netlint's version and code, the settings, rules and packs, of the input named, the working
folder and git's configuration paths, and of what the reports depend on besides the findings:
formats, files, colours, exit-code flags, the configuration and baseline texts; the front end
gives that part, `RunOptions.outputs_key`). It holds:

- the stamps of what the run read (`input.file_stamps`): every folder walked, every file read,
  every ignore or git configuration file read or looked for, and the paths looked at;
- the reports, as written, and the exit code;
- the git work tree of each folder the reports name files in (SARIF names files against it, and
  a `git init` changes it without changing any input).

The next run with the same digest stamps the same paths: when every stamp is what it was (a file
stamped too soon after it changed is read again and compared by its cache key) and every work
tree is where it was, the reports are written again as they were. Anything else, including an
entry that is not what `keep` writes, and the run is done in full.

Only runs whose input is plain files are kept: none with stdin, an unreadable file or folder, a
Helm chart (its rendering reads `Chart.yaml` and more) or a chart's template.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import cast

from netlint.input.file_stamps import (
    FileStamp,
    InputStamps,
    current_stamp,
    path_kind,
    settled,
)
from netlint.input.gitignore import GitIgnore
from netlint.input.helm import TEMPLATES_DIR
from netlint.input.reading import STDIN_PATH, Source, Unreadable, read_source
from netlint.input.sources import SKIP_HELM_TEMPLATES, Skipped
from netlint.input.work_trees import WorkTrees, reported_path
from netlint.run.cache import ResultCache, write_atomically
from netlint.run.cache_format import (
    BadEntry,
    expect_array,
    expect_boolean,
    expect_list,
    expect_natural,
    expect_optional_string,
    expect_string,
)
from netlint.run.results import Report
from netlint.run.run_cache import MAX_ENTRY_BYTES, RUN_FORMAT, prune_runs

KEPT_SUFFIX = ".kept"


@dataclass(frozen=True, slots=True)
class KeptInput:
    """What a run read, stamped (see the module's docstring)."""

    folders: tuple[tuple[str, FileStamp], ...]
    # (display path, path opened, in the report set, stamp or None when read too soon after a
    # change to be trusted by it, the file's cache key)
    files: tuple[tuple[str, str, bool, FileStamp | None, str], ...]
    reads: tuple[tuple[str, FileStamp | None], ...]  # files the ignore rules read or looked for
    probes: tuple[tuple[str, bool, str], ...]  # (path, symlinks followed, what was there)


@dataclass(frozen=True, slots=True)
class _Kept:
    input: KeptInput
    texts: tuple[tuple[str, str], ...]  # (format, report), in the order they were written
    exit_code: int
    roots: tuple[tuple[str, str | None], ...]  # (folder, the top of its git work tree)


class KeptRun:
    """The kept reports of one run (`Report.reports`): `texts` and `exit_code` when the run was
    kept and nothing it read changed (`load`); else, once the reports are written, `keep` them,
    if the run `record`ed what it read."""

    def __init__(
        self,
        cache: ResultCache,
        identity: str,
        outputs_key: str,
        formats: frozenset[str],
        cwd: str,
    ) -> None:
        digest = hashlib.sha256(cache.salt)
        digest.update(f"kept-v{RUN_FORMAT}\x00{identity}\x00{outputs_key}".encode(errors="replace"))
        self.cache = cache
        self.folder = cache.entries / "runs"
        self.path = self.folder / f"{digest.hexdigest()[:40]}{KEPT_SUFFIX}"
        self.cwd = cwd
        self.formats = formats  # the reports asked for: a kept entry holds exactly these
        self._stored: _Kept | None = None
        self._input: KeptInput | None = None

    # -- the replay ---------------------------------------------------------------------------

    def load(self, max_file_size: int) -> bool:
        """Whether the kept reports can be written again: kept, and nothing they came of changed."""
        if not self.cache.enabled:
            return False
        try:
            if self.path.stat().st_size > MAX_ENTRY_BYTES:
                return False
            kept = _decode(self.path.read_bytes())
        except (OSError, ValueError, RecursionError, BadEntry):
            return False
        if kept is None or frozenset(name for name, _ in kept.texts) != self.formats:
            return False
        if not unchanged(kept.input, self.cache, max_file_size):
            return False
        trees = WorkTrees(self.cwd)
        if any(trees.git_root(folder) != root for folder, root in kept.roots):
            return False
        self._stored = kept
        return True

    @property
    def texts(self) -> dict[str, str] | None:
        return dict(self._stored.texts) if self._stored is not None else None

    @property
    def exit_code(self) -> int:
        return self._stored.exit_code if self._stored is not None else 0

    # -- keeping a run ------------------------------------------------------------------------

    def record(
        self,
        stamps: InputStamps,
        gitignore: GitIgnore | None,
        files: Sequence[tuple[Source | Unreadable, bool]],
        keys: Sequence[str],
        walk_skipped: Skipped,
        rendered_charts: bool,
    ) -> None:
        """What the run read, to keep with its reports; nothing when it cannot be kept (see
        the module's docstring: a Helm chart rendered or left out of the walk, a file that is
        not a plain one read) or was stamped too soon after a change."""
        if not stamps.settled or rendered_charts:
            return
        if any(reason == SKIP_HELM_TEMPLATES for _, reason in walk_skipped):
            return
        kept_files: list[tuple[str, str, bool, FileStamp | None, str]] = []
        for (item, in_report_set), key in zip(files, keys, strict=True):
            if (
                not isinstance(item, Source)
                or item.stamp is None
                or item.real_path is None
                or item.path == STDIN_PATH
                or TEMPLATES_DIR in item.real_path
            ):
                return
            stamp = stamps.settled_stamp(item.stamp)
            kept_files.append((item.path, item.real_path, in_report_set, stamp, key))
        reads: list[tuple[str, FileStamp | None]] = []
        probes: list[tuple[str, bool, str]] = []
        if gitignore is not None:
            for path, stamp, taken in gitignore.read_stamps:
                if stamp is not None and not settled(stamp, taken):
                    return
                reads.append((path, stamp))
            probes = list(gitignore.probes)
        self._input = KeptInput(
            tuple(stamps.folders), tuple(kept_files), tuple(reads), tuple(probes)
        )

    def keep(self, report: Report, texts: Mapping[str, str], exit_code: int) -> None:
        """Keep `texts` (format -> report, as written from `report`) and the exit code, if the
        run recorded what it read."""
        if self._input is None or not self.cache.enabled:
            return
        trees = WorkTrees(self.cwd)
        folders = {trees.cwd}
        for finding in report.findings:
            if finding.location.path != STDIN_PATH:
                path = reported_path(finding.location.path, report.data.real_paths, trees.cwd)
                folders.add(os.path.dirname(path))
        roots = tuple((folder, trees.git_root(folder)) for folder in sorted(folders))
        kept = _Kept(self._input, tuple(texts.items()), exit_code, roots)
        try:
            self.folder.mkdir(exist_ok=True)
            write_atomically(self.path, _encode(kept))
            prune_runs(self.folder)
        except (OSError, ValueError, TypeError, UnicodeError):
            self.cache.enabled = False


def unchanged(kept: KeptInput, cache: ResultCache, max_file_size: int) -> bool:
    """Whether every stamp of `kept` is what it was (files stamped too soon: their text)."""
    for folder, stamp in kept.folders:
        if current_stamp(folder) != stamp:
            return False
    for path, stamp in kept.reads:
        if current_stamp(path) != stamp:
            return False
    for path, follow, kind in kept.probes:
        if path_kind(path, follow) != kind:
            return False
    for shown, path, in_report_set, stamp, key in kept.files:
        if stamp is not None:
            if current_stamp(path) != stamp:
                return False
            continue
        source = read_source(path, shown, max_file_size)
        if not isinstance(source, Source) or cache.key(shown, in_report_set, source.text) != key:
            return False
    return True


# -- the entry: a JSON header line, then the reports' UTF-8 bytes ------------------------------


def _encode(kept: _Kept) -> bytes:
    # surrogatepass: a report naming a file whose name is not UTF-8 is read back as it was.
    texts = [text.encode("utf-8", "surrogatepass") for _, text in kept.texts]
    header = [
        RUN_FORMAT,
        kept.exit_code,
        [[name, len(data)] for (name, _), data in zip(kept.texts, texts, strict=True)],
        [[folder, root] for folder, root in kept.roots],
        [[path, *stamp] for path, stamp in kept.input.folders],
        [
            [shown, path, in_report_set, None if stamp is None else list(stamp), key]
            for shown, path, in_report_set, stamp, key in kept.input.files
        ],
        [[path, None if stamp is None else list(stamp)] for path, stamp in kept.input.reads],
        [[path, follow, kind] for path, follow, kind in kept.input.probes],
    ]
    line = json.dumps(header, ensure_ascii=True, separators=(",", ":"), allow_nan=False)
    return b"".join([line.encode("ascii"), b"\n", *texts])


def _decode(blob: bytes) -> _Kept | None:
    line, newline, body = blob.partition(b"\n")
    if not newline:
        return None
    fields = expect_list(json.loads(line))
    if len(fields) != 8 or fields[0] != RUN_FORMAT or type(fields[0]) is not int:
        return None
    _, code, texts_value, roots_value, folders, files, reads, probes = fields
    texts: list[tuple[str, str]] = []
    start = 0
    for item in expect_list(texts_value):
        name, length = expect_array(item, 2)
        end = start + expect_natural(length)
        texts.append((expect_string(name), body[start:end].decode("utf-8", "surrogatepass")))
        start = end
    if start != len(body):
        return None  # truncated, or more than was written
    roots = tuple(
        (expect_string(folder), expect_optional_string(root))
        for folder, root in (expect_array(item, 2) for item in expect_list(roots_value))
    )
    kept_input = KeptInput(
        tuple(_decode_folder(item) for item in expect_list(folders)),
        tuple(_decode_file(item) for item in expect_list(files)),
        tuple(
            (expect_string(path), _optional_stamp(stamp))
            for path, stamp in (expect_array(item, 2) for item in expect_list(reads))
        ),
        tuple(
            (expect_string(path), expect_boolean(follow), expect_string(kind))
            for path, follow, kind in (expect_array(item, 3) for item in expect_list(probes))
        ),
    )
    return _Kept(kept_input, tuple(texts), expect_natural(code), roots)


def _stamp(values: Sequence[object]) -> FileStamp:
    if len(values) != 5 or any(type(value) is not int for value in values):
        raise BadEntry("a stamp is five integers")
    return cast(FileStamp, tuple(values))


def _optional_stamp(value: object) -> FileStamp | None:
    return None if value is None else _stamp(expect_list(value))


def _decode_folder(value: object) -> tuple[str, FileStamp]:
    items = expect_list(value)
    if not items:
        raise BadEntry("a folder is its path and its stamp")
    return expect_string(items[0]), _stamp(items[1:])


def _decode_file(value: object) -> tuple[str, str, bool, FileStamp | None, str]:
    shown, path, in_report_set, stamp, key = expect_array(value, 5)
    return (
        expect_string(shown),
        expect_string(path),
        expect_boolean(in_report_set),
        _optional_stamp(stamp),
        expect_string(key),
    )
