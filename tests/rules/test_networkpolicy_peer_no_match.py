"""networkpolicy-peer-no-match: a `from`/`to` peer whose selectors match nothing the input has."""

from __future__ import annotations

from netlint.api import ExternalObjects, Settings
from tests.helpers import brief, lint_fixture, lint_text

RULE = "networkpolicy-peer-no-match"
POD_HINT = (
    "make the podSelector match the labels of the pod template (spec.template.metadata.labels) "
    "of the pods to admit"
)
UNSEEN = " (pods that an operator creates, or defined outside the input, are not seen)"


def test_bad_fixture() -> None:
    findings = lint_fixture(RULE, select_only=True)
    assert brief(findings) == [
        (RULE, 11, 7, "warning"),  # a look-alike pod label
        (RULE, 14, 7, "warning"),  # a look-alike Namespace label
        (RULE, 16, 7, "warning"),  # a look-alike namespace name
        (RULE, 20, 7, "info"),  # no look-alike: the pods may come from elsewhere
        (RULE, 25, 7, "info"),  # a named namespace whose pods do not match
    ]
    assert [(f.message, f.hint) for f in findings] == [
        (
            "NetworkPolicy shop/db: the peer spec.ingress[0].from[0] admits traffic from no pods: "
            "no pod template in namespace shop matches podSelector app=bakend; nearest: "
            "Deployment shop/backend has app=backend",
            POD_HINT,
        ),
        (
            "NetworkPolicy shop/db: the peer spec.ingress[1].from[0] admits traffic from no "
            "namespace: no Namespace of the input or of external.namespaces matches "
            "namespaceSelector team=fronend; nearest: Namespace web has "
            "kubernetes.io/metadata.name=web,team=frontend",
            "make the namespaceSelector match the labels of the Namespace to admit",
        ),
        (
            "NetworkPolicy shop/db: the peer spec.ingress[1].from[1] admits traffic from "
            "namespace ingres-nginx, which no object of the input lives in; nearest: namespace "
            "ingress-nginx",
            "name the namespace to admit: kubernetes.io/metadata.name: ingress-nginx",
        ),
        (
            "NetworkPolicy shop/db: the peer spec.egress[0].to[0] allows traffic to no pods: no "
            "pod template in namespace shop matches podSelector role=cache" + UNSEEN,
            POD_HINT,
        ),
        (
            "NetworkPolicy shop/db: the peer spec.egress[1].to[0] allows traffic to no pods: no "
            "pod template in namespace payments matches podSelector app=ledger; nearest: "
            "Deployment payments/billing has app=billing" + UNSEEN,
            POD_HINT,
        ),
    ]


def test_good_fixture() -> None:
    assert lint_fixture(RULE, "good.yaml", select_only=True) == []


POLICY = """
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: web, namespace: shop}
spec:
  podSelector: {}
  ingress:
  - from:
    - namespaceSelector:
        matchExpressions: [{key: team, operator: In, values: [frontend]}]
"""


def test_namespaces_of_external_namespaces_count() -> None:
    # No Namespace in the input: nothing to compare with, no finding.
    assert lint_text(POLICY, select=[RULE]) == []
    lookalike = Settings(external=ExternalObjects(namespace_labels={"web": {"team": "frontnd"}}))
    # An expression-only selector has no matchLabels value to call a typo: still no finding.
    assert lint_text(POLICY, select=[RULE], settings=lookalike) == []
    typo = POLICY.replace(
        "matchExpressions: [{key: team, operator: In, values: [frontend]}]",
        "matchLabels: {team: frontend}",
    )
    findings = lint_text(typo, select=[RULE], settings=lookalike)
    assert brief(findings) == [(RULE, 9, 7, "warning")]
    assert findings[0].message.endswith(
        "nearest: Namespace web has kubernetes.io/metadata.name=web,team=frontnd"
    )
    matching = Settings(external=ExternalObjects(namespace_labels={"web": {"team": "frontend"}}))
    assert lint_text(typo, select=[RULE], settings=matching) == []


def test_named_namespaces_in_an_expression() -> None:
    text = """
    apiVersion: networking.k8s.io/v1
    kind: NetworkPolicy
    metadata: {name: web, namespace: shop}
    spec:
      podSelector: {}
      egress:
      - to:
        - namespaceSelector:
            matchExpressions:
            - {key: kubernetes.io/metadata.name, operator: In, values: [paymnts, shop]}
          podSelector: {matchLabels: {app: ledger}}
    ---
    apiVersion: v1
    kind: Pod
    metadata: {name: ledger, namespace: payments, labels: {app: ledger}}
    spec: {containers: [{name: ledger, image: ledger}]}
    ---
    apiVersion: v1
    kind: Pod
    metadata: {name: web, namespace: shop, labels: {app: web}}
    spec: {containers: [{name: web, image: web}]}
    """
    # Namespace shop has pods, none of them ledger; paymnts has none in the input: no verdict.
    assert lint_text(text, select=[RULE]) == []
    both = text.replace("[paymnts, shop]", "[payments, shop]")
    assert lint_text(both, select=[RULE]) == []  # the ledger pod of payments matches
    wrong = both.replace("{app: ledger}}", "{app: ledgr}}", 1)
    findings = lint_text(wrong, select=[RULE])
    assert brief(findings) == [(RULE, 12, 7, "warning")]
    assert "no pod template in namespaces payments, shop matches podSelector app=ledgr" in (
        findings[0].message
    )
