"""networkpolicy-egress-dns: egress isolation while no policy of the namespace allows DNS."""

from __future__ import annotations

import pytest

from tests.helpers import brief, lint_fixture, lint_text

RULE = "networkpolicy-egress-dns"
HINT = (
    "add an egress rule for DNS, such as `- to: [{namespaceSelector: {matchLabels: "
    "{kubernetes.io/metadata.name: kube-system}}, podSelector: {matchLabels: {k8s-app: "
    "kube-dns}}}]` with `ports: [{protocol: UDP, port: 53}, {protocol: TCP, port: 53}]`"
)
FAILS = "allows DNS (UDP port 53): every lookup of a Service name fails"


def test_bad_fixture() -> None:
    findings = lint_fixture(RULE, select_only=True)
    assert brief(findings) == [
        (RULE, 11, 5, "warning"),  # the Egress item of policyTypes
        (RULE, 21, 3, "warning"),  # egress rules without policyTypes: at the key
        (RULE, 34, 17, "warning"),
    ]
    assert [(f.message, f.hint) for f in findings] == [
        (
            "NetworkPolicy shop/default-deny isolates the pods of Deployment shop/web for "
            f"egress, and no NetworkPolicy of namespace shop that selects them {FAILS}",
            HINT,
        ),
        (
            "NetworkPolicy shop/web-to-db isolates the pods of Deployment shop/web for egress, "
            f"and no NetworkPolicy of namespace shop that selects them {FAILS}",
            HINT,
        ),
        (
            "NetworkPolicy batch/jobs isolates the pods it selects for egress, and no "
            f"NetworkPolicy of namespace batch that selects them {FAILS}",
            HINT,
        ),
    ]


def test_good_fixture() -> None:
    assert lint_fixture(RULE, "good.yaml", select_only=True) == []


DENY = """
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: deny, namespace: shop}
spec:
  podSelector: {matchLabels: {app: web}}
  policyTypes: [Egress]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: dns, namespace: shop}
spec:
  podSelector: DNS_SELECTOR
  policyTypes: [Egress]
  egress: [{ports: [{protocol: UDP, port: 53}]}]
"""


@pytest.mark.parametrize(
    ("dns_selector", "reported"),
    [
        ("{}", False),  # selects every pod, those of deny among them
        ("{matchLabels: {app: web}}", False),
        ("{matchLabels: {app: db}}", True),  # other pods
        ("{matchLabels: {app: web, tier: front}}", True),  # perhaps fewer pods: not all of them
        ("{matchExpressions: [{key: app, operator: Exists}]}", False),  # cannot be told
    ],
)
def test_without_pod_templates_the_policies_are_compared(dns_selector: str, reported: bool) -> None:
    findings = lint_text(DENY.replace("DNS_SELECTOR", dns_selector), select=[RULE])
    assert brief(findings) == ([(RULE, 7, 17, "warning")] if reported else [])


def test_with_pod_templates_each_selected_template_is_judged() -> None:
    pods = """
---
apiVersion: v1
kind: Pod
metadata: {name: web, namespace: shop, labels: {app: web, tier: front}}
spec: {containers: [{name: web, image: nginx}]}
---
apiVersion: v1
kind: Pod
metadata: {name: web-canary, namespace: shop, labels: {app: web, tier: canary}}
spec: {containers: [{name: web, image: nginx}]}
"""
    text = DENY.replace("DNS_SELECTOR", "{matchLabels: {tier: front}}") + pods
    findings = lint_text(text, select=[RULE])
    # The canary's pods are isolated by deny and selected by no DNS policy.
    assert brief(findings) == [(RULE, 7, 17, "warning")]
    assert "isolates the pods of Pod shop/web-canary for egress" in findings[0].message
    both = text.replace("tier: canary", "tier: front")
    assert lint_text(both, select=[RULE]) == []
