"""pod-not-isolated (off by default): workloads whose pods no NetworkPolicy isolates for ingress."""

from __future__ import annotations

from netlint.run.registry import load_rules
from tests.helpers import FIXTURES_ROOT, brief, lint_files, lint_fixture

RULE = "pod-not-isolated"


def test_bad_fixture() -> None:
    findings = lint_fixture(RULE, select_only=True)
    assert brief(findings) == [
        (RULE, 23, 7, "warning"),  # the pod template's labels
        (RULE, 40, 3, "warning"),  # a Pod without labels: its name
    ]
    assert [(f.message, f.hint) for f in findings] == [
        (
            "Deployment shop/web: no NetworkPolicy of namespace shop selects its pods (app=web) "
            "for ingress, so every pod of the cluster can connect to them",
            "add a NetworkPolicy whose podSelector matches these labels and admits only the "
            "clients they need, or a default-deny policy (`podSelector: {}`) for namespace shop",
        ),
        (
            "Pod tools/debug: no NetworkPolicy of namespace tools selects its pods (<none>) for "
            "ingress, so every pod of the cluster can connect to them",
            "add a NetworkPolicy whose podSelector matches these labels and admits only the "
            "clients they need, or a default-deny policy (`podSelector: {}`) for namespace tools",
        ),
    ]


def test_good_fixture() -> None:
    assert lint_fixture(RULE, "good.yaml", select_only=True) == []


def test_off_by_default() -> None:
    (rule,) = [r for r in load_rules().rules if r.meta.id == RULE]
    assert not rule.meta.enabled_by_default
    report = lint_files([FIXTURES_ROOT / RULE / "bad.yaml"])
    assert report.active and [f for f in report.active if f.rule_id == RULE] == []
    selected = lint_files([FIXTURES_ROOT / RULE / "bad.yaml"], select=["networkpolicy", RULE])
    assert [f.rule_id for f in selected.active].count(RULE) == 2
