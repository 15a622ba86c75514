"""The Service rules' documentation (`netlint explain`): each example fires its rule, each
YAML fix does not, and the metadata is complete."""

from __future__ import annotations

import pytest

from netlint.run.registry import load_rules
from tests.helpers import lint_text, only

SERVICE_RULES = [
    "service-selector-no-match",
    "service-no-endpoints",
    "service-target-port-unresolved",
    "service-port-name",
    "service-port-duplicate",
    "service-nodeport-range",
    "service-nodeport-conflict",
    "service-type-fields",
    "service-externalname",
    "service-exposure",
]
METAS = {rule.meta.id: rule.meta for rule in load_rules().rules}


@pytest.mark.parametrize("rule_id", SERVICE_RULES)
def test_example_fires_and_fix_does_not(rule_id: str):
    meta = METAS[rule_id]
    assert meta.summary and meta.what and meta.why and meta.fix and meta.help_uri
    assert only(lint_text(meta.example, select=[rule_id]), rule_id)
    if meta.fix.startswith("apiVersion"):
        assert only(lint_text(meta.fix, select=[rule_id]), rule_id) == []


def test_only_service_exposure_is_off_by_default():
    assert [r for r in SERVICE_RULES if not METAS[r].enabled_by_default] == ["service-exposure"]
