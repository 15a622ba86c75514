"""`netlint rules`, `netlint explain` and `netlint test`: the catalogue and the policy fixtures."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from netlint.cli.common import config_or_exit, load_rule_set, usage_error
from netlint.report.explain import explain_text, rules_markdown, rules_table
from netlint.report.rule_docs import write_docs
from netlint.run.registry import PackError
from netlint.run.selection import unknown_entry_message


@click.command("rules")
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
@click.option(
    "--write-docs",
    "docs_folder",
    type=str,
    help="Instead of the table, write one Markdown page per rule and an index (README.md) into "
    "this folder, removing pages of rules that no longer exist (netlint's docs/rules; a pack's "
    "own docs).",
)
def list_rules(
    rule_paths: tuple[str, ...],
    config_path: str | None,
    table_format: str,
    docs_folder: str | None,
) -> None:
    """List every rule: id, default severity, whether it is on by default, and its summary."""
    rule_set = load_rule_set(rule_paths, config_or_exit(config_path, Path.cwd()))
    if docs_folder is not None:
        try:
            changed = write_docs(rule_set, Path(docs_folder))
        except OSError as error:
            usage_error(f"--write-docs {docs_folder}: {error.strerror or error}")
        click.echo(f"{len(changed)} page(s) written or removed in {docs_folder}")
        return
    click.echo(rules_markdown(rule_set) if table_format == "markdown" else rules_table(rule_set))


@click.command()
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
    rules = load_rule_set(rule_paths, config_or_exit(config_path, Path.cwd())).by_id()
    rule = rules.get(rule_id)
    if rule is None:
        usage_error(unknown_entry_message(rule_id, rules, prefixes=False))
    click.echo(explain_text(rule.meta))


@click.command("test")
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
    from netlint.policy.testing import run_tests

    target = Path(directory)
    if not target.exists():
        usage_error(f"{directory}: no such file or folder")
    try:
        code = run_tests(target, [Path(p) for p in rule_paths], click.echo)
    except PackError as error:
        usage_error(str(error))
    sys.exit(code)
