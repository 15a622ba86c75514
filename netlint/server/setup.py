"""What the server needs to lint a workspace, and the options the editor may pass.

The CLI builds a `RunSetup` from the workspace's configuration (as `netlint check` does) and
hands the builder to the server; a configuration the CLI would refuse raises `SetupError`, which
the server shows in the editor instead of stopping.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import cast

from netlint.api import SchemaChecker
from netlint.run.engine import RunOptions
from netlint.run.registry import RuleSet


class SetupError(Exception):
    """The configuration is invalid; the message says where and why."""


@dataclass(frozen=True, slots=True)
class ServerOptions:
    """`initializationOptions` of the editor (camelCase keys, as LSP settings are spelled),
    which win over the configuration file as command-line flags do."""

    kube_version: str | None = None
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    config: str | None = None  # as --config
    rules: tuple[str, ...] = ()  # as --rules: Python packs or YAML policies
    debounce_ms: int = 30  # how long a burst of edits is let settle before linting
    cache: bool = True  # read and write the per-file cache, as check without --no-cache

    @classmethod
    def parse(cls, raw: object, base: ServerOptions) -> ServerOptions:
        """`raw` (the JSON the editor sent) over `base` (the command line's); a wrong type is
        a `SetupError` naming the key."""
        if raw is None:
            return base
        if not isinstance(raw, Mapping):
            raise SetupError("initializationOptions: expected an object")
        given = _keyed(cast("Mapping[object, object]", raw))
        return cls(
            kube_version=_text(given, "kubeVersion", base.kube_version),
            select=_texts(given, "select", base.select),
            ignore=_texts(given, "ignore", base.ignore),
            config=_text(given, "config", base.config),
            rules=_texts(given, "rules", base.rules),
            debounce_ms=_number(given, "debounceMs", base.debounce_ms),
            cache=_flag(given, "cache", base.cache),
        )


def _keyed(raw: Mapping[object, object]) -> dict[str, object]:
    return {str(key): value for key, value in raw.items()}


def _text(given: Mapping[str, object], key: str, default: str | None) -> str | None:
    value = given.get(key, default)
    if value is not None and not isinstance(value, str):
        raise SetupError(f"initializationOptions.{key}: expected a string")
    return value


def _texts(given: Mapping[str, object], key: str, default: tuple[str, ...]) -> tuple[str, ...]:
    value = given.get(key)
    if value is None:
        return default
    if isinstance(value, str):
        value = [value]
    entries = cast("list[object]", value) if isinstance(value, list) else None
    if entries is None or not all(isinstance(entry, str) for entry in entries):
        raise SetupError(f"initializationOptions.{key}: expected a list of strings")
    return tuple(str(entry) for entry in entries)


def _flag(given: Mapping[str, object], key: str, default: bool) -> bool:
    value = given.get(key, default)
    if not isinstance(value, bool):
        raise SetupError(f"initializationOptions.{key}: expected true or false")
    return value


def _number(given: Mapping[str, object], key: str, default: int) -> int:
    value = given.get(key, default)
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise SetupError(f"initializationOptions.{key}: expected a number of milliseconds >= 0")
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
