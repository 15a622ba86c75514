"""What a change touched, read from git as data (issue 24: diff-aware pre-commit and CI).

Two questions, answered without letting the checkout run anything: which files differ between a
base and the state being linted, and what each held at the base. Only plumbing that reads objects
runs (`rev-parse`, `ls-tree`, `diff-index --cached --raw`, `cat-file`): none of them applies
clean/smudge filters,
textconv or external diff drivers, or starts a pager; `core.fsmonitor` (a program git would start
when it reads the index) is turned off on the command line, and the git variables that could
point git at a hook, pager or another repository's programs are dropped from its environment.
The working tree is never diffed by git (that would run the repository's clean filters): a file
there is compared with the base by hashing its bytes as git hashes a blob, so a file git stores
filtered looks changed, which only reports more.

File names from git are data: read NUL-separated (`-z`), never split on whitespace, never given
to a shell, and joined to the repository's top folder only.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from netlint.input.reading import decode
from netlint.input.real_paths import RealPaths
from netlint.input.sources import EXTENSIONS

# Settings that make plain git start a program of the repository's choosing.
_SAFE_CONFIG = (
    "-c",
    "core.fsmonitor=false",
    "-c",
    "core.hooksPath=/dev/null",
    "-c",
    "core.pager=cat",
)
# Environment variables that would make git run something else, or read another repository than
# the one the working directory is in. GIT_INDEX_FILE, GIT_DIR and GIT_WORK_TREE stay: inside a
# git hook they name the commit being made.
_DROPPED_ENV = ("GIT_EXTERNAL_DIFF", "GIT_PAGER", "GIT_SSH", "GIT_SSH_COMMAND", "GIT_ASKPASS")
_EMPTY_TREES = {
    40: "4b825dc642cb6eb9a060e54bf8d69288fbee4904",
    64: "6ef19b41225c5369f1c104d45d8d85efa9b057b53b14b4b9b939dd74decc5321",
}
_GIT_TIMEOUT = 120.0


class GitError(Exception):
    """git is missing, the folder is not in a repository, or a revision does not exist."""


def _git(cwd: str, *args: str) -> bytes:
    env = {key: value for key, value in os.environ.items() if key not in _DROPPED_ENV}
    env["GIT_TERMINAL_PROMPT"] = "0"
    try:
        done = subprocess.run(
            ["git", *_SAFE_CONFIG, *args],
            cwd=cwd,
            env=env,
            capture_output=True,
            stdin=subprocess.DEVNULL,
            timeout=_GIT_TIMEOUT,
            check=False,
        )
    except FileNotFoundError:
        raise GitError(
            "git is not installed (the diff-aware mode reads the change from git)"
        ) from None
    except (OSError, subprocess.TimeoutExpired) as error:
        raise GitError(f"git failed: {error}") from None
    if done.returncode != 0:
        reason = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise GitError(reason[-1] if reason else f"git {args[0]} exited {done.returncode}")
    return done.stdout


@dataclass(frozen=True, slots=True)
class Blob:
    oid: str


@dataclass(frozen=True, slots=True)
class Change:
    """A lintable file the change touched: its absolute path and what it held at the base
    (None: it did not exist there)."""

    path: str
    old_text: str | None


@dataclass(frozen=True, slots=True)
class ChangeSet:
    """The base's files (absolute path -> blob) and, for the staged set, the index's; for a
    revision, the new state is the working tree, hashed when `changes` is asked."""

    top: str
    label: str  # how the base is named in messages: "the staged change", "HEAD~1"
    base: Mapping[str, Blob]
    staged: Mapping[str, Blob] | None
    hash_algorithm: str  # "sha1" or "sha256", the repository's object format

    def changes(self, linted: Iterable[str]) -> list[Change]:
        """The touched files among `linted` (absolute paths of the files linted now) and those
        the base had that no longer exist (deleted, or renamed away)."""
        touched: list[str] = []
        if self.staged is not None:
            now = self.staged
            touched = [path for path, blob in now.items() if self.base.get(path) != blob]
            touched += [path for path in self.base if path not in now]
        else:
            for named in linted:
                path = os.path.realpath(named)
                blob = self.base.get(path)
                if blob is None or blob.oid != self._hash_file(path):
                    touched.append(path)
            touched += [path for path in self.base if not os.path.lexists(path)]
        return [Change(path, self._old_text(path)) for path in sorted(set(touched))]

    def _old_text(self, path: str) -> str | None:
        blob = self.base.get(path)
        if blob is None:
            return None
        data = _git(self.top, "cat-file", "blob", blob.oid)
        try:
            return decode(data)
        except ValueError:
            return None  # unreadable at the base: as if it had not been there

    def _hash_file(self, path: str) -> str | None:
        try:
            with open(path, "rb") as handle:
                data = handle.read()
        except OSError:
            return None
        digest = hashlib.new(self.hash_algorithm)
        digest.update(b"blob %d\0" % len(data))
        digest.update(data)
        return digest.hexdigest()


def _tree(top: str, output: bytes) -> dict[str, Blob]:
    """`ls-tree -r -z` output -> lintable path -> blob."""
    files: dict[str, Blob] = {}
    real_paths = RealPaths()  # the tree's thousands of files share their folders
    for record in output.split(b"\0"):
        if not record:
            continue
        meta, _, name = record.partition(b"\t")
        fields = meta.split()
        mode, oid = fields[0], fields[2]
        if mode == b"160000":
            continue  # a submodule: its files are not in this repository
        relative = os.fsdecode(name)
        if relative.endswith(EXTENSIONS):
            path = real_paths.resolve(os.path.join(top, relative))
            files[path] = Blob(oid.decode("ascii"))
    return files


def _repository(cwd: str) -> tuple[str, str]:
    top = os.fsdecode(_git(cwd, "rev-parse", "--show-toplevel").rstrip(b"\n"))
    try:
        algorithm = _git(top, "rev-parse", "--show-object-format").decode().strip() or "sha1"
    except GitError:
        algorithm = "sha1"  # git before 2.27: SHA-1 only
    return os.path.realpath(top), algorithm


def _commit(top: str, revision: str) -> str | None:
    try:
        return (
            _git(
                top,
                "rev-parse",
                "--verify",
                "--quiet",
                "--end-of-options",
                f"{revision}^{{commit}}",
            )
            .decode()
            .strip()
        )
    except GitError:
        return None


def staged_change(cwd: str) -> ChangeSet:
    """The staged set: the index against HEAD (an empty tree before the first commit)."""
    top, algorithm = _repository(cwd)
    head = _commit(top, "HEAD")
    base_tree = head or _EMPTY_TREES[64 if algorithm == "sha256" else 40]
    # Only what differs: git compares the index with the tree without reading the subtrees the
    # index records as unchanged (its cache-tree), where listing both whole read every tree
    # object of the commit. Raw output names blobs and modes, never content (no diff driver).
    listed = _git(
        top,
        *("diff-index", "--cached", "--raw", "-z", "--no-renames", "--no-abbrev"),
        *("--no-ext-diff", "--no-textconv", base_tree),
    )
    base, index = _staged_diff(top, listed)
    return ChangeSet(top, "the staged change", base, index, algorithm)


_NO_BLOB = (b"000000", b"160000")  # the side where the path is not, a submodule


def _staged_diff(top: str, output: bytes) -> tuple[dict[str, Blob], dict[str, Blob]]:
    """`diff-index --cached --raw -z` output -> the lintable paths it names, with their blobs
    at the base and in the index (a path missing on a side was added or deleted)."""
    base: dict[str, Blob] = {}
    index: dict[str, Blob] = {}
    real_paths = RealPaths()
    records = output.split(b"\0")
    for meta, name in zip(records[0::2], records[1::2], strict=False):
        fields = meta.removeprefix(b":").split()
        if len(fields) < 5:
            continue
        old_mode, new_mode, old_oid, new_oid = fields[:4]
        relative = os.fsdecode(name)
        if not relative.endswith(EXTENSIONS):
            continue
        path = real_paths.resolve(os.path.join(top, relative))
        if old_mode not in _NO_BLOB:
            base[path] = Blob(old_oid.decode("ascii"))
        if new_mode not in _NO_BLOB:
            index[path] = Blob(new_oid.decode("ascii"))
    return base, index


def change_since(cwd: str, revision: str) -> ChangeSet:
    """The working tree against `revision`."""
    top, algorithm = _repository(cwd)
    commit = _commit(top, revision)
    if commit is None:
        raise GitError(f"{revision!r} is not a commit of this repository")
    base = _tree(top, _git(top, "ls-tree", "-r", "-z", "--full-tree", commit))
    return ChangeSet(top, revision, base, None, algorithm)


def merge_parents(cwd: str) -> tuple[str, str] | None:
    """HEAD's two parents when HEAD is a merge commit (the one GitHub makes of a pull request:
    the base branch first, then the pull request's head), else None."""
    top, _ = _repository(cwd)
    first, second = _commit(top, "HEAD^1"), _commit(top, "HEAD^2")
    return (first, second) if first is not None and second is not None else None
