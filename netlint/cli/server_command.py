"""`netlint server`: the language server over stdio (issue 29). pygls is imported inside the
command only, so that the other commands never load it; without it (the `server` extra is not
installed) the command says how to install it."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import click

from netlint.cli.check_command import (
    hygiene_filter,
    input_options,
    max_file_size_of,
    run_options,
    selection_of,
    suppression_filters,
)
from netlint.cli.common import (
    UsageExit,
    check_config_rule_entries,
    config_or_exit,
    crd_files_of,
    load_rule_set,
    resolve_settings,
    schemas_or_exit,
    severity_overrides,
    usage_error,
)
from netlint.heap import collector_resumed
from netlint.run.selection import Selection
from netlint.server.setup import RunSetup, ServerOptions, located


def build_setup(root: Path, options: ServerOptions) -> RunSetup:
    """The run `netlint check` would make in `root` with no PATHS, the editor's options in
    place of its flags; what `check` would refuse raises `SetupError`."""
    try:
        return _build(root, options)
    except UsageExit as error:
        raise located(error.message, root) from None


def _build(root: Path, given: ServerOptions) -> RunSetup:
    config_path = str(root / given.config) if given.config else None
    config = config_or_exit(config_path, root)
    rule_set = load_rule_set([str(root / entry) for entry in given.rules], config)
    check_config_rule_entries(config, rule_set.rules)
    known_ids = [rule.meta.id for rule in rule_set.rules]
    flags = Selection(select=given.select or None, ignore=given.ignore)
    selection = selection_of(config, flags, known_ids)
    overrides = severity_overrides(config, known_ids)
    settings = resolve_settings(config, given.kube_version, None, None)
    inputs = input_options(config, (), (), None, False, None, root)
    filters = suppression_filters(config)
    filters.append(hygiene_filter(config, rule_set, selection, overrides, None))
    options = run_options(
        inputs,
        settings,
        selection,
        overrides,
        filters,
        root,
        max_file_size=max_file_size_of(None, config),
        cache=given.cache,
        jobs=1,  # a server's lints are small; no worker processes forked from its threads
    )
    return RunSetup(
        options=options,
        rule_set=rule_set,
        schemas=schemas_or_exit(
            settings.kube_version, crd_files_of([str(root / entry) for entry in given.crds], config)
        ),
        context=[*inputs.targets, *inputs.context],
        config_file=config.path,
    )


@click.command("server")
@click.option(
    "--config",
    "config_path",
    type=str,
    help="Configuration file (default: searched as check does).",
)
@click.option(
    "--rules",
    "rule_paths",
    multiple=True,
    help="Add YAML policies or a Python rule pack, as check --rules (repeatable).",
)
@click.option("--kube-version", type=str, help="Target Kubernetes version, as check's.")
def server(config_path: str | None, rule_paths: tuple[str, ...], kube_version: str | None) -> None:
    """Run the language server over stdin/stdout, for editors (see the README)."""
    if importlib.util.find_spec("pygls") is None:
        usage_error("netlint server needs pygls: pip install 'netlint-k8s[server]'")
    from netlint.server.app import serve

    cwd = Path.cwd()
    with collector_resumed():  # a server runs on: its garbage is collected (netlint.heap)
        serve(
            build_setup,
            ServerOptions(
                kube_version=kube_version,
                config=str(cwd / config_path) if config_path else None,
                rules=tuple(str(cwd / path) for path in rule_paths),
            ),
        )
