"""What a run lets go of before its filters and reporters run (issue 31, memory): the whole
run's inventory, with the indexes rules built on it (`Inventory.memo`)."""

from __future__ import annotations

import gc
from collections.abc import Sequence
from pathlib import Path

from netlint.findings import Finding
from netlint.model.inventory import Inventory
from netlint.run.engine import RunOptions, run
from netlint.run.registry import load_rules
from netlint.run.results import RunData
from tests.helpers import schemas

TEXT = """\
apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec: {selector: {app: web}, ports: [{port: 80, targetPort: http}]}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: other}}
    spec: {containers: [{name: web, image: "web:1"}]}
"""


def _inventories() -> int:
    return sum(1 for item in gc.get_objects() if isinstance(item, Inventory))


def test_the_inventory_is_let_go_of_before_the_filters_run(tmp_path: Path) -> None:
    (tmp_path / "app.yaml").write_text(TEXT, encoding="utf-8")
    alive: list[int] = []

    def count(findings: Sequence[Finding], _: RunData) -> list[Finding]:
        alive.append(_inventories())
        return list(findings)

    gc.collect()
    before = _inventories()
    options = RunOptions(paths=[str(tmp_path)], cwd=tmp_path, filters=[count])
    report = run(options, load_rules(), schemas())
    assert any(f.rule_id == "service-selector-no-match" for f in report.findings)  # it was used
    assert alive == [before]
