"""networkpolicy-policy-types: ingress or egress rules that an explicit `policyTypes` leaves out."""

from __future__ import annotations

from tests.helpers import brief, lint_fixture, lint_text

RULE = "networkpolicy-policy-types"


def test_bad_fixture() -> None:
    findings = lint_fixture(RULE, select_only=True)
    assert brief(findings) == [(RULE, 12, 3, "warning"), (RULE, 25, 3, "warning")]
    assert [(f.message, f.hint) for f in findings] == [
        (
            "NetworkPolicy shop/web lists policyTypes [Ingress], so its 2 egress rules are "
            "ignored: the pods it selects are not isolated for egress",
            "add Egress to spec.policyTypes, or remove spec.egress",
        ),
        (
            "NetworkPolicy shop/api lists policyTypes [Egress, Egress], so its ingress rule is "
            "ignored: the pods it selects are not isolated for ingress",
            "add Ingress to spec.policyTypes, or remove spec.ingress",
        ),
    ]


def test_good_fixture() -> None:
    assert lint_fixture(RULE, "good.yaml", select_only=True) == []


def test_empty_sections_and_other_groups_contradict_nothing() -> None:
    text = """
    apiVersion: networking.k8s.io/v1
    kind: NetworkPolicy
    metadata: {name: a, namespace: shop}
    spec:
      podSelector: {}
      policyTypes: [Ingress]
      egress: []
    ---
    apiVersion: networking.k8s.io/v1
    kind: NetworkPolicy
    metadata: {name: b, namespace: shop}
    spec:
      podSelector: {}
      policyTypes: []
      egress: [{}]
    ---
    apiVersion: crd.projectcalico.org/v1
    kind: NetworkPolicy
    metadata: {name: c, namespace: shop}
    spec:
      types: [Ingress]
      egress: [{action: Allow}]
    """
    assert lint_text(text, select=[RULE]) == []
