"""servicemonitor-selector-no-match: a ServiceMonitor whose selector and namespaceSelector select
no Service of the input."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import FIXTURES_ROOT, brief, lint_files, lint_fixture, lint_text

RULE = "servicemonitor-selector-no-match"
HINT = "make the selector match the Service's metadata.labels (not its pods' labels)"


def test_bad_fixture() -> None:
    findings = lint_fixture(RULE, select_only=True)
    # Matching Services in another namespace, or a look-alike value: warning; nothing close, info.
    assert brief(findings) == [
        (RULE, 8, 3, "warning"),
        (RULE, 22, 7, "warning"),
        (RULE, 33, 3, "info"),
    ]
    assert [(f.message, f.hint) for f in findings] == [
        (
            "ServiceMonitor monitoring/web selects no Service in namespace monitoring: the "
            "Services with selector app=web are in namespace shop (Service shop/web), and "
            "without a namespaceSelector it looks only in namespace monitoring",
            "add namespaceSelector: {matchNames: [shop]}, or move ServiceMonitor monitoring/web "
            "to namespace shop",
        ),
        (
            "ServiceMonitor shop/api selects no Service: no Service in namespace shop has labels "
            "matching selector app=web-api; nearest: Service shop/api has app=webapi; Prometheus "
            "gets no targets from it",
            HINT,
        ),
        (
            "ServiceMonitor shop/batch selects no Service: no Service in namespace shop has "
            "labels matching selector tier in (batch, jobs); nearest: Service shop/web has "
            "tier=frontend; Prometheus gets no targets from it (Services defined outside the "
            "input are not seen)",
            HINT,
        ),
    ]


def test_good_fixture() -> None:
    assert lint_fixture(RULE, "good.yaml", select_only=True) == []


def test_custom_resources_are_judged_by_no_other_rule() -> None:
    # With the CRD in the input (good.yaml) or without it (bad.yaml), `schema` and `unknown-kind`
    # leave the custom resources alone, and no rule reports anything on the good fixture.
    for name in ("good.yaml", "bad.yaml"):
        findings = lint_files([FIXTURES_ROOT / RULE / name]).active
        assert not [f for f in findings if f.rule_id in ("schema", "unknown-kind")]
    assert lint_files([FIXTURES_ROOT / RULE / "good.yaml"]).active == []


def test_matchnames_that_miss_the_service_say_so() -> None:
    (finding,) = lint_text(
        """
        apiVersion: monitoring.coreos.com/v1
        kind: ServiceMonitor
        metadata: {name: web, namespace: monitoring}
        spec:
          namespaceSelector:
            matchNames: [web]
          selector:
            matchLabels: {app: web}
          endpoints: [{port: metrics}]
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: web, namespace: shop, labels: {app: web}}
        spec:
          selector: {app: web}
          ports: [{name: metrics, port: 9090}]
        """,
        select=[RULE],
    )
    assert brief([finding]) == [(RULE, 8, 3, "warning")]
    assert finding.message == (
        "ServiceMonitor monitoring/web selects no Service in namespace web: the Services with "
        "selector app=web are in namespace shop (Service shop/web), and its namespaceSelector "
        "names namespace web"
    )


def test_the_apply_namespace_may_be_any() -> None:
    # Without metadata.namespace the ServiceMonitor may be applied next to the Service.
    assert (
        lint_text(
            """
            apiVersion: monitoring.coreos.com/v1
            kind: ServiceMonitor
            metadata: {name: web}
            spec:
              selector:
                matchLabels: {app: web}
              endpoints: [{port: metrics}]
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: web, namespace: shop, labels: {app: web}}
            spec:
              selector: {app: web}
              ports: [{name: metrics, port: 9090}]
            """,
            select=[RULE],
        )
        == []
    )


def test_selects_by_the_service_labels_not_its_selector() -> None:
    (finding,) = lint_text(
        """
        apiVersion: monitoring.coreos.com/v1
        kind: ServiceMonitor
        metadata: {name: web, namespace: shop}
        spec:
          selector:
            matchLabels: {app: web}
          endpoints: [{port: metrics}]
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: web, namespace: shop, labels: {component: web}}
        spec:
          selector: {app: web}
          ports: [{name: metrics, port: 9090}]
        """,
        select=[RULE],
    )
    assert brief([finding]) == [(RULE, 6, 3, "info")]
    assert "no Service in namespace shop has labels matching selector app=web;" in finding.message


def test_services_of_another_file_are_judged(tmp_path: Path) -> None:
    # The ServiceMonitor's own file has no Service: the other file's decide (no settling early).
    (tmp_path / "monitor.yaml").write_text(
        "apiVersion: monitoring.coreos.com/v1\nkind: ServiceMonitor\n"
        "metadata: {name: web, namespace: shop}\n"
        "spec:\n  selector:\n    matchLabels: {app: wbe}\n  endpoints: [{port: metrics}]\n"
    )
    (tmp_path / "service.yaml").write_text(
        "apiVersion: v1\nkind: Service\nmetadata: {name: web, namespace: shop, labels: {app: web}}\n"
        "spec:\n  selector: {app: web}\n  ports: [{name: metrics, port: 9090}]\n"
    )
    paths = [tmp_path / "monitor.yaml", tmp_path / "service.yaml"]
    findings = lint_files(paths, select=[RULE]).active
    assert brief(findings) == [(RULE, 5, 3, "info")]
    assert "nearest: Service shop/web has app=web" in findings[0].message
