"""networkpolicy-selector-no-match: a podSelector that selects no pod template of its namespace."""

from __future__ import annotations

from tests.helpers import brief, lint_fixture, lint_text

RULE = "networkpolicy-selector-no-match"
HINT = (
    "make the podSelector match the labels of the pod template (spec.template.metadata.labels) "
    "of the workloads to isolate"
)


def test_bad_fixture() -> None:
    findings = lint_fixture(RULE, select_only=True)
    # A look-alike value is a warning; no look-alike, info (an operator may create the pods).
    assert brief(findings) == [(RULE, 7, 3, "warning"), (RULE, 18, 3, "info")]
    assert [(f.message, f.hint) for f in findings] == [
        (
            "NetworkPolicy shop/web selects no pods: no pod template in namespace shop matches "
            "podSelector app=fronted; nearest: Deployment shop/web has app=frontend,tier=web",
            HINT,
        ),
        (
            "NetworkPolicy shop/batch selects no pods: no pod template in namespace shop matches "
            "podSelector tier in (batch, jobs); nearest: Deployment shop/web has "
            "app=frontend,tier=web (pods that an operator creates, or defined outside the input, "
            "are not seen)",
            HINT,
        ),
    ]


def test_good_fixture() -> None:
    assert lint_fixture(RULE, "good.yaml", select_only=True) == []


def test_pods_of_another_namespace_are_not_selected() -> None:
    findings = lint_text(
        """
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: {name: web, namespace: shop}
        spec:
          podSelector:
            matchExpressions: [{key: app, operator: Exists}, {key: legacy, operator: DoesNotExist}]
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: web, namespace: other, labels: {app: web}}
        spec: {containers: [{name: web, image: nginx}]}
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: old, namespace: shop, labels: {app: old, legacy: "true"}}
        spec: {containers: [{name: web, image: nginx}]}
        """,
        select=[RULE],
    )
    assert brief(findings) == [(RULE, 6, 3, "info")]
    assert findings[0].message == (
        "NetworkPolicy shop/web selects no pods: no pod template in namespace shop matches "
        "podSelector app, !legacy; nearest: Pod shop/old has app=old,legacy=true (pods that an "
        "operator creates, or defined outside the input, are not seen)"
    )


def test_shared_labels_are_no_slip_an_operator_may_create_the_pods() -> None:
    # kube-prometheus: the Prometheus Operator creates the pods this policy selects; the
    # Deployments beside them share only the part-of label.
    (finding,) = lint_text(
        """
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: {name: prometheus-k8s, namespace: monitoring}
        spec:
          podSelector:
            matchLabels: {app.kubernetes.io/name: prometheus, app.kubernetes.io/part-of: kube-prometheus}
        ---
        apiVersion: v1
        kind: Pod
        metadata:
          name: grafana
          namespace: monitoring
          labels: {app.kubernetes.io/name: grafana, app.kubernetes.io/part-of: kube-prometheus}
        spec: {containers: [{name: grafana, image: grafana}]}
        """,
        select=[RULE],
    )
    assert brief([finding]) == [(RULE, 6, 3, "info")]


def test_one_look_alike_value_among_several_labels_is_a_warning() -> None:
    (finding,) = lint_text(
        """
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: {name: web, namespace: shop}
        spec:
          podSelector: {matchLabels: {app: web, tier: frontnd}}
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: web, namespace: shop, labels: {app: web, tier: frontend}}
        spec: {containers: [{name: web, image: nginx}]}
        """,
        select=[RULE],
    )
    assert brief([finding]) == [(RULE, 6, 3, "warning")]
    assert finding.message.endswith("nearest: Pod shop/web has app=web,tier=frontend")
