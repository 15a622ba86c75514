"""Shared test helpers: lint YAML text through the whole pipeline and look at what users see."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import replace
from pathlib import Path

import pytest

from netlint.api import Inventory, Settings, unwrapped
from netlint.findings import Finding
from netlint.findings import Path as ObjPath
from netlint.input.document import Node
from netlint.input.loader import load_yaml
from netlint.input.reading import DEFAULT_MAX_FILE_SIZE, Pending, Source, Unreadable
from netlint.input.sources import PathMatcher, list_sources
from netlint.model.manifest import objects_of
from netlint.policy.schema_checker import BundledSchemas
from netlint.run.engine import RunOptions, run
from netlint.run.registry import load_rules
from netlint.run.results import Report
from netlint.run.selection import Selection

FIXTURES_ROOT = Path(__file__).parent / "fixtures"

_RULES = load_rules()
_SCHEMAS: dict[str, BundledSchemas] = {}


def node_paths(node: Node, prefix: ObjPath = ()) -> list[ObjPath]:
    """The path of every node below `node`, itself first, in pre-order."""
    found = [prefix]
    if isinstance(node, dict):
        for key, value in node.items():
            found += node_paths(value, (*prefix, key))
    elif isinstance(node, list):
        for index, item in enumerate(node):
            found += node_paths(item, (*prefix, index))
    return found


def settling_nowhere(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every rule deferred as soon as it asks the inventory, as if none had
    `Rule.settles_locally`: a run's findings must not change."""
    settling = [rule for rule in _RULES.rules if rule.settles_locally]
    assert settling  # the built-in rules that may settle in their own file
    for rule in settling:
        # A built-in rule is a `LazyRule`, which holds `settles_locally` from the registry.
        monkeypatch.setattr(rule, "settles_locally", False)
        monkeypatch.setattr(type(unwrapped(rule)), "settles_locally", False)


def inventory_of(text: str, path: str = "cluster.yaml") -> Inventory:
    """The inventory of the objects of one YAML text, as the engine builds it."""
    return Inventory(objects_of(load_yaml(text, path).documents).manifests)


def schemas(kube_version: str = "1.37") -> BundledSchemas:
    if kube_version not in _SCHEMAS:
        _SCHEMAS[kube_version] = BundledSchemas(kube_version)
    return _SCHEMAS[kube_version]


def lint_files(
    paths: Sequence[str | Path],
    *,
    context: Sequence[str | Path] = (),
    select: Sequence[str] | None = None,
    settings: Settings | None = None,
    cwd: Path | None = None,
) -> Report:
    options = RunOptions(
        paths=[str(p) for p in paths],
        context=[str(p) for p in context],
        settings=settings or Settings(),
        selection=Selection(select=tuple(select) if select is not None else None),
    )
    if cwd is not None:
        options = replace(options, cwd=cwd)
    return run(options, _RULES, schemas(options.settings.kube_version))


def lint_text(
    text: str,
    *,
    select: Sequence[str] | None = None,
    settings: Settings | None = None,
) -> list[Finding]:
    """Findings for YAML `text` read as stdin (`-`), dedented; unsuppressed only."""
    options = RunOptions(
        paths=["-"],
        stdin_text=textwrap.dedent(text),
        settings=settings or Settings(),
        selection=Selection(select=tuple(select) if select is not None else None),
    )
    return run(options, _RULES, schemas(options.settings.kube_version)).active


def read_sources(
    paths: Sequence[str],
    excludes: PathMatcher,
    cwd: Path,
    *,
    max_file_size: int = DEFAULT_MAX_FILE_SIZE,
    stdin_text: str | None = None,
) -> list[Source | Unreadable]:
    """What the engine reads from `paths`: `list_sources`, each pending file read in turn."""
    listed = list_sources(paths, excludes, cwd, max_file_size, stdin_text)
    return [item.read(max_file_size) if isinstance(item, Pending) else item for item in listed]


def brief(findings: Sequence[Finding]) -> list[tuple[str, int, int, str]]:
    """(rule id, line, column, severity) of each finding: what most assertions compare."""
    return [(f.rule_id, f.location.line, f.location.column, f.severity.label) for f in findings]


def positions(path: str, lines: Iterable[int], column: int) -> str:
    """`path:line:column, ...`: how a grouped finding lists the other occurrences."""
    return ", ".join(f"{path}:{line}:{column}" for line in lines)


def only(findings: Sequence[Finding], rule_id: str) -> list[Finding]:
    return [f for f in findings if f.rule_id == rule_id]


def lint_fixture(
    rule: str,
    name: str = "bad.yaml",
    *,
    select_only: bool = False,
    settings: Settings | None = None,
) -> list[Finding]:
    """The active findings of `rule` on tests/fixtures/<rule>/<name>.

    The file is linted with the default selection, or with only `rule` selected if `select_only`
    is True, and with `settings` if given. Either way only the findings of `rule` are returned.
    """
    report = lint_files(
        [FIXTURES_ROOT / rule / name],
        select=[rule] if select_only else None,
        settings=settings,
    )
    return only(report.active, rule)


def run_netlint(
    cwd: Path,
    *args: str,
    env: Mapping[str, str] | None = None,
    stdout: object = subprocess.PIPE,
) -> subprocess.CompletedProcess[bytes]:
    """`python -m netlint ARGS` as a separate process in `cwd` (its own cache folder there), for
    what only a real process shows: its streams, its encoding, its exit code."""
    environment = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    environment.update(env or {})
    environment["NETLINT_CACHE_DIR"] = str(cwd / ".cache")
    return subprocess.run(
        [sys.executable, "-m", "netlint", *args],
        cwd=cwd,
        env=environment,
        stdout=stdout,  # pyright: ignore[reportArgumentType]
        stderr=subprocess.PIPE,
        check=False,
    )


def opt_in_rule_tests(rule: str) -> tuple[Callable[[], None], Callable[[], None]]:
    """The two tests every off-by-default rule has: silent unless selected, and silent on its
    good fixture when selected. A test module takes them as its own:
    `test_off_by_default, test_good_fixture = opt_in_rule_tests(RULE)`."""

    def test_off_by_default() -> None:
        assert lint_fixture(rule) == []

    def test_good_fixture() -> None:
        assert lint_fixture(rule, "good.yaml", select_only=True) == []

    return test_off_by_default, test_good_fixture
