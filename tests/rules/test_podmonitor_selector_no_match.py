"""podmonitor-selector-no-match: a PodMonitor whose selector and namespaceSelector select no pod
template of the input."""

from __future__ import annotations

from tests.helpers import FIXTURES_ROOT, brief, lint_files, lint_fixture, lint_text

RULE = "podmonitor-selector-no-match"
HINT = "make the selector match the labels of the pod template (spec.template.metadata.labels)"


def test_bad_fixture() -> None:
    findings = lint_fixture(RULE, select_only=True)
    assert brief(findings) == [
        (RULE, 8, 3, "warning"),
        (RULE, 22, 7, "warning"),
        (RULE, 34, 3, "info"),
    ]
    assert [(f.message, f.hint) for f in findings] == [
        (
            "PodMonitor monitoring/web selects no pods in namespace monitoring: the pods with "
            "selector app=web are in namespace shop (Deployment shop/web), and without a "
            "namespaceSelector it looks only in namespace monitoring",
            "add namespaceSelector: {matchNames: [shop]}, or move PodMonitor monitoring/web to "
            "namespace shop",
        ),
        (
            "PodMonitor shop/api selects no pods: no pod template in namespace shop matches "
            "selector app=web-api; nearest: Pod shop/api has app=webapi; Prometheus gets no "
            "targets from it",
            HINT,
        ),
        (
            "PodMonitor shop/batch selects no pods: no pod template in namespace shop matches "
            "selector tier in (batch, jobs); nearest: Deployment shop/web has tier=frontend; "
            "Prometheus gets no targets from it (pods that an operator creates, or defined "
            "outside the input, are not seen)",
            HINT,
        ),
    ]


def test_good_fixture() -> None:
    assert lint_fixture(RULE, "good.yaml", select_only=True) == []


def test_custom_resources_are_judged_by_no_other_rule() -> None:
    for name in ("good.yaml", "bad.yaml"):
        findings = lint_files([FIXTURES_ROOT / RULE / name]).active
        assert not [f for f in findings if f.rule_id in ("schema", "unknown-kind")]
    assert lint_files([FIXTURES_ROOT / RULE / "good.yaml"]).active == []


def test_any_namespace_without_templates_is_not_judged() -> None:
    # No pod template anywhere in the input: nothing to judge against (with templates in other
    # namespaces, as in envoyproxy/gateway's example, it is info: an operator creates the pods).
    assert (
        lint_text(
            """
            apiVersion: monitoring.coreos.com/v1
            kind: PodMonitor
            metadata: {name: proxy, namespace: monitoring}
            spec:
              namespaceSelector: {any: true}
              selector:
                matchLabels: {app.kubernetes.io/name: envoy}
              podMetricsEndpoints: [{port: metrics}]
            """,
            select=[RULE],
        )
        == []
    )
