"""What git ignores, as the folder walk honours it (config `respect-gitignore`, DESIGN §3).

As ruff does (through ripgrep's `ignore` crate), inside a git work tree (a folder holding `.git`,
or below one) a file or folder is left out when git would ignore it: the `.gitignore` files of
its folder and every folder above it up to the work tree's top (a deeper file's patterns win,
and `!pattern` re-includes), then `.git/info/exclude`, then the global excludes file
(`core.excludesFile` in git's configuration files, default `$XDG_CONFIG_HOME/git/ignore` or
`~/.config/git/ignore`). Outside a work tree nothing is ignored.

The patterns are matched by `pathspec`'s `GitIgnoreSpec`, which follows git's own matching
(including its edge cases), not by a matcher of netlint's. git is never run: its configuration
files are read as data, so nothing a checkout configures (hooks, fsmonitor, filters) executes.
"""

from __future__ import annotations

import os
import time
from collections.abc import Collection, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from netlint.input.file_stamps import FileStamp, current_stamp, path_kind

if TYPE_CHECKING:
    from pathspec import GitIgnoreSpec

GITIGNORE = ".gitignore"
_DOT_GIT = ".git"


def _spec(lines: list[str]) -> GitIgnoreSpec:
    # pathspec is imported with the first ignore file read: a run outside a work tree, or in
    # one without ignore files, never needs it (issue 31).
    from pathspec import GitIgnoreSpec

    return GitIgnoreSpec.from_lines(lines)


def _read_lines(path: str) -> list[str] | None:
    """The lines of a text file, or None when it cannot be read (git skips it too)."""
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError:
        return None
    return data.decode("utf-8", errors="replace").splitlines()


def _config_value(raw: str) -> str:
    """A git config value as git reads it: double quotes removed, `\\` escapes resolved, and a
    `#` or `;` outside quotes starting a comment."""
    out: list[str] = []
    quoted = False
    index = 0
    while index < len(raw):
        char = raw[index]
        if char == '"':
            quoted = not quoted
        elif char == "\\" and index + 1 < len(raw):
            index += 1
            out.append({"n": "\n", "t": "\t", "b": "\b"}.get(raw[index], raw[index]))
        elif char in "#;" and not quoted:
            break
        else:
            out.append(char)
        index += 1
    return "".join(out).strip()


def excludes_file_setting(config_path: str) -> str | None:
    """`core.excludesFile` as set in one git configuration file (its last setting), or None.

    Sections and keys are case-insensitive; `[include]` and `[includeIf]` are not followed."""
    lines = _read_lines(config_path)
    return None if lines is None else _excludes_setting_in(lines)


def _excludes_setting_in(lines: list[str]) -> str | None:
    found: str | None = None
    section = ""
    for line in lines:
        text = line.strip()
        if not text or text[0] in "#;":
            continue
        if text.startswith("["):
            header, _, rest = text[1:].partition("]")
            section = header.strip().lower()
            text = rest.strip()  # `[core] excludesFile = x` on one line is valid too
            if not text:
                continue
        if section != "core":
            continue
        key, equals, value = text.partition("=")
        if key.strip().lower() == "excludesfile" and equals:
            found = _config_value(value)
    return found


def _expand_home(value: str, home: str) -> str:
    if value == "~" or value.startswith("~/"):
        return home + value[1:]
    return os.path.expanduser(value) if value.startswith("~") else value


def _add_spec(specs: list[tuple[str, GitIgnoreSpec]], base: str, lines: list[str]) -> None:
    """The patterns of `lines` (based at folder `base`), unless they are all blank lines and
    comments (a fresh repository's `info/exclude`): a folder no pattern applies in is decided
    without matching."""
    spec = _spec(lines)
    if any(pattern.include is not None for pattern in spec.patterns):
        specs.append((base, spec))


class GitIgnore:
    """Whether git ignores a path, for the walk: built once per run, it reads each folder's
    `.gitignore` once. Paths are taken as the walk spells them (lexically, not resolved)."""

    def __init__(self, environ: Mapping[str, str] | None = None) -> None:
        env = os.environ if environ is None else environ
        self._home = env.get("HOME") or str(Path.home())
        self._xdg = env.get("XDG_CONFIG_HOME") or os.path.join(self._home, ".config")
        self._system = (
            None
            if env.get("GIT_CONFIG_NOSYSTEM", "").lower() in ("1", "true", "yes", "on")
            else env.get("GIT_CONFIG_SYSTEM", "/etc/gitconfig")
        )
        global_config = env.get("GIT_CONFIG_GLOBAL")
        self._global_configs = (
            [global_config]
            if global_config is not None
            else [os.path.join(self._xdg, "git", "config"), os.path.join(self._home, ".gitconfig")]
        )
        self._tops: dict[str, str | None] = {}  # folder -> top of its work tree
        # folder -> the specs that apply in it, lowest precedence first, with their base folders
        self._specs: dict[str, list[tuple[str, GitIgnoreSpec]]] = {}
        # folder -> whether it holds `.git` and `.gitignore`, as the walk listed it (`listed`)
        self._listed: dict[str, tuple[bool, bool]] = {}
        # folder, as the walk spells it -> its work tree's top and the specs that apply there
        self._applying: dict[str, tuple[str | None, tuple[tuple[str, GitIgnoreSpec], ...]]] = {}
        # What the answers so far were decided on, for a replayed run to check (`run.kept_run`):
        # each file read or looked for, with its stamp before the read (None: not there) and
        # when it was taken; and each path only looked at, with what was there.
        self.read_stamps: list[tuple[str, FileStamp | None, int]] = []
        self.probes: list[tuple[str, bool, str]] = []  # (path, symlinks followed, kind)

    def settings_key(self) -> str:
        """Where this reads git's configuration and the global excludes file from (the
        environment): what the files it read mean besides their texts."""
        return repr((self._home, self._xdg, self._system, self._global_configs))

    def listed(self, folder: str, names: Collection[str]) -> None:
        """What the walk found in `folder`, by name: spares looking for `.git` and `.gitignore`
        there again."""
        self._listed[os.path.abspath(folder)] = (_DOT_GIT in names, GITIGNORE in names)

    def _read(self, path: str) -> list[str] | None:
        """`_read_lines(path)`, its stamp taken first (a change after it shows)."""
        self.read_stamps.append((path, current_stamp(path), time.time_ns()))
        return _read_lines(path)

    def _probe(self, path: str, follow: bool, wanted: str | None = None) -> bool:
        """Whether there is something at `path` (`wanted`: of that kind), as it is recorded."""
        kind = path_kind(path, follow)
        self.probes.append((path, follow, kind))
        return kind != "missing" if wanted is None else kind == wanted

    def work_tree(self, folder: str) -> str | None:
        """The top of the git work tree `folder` is in (the nearest folder holding `.git`)."""
        folder = os.path.abspath(folder)
        if folder in self._tops:
            return self._tops[folder]
        listed = self._listed.get(folder)
        if listed[0] if listed is not None else self._probe(os.path.join(folder, _DOT_GIT), False):
            top: str | None = folder
        else:
            parent = os.path.dirname(folder)
            top = None if parent == folder else self.work_tree(parent)
        self._tops[folder] = top
        return top

    def _git_dir(self, top: str) -> str:
        """The repository folder of a work tree: `.git`, or where a `.git` file points (a linked
        work tree or a submodule); a linked work tree shares `info/` with its main repository."""
        dot_git = os.path.join(top, _DOT_GIT)
        if not self._probe(dot_git, True, "file"):
            return dot_git
        lines = self._read(dot_git) or []
        first = lines[0] if lines else ""
        if not first.startswith("gitdir:"):
            return dot_git
        git_dir = os.path.join(top, first.removeprefix("gitdir:").strip())
        common = self._read(os.path.join(git_dir, "commondir"))
        if common:
            git_dir = os.path.join(git_dir, common[0].strip())
        return os.path.normpath(git_dir)

    def _excludes_file(self, git_dir: str) -> str:
        setting: str | None = None
        configs = [
            *([self._system] if self._system else []),
            *self._global_configs,
            os.path.join(git_dir, "config"),
        ]
        for config in configs:  # the last one that sets it wins, as in git
            lines = self._read(config)
            value = None if lines is None else _excludes_setting_in(lines)
            if value is not None:
                setting = value
        if not setting:
            return os.path.join(self._xdg, "git", "ignore")
        return _expand_home(setting, self._home)

    def _top_specs(self, top: str) -> list[tuple[str, GitIgnoreSpec]]:
        git_dir = self._git_dir(top)
        specs: list[tuple[str, GitIgnoreSpec]] = []
        for path in (self._excludes_file(git_dir), os.path.join(git_dir, "info", "exclude")):
            lines = self._read(os.path.join(top, path))
            if lines:
                _add_spec(specs, top, lines)
        return specs

    def _folder_specs(self, folder: str, top: str) -> list[tuple[str, GitIgnoreSpec]]:
        known = self._specs.get(folder)
        if known is not None:
            return known
        if folder == top:
            specs = self._top_specs(top)
        else:
            specs = list(self._folder_specs(os.path.dirname(folder), top))
        listed = self._listed.get(folder)
        lines = self._read(os.path.join(folder, GITIGNORE)) if listed is None or listed[1] else None
        if lines:
            _add_spec(specs, folder, lines)
        self._specs[folder] = specs
        return specs

    def ignored(self, path: str, is_dir: bool) -> bool:
        """Whether git ignores `path` (a folder when `is_dir`) by the patterns that apply to it
        itself; a folder's being ignored is for the walk to act on (it does not descend)."""
        spelled, name = os.path.split(path)
        # Kept by the folder as spelled: the walk asks for every file of a folder in turn.
        applying = self._applying.get(spelled) if name not in ("", ".", "..") else None
        if applying is None:
            folder = os.path.dirname(os.path.abspath(path))
            top = self.work_tree(folder)
            applying = (top, () if top is None else tuple(self._folder_specs(folder, top)))
            if name not in ("", ".", ".."):
                self._applying[spelled] = applying
        top, specs = applying
        if not specs:
            return False  # the common case: no pattern applies in this folder
        path = os.path.abspath(path)
        if path == top:
            return False
        for base, spec in reversed(specs):
            relative = os.path.relpath(path, base).replace(os.sep, "/")
            decided = spec.check_file(relative + "/" if is_dir else relative).include
            if decided is not None:
                return decided
        return False

    def ignored_here_or_above(self, path: str, is_dir: bool) -> bool:
        """Whether git ignores `path` or a folder it is in (below the top of its work tree)."""
        path = os.path.abspath(path)
        top = self.work_tree(os.path.dirname(path))
        if top is None:
            return False
        while path != top and path != os.path.dirname(path):
            if self.ignored(path, is_dir):
                return True
            path, is_dir = os.path.dirname(path), True
        return False
