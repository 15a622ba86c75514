"""Where manifests come from: files, directories and stdin, listed once each in a stable order.

Directories are walked for `*.yaml`, `*.yml` and `*.json`, leaving out what the excludes, VCS
and dependency folders, virtualenvs and Helm templates hold, and what git ignores when the run
respects `.gitignore` (`gitignore`). A path named on the command line
that does not exist at all is a usage error (DESIGN §4); whatever else goes wrong is a finding
for that path while the others are still read. Files are read later, where they are parsed
(`reading`).

Hostile trees (DESIGN §10): symlink loops and unreadable folders are findings; a folder reached
twice through symlinks is walked once.
"""

from __future__ import annotations

import errno
import fnmatch
import os
import stat
from collections.abc import Iterable, Iterator
from pathlib import Path

from netlint.input.display_paths import display_path, printable
from netlint.input.file_stamps import InputStamps
from netlint.input.gitignore import GitIgnore
from netlint.input.reading import (
    DEFAULT_MAX_FILE_SIZE,
    STDIN_PATH,
    Pending,
    Source,
    Unreadable,
    os_error_reason,
    read_stdin,
)

EXTENSIONS = (".yaml", ".yml", ".json")
# Folders never worth reading: VCS data, dependencies, virtualenvs (DESIGN §3).
_SKIPPED_DIR_NAMES = frozenset(
    [".git", ".hg", ".svn", "node_modules", ".venv", "venv", ".tox", "__pycache__"]
)


# Why the walk left a file or folder out, as `--show-files` and the summary name it. Folders
# that are never worth reading (`_SKIPPED_DIR_NAMES`, virtualenvs) are not listed: every
# repository has a .git folder, and saying so would bury what is worth knowing.
SKIP_EXCLUDED = "excluded"
SKIP_HELM_TEMPLATES = "Helm chart templates"  # Go templates, not YAML: lint `helm template` output
# A symlink met while walking a folder that leads out of it is not followed, as ruff does not: a
# checkout must not make netlint read (and show in its report) files from elsewhere on the
# machine. Named on the command line, the target is linted.
SKIP_SYMLINK_OUT = "symlink out of the tree"
# What git ignores (config `respect-gitignore`): listed by `--show-files`, not counted in the
# summary, as VCS folders are not: most repositories ignore build output and caches.
SKIP_GITIGNORED = "gitignored"
Skipped = list[tuple[str, str]]  # (display path, reason); a folder's path ends with "/"


class MissingPathError(Exception):
    """A path named on the command line does not exist (exit code 2)."""


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


def force_excluded(
    raw: str, excludes: PathMatcher, cwd: Path, gitignore: GitIgnore | None = None
) -> bool:
    """Whether walking the folders would have skipped the named file `raw` (ruff's
    `--force-exclude`): pre-commit names every staged YAML file, Go templates of a Helm chart,
    files the config excludes and (with `gitignore`) files git ignores included."""
    if raw == STDIN_PATH:
        return False
    path = Path(raw) if Path(raw).is_absolute() else cwd / raw
    if path.is_dir():
        return False  # a folder is walked, and the walk applies the excludes itself
    if excludes.matches(path):
        return True
    if gitignore is not None and gitignore.ignored_here_or_above(str(path), False):
        return True
    for folder in path.parents:
        if folder in (cwd, folder.parent):
            break
        if _skip_directory(str(folder), excludes) or _is_virtualenv(str(folder)):
            return True
    return False


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


def _skip_reason(directory: str, excludes: PathMatcher) -> str | None:
    """Why `_skip_directory` leaves `directory` out, when it is worth saying (see `Skipped`)."""
    if os.path.basename(directory) in _SKIPPED_DIR_NAMES:
        return None
    return SKIP_HELM_TEMPLATES if _is_helm_templates(directory) else SKIP_EXCLUDED


def _walk(
    root: Path,
    excludes: PathMatcher,
    cwd: Path,
    skipped: Skipped | None = None,
    gitignore: GitIgnore | None = None,
    stamps: InputStamps | None = None,
) -> Iterator[tuple[str, str, int] | Unreadable]:
    """Files below `root` in sorted order (see `_found`); a folder reached again through a
    symlink is walked once, and reported when the symlink points at one of its own ancestors
    (a loop). Symlinked folders are walked last, so that files are shown under their real names
    where possible. Folders are strings here: the walk meets every one of them.

    With `gitignore`, what git ignores below `root` is left out. A `root` that git ignores
    itself was named on purpose: it is walked whole, as a named file is read (ruff, ripgrep).
    With `stamps`, each folder is stamped before it is listed."""
    seen: set[str] = set()
    root_text = str(root)
    if gitignore is not None and gitignore.ignored_here_or_above(root_text, True):
        gitignore = None
    real_root = os.path.realpath(root_text)
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
        if stamps is not None:
            stamps.folder(directory)
        try:
            with os.scandir(directory) as scan:
                by_name = {entry.name: entry for entry in scan}
        except OSError as error:
            yield Unreadable(
                display_path(directory, cwd), f"cannot read folder: {os_error_reason(error)}"
            )
            continue
        if gitignore is not None:
            gitignore.listed(directory, by_name)
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
                    reason = _skip_reason(entry.path, excludes)
                    if skipped is not None and reason is not None:
                        skipped.append((display_path(entry.path, cwd) + "/", reason))
                    continue
                if gitignore is not None and gitignore.ignored(entry.path, True):
                    if skipped is not None:
                        skipped.append((display_path(entry.path, cwd) + "/", SKIP_GITIGNORED))
                    continue
                if entry.is_symlink():
                    if stamps is not None:
                        stamps.unkeepable()
                    if not _is_inside(os.path.realpath(entry.path), real_root):
                        if skipped is not None:
                            skipped.append((display_path(entry.path, cwd) + "/", SKIP_SYMLINK_OUT))
                        continue
                    linked.append(entry.path)
                else:
                    subdirectories.append((entry.path, os.path.join(real, entry.name)))
            elif entry.name.endswith(EXTENSIONS):
                if excludes.matches(entry.path):
                    if skipped is not None:
                        skipped.append((display_path(entry.path, cwd), SKIP_EXCLUDED))
                    continue
                if gitignore is not None and gitignore.ignored(entry.path, False):
                    if skipped is not None:
                        skipped.append((display_path(entry.path, cwd), SKIP_GITIGNORED))
                    continue
                # In a folder whose real path is known, only a symlink needs resolving.
                known_real = None
                if entry.is_symlink():
                    if stamps is not None:
                        stamps.unkeepable()
                    target = os.path.realpath(entry.path)
                    if not _is_inside(target, real_root) and os.path.lexists(target):
                        if skipped is not None:
                            skipped.append((display_path(entry.path, cwd), SKIP_SYMLINK_OUT))
                        continue
                else:
                    known_real = os.path.join(real, entry.name)
                yield _found(entry.path, known_real, entry)
        pending.extend(reversed(subdirectories))


def collect_paths(
    paths: Iterable[str],
    excludes: PathMatcher,
    cwd: Path,
    skipped: Skipped | None = None,
    gitignore: GitIgnore | None = None,
    stamps: InputStamps | None = None,
) -> Iterator[tuple[str, str, int] | Unreadable | str]:
    """Expand command-line paths into files (or "-" for stdin); raises MissingPathError.
    A file named explicitly is read even if git ignores it, as ruff reads it."""
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
            yield from _walk(path, excludes, cwd, skipped, gitignore, stamps)
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
    skipped: Skipped | None = None,
    gitignore: GitIgnore | None = None,
    stamps: InputStamps | None = None,
) -> list[Pending | Source | Unreadable]:
    """Every source once, sorted by display path whatever the order of `paths`, so that the
    inventory, and with it every finding, does not depend on the order files were named in.
    Files are not read yet (stdin is); `skip_real_paths` are real paths already listed.

    A file named twice (or reached through two names) is listed once, under the first of its
    names in that order; a folder problem found twice (a folder named twice, or with and without
    a trailing slash) is reported once. What the walk leaves out is added to `skipped`; with
    `gitignore`, what git ignores is left out of folders; with `stamps`, the folders walked are
    stamped (`input.file_stamps`)."""
    chosen: dict[str, tuple[str, Pending | Unreadable | None]] = {}  # identity -> (shown, item)
    for item in collect_paths(paths, excludes, cwd, skipped, gitignore, stamps):
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
        read_stdin(stdin_text, max_file_size) if item is None else item
        for _, item in sorted(chosen.values(), key=lambda pair: pair[0])
    ]
