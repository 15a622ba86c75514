"""What the `netlint` commands share: usage errors, loading rule packs, reading the configuration."""

from __future__ import annotations

import glob
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import NoReturn, TypeVar

import click

from netlint.api import ExternalObjects, Settings
from netlint.findings import Severity
from netlint.model.inventory import BUILTIN_WORKLOADS
from netlint.model.kube_versions import DEFAULT_KUBE_VERSION
from netlint.policy import is_policy_path, load_policy_paths
from netlint.run.config import Config, ConfigError
from netlint.run.config_loading import load_config
from netlint.run.config_values import parse_kube_version, parse_node_port_range
from netlint.run.registry import PackError, RuleSet, load_rules
from netlint.run.selection import entry_matches

F = TypeVar("F", bound=Callable[..., object])
OUTPUT_FORMATS = ("text", "json", "sarif", "github")
SEVERITY_CHOICE = click.Choice(["error", "warning", "info"], case_sensitive=False)


def usage_error(message: str) -> NoReturn:
    click.echo(f"netlint: error: {message}", err=True)
    sys.exit(2)


def config_error(config: Config, message: str) -> NoReturn:
    """A usage error in the configuration, named by its file."""
    usage_error(f"{config.path.name if config.path else 'configuration'}: {message}")


def split_values(values: Sequence[str]) -> tuple[str, ...]:
    """`--select a,b --select c` -> (a, b, c)."""
    return tuple(part.strip() for value in values for part in value.split(",") if part.strip())


def load_rule_set(rule_paths: Sequence[str], config: Config | None = None) -> RuleSet:
    """Built-in and installed packs, then `--rules` (Python packs or YAML policies), then the
    YAML policies of config `rules:` (never Python: DESIGN §6)."""
    python_packs: list[Path] = []
    policy_paths: list[Path] = []
    for entry in rule_paths:
        path = Path(entry)
        if not path.exists():
            usage_error(f"--rules {entry}: no such file or folder")
        (policy_paths if is_policy_path(path) else python_packs).append(path)
    if config is not None:
        for entry in config_paths(config, "rules", config.rules):
            path = Path(entry)
            if path.exists() and not is_policy_path(path):
                config_error(
                    config,
                    f"rules: {entry} is Python; configuration loads YAML policies only "
                    "(a checkout's configuration must not run code): pass it with --rules",
                )
            policy_paths.append(path)
    try:
        return load_rules(python_packs, load_policy_paths(policy_paths))
    except PackError as error:
        usage_error(str(error))


def config_or_exit(config_path: str | None, cwd: Path, paths: Sequence[str] = ()) -> Config:
    """`--config`, else the configuration found from the linted `paths` (else from `cwd`)."""
    try:
        return load_config(Path(config_path) if config_path else None, cwd, paths)
    except ConfigError as error:
        usage_error(str(error))


def resolve_settings(
    config: Config,
    kube_version: str | None,
    node_port_range: str | None,
    default_namespace: str | None,
) -> Settings:
    try:
        version = (
            parse_kube_version(kube_version)
            if kube_version
            else config.kube_version or DEFAULT_KUBE_VERSION
        )
        ports = (
            parse_node_port_range(node_port_range) if node_port_range else config.node_port_range
        )
    except ValueError as error:
        usage_error(str(error))
    return Settings(
        kube_version=version,
        default_namespace=default_namespace or config.default_namespace or "default",
        node_port_range=ports or (30000, 32767),
        external=config.external if config.external else ExternalObjects(),
        params=config.params,
        workloads=(*BUILTIN_WORKLOADS, *config.workloads),
    )


def write_file(path: str, text: str) -> None:
    try:
        Path(path).write_text(text, encoding="utf-8")
    except OSError as error:
        usage_error(f"cannot write {path}: {error.strerror or error}")


def use_color(no_color: bool, to_file: bool) -> bool:
    if no_color or to_file or os.environ.get("NO_COLOR"):
        return False
    return sys.stdout.isatty()


def config_paths(config: Config, key: str, entries: Sequence[str]) -> list[str]:
    """Paths and shell globs of the config file's `key` (`paths`, `context`, `rules`), made
    absolute against its directory; a glob becomes the paths it matches, sorted. A glob that
    matches nothing is a usage error, as a path that does not exist is: a typo must not turn
    the linter off."""
    result: list[str] = []
    for entry in entries:
        if any(char in entry for char in "*?["):
            # Matched below base_dir, so that glob characters in base_dir itself stay literal.
            matches = glob.glob(entry, root_dir=config.base_dir, recursive=True)
            if not matches:
                config_error(config, f"{key}: {entry!r} matches no file or folder")
            result.extend(str(config.resolve(match)) for match in sorted(matches))
        else:
            result.append(str(config.resolve(entry)))
    return result


def severity_overrides(config: Config, known_ids: Sequence[str]) -> dict[str, Severity]:
    """Config `severity:` with its keys (ids, prefixes or `all`, as in `select`) expanded to the
    rule ids they match. The most specific key wins: an exact id over a prefix, a longer prefix
    over a shorter one, any prefix over `all`."""
    by_specificity = sorted(config.severity, key=lambda key: (key != "all", len(key)))
    overrides: dict[str, Severity] = {}
    for key in by_specificity:
        for rule_id in known_ids:
            if entry_matches(key, rule_id):
                overrides[rule_id] = config.severity[key]
    return overrides
