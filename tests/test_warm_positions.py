"""A reused cross-file check is never one whose finding shows where an object of another file
was: the cross-file stage cache (`run.cross_file`) records the files whose positions a check, or
an index it used, read (`facts.RecordingInventory`), and runs the check again when one of them
changed, even if no inventory fact did (lines added above the object).

No built-in rule shows another file's positions today, so the rules here do, registered as
built-in ones (only those are reused): one asks for a position itself, one through an index
(`Inventory.memo`)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from netlint.api import Diagnostic, Manifest, Rule, RuleContext, RuleMeta, Severity
from netlint.input.sources import PathMatcher
from netlint.model.inventory import Inventory
from netlint.run import cross_file, whole_run
from netlint.run.cross_file import Changes
from netlint.run.engine import RunOptions, run
from netlint.run.registry import BUILTIN_PACK, RuleSet
from tests.helpers import schemas


def _where(manifest: Manifest) -> str:
    line, column, _, _ = manifest.span_of(())
    return f"{manifest.source_path}:{line + 1}:{column + 1}"


class WorkloadAt(Rule):
    """Names the line of the Deployment of a Service's name, which is in another file."""

    meta = RuleMeta("test-workload-at", Severity.INFO, "s", "w", "y")
    kinds = frozenset({"Service"})

    def check(self, manifest: Manifest, ctx: RuleContext) -> Iterator[Diagnostic]:
        workload = ctx.inventory.get("Deployment", manifest.namespace, manifest.name)
        if workload is not None:
            yield Diagnostic((), f"its Deployment is at {_where(workload)}")


def _first_deployments(inventory: Inventory) -> dict[str, str]:
    return {m.name: _where(m) for m in inventory.of_kind("Deployment")}


class IndexedAt(Rule):
    """The same, through an index built once for every check."""

    meta = RuleMeta("test-indexed-at", Severity.INFO, "s", "w", "y")
    kinds = frozenset({"Service"})

    def check(self, manifest: Manifest, ctx: RuleContext) -> Iterator[Diagnostic]:
        where = ctx.inventory.memo("test-indexed-at", _first_deployments).get(manifest.name)
        if where is not None:
            yield Diagnostic((), f"indexed: its Deployment is at {where}")


RULES = RuleSet(
    (WorkloadAt(), IndexedAt()),
    dict.fromkeys(("test-workload-at", "test-indexed-at"), BUILTIN_PACK),
)

SERVICE = """\
apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: shop
spec:
  selector:
    app: web
  ports:
    - port: 80
"""
DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
        - name: web
          image: web:1
"""


def _messages(root: Path, cache: Path | None, jobs: int) -> list[str]:
    options = RunOptions(
        paths=[str(root)], excludes=PathMatcher((), root), cwd=root, jobs=jobs, cache_dir=cache
    )
    report = run(options, RULES, schemas())
    return [f"{f.location.path}:{f.location.line}: {f.message}" for f in report.findings]


@pytest.fixture
def root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(cross_file, "SPLIT_MIN_CHECKS", 1)  # --jobs 2 shares the checks out
    tree = tmp_path / "tree"
    tree.mkdir()
    (tree / "service.yaml").write_text(SERVICE)
    (tree / "deployment.yaml").write_text(DEPLOYMENT)
    return tree


def _move_down(root: Path) -> None:
    """Lines above the Deployment: the same object, at another line."""
    path = root / "deployment.yaml"
    path.write_text("# moved\n# down\n---\n" + path.read_text())


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_check_that_showed_another_files_position_runs_again_when_it_moves(
    root: Path, tmp_path: Path, jobs: int
) -> None:
    cache = tmp_path / "cache"
    before = _messages(root, cache, jobs)
    assert before == [
        "service.yaml:1: indexed: its Deployment is at deployment.yaml:1:1",
        "service.yaml:1: its Deployment is at deployment.yaml:1:1",
    ]
    _move_down(root)
    cold = _messages(root, None, jobs)
    assert cold == [
        "service.yaml:1: indexed: its Deployment is at deployment.yaml:4:1",
        "service.yaml:1: its Deployment is at deployment.yaml:4:1",
    ]
    assert _messages(root, cache, jobs) == cold


def test_without_the_files_whose_positions_moved_the_checks_would_be_reused_stale(
    root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What the test above guards: told only which inventory facts changed (none here), the
    cache reuses both checks with the old line. So it fails if positions are not tracked."""
    cache = tmp_path / "cache"
    _messages(root, cache, 1)
    changes_since = whole_run.changes_since

    def facts_only(*args: object, **kwargs: object) -> Changes:
        changes = changes_since(*args, **kwargs)  # type: ignore[arg-type]
        assert not changes.keys  # the object did not change, only its place
        return Changes(changes.keys, frozenset())

    monkeypatch.setattr(whole_run, "changes_since", facts_only)
    _move_down(root)
    assert _messages(root, cache, 1) == [
        "service.yaml:1: indexed: its Deployment is at deployment.yaml:1:1",
        "service.yaml:1: its Deployment is at deployment.yaml:1:1",
    ]
