"""What the server needs to lint a workspace, and the options the editor may pass.

The CLI builds a `RunSetup` from the workspace's configuration (as `netlint check` does) and
hands the builder to the server; a configuration the CLI would refuse raises `SetupError`, which
the server shows in the editor instead of stopping.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import cast

from netlint.api import SchemaChecker
from netlint.run.engine import RunOptions
from netlint.run.registry import RuleSet


class SetupError(Exception):
    """The configuration is invalid; the message says where and why. `file` and `line`
    (1-based; 0: unknown) are the configuration file the message names, if it names one."""

    def __init__(self, message: str, file: Path | None = None, line: int = 0) -> None:
        super().__init__(message)
        self.file = file
        self.line = line


# A configuration error's "FILE:LINE: problem" or "FILE: problem" (`ConfigError`'s one line).
_WHERE = re.compile(r"(?P<file>[^:\n]+?)(?::(?P<line>\d+))?: ")


def located(message: str, root: Path) -> SetupError:
    """The error of `message`, with the file and line it starts with when that is a file of the
    workspace (configuration errors name theirs relative to the root, as `check` prints them)."""
    where = _WHERE.match(message)
    if where is not None:
        file = root / where.group("file")
        if file.is_file():
            return SetupError(message, file.resolve(), int(where.group("line") or 0))
    return SetupError(message)


@dataclass(frozen=True, slots=True)
class ServerOptions:
    """`initializationOptions` of the editor (camelCase keys, as LSP settings are spelled),
    which win over the configuration file as command-line flags do."""

    kube_version: str | None = None
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    config: str | None = None  # as --config
    rules: tuple[str, ...] = ()  # as --rules: Python packs or YAML policies
    crds: tuple[str, ...] = ()  # as --crd: CustomResourceDefinition files or folders
    debounce_ms: int = 30  # how long a burst of edits is let settle before linting
    cache: bool = True  # read and write the per-file cache, as check without --no-cache

    @classmethod
    def parse(
        cls, raw: object, base: ServerOptions, source: str = "initializationOptions"
    ) -> ServerOptions:
        """`raw` (the JSON the editor sent) over `base`; a wrong type is a `SetupError` naming
        the key in `source` (`initializationOptions`, or `settings` for the editor's settings).
        Settings may come wrapped in their section, `{"netlint": {...}}`, as clients send them."""
        if raw is None:
            return base
        if not isinstance(raw, Mapping):
            raise SetupError(f"{source}: expected an object")
        given = _keyed(cast("Mapping[object, object]", raw))
        section = given.get(SECTION)
        if isinstance(section, Mapping):
            given = _keyed(cast("Mapping[object, object]", section))
            source = f"{source}.{SECTION}"
        read = _Reader(given, source)
        return cls(
            kube_version=read.text("kubeVersion", base.kube_version),
            select=read.texts("select", base.select),
            ignore=read.texts("ignore", base.ignore),
            config=read.text("config", base.config),
            rules=read.texts("rules", base.rules),
            crds=read.texts("crds", base.crds),
            debounce_ms=read.number("debounceMs", base.debounce_ms),
            cache=read.flag("cache", base.cache),
        )


# The editor's settings section of netlint's (`workspace/configuration`, didChangeConfiguration).
SECTION = "netlint"


def _keyed(raw: Mapping[object, object]) -> dict[str, object]:
    return {str(key): value for key, value in raw.items()}


@dataclass(frozen=True, slots=True)
class _Reader:
    """The typed values of one options object; a wrong type names `source.key`."""

    given: Mapping[str, object]
    source: str

    def _wrong(self, key: str, expected: str) -> SetupError:
        return SetupError(f"{self.source}.{key}: expected {expected}")

    def text(self, key: str, default: str | None) -> str | None:
        value = self.given.get(key, default)
        if value is not None and not isinstance(value, str):
            raise self._wrong(key, "a string")
        return value

    def texts(self, key: str, default: tuple[str, ...]) -> tuple[str, ...]:
        value = self.given.get(key)
        if value is None:
            return default
        if isinstance(value, str):
            value = [value]
        entries = cast("list[object]", value) if isinstance(value, list) else None
        if entries is None or not all(isinstance(entry, str) for entry in entries):
            raise self._wrong(key, "a list of strings")
        return tuple(str(entry) for entry in entries)

    def flag(self, key: str, default: bool) -> bool:
        value = self.given.get(key, default)
        if not isinstance(value, bool):
            raise self._wrong(key, "true or false")
        return value

    def number(self, key: str, default: int) -> int:
        value = self.given.get(key, default)
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise self._wrong(key, "a number of milliseconds >= 0")
        return value


@dataclass(frozen=True, slots=True)
class RunSetup:
    """A workspace's run, as `netlint check` would make it with no PATHS: `options.paths` and
    `options.replaced` are the server's to fill with the open documents."""

    options: RunOptions
    rule_set: RuleSet
    schemas: SchemaChecker
    # The workspace's own paths (config `paths` and `context`, else the root): the inventory.
    context: Sequence[str]
    # The configuration file the settings came from, to re-read when it is saved; None: none.
    config_file: Path | None


# The CLI's builder: (workspace root, options) -> the run, or SetupError.
Builder = Callable[[Path, ServerOptions], RunSetup]
