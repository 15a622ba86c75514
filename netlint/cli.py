"""The `netlint` command: check, rules, explain, test (DESIGN §8).

Exit codes (DESIGN §4): 0 nothing at or above the fail level; 1 findings at or above it, or an
internal error (a bug in netlint); 2 usage or configuration errors. Errors are one clear line on
stderr: no traceback ever reaches a user.
"""

from __future__ import annotations

import glob
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import NoReturn, TypeVar

import click

from netlint import __version__
from netlint.api import ExternalObjects, Settings
from netlint.baseline import baseline_filter
from netlint.baseline import write_baseline as save_baseline
from netlint.cache import default_cache_dir
from netlint.config import (
    Config,
    ConfigError,
    load_config,
    parse_kube_version,
    parse_node_port_range,
)
from netlint.engine import FindingFilter, Report, RunOptions, collector_paused, run
from netlint.explain import explain_text, rules_markdown, rules_table
from netlint.findings import Severity
from netlint.helm import helm_source_filter
from netlint.inventory import BUILTIN_WORKLOADS
from netlint.kube_versions import DEFAULT_KUBE_VERSION, SUPPORTED_KUBE_VERSIONS
from netlint.policy import check_params, is_policy_path, load_policy_paths
from netlint.registry import PackError, RuleSet, load_rules
from netlint.report.github import render_github
from netlint.report.json_report import render_json
from netlint.report.sarif import render_sarif
from netlint.report.text import render_text
from netlint.schema_checker import BundledSchemas
from netlint.selection import Selection, SelectionError, entry_matches
from netlint.sources import (
    DEFAULT_MAX_FILE_SIZE,
    MissingPathError,
    PathMatcher,
    force_excluded,
    parse_size,
)
from netlint.suppression import inline_suppression_filter, per_file_ignores_filter
from netlint.yaml_events import backend

F = TypeVar("F", bound=Callable[..., object])
OUTPUT_FORMATS = ("text", "json", "sarif", "github")
SEVERITY_CHOICE = click.Choice(["error", "warning", "info"], case_sensitive=False)


def _usage_error(message: str) -> NoReturn:
    click.echo(f"netlint: error: {message}", err=True)
    sys.exit(2)


def _config_error(config: Config, message: str) -> NoReturn:
    """A usage error in the configuration, named by its file."""
    _usage_error(f"{config.path.name if config.path else 'configuration'}: {message}")


def _version_text() -> str:
    parser = backend()
    return f"netlint {__version__} (YAML parser: {parser.name}; Python {sys.version.split()[0]})"


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", message=_version_text())
def cli() -> None:
    """Lint Kubernetes networking manifests: Services, Ingresses, EndpointSlices and the
    workloads they select."""


def _split(values: Sequence[str]) -> tuple[str, ...]:
    """`--select a,b --select c` -> (a, b, c)."""
    return tuple(part.strip() for value in values for part in value.split(",") if part.strip())


def _load_rule_set(rule_paths: Sequence[str], config: Config | None = None) -> RuleSet:
    """Built-in and installed packs, then `--rules` (Python packs or YAML policies), then the
    YAML policies of config `rules:` (never Python: DESIGN §6)."""
    python_packs: list[Path] = []
    policy_paths: list[Path] = []
    for entry in rule_paths:
        path = Path(entry)
        if not path.exists():
            _usage_error(f"--rules {entry}: no such file or folder")
        (policy_paths if is_policy_path(path) else python_packs).append(path)
    if config is not None:
        for entry in _config_paths(config, "rules", config.rules):
            path = Path(entry)
            if path.exists() and not is_policy_path(path):
                _config_error(
                    config,
                    f"rules: {entry} is Python; configuration loads YAML policies only "
                    "(a checkout's configuration must not run code): pass it with --rules",
                )
            policy_paths.append(path)
    try:
        return load_rules(python_packs, load_policy_paths(policy_paths))
    except PackError as error:
        _usage_error(str(error))


def _config_or_exit(config_path: str | None, cwd: Path) -> Config:
    try:
        return load_config(Path(config_path) if config_path else None, cwd)
    except ConfigError as error:
        _usage_error(str(error))


def _resolve_settings(
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
        _usage_error(str(error))
    return Settings(
        kube_version=version,
        default_namespace=default_namespace or config.default_namespace or "default",
        node_port_range=ports or (30000, 32767),
        external=config.external if config.external else ExternalObjects(),
        params=config.params,
        workloads=(*BUILTIN_WORKLOADS, *config.workloads),
    )


def _write(path: str, text: str) -> None:
    try:
        Path(path).write_text(text, encoding="utf-8")
    except OSError as error:
        _usage_error(f"cannot write {path}: {error.strerror or error}")


def _use_color(no_color: bool, to_file: bool) -> bool:
    if no_color or to_file or os.environ.get("NO_COLOR"):
        return False
    return sys.stdout.isatty()


def _config_paths(config: Config, key: str, entries: Sequence[str]) -> list[str]:
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
                _config_error(config, f"{key}: {entry!r} matches no file or folder")
            result.extend(str(config.resolve(match)) for match in sorted(matches))
        else:
            result.append(str(config.resolve(entry)))
    return result


def _severity_overrides(config: Config, known_ids: Sequence[str]) -> dict[str, Severity]:
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


@cli.command()
@click.argument("paths", nargs=-1, type=str)
@click.option(
    "--output-format",
    "-f",
    type=click.Choice(OUTPUT_FORMATS),
    default="text",
    show_default=True,
    help="Format written to stdout (or to --output-file).",
)
@click.option("--output-file", "-o", type=str, help="Write the report here instead of stdout.")
@click.option("--sarif-file", type=str, help="Also write a SARIF 2.1.0 report to this file.")
@click.option("--json-file", type=str, help="Also write a JSON report to this file.")
@click.option(
    "--fail-on",
    type=SEVERITY_CHOICE,
    help="Lowest severity that makes the exit code 1 [default: warning].",
)
@click.option(
    "--exit-zero",
    is_flag=True,
    help="Exit 0 even when findings are reported (usage errors still exit 2).",
)
@click.option("--statistics", is_flag=True, help="Print counts per rule instead of the findings.")
@click.option(
    "--quiet",
    "-q",
    is_flag=True,
    help="Text format: print the findings without the summary line.",
)
@click.option(
    "--no-color", is_flag=True, help="No ANSI colours (also: NO_COLOR set, or output not a TTY)."
)
@click.option(
    "--config",
    "config_path",
    type=str,
    help="Configuration file (default: .netlint.yaml or [tool.netlint] in pyproject.toml, searched upward).",
)
@click.option(
    "--select",
    multiple=True,
    help="Rules to run instead of the defaults: ids, prefixes (`ingress`) or `all`.",
)
@click.option("--extend-select", multiple=True, help="Rules to run in addition to the defaults.")
@click.option("--ignore", multiple=True, help="Rules not to run: ids or prefixes.")
@click.option(
    "--context",
    multiple=True,
    help="Load these files into the inventory without reporting on them (repeatable).",
)
@click.option(
    "--default-context",
    type=str,
    help="Context to use when neither --context nor config `context` names one (the pre-commit hooks pass `.`).",
)
@click.option(
    "--force-exclude",
    is_flag=True,
    help="Apply the excludes (config `exclude`, Helm chart templates/, .git, virtualenvs) to files "
    "named on the command line too, as when walking folders (the pre-commit hooks pass it).",
)
@click.option(
    "--default-namespace",
    type=str,
    help="Namespace of objects without metadata.namespace [default: default].",
)
@click.option(
    "--kube-version",
    type=str,
    help=f"Target Kubernetes version, {SUPPORTED_KUBE_VERSIONS[0]} to {SUPPORTED_KUBE_VERSIONS[-1]} "
    f"[default: {DEFAULT_KUBE_VERSION}].",
)
@click.option(
    "--node-port-range",
    type=str,
    help="Service node port range, as the kube-apiserver flag [default: 30000-32767].",
)
@click.option(
    "--max-file-size",
    "max_file_size_text",
    type=str,
    help="Largest file read, in bytes or with K, M or G (KiB, MiB, GiB); a larger one is an "
    "input-limit finding [default: 10M].",
)
@click.option(
    "--rules",
    "rule_paths",
    multiple=True,
    help="Add YAML policies (a file or folder) or a Python rule pack (a module or package: it is "
    "code, so only this flag loads it). Repeatable; adds to config `rules:`.",
)
@click.option(
    "--baseline", type=str, help="Report only findings that are not in this baseline file."
)
@click.option(
    "--write-baseline",
    type=str,
    help="Record the current findings in this baseline file and exit 0 (not with --baseline).",
)
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=0),
    default=0,
    show_default=True,
    help="Processes that read, parse and check files: 1 for one process, 0 for one per core "
    "when the input is large enough to pay for it. Output is identical for any value.",
)
@click.option(
    "--no-cache",
    is_flag=True,
    help=(
        "Do not read or write the per-file cache (in $NETLINT_CACHE_DIR, else "
        "$XDG_CACHE_HOME/netlint or ~/.cache/netlint)."
    ),
)
def check(
    paths: tuple[str, ...],
    output_format: str,
    output_file: str | None,
    sarif_file: str | None,
    json_file: str | None,
    fail_on: str | None,
    exit_zero: bool,
    statistics: bool,
    quiet: bool,
    no_color: bool,
    config_path: str | None,
    select: tuple[str, ...],
    extend_select: tuple[str, ...],
    ignore: tuple[str, ...],
    context: tuple[str, ...],
    default_context: str | None,
    force_exclude: bool,
    default_namespace: str | None,
    kube_version: str | None,
    node_port_range: str | None,
    max_file_size_text: str | None,
    rule_paths: tuple[str, ...],
    baseline: str | None,
    write_baseline: str | None,
    jobs: int,
    no_cache: bool,
) -> None:
    """Lint PATHS (files, folders, or - for stdin)."""
    if baseline and write_baseline:
        # The baseline would mark its findings suppressed and the new file would drop them.
        _usage_error(
            "--baseline and --write-baseline cannot be combined: --write-baseline records every "
            "current finding on its own"
        )
    cwd = Path.cwd()
    config = _config_or_exit(config_path, cwd)
    rule_set = _load_rule_set(rule_paths, config)
    problems = check_params(rule_set.rules, config.params)
    if problems:
        _config_error(config, problems[0])
    selection = Selection(
        select=_split(select) if select else config.select,
        extend_select=(*config.extend_select, *_split(extend_select)),
        ignore=(*config.ignore, *_split(ignore)),
    )
    known_ids = [rule.meta.id for rule in rule_set.rules]
    try:
        selection.validate(known_ids)
    except SelectionError as error:
        _usage_error(str(error))
    # The config's other rule entries, checked the same way: a typo would silently do nothing.
    entry_lists = [
        ("severity", tuple(config.severity)),
        *(
            (f"per-file-ignores {glob!r}", entries)
            for glob, entries in config.per_file_ignores.items()
        ),
    ]
    for label, entries in entry_lists:
        try:
            Selection(ignore=entries).validate(known_ids)
        except SelectionError as error:
            _config_error(config, f"{label}: {error}")
    severity_overrides = _severity_overrides(config, known_ids)
    settings = _resolve_settings(config, kube_version, node_port_range, default_namespace)
    if paths:
        targets = list(paths)
    elif config.paths:
        targets = _config_paths(config, "paths", config.paths)
    else:
        targets = ["."]
    excludes = PathMatcher(config.exclude, config.base_dir)
    if force_exclude:
        targets = [t for t in targets if not force_excluded(t, excludes, cwd)]
    if context:
        context_paths = list(context)
    elif config.context:
        context_paths = _config_paths(config, "context", config.context)
    elif default_context:
        context_paths = [default_context]
    else:
        context_paths = []
    if not targets:
        context_paths = []  # every named file was excluded: nothing to report on
    # First, so that suppressions, baselines and reporters see the template named (issue 7).
    filters: list[FindingFilter] = [helm_source_filter()]
    if config.per_file_ignores:
        filters.append(per_file_ignores_filter(config.per_file_ignores, config.base_dir))
    filters.append(inline_suppression_filter())
    if baseline:
        try:
            filters.append(baseline_filter(Path(baseline)))
        except ConfigError as error:
            _usage_error(str(error))
    options = RunOptions(
        paths=targets,
        context=context_paths,
        settings=settings,
        excludes=excludes,
        selection=selection,
        severity_overrides=severity_overrides,
        max_file_size=_max_file_size(max_file_size_text, config),
        filters=filters,
        cwd=cwd,
        jobs=jobs,
        cache_dir=None if no_cache else default_cache_dir(),
    )
    try:
        report = run(options, rule_set, BundledSchemas(settings.kube_version))
    except MissingPathError as error:
        _usage_error(str(error))
    if write_baseline:
        try:
            save_baseline(Path(write_baseline), report.active)
        except OSError as error:
            _usage_error(f"cannot write {write_baseline}: {error.strerror or error}")
        click.echo(
            f"netlint: wrote {len(report.active)} findings to baseline {write_baseline}", err=True
        )
        sys.exit(0)
    with collector_paused():
        _emit(
            report,
            output_format,
            output_file,
            sarif_file,
            json_file,
            statistics,
            quiet,
            no_color,
            cwd,
        )
    threshold = Severity.parse(fail_on) if fail_on else (config.fail_on or Severity.WARNING)
    failing = any(f.severity >= threshold for f in report.active)
    sys.exit(1 if failing and not exit_zero else 0)


def _max_file_size(flag: str | None, config: Config) -> int:
    if flag is None:
        return config.max_file_size or DEFAULT_MAX_FILE_SIZE
    try:
        return parse_size(flag)
    except ValueError as error:
        _usage_error(f"--max-file-size: {error}")


def _emit(
    report: Report,
    output_format: str,
    output_file: str | None,
    sarif_file: str | None,
    json_file: str | None,
    statistics: bool,
    quiet: bool,
    no_color: bool,
    cwd: Path,
) -> None:
    renderers: dict[str, Callable[[], str]] = {
        "text": lambda: render_text(
            report,
            color=_use_color(no_color, output_file is not None),
            statistics=statistics,
            quiet=quiet,
        ),
        "json": lambda: render_json(report),
        "sarif": lambda: render_sarif(report, cwd=cwd, tool_version=__version__),
        "github": lambda: render_github(report),
    }
    rendered = {output_format: renderers[output_format]()}  # each format rendered once
    output = rendered[output_format]
    if output_file:
        _write(output_file, output)
    elif output:
        click.echo(output, nl=not output.endswith("\n"))
    for extra_file, extra_format in ((sarif_file, "sarif"), (json_file, "json")):
        if extra_file:
            if extra_format not in rendered:
                rendered[extra_format] = renderers[extra_format]()
            _write(extra_file, rendered[extra_format])


@cli.command("rules")
@click.option(
    "--rules",
    "rule_paths",
    multiple=True,
    help="Also list these YAML policies or this Python pack.",
)
@click.option("--config", "config_path", type=str, help="Configuration file whose `rules:` to add.")
@click.option(
    "--format",
    "table_format",
    type=click.Choice(["text", "markdown"]),
    default="text",
    show_default=True,
    help="A plain table, or the Markdown table of the README.",
)
def list_rules(rule_paths: tuple[str, ...], config_path: str | None, table_format: str) -> None:
    """List every rule: id, default severity, whether it is on by default, and its summary."""
    rule_set = _load_rule_set(rule_paths, _config_or_exit(config_path, Path.cwd()))
    click.echo(rules_markdown(rule_set) if table_format == "markdown" else rules_table(rule_set))


@cli.command()
@click.argument("rule_id")
@click.option(
    "--rules",
    "rule_paths",
    multiple=True,
    help="Also look in these YAML policies or this Python pack.",
)
@click.option("--config", "config_path", type=str, help="Configuration file whose `rules:` to add.")
def explain(rule_id: str, rule_paths: tuple[str, ...], config_path: str | None) -> None:
    """Print the full documentation of RULE_ID."""
    rules = _load_rule_set(rule_paths, _config_or_exit(config_path, Path.cwd())).by_id()
    rule = rules.get(rule_id)
    if rule is None:
        _usage_error(f"unknown rule {rule_id!r} (see `netlint rules`)")
    click.echo(explain_text(rule.meta))


@cli.command("test")
@click.argument("directory", type=str)
@click.option(
    "--rules",
    "rule_paths",
    multiple=True,
    help="Also load this Python rule pack (it is code: only this flag loads it).",
)
def test_command(directory: str, rule_paths: tuple[str, ...]) -> None:
    """Run the expected-result fixtures (netlint-test.yaml files) under DIRECTORY: each lints its
    manifests with its policies and compares the findings with the ones it lists."""
    from netlint.policy_test import run_tests

    target = Path(directory)
    if not target.exists():
        _usage_error(f"{directory}: no such file or folder")
    try:
        code = run_tests(target, [Path(p) for p in rule_paths], click.echo)
    except PackError as error:
        _usage_error(str(error))
    sys.exit(code)


def main() -> None:
    try:
        cli.main(prog_name="netlint", standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("netlint: aborted", err=True)
        sys.exit(130)
    except click.exceptions.ClickException as error:
        error.show()
        sys.exit(2)
    except BrokenPipeError:
        # Output piped into `head`: not an error worth a traceback.
        sys.stderr.close()
        sys.exit(1)
    except Exception as error:  # no traceback ever reaches a user (DESIGN §10)
        click.echo(
            f"netlint: internal error: {type(error).__name__}: {error}\n"
            "This is a bug in netlint: please report it with the command, the input that "
            f"triggered it and `netlint --version` ({__version__}).",
            err=True,
        )
        sys.exit(1)  # not 2: that is for usage and configuration errors only
    sys.exit(0)
