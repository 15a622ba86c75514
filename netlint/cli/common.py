"""What the `netlint` commands share: usage errors, loading rule packs, reading the configuration."""

from __future__ import annotations

import glob
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn, TypeVar

import click

from netlint.api import INGRESS_NGINX, ExternalObjects, Rule, Settings, unwrapped
from netlint.findings import ALWAYS_REPORTED, Severity
from netlint.model.inventory import BUILTIN_WORKLOADS
from netlint.model.kube_versions import DEFAULT_KUBE_VERSION
from netlint.run.config import Config, ConfigError
from netlint.run.config_loading import load_config
from netlint.run.config_values import parse_kube_version, parse_node_port_range
from netlint.run.registry import PackError, RuleSet, load_rules
from netlint.run.selection import Selection, SelectionError, entry_matches

if TYPE_CHECKING:
    from netlint.policy.schema_checker import BundledSchemas

F = TypeVar("F", bound=Callable[..., object])
OUTPUT_FORMATS = ("text", "json", "sarif", "github", "gitlab", "junit")
SEVERITY_CHOICE = click.Choice(["error", "warning", "info"], case_sensitive=False)


class UsageExit(SystemExit):
    """A usage error, already printed: exits 2. `netlint server` catches it to show `message`
    in the editor instead of stopping."""

    def __init__(self, message: str) -> None:
        super().__init__(2)
        self.message = message


def usage_error(message: str) -> NoReturn:
    click.echo(f"netlint: error: {message}", err=True)
    raise UsageExit(message)


def config_error(
    config: Config, message: str, key_path: tuple[str | int, ...] = (), *, on_key: bool = False
) -> NoReturn:
    """A usage error in the configuration, named by its file and the line of `key_path`."""
    usage_error(f"{config.at(key_path, on_key=on_key)}: {message}")


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
        (policy_paths if _is_policy_path(path) else python_packs).append(path)
    if config is not None:
        for index, entry in indexed_config_paths(config, "rules", config.rules):
            path = Path(entry)
            if path.exists() and not _is_policy_path(path):
                config_error(
                    config,
                    f"rules: {entry} is Python; configuration loads YAML policies only "
                    "(a checkout's configuration must not run code): pass it with --rules",
                    ("rules", index),
                )
            policy_paths.append(path)
    try:
        return load_rules(python_packs, _load_policies(policy_paths))
    except PackError as error:
        usage_error(str(error))


def crd_files_of(crd_flags: Sequence[str], config: Config | None) -> list[Path]:
    """The CRD files and folders of `--crd` and config `crds:` (globs expanded), each checked
    to exist."""
    found: dict[Path, Path] = {}  # resolved -> as given: one CRD named twice is read once
    for entry in crd_flags:
        path = Path(entry)
        if not path.exists():
            usage_error(f"--crd {entry}: no such file or folder")
        found.setdefault(path.resolve(), path)
    if config is not None:
        for index, entry in indexed_config_paths(config, "crds", config.crds):
            path = Path(entry)
            if not path.exists():
                config_error(config, f"crds: {entry}: no such file or folder", ("crds", index))
            found.setdefault(path.resolve(), path)
    return list(found.values())


def schemas_or_exit(kube_version: str, crds: Sequence[Path]) -> BundledSchemas:
    """The bundled schemas and the given CRDs' (a CRD that cannot be used: exit 2)."""
    from netlint.policy.schema_checker import BundledSchemas

    try:
        return BundledSchemas(kube_version, crds)
    except PackError as error:
        usage_error(str(error))


# The policy loader is imported only when a policy or a pack is named: a run with neither (the
# editor on one file) does without it (issue 31).


def _is_policy_path(path: Path) -> bool:
    from netlint.policy import is_policy_path as policy_path

    return policy_path(path)


def _load_policies(paths: Sequence[Path]) -> list[tuple[str, Rule]]:
    if not paths:
        return []
    from netlint.policy import load_policy_paths

    return load_policy_paths(paths)


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
        default_namespace=default_namespace or config.default_namespace,
        node_port_range=ports or (30000, 32767),
        external=config.external if config.external else ExternalObjects(),
        params=config.params,
        workloads=(*BUILTIN_WORKLOADS, *config.workloads),
        ingress_controllers=(*config.ingress_controllers, INGRESS_NGINX),
    )


def write_file(path: str, text: str) -> None:
    """Write a report, creating its folders (`--sarif-file out/reports/netlint.sarif`)."""
    try:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        Path(path).write_text(text, encoding="utf-8")
    except OSError as error:
        usage_error(f"cannot write {path}: {error.strerror or error}")


STATISTICS_FORMATS = ("text", "json")


def use_color(choice: str, to_file: bool) -> bool:
    """`--color auto|always|never`. auto follows no-color.org and force-color.org: NO_COLOR
    (non-empty) turns colours off, else FORCE_COLOR (non-empty) on, else a terminal does;
    a report written to a file has none."""
    if choice != "auto":
        return choice == "always"
    if to_file or os.environ.get("NO_COLOR"):
        return False
    return bool(os.environ.get("FORCE_COLOR")) or sys.stdout.isatty()


def config_paths(config: Config, key: str, entries: Sequence[str]) -> list[str]:
    """Paths and shell globs of the config file's `key` (`paths`, `context`, `rules`), made
    absolute against its directory; a glob becomes the paths it matches, sorted. A glob that
    matches nothing is a usage error, as a path that does not exist is: a typo must not turn
    the linter off."""
    return [path for _, path in indexed_config_paths(config, key, entries)]


def indexed_config_paths(config: Config, key: str, entries: Sequence[str]) -> list[tuple[int, str]]:
    """`config_paths`, each path with the index of the entry it came from (for messages)."""
    result: list[tuple[int, str]] = []
    for index, entry in enumerate(entries):
        if any(char in entry for char in "*?["):
            # Matched below base_dir, so that glob characters in base_dir itself stay literal.
            matches = glob.glob(entry, root_dir=config.base_dir, recursive=True)
            if not matches:
                config_error(config, f"{key}: {entry!r} matches no file or folder", (key, index))
            result.extend((index, str(config.resolve(match))) for match in sorted(matches))
        else:
            result.append((index, str(config.resolve(entry))))
    return result


def check_config_rule_entries(config: Config, rules: Sequence[Rule]) -> None:
    """Every rule id of the configuration names a loaded rule (a typo would silently do
    nothing), at its line: `select`, `extend-select`, `ignore`, `severity` (which may not name
    an input or tool error: it would turn it down), `per-file-ignores` (which may: silencing
    one for a file is what they are for) and `params`."""
    known_ids = [rule.meta.id for rule in rules]
    lists: list[tuple[str, Sequence[str], bool]] = [
        ("select", config.select or (), False),
        ("extend-select", config.extend_select, False),
        ("ignore", config.ignore, True),
    ]
    for key, entries, turns_off in lists:
        for index, entry in enumerate(entries):
            probe = Selection(ignore=(entry,)) if turns_off else Selection(extend_select=(entry,))
            _check_entry(config, probe, known_ids, key, (key, index), on_key=False)
    for entry in config.severity:
        _check_entry(config, Selection(ignore=(entry,)), known_ids, "severity", ("severity", entry))
    for glob_text, entries in config.per_file_ignores.items():
        for index, entry in enumerate(entries):
            where = ("per-file-ignores", glob_text, index)
            label = f"per-file-ignores {glob_text!r}"
            _check_entry(config, Selection(extend_select=(entry,)), known_ids, label, where, False)
    if not config.params:
        return
    from netlint.policy import check_params  # the policy engine, only to check `params:`

    # The rules `params:` names, imported: a built-in policy's parameters are its own.
    named = [unwrapped(rule) if rule.meta.id in config.params else rule for rule in rules]
    for key_path, problem in check_params(named, config.params):
        config_error(config, problem, key_path, on_key=True)


def _check_entry(
    config: Config,
    probe: Selection,
    known_ids: Sequence[str],
    label: str,
    key_path: tuple[str | int, ...],
    on_key: bool = True,
) -> None:
    try:
        probe.validate(known_ids)
    except SelectionError as error:
        config_error(config, f"{label}: {error}", key_path, on_key=on_key)


def severity_overrides(config: Config, known_ids: Sequence[str]) -> dict[str, Severity]:
    """Config `severity:` with its keys (ids, prefixes or `all`, as in `select`) expanded to the
    rule ids they match, except the input and tool errors, which stay errors. The most specific
    key wins: an exact id over a prefix, a longer prefix
    over a shorter one, any prefix over `all`."""
    by_specificity = sorted(config.severity, key=lambda key: (key != "all", len(key)))
    overrides: dict[str, Severity] = {}
    for key in by_specificity:
        for rule_id in known_ids:
            if entry_matches(key, rule_id) and rule_id not in ALWAYS_REPORTED:
                overrides[rule_id] = config.severity[key]
    return overrides
