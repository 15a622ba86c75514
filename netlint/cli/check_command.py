"""`netlint check`: lint files, folders or stdin, and write the reports (DESIGN §3, §8)."""

from __future__ import annotations

import dataclasses
import os
import shutil
import sys
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple, NoReturn

import click

from netlint import __version__
from netlint.api import Settings
from netlint.cli.common import (
    OUTPUT_FORMATS,
    SEVERITY_CHOICE,
    STATISTICS_FORMATS,
    check_config_rule_entries,
    config_error,
    config_or_exit,
    config_paths,
    crd_files_of,
    indexed_config_paths,
    load_rule_set,
    resolve_settings,
    schemas_or_exit,
    severity_overrides,
    split_values,
    usage_error,
    use_color,
    write_file,
)
from netlint.filters.suppression import inline_suppression_filter, per_file_ignores_filter
from netlint.filters.suppression_hygiene import (
    UNKNOWN,
    UNUSED,
    HygieneSettings,
    suppression_hygiene_filter,
)
from netlint.findings import Finding, Severity
from netlint.input.gitignore import GitIgnore
from netlint.input.reading import DEFAULT_MAX_FILE_SIZE
from netlint.input.sizes import parse_size
from netlint.input.sources import STDIN_PATH, MissingPathError, PathMatcher, force_excluded
from netlint.model.kube_versions import DEFAULT_KUBE_VERSION, SUPPORTED_KUBE_VERSIONS
from netlint.policy.schema_checker import BundledSchemas
from netlint.report.common import plural
from netlint.report.text import render_text
from netlint.run.config import (
    Config,
    ConfigError,
)
from netlint.run.engine import RunOptions, collector_paused, run
from netlint.run.fix_refusals import drop_unfixable
from netlint.run.registry import RuleSet
from netlint.run.renders import HelmOptions, KustomizeOptions, find_command
from netlint.run.results import FindingFilter, Report, RunData
from netlint.run.selection import Selection, SelectionError

if TYPE_CHECKING:
    from netlint.run.git_changes import ChangeSet


@click.command()
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
@click.option(
    "--also",
    "also",
    multiple=True,
    metavar="FORMAT=FILE",
    help="Also write a report in FORMAT to FILE, whatever --output-format says (repeatable): "
    "`--also sarif=netlint.sarif --also junit=report.xml`.",
)
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
@click.option(
    "--statistics",
    is_flag=True,
    help="Print counts per rule instead of the findings (text: a table; json: an array).",
)
@click.option(
    "--quiet",
    "-q",
    is_flag=True,
    help="Text format: print the findings without the summary line.",
)
@click.option(
    "--color",
    type=click.Choice(["auto", "always", "never"]),
    default=None,
    help=(
        "ANSI colours in the text format. auto (the default): on a terminal, unless NO_COLOR "
        "is set; FORCE_COLOR set forces them."
    ),
)
@click.option("--no-color", is_flag=True, help="The same as --color never.")
@click.option(
    "--report-unused",
    is_flag=True,
    help=(
        "Also report suppressions, per-file ignores and baseline entries that matched nothing "
        "(the rule unused-suppression)."
    ),
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
    help="Apply the excludes (config `exclude`, Helm chart templates/, .git, virtualenvs, what git "
    "ignores) to files named on the command line too, as when walking folders.",
)
@click.option(
    "--respect-gitignore/--no-respect-gitignore",
    default=None,
    help="Leave out of walked folders and the context what git ignores (.gitignore files, "
    ".git/info/exclude, the global excludes file) [default: config `respect-gitignore`, else "
    "on]. Files named on the command line are linted anyway, unless --force-exclude.",
)
@click.option(
    "--show-files",
    is_flag=True,
    help="List every file with its role (linted, context, skipped: reason) instead of the findings.",
)
@click.option(
    "--show-settings",
    is_flag=True,
    help="Print the resolved settings and the configuration file they came from, and exit.",
)
@click.option(
    "--staged",
    is_flag=True,
    help="Diff-aware: lint everything, report the findings of the staged change (git index against "
    "HEAD): those in changed files, and new ones anywhere it caused (the pre-commit hook passes it).",
)
@click.option(
    "--changed-since",
    metavar="REV",
    help="Diff-aware: as --staged, for the change from git revision REV to the working tree "
    "(the GitHub Action passes the pull request's base).",
)
@click.option(
    "--default-namespace",
    type=str,
    help="Namespace of objects without metadata.namespace [default: the apply namespace, the "
    "one chosen when the files are applied].",
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
    "--crd",
    "crd_paths",
    multiple=True,
    help="Validate custom resources against this CustomResourceDefinition (a file or folder): "
    "its schema and CEL rules, under `schema`. Repeatable; adds to config `crds:`.",
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
    "--fix",
    is_flag=True,
    help="Apply the safe fixes to the files, then report what is left; with - (stdin), write the "
    "fixed stream to stdout and the report to stderr.",
)
@click.option(
    "--unsafe-fixes",
    is_flag=True,
    help="Also apply (with --fix, --fix-only, --diff) or count as fixable the unsafe fixes, "
    "which change what an object does.",
)
@click.option(
    "--diff",
    is_flag=True,
    help="Print the fixes as a unified diff instead of applying them; exit 1 if there is "
    "something to fix.",
)
@click.option(
    "--fix-only",
    is_flag=True,
    help="Apply the fixes as --fix does, without reporting the findings that are left; exit 0.",
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
    also: tuple[str, ...],
    sarif_file: str | None,
    json_file: str | None,
    fail_on: str | None,
    exit_zero: bool,
    statistics: bool,
    quiet: bool,
    color: str | None,
    no_color: bool,
    report_unused: bool,
    config_path: str | None,
    select: tuple[str, ...],
    extend_select: tuple[str, ...],
    ignore: tuple[str, ...],
    context: tuple[str, ...],
    default_context: str | None,
    force_exclude: bool,
    respect_gitignore: bool | None,
    show_files: bool,
    show_settings: bool,
    staged: bool,
    changed_since: str | None,
    default_namespace: str | None,
    kube_version: str | None,
    node_port_range: str | None,
    max_file_size_text: str | None,
    rule_paths: tuple[str, ...],
    crd_paths: tuple[str, ...],
    baseline: str | None,
    write_baseline: str | None,
    jobs: int,
    fix: bool,
    unsafe_fixes: bool,
    diff: bool,
    fix_only: bool,
    no_cache: bool,
) -> None:
    """Lint PATHS (files, folders, or - for stdin)."""
    if baseline and write_baseline:
        # The baseline would mark its findings suppressed and the new file would drop them.
        usage_error(
            "--baseline and --write-baseline cannot be combined: --write-baseline records every "
            "current finding on its own"
        )
    if color is not None and no_color and color != "never":
        usage_error(f"--no-color and --color {color} contradict each other")
    if statistics and output_format not in STATISTICS_FORMATS:
        usage_error(
            f"--statistics prints a table (text) or an array (json), not {output_format}: "
            "use --output-format text or json, or write the full report with --sarif-file"
        )
    extra_reports = _extra_reports(also, sarif_file, json_file)
    given = (
        ("--staged", staged),
        ("--changed-since", changed_since is not None),
        ("--write-baseline", bool(write_baseline)),
        ("--show-files", show_files),
    )
    _refuse_fix_combinations(fix, diff, fix_only, [flag for flag, on in given if on])
    cwd = Path.cwd()
    _refuse_options_given_as_paths(paths, cwd)
    change_set = _change_set(staged, changed_since, paths, write_baseline, cwd)
    config = config_or_exit(config_path, cwd, paths)
    rule_set = load_rule_set(rule_paths, config)
    known_ids = [rule.meta.id for rule in rule_set.rules]
    check_config_rule_entries(config, rule_set.rules)
    flags = Selection(
        select=split_values(select) or None,
        extend_select=(
            *split_values(extend_select),
            *(("unused-suppression",) if report_unused else ()),
        ),
        ignore=split_values(ignore),
    )
    selection = selection_of(config, flags, known_ids)
    overrides = severity_overrides(config, known_ids)
    settings = resolve_settings(config, kube_version, node_port_range, default_namespace)
    crds = crd_files_of(crd_paths, config)
    schemas = schemas_or_exit(settings.kube_version, crds)
    inputs = input_options(
        config, paths, context, default_context, force_exclude, respect_gitignore, cwd
    )
    targets, context_paths = inputs.targets, inputs.context
    respect_gitignore = inputs.gitignore is not None
    filters = suppression_filters(config)
    if baseline:
        from netlint.filters.baseline import baseline_filter  # --baseline only (issue 31)

        try:
            filters.append(baseline_filter(Path(baseline)))
        except ConfigError as error:
            usage_error(str(error))
    filters.append(hygiene_filter(config, rule_set, selection, overrides, baseline))
    max_file_size = max_file_size_of(max_file_size_text, config)
    threshold = Severity.parse(fail_on) if fail_on else (config.fail_on or Severity.WARNING)
    if show_settings:
        # Not imported by a run (issue 31), as below for --write-baseline and --show-files.
        from netlint.cli.show import Resolved, render_settings
        from netlint.policy import AdmissionPolicyRule

        resolved = Resolved(
            config,
            settings,
            selection,
            overrides,
            threshold,
            targets,
            context_paths,
            max_file_size,
            sum(1 for rule in rule_set.rules if selection.enabled(rule.meta)),
            respect_gitignore,
            {
                rule.meta.id: rule.status()
                for rule in rule_set.rules
                if isinstance(rule, AdmissionPolicyRule)
            },
            [str(path) for path in crds],
        )
        click.echo(render_settings(resolved, cwd), nl=False)
        sys.exit(0)
    options = run_options(
        inputs,
        settings,
        selection,
        overrides,
        filters,
        cwd,
        max_file_size=max_file_size,
        cache=not no_cache,
        jobs=jobs,
    )

    def emit(
        report: Report, to_stderr: bool = False, stored: Mapping[str, str] | None = None
    ) -> dict[str, str]:
        return _emit(
            report,
            output_format,
            output_file,
            extra_reports,
            statistics,
            quiet,
            "never" if no_color else (color or "auto"),
            cwd,
            to_stderr,
            stored,
        )

    if fix or diff or fix_only:
        _fix_and_exit(
            options,
            rule_set,
            schemas,
            unsafe=unsafe_fixes,
            diff=diff,
            fix_only=fix_only,
            emit=emit,
            threshold=threshold,
            exit_zero=exit_zero,
        )
    try:
        if change_set is None:
            outputs_key = (
                None
                if no_cache or write_baseline or show_files
                else _outputs_key(
                    (
                        output_format,
                        output_file,
                        tuple(extra_reports),
                        (quiet, statistics, unsafe_fixes),
                    ),
                    "never" if no_color else (color or "auto"),
                    (threshold, exit_zero),
                    config,
                    baseline,
                    known_ids,
                    cwd,
                )
            )
            if outputs_key is not None:
                options = dataclasses.replace(
                    options,
                    outputs_key=outputs_key,
                    output_formats=frozenset((output_format, *(f for f, _ in extra_reports))),
                )
            report = run(options, rule_set, schemas)
        else:
            # Diff-aware mode only: its module is not imported by a plain run.
            from netlint.filters.changed import run_changed

            report = run_changed(options, rule_set, schemas, change_set, config.path)
    except MissingPathError as error:
        usage_error(str(error))
    if write_baseline:
        from netlint.filters.baseline import write_baseline as save_baseline

        try:
            save_baseline(Path(write_baseline), report.active)
        except OSError as error:
            usage_error(f"cannot write {write_baseline}: {error.strerror or error}")
        click.echo(
            f"netlint: wrote {plural(len(report.active), 'finding')} to baseline {write_baseline}",
            err=True,
        )
        sys.exit(0)
    if show_files:
        from netlint.cli.show import render_files

        click.echo(render_files(report), nl=False)
        sys.exit(0)
    kept = report.reports
    stored = kept.texts if kept is not None else None
    if kept is not None and stored is not None:  # this very run wrote them: written again
        emit(report, stored=stored)
        sys.exit(kept.exit_code)
    report.unsafe_fixes = unsafe_fixes
    drop_unfixable(report)  # offered (`[*]`) only where --fix would apply them
    with collector_paused():
        rendered = emit(report)
    failing = any(f.severity >= threshold for f in report.active)
    code = 1 if failing and not exit_zero else 0
    if kept is not None:
        kept.keep(report, rendered, code)
    sys.exit(code)


# The formats whose report is the same for the same findings (no run time in it): a run the
# whole-run cache replays writes them as an earlier run rendered them (`Report.reports`).
_KEPT_FORMATS = frozenset(("sarif", "github", "gitlab"))


def _outputs_key(
    reports: tuple[str, str | None, tuple[tuple[str, str], ...], tuple[bool, bool, bool]],
    color: str,
    exit_flags: tuple[Severity, bool],
    config: Config,
    baseline: str | None,
    known_ids: Sequence[str],
    cwd: Path,
) -> str | None:
    """What the reports and the exit code depend on besides the run's input, settings and
    rules (which the whole-run cache's key covers): the formats and files written, with
    `--quiet`, `--statistics` and `--unsafe-fixes` (`reports`), colours, the flags of the exit
    code, what the filters read (the configuration file, whose lines they name, and the
    baseline file), and every option given. None when a report asked for gives the run's time."""
    output_format, output_file, extra_reports, _ = reports
    if any(name not in _KEPT_FORMATS for name in (output_format, *(f for f, _ in extra_reports))):
        return None
    try:
        config_text = config.path.read_bytes() if config.path is not None else b""
        baseline_text = Path(baseline).read_bytes() if baseline else b""
    except OSError:
        return None
    # Every option as given too, whatever it changes (the run's input, its filters): only
    # --jobs is left out, since the reports are the same for any.
    given = click.get_current_context().params
    options = sorted((name, repr(value)) for name, value in given.items() if name != "jobs")
    # The texts themselves: the kept run hashes the key (`run.kept_run`).
    return repr(
        (
            options,
            reports,
            use_color(color, output_file is not None),
            exit_flags,
            repr(config),
            config_text,
            baseline,
            baseline_text,
            tuple(known_ids),
            str(cwd),
        )
    )


def _extra_reports(
    also: Sequence[str], sarif_file: str | None, json_file: str | None
) -> list[tuple[str, str]]:
    """(format, file) of each report written besides the main one: `--also FORMAT=FILE`, then
    the shorthands `--sarif-file` and `--json-file`."""
    reports: list[tuple[str, str]] = []
    for entry in also:
        report_format, equals, path = entry.partition("=")
        if not equals or not path:
            usage_error(f"--also {entry!r}: expected FORMAT=FILE, e.g. --also sarif=netlint.sarif")
        if report_format not in OUTPUT_FORMATS:
            usage_error(
                f"--also {entry!r}: unknown format {report_format!r}; "
                f"choose from {', '.join(OUTPUT_FORMATS)}"
            )
        reports.append((report_format, path))
    reports += [(name, path) for name, path in (("sarif", sarif_file), ("json", json_file)) if path]
    return reports


def _refuse_fix_combinations(fix: bool, diff: bool, fix_only: bool, others: Sequence[str]) -> None:
    """At most one of --fix, --diff and --fix-only, and none with `others` (the options given
    that do not combine with fixing: they report on a change or write something else)."""
    chosen = [
        flag
        for flag, given in (("--fix", fix), ("--diff", diff), ("--fix-only", fix_only))
        if given
    ]
    if len(chosen) > 1:
        usage_error(f"{' and '.join(chosen)} cannot be combined: pick one")
    if chosen and others:
        usage_error(f"{chosen[0]} fixes whole files: it cannot be combined with {others[0]}")


def _fix_and_exit(
    options: RunOptions,
    rule_set: RuleSet,
    schemas: BundledSchemas,
    *,
    unsafe: bool,
    diff: bool,
    fix_only: bool,
    emit: Callable[[Report, bool], object],
    threshold: Severity,
    exit_zero: bool,
) -> NoReturn:
    """`--fix`, `--fix-only` and `--diff` (DESIGN §8a): fix, write or show, report, exit."""
    # The fixer only with --fix, --fix-only or --diff (a plain run never imports it).
    from netlint.run.fixing import fix_run, unified_diff, write_fixed

    try:
        outcome = fix_run(options, rule_set, schemas, unsafe=unsafe, allow_helm_stdin=diff)
    except MissingPathError as error:
        usage_error(str(error))
    report = outcome.report
    report.unsafe_fixes = unsafe
    for note in outcome.notes:
        click.echo(f"netlint: {note}", err=True)
    changed = sorted(outcome.texts)
    if diff:
        click.echo(
            "".join(
                unified_diff(path, outcome.originals[path], outcome.texts[path]) for path in changed
            ),
            nl=False,
        )
        click.echo(
            f"netlint: would fix {plural(outcome.count, 'finding')} in "
            f"{plural(len(changed), 'file')}",
            err=True,
        )
        sys.exit(1 if changed else 0)
    failed = False
    for path in changed:
        if path == STDIN_PATH:
            continue
        real = report.data.real_paths.get(path)
        problem = (
            "not fixed: no file to write"
            if real is None
            else write_fixed(real, outcome.originals[path], outcome.texts[path])
        )
        if problem is not None:
            failed = True
            click.echo(f"netlint: {problem}", err=True)
    stdin = STDIN_PATH in options.paths
    if stdin:
        text = outcome.texts.get(STDIN_PATH, outcome.originals.get(STDIN_PATH))
        if text is None:
            text = report.data.sources.get(STDIN_PATH, "")
        click.echo(text, nl=False)
    report.fixed = 0 if failed else outcome.count
    if fix_only:
        drop_unfixable(report)
        remaining = sum(1 for f in report.active if f.fix is not None)
        click.echo(
            f"netlint: fixed {plural(outcome.count, 'finding')} in "
            f"{plural(len(changed), 'file')}"
            + (f" ({remaining} fixable left)" if remaining else ""),
            err=True,
        )
        sys.exit(1 if failed else 0)
    drop_unfixable(report)
    with collector_paused():
        emit(report, stdin)
    failing = failed or any(f.severity >= threshold for f in report.active)
    sys.exit(1 if failing and not exit_zero else 0)


class InputOptions(NamedTuple):
    """What a run reads, resolved from the command line and the configuration (`check` and
    `graph` read their input the same way)."""

    targets: list[str]
    context: list[str]
    excludes: PathMatcher
    gitignore: GitIgnore | None
    helm: HelmOptions
    kustomize: KustomizeOptions
    scopes: list[str]


def input_options(
    config: Config,
    paths: Sequence[str],
    context: Sequence[str],
    default_context: str | None,
    force_exclude: bool,
    respect_gitignore: bool | None,
    cwd: Path,
) -> InputOptions:
    """PATHS (else config `paths`, else `.`), the context (`--context`, else config `context`,
    else `--default-context`), the excludes, what git ignores, Helm rendering and the scopes."""
    if paths:
        targets = list(paths)
    elif config.paths:
        targets = config_paths(config, "paths", config.paths)
    else:
        targets = ["."]
    excludes = PathMatcher(config.exclude, config.base_dir)
    helm = _helm_options(config)
    if respect_gitignore is None:
        respect_gitignore = config.respect_gitignore is not False
    gitignore = GitIgnore() if respect_gitignore else None
    if force_exclude:
        targets = [t for t in targets if not force_excluded(t, excludes, cwd, gitignore)]
    if context:
        context_paths = list(context)
    elif config.context:
        context_paths = config_paths(config, "context", config.context)
    elif default_context:
        context_paths = [default_context]
    else:
        context_paths = []
    if not targets:
        context_paths = []  # every named file was excluded: nothing to report on
    scopes: list[str] = []
    for index, folder in indexed_config_paths(config, "scopes", config.scopes):
        if not Path(folder).exists():  # a folder, or a file applied on its own (`kubectl apply -f`)
            shown = config.scopes[index]
            config_error(config, f"scopes: {shown!r} is no folder or file", ("scopes", index))
        scopes.append(folder)
    kustomize = _kustomize_options(config)
    return InputOptions(targets, context_paths, excludes, gitignore, helm, kustomize, scopes)


def selection_of(config: Config, flags: Selection, known_ids: Sequence[str]) -> Selection:
    """The rules a run checks: the flags' (or the editor's) `select` in place of config
    `select`, their `extend-select` and `ignore` added to the config's; an unknown id in the
    flags is a usage error."""
    try:
        flags.validate(known_ids)
    except SelectionError as error:
        usage_error(str(error))
    return Selection(
        select=flags.select if flags.select is not None else config.select,
        extend_select=(*config.extend_select, *flags.extend_select),
        ignore=(*config.ignore, *flags.ignore),
    )


def run_options(
    inputs: InputOptions,
    settings: Settings,
    selection: Selection,
    overrides: Mapping[str, Severity],
    filters: Sequence[FindingFilter],
    cwd: Path,
    *,
    max_file_size: int,
    cache: bool,
    jobs: int = 0,
    keep_inventories: bool = False,
) -> RunOptions:
    """The engine's options for `inputs`, made one way for check, graph and the server, so
    that each reads the input (excludes, git ignores, Helm, kustomize, scopes) as check does."""
    return RunOptions(
        paths=inputs.targets,
        context=inputs.context,
        settings=settings,
        excludes=inputs.excludes,
        gitignore=inputs.gitignore,
        helm=inputs.helm,
        kustomize=inputs.kustomize,
        selection=selection,
        severity_overrides=overrides,
        max_file_size=max_file_size,
        filters=filters,
        cwd=cwd,
        jobs=jobs,
        cache_dir=_cache_dir() if cache else None,
        scopes=inputs.scopes,
        keep_inventories=keep_inventories,
    )


def _cache_dir() -> Path:
    from netlint.run.cache import default_cache_dir  # the cache, only for runs that use it

    return default_cache_dir()


def _helm_sources(findings: list[Finding], data: RunData) -> list[Finding]:
    """`filters.helm_sources`, imported by the runs with a stream it maps: stdin or a chart
    netlint rendered (issue 31)."""
    if STDIN_PATH not in data.sources and not data.rendered:
        return findings
    from netlint.filters.helm_sources import helm_source_filter

    return helm_source_filter()(findings, data)


def _kustomize_sources(findings: list[Finding], data: RunData) -> list[Finding]:
    """`filters.kustomize_sources`, imported by the runs that built a kustomize root (issue 31)."""
    if not data.kustomized:
        return findings
    from netlint.filters.kustomize_sources import kustomize_source_filter

    return kustomize_source_filter()(findings, data)


def suppression_filters(config: Config) -> list[FindingFilter]:
    """The Helm and kustomize source, per-file ignore and inline suppression filters, in that
    order."""
    # First, so that suppressions, baselines and reporters see the template named (issue 7).
    filters: list[FindingFilter] = [_helm_sources, _kustomize_sources]
    if config.per_file_ignores:
        filters.append(per_file_ignores_filter(config.per_file_ignores, config.base_dir))
    filters.append(inline_suppression_filter())
    return filters


def _change_set(
    staged: bool,
    changed_since: str | None,
    paths: Sequence[str],
    write_baseline: str | None,
    cwd: Path,
) -> ChangeSet | None:
    """The change the diff-aware mode reports on, read from git (None: not that mode)."""
    if not staged and changed_since is None:
        return None
    flag = "--staged" if staged else "--changed-since"
    if staged and changed_since is not None:
        usage_error("--staged and --changed-since cannot be combined: pick one change")
    if STDIN_PATH in paths:
        usage_error(f"{flag} compares files with git; stdin (-) has no history")
    if write_baseline:
        usage_error(
            f"{flag} and --write-baseline cannot be combined: a baseline records everything"
        )
    # git plumbing only in the diff-aware mode.
    from netlint.run.git_changes import GitError, change_since, staged_change

    try:
        if changed_since is not None:
            return change_since(str(cwd), changed_since)
        return staged_change(str(cwd))
    except GitError as error:
        usage_error(f"{flag}: {error}")


def _refuse_options_given_as_paths(paths: Sequence[str], cwd: Path) -> None:
    """A path that does not exist and is spelled like one of `check`'s options came after `--`:
    most likely a pre-commit `args:` entry, which the hook's entry (ending with `--`) makes a file
    name. Say so, instead of the bare "path does not exist"."""
    options = {
        name
        for param in click.get_current_context().command.params
        if isinstance(param, click.Option)
        for name in (*param.opts, *param.secondary_opts)
    }
    for raw in paths:
        if raw.partition("=")[0] in options and not os.path.lexists(cwd / raw):
            usage_error(
                f"path does not exist: {raw} (it is spelled like an option, but comes after `--`,"
                " where every argument is a path; the pre-commit hook ends its entry with `--`:"
                " put options in the configuration file, or in the hook's `entry:` before its `--`)"
            )


def hygiene_filter(
    config: Config,
    rule_set: RuleSet,
    selection: Selection,
    overrides: Mapping[str, Severity],
    baseline: str | None,
) -> FindingFilter:
    """`unknown-suppression` and `unused-suppression`, after every suppression filter."""
    enabled = frozenset(rule.meta.id for rule in rule_set.rules if selection.enabled(rule.meta))
    severities = {
        rule.meta.id: overrides.get(rule.meta.id, rule.meta.severity)
        for rule in rule_set.rules
        if rule.meta.id in (UNKNOWN, UNUSED) and rule.meta.id in enabled
    }
    return suppression_hygiene_filter(
        HygieneSettings(
            known_ids=[rule.meta.id for rule in rule_set.rules],
            enabled=enabled,
            severities=severities,
            file_ignores=config.per_file_ignores,
            locate_file_ignore=lambda glob, index: (
                config.display,
                config.line_of(("per-file-ignores", glob, index), False),
            ),
            baseline=Path(baseline) if baseline else None,
            baseline_shown=baseline or "",
        )
    )


def _helm_options(config: Config) -> HelmOptions:
    """`render.helm` and `render.helm-values`, with helm looked up on PATH when it may run."""
    mode = config.render_helm or "auto"
    values: list[str] = []
    for index, entry in enumerate(config.render_helm_values):
        path = config.resolve(entry)
        if not path.is_file():
            usage_error(
                f"{config.at(('render', 'helm-values', index))}: render.helm-values: "
                f"{entry!r} is not a file"
            )
        values.append(str(path))
    binary = shutil.which("helm") if mode == "auto" else None
    return HelmOptions(mode=mode, binary=binary, values=tuple(values))


def _kustomize_options(config: Config) -> KustomizeOptions:
    """`render.kustomize`, with kustomize (or kubectl) looked up on PATH when it may run."""
    mode = config.render_kustomize or "auto"
    return KustomizeOptions(mode=mode, command=find_command() if mode == "auto" else None)


def max_file_size_of(flag: str | None, config: Config) -> int:
    if flag is None:
        return config.max_file_size or DEFAULT_MAX_FILE_SIZE
    try:
        return parse_size(flag)
    except ValueError as error:
        usage_error(f"--max-file-size: {error}")


# Each reporter is imported only when its format is asked for: a text run (the editor, a hook)
# does not pay for SARIF, JSON, GitLab or JUnit (xml.etree) on every start.
def _json(report: Report) -> str:
    from netlint.report.json_report import render_json

    return render_json(report)


def _sarif(report: Report, cwd: Path) -> str:
    from netlint.report.sarif import render_sarif

    return render_sarif(report, cwd=cwd, tool_version=__version__)


def _github(report: Report) -> str:
    from netlint.report.github import render_github

    return render_github(report)


def _gitlab(report: Report) -> str:
    from netlint.report.gitlab import render_gitlab

    return render_gitlab(report)


def _junit(report: Report) -> str:
    from netlint.report.junit import render_junit

    return render_junit(report)


def _emit(
    report: Report,
    output_format: str,
    output_file: str | None,
    extra_reports: Sequence[tuple[str, str]],
    statistics: bool,
    quiet: bool,
    color: str,
    cwd: Path,
    to_stderr: bool = False,
    stored: Mapping[str, str] | None = None,
) -> dict[str, str]:
    """Write the reports; `stored`: as an earlier run of the same input rendered them
    (`Report.reports`). Returns each format's report as rendered."""
    colored = use_color(color, output_file is not None or to_stderr)
    if stored is not None:
        given = {name: _given(text) for name, text in stored.items()}
        return _write_reports(given, output_format, output_file, extra_reports, colored, to_stderr)
    renderers: dict[str, Callable[[], str]] = {
        "text": lambda: render_text(
            report,
            color=colored,
            statistics=statistics,
            quiet=quiet,
        ),
        "json": lambda: _json(report),
        "sarif": lambda: _sarif(report, cwd),
        "github": lambda: _github(report),
        "gitlab": lambda: _gitlab(report),
        "junit": lambda: _junit(report),
    }
    if statistics and output_format == "json":
        from netlint.report.json_report import render_json_statistics

        output = render_json_statistics(report)  # --json-file still gets the full report
        return _write_reports(
            renderers, output_format, output_file, extra_reports, colored, to_stderr, output
        )
    return _write_reports(renderers, output_format, output_file, extra_reports, colored, to_stderr)


def _given(text: str) -> Callable[[], str]:
    return lambda: text


def _write_reports(
    renderers: Mapping[str, Callable[[], str]],
    output_format: str,
    output_file: str | None,
    extra_reports: Sequence[tuple[str, str]],
    colored: bool,
    to_stderr: bool,
    output: str | None = None,
) -> dict[str, str]:
    """The main report (`output`, else rendered) to `output_file` or stdout, then the extra
    ones, each format rendered once; returns what was rendered, by format."""
    rendered: dict[str, str] = {}
    if output is None:
        output = rendered[output_format] = renderers[output_format]()
    if output_file:
        write_file(output_file, output)
    elif output:
        # click strips ANSI codes when stdout is no terminal, unless told they are wanted.
        click.echo(output, nl=not output.endswith("\n"), color=colored, err=to_stderr)
    for extra_format, extra_file in extra_reports:
        if extra_format not in rendered:
            rendered[extra_format] = renderers[extra_format]()
        write_file(extra_file, rendered[extra_format])
    return rendered
