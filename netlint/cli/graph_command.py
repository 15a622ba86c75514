"""`netlint graph`: the traffic map of the input (DESIGN §5, "NetworkPolicy and reachability")."""

from __future__ import annotations

from pathlib import Path

import click

from netlint.cli.check_command import (
    input_options,
    max_file_size_of,
    run_options,
    selection_of,
    suppression_filters,
)
from netlint.cli.common import (
    check_config_rule_entries,
    config_or_exit,
    crd_files_of,
    load_rule_set,
    resolve_settings,
    schemas_or_exit,
    severity_overrides,
    usage_error,
    write_file,
)
from netlint.input.sources import MissingPathError
from netlint.report.graph import RENDERERS
from netlint.run.engine import run
from netlint.run.selection import Selection
from netlint.traffic.graph import build_graph


@click.command()
@click.argument("paths", nargs=-1, type=str)
@click.option(
    "--format",
    "graph_format",
    type=click.Choice(sorted(RENDERERS)),
    default="mermaid",
    show_default=True,
    help="Mermaid (renders in GitHub Markdown), Graphviz DOT, or JSON.",
)
@click.option("--output-file", "-o", type=str, help="Write the map here instead of stdout.")
@click.option(
    "--config",
    "config_path",
    type=str,
    help="Configuration file (default: .netlint.yaml or [tool.netlint] in pyproject.toml, searched upward).",
)
@click.option(
    "--context",
    multiple=True,
    help="Load these files into the inventory without drawing their own paths (repeatable).",
)
@click.option(
    "--default-context",
    type=str,
    help="Context to use when neither --context nor config `context` names one.",
)
@click.option(
    "--force-exclude",
    is_flag=True,
    help="Apply the excludes to files named on the command line too.",
)
@click.option(
    "--respect-gitignore/--no-respect-gitignore",
    default=None,
    help="Leave out of walked folders and the context what git ignores [default: config "
    "`respect-gitignore`, else on].",
)
@click.option(
    "--default-namespace",
    type=str,
    help="Namespace of objects without metadata.namespace [default: the apply namespace].",
)
@click.option("--kube-version", type=str, help="Target Kubernetes version.")
@click.option(
    "--rules",
    "rule_paths",
    multiple=True,
    help="Add YAML policies or a Python rule pack, whose findings are marked on the map.",
)
@click.option("--no-cache", is_flag=True, help="Do not read or write the per-file cache.")
def graph(
    paths: tuple[str, ...],
    graph_format: str,
    output_file: str | None,
    config_path: str | None,
    context: tuple[str, ...],
    default_context: str | None,
    force_exclude: bool,
    respect_gitignore: bool | None,
    default_namespace: str | None,
    kube_version: str | None,
    rule_paths: tuple[str, ...],
    no_cache: bool,
) -> None:
    """Draw the traffic paths of PATHS: entry points (ingress controllers, Gateways, clients in
    the cluster), routes, Services and their ports, workloads, and the NetworkPolicies that
    admit or block each edge, with blocked edges and findings marked. The input, configuration
    and scopes are read as `netlint check` reads them; the findings are those `check` reports."""
    cwd = Path.cwd()
    config = config_or_exit(config_path, cwd, paths)
    rule_set = load_rule_set(rule_paths, config)
    check_config_rule_entries(config, rule_set.rules)
    known_ids = [rule.meta.id for rule in rule_set.rules]
    settings = resolve_settings(config, kube_version, None, default_namespace)
    schemas = schemas_or_exit(settings.kube_version, crd_files_of((), config))
    inputs = input_options(
        config, paths, context, default_context, force_exclude, respect_gitignore, cwd
    )
    options = run_options(
        inputs,
        settings,
        selection_of(config, Selection(), known_ids),
        severity_overrides(config, known_ids),
        suppression_filters(config),
        cwd,
        max_file_size=max_file_size_of(None, config),
        cache=not no_cache,
        keep_inventories=True,
    )
    try:
        report = run(options, rule_set, schemas)
    except MissingPathError as error:
        usage_error(str(error))
    traffic = build_graph(
        report.inventories, settings.ingress_controllers, settings.external, report.active
    )
    output = RENDERERS[graph_format](traffic)
    if output_file:
        write_file(output_file, output)
    else:
        click.echo(output, nl=False)
