"""The Gateway API rules' documentation (`netlint explain`): each example fires its rule, each
YAML fix does not, the metadata is complete, and Ingress rules point at their counterparts."""

from __future__ import annotations

import pytest

from netlint.findings import Severity
from netlint.run.registry import load_rules
from tests.helpers import lint_text, only

GATEWAY_RULES = {
    "route-backend-missing": Severity.WARNING,
    "route-backend-port": Severity.ERROR,
    "route-reference-grant": Severity.ERROR,
    "route-parent-missing": Severity.WARNING,
    "route-not-allowed": Severity.ERROR,
    "gateway-tls-secret": Severity.INFO,
    "route-path-conflict": Severity.WARNING,
    "route-externalname-backend": Severity.WARNING,
}
METAS = {rule.meta.id: rule.meta for rule in load_rules().rules}


@pytest.mark.parametrize("rule_id", sorted(GATEWAY_RULES))
def test_example_fires_and_fix_does_not(rule_id: str) -> None:
    meta = METAS[rule_id]
    assert meta.severity == GATEWAY_RULES[rule_id]  # DESIGN §5, Gateway API table
    assert meta.summary and meta.what and meta.why and meta.fix and meta.facts
    assert meta.help_uri is not None and meta.help_uri.startswith(
        "https://gateway-api.sigs.k8s.io/"
    )
    assert meta.enabled_by_default
    assert "gateway-api" in meta.tags
    assert ("security" in meta.tags) == (meta.security_severity is not None)
    assert only(lint_text(meta.example, select=[rule_id]), rule_id)
    if meta.fix.startswith("apiVersion"):
        assert only(lint_text(meta.fix, select=[rule_id]), rule_id) == []


def test_ingress_counterparts_name_existing_gateway_rules() -> None:
    counterparts = {m.id: m.gateway_counterpart for m in METAS.values() if m.gateway_counterpart}
    assert set(counterparts.values()) <= set(GATEWAY_RULES)
