"""service-selector-no-match (DESIGN §5; reference SVC-39, DESIGN §3 Inventory)."""

from __future__ import annotations

from tests.helpers import FIXTURES_ROOT, brief, lint_files, lint_fixture, lint_text, only

RULE = "service-selector-no-match"
FIXTURES = FIXTURES_ROOT / RULE


def test_bad_fixture_locations_and_severities():
    findings = lint_fixture(RULE, select_only=True)
    assert brief(findings) == [
        (RULE, 8, 3, "warning"),  # the selector key
        (RULE, 44, 11, "warning"),  # the selector label that differs
        (RULE, 74, 3, "error"),  # pods only in another namespace
        (RULE, 104, 3, "warning"),  # nothing alike in the input
    ]


def test_metadata_labels_match_but_template_labels_do_not():
    message = lint_fixture(RULE, select_only=True)[0].message
    assert "Service shop/web" in message
    assert "Deployment shop/web has app=web,tier=frontend in its metadata labels" in message
    assert "pod template is labelled app=web" in message


def test_template_that_differs_in_one_value_is_named():
    finding = lint_fixture(RULE, select_only=True)[1]
    assert "app=api,tier=backend" in finding.message
    assert "nearest: Deployment shop/api has tier=back-end" in finding.message


def test_same_labels_in_another_namespace_is_an_error():
    finding = lint_fixture(RULE, select_only=True)[2]
    assert "Service shop/billing" in finding.message
    assert "namespace payments (Deployment payments/billing)" in finding.message
    assert finding.hint is not None and "namespace payments" in finding.hint


def test_no_near_miss_says_target_not_in_linted_files():
    finding = lint_fixture(RULE, select_only=True)[3]
    assert "of the linted files has app=search" in finding.message


def test_good_fixture_statefulset_pod_name_cronjob_rollout_daemonset():
    assert lint_fixture(RULE, "good.yaml", select_only=True) == []


def test_statefulset_pod_name_beyond_replicas_does_not_match():
    findings = lint_text(
        """
        apiVersion: v1
        kind: Service
        metadata: {name: web-5}
        spec:
          selector:
            statefulset.kubernetes.io/pod-name: web-5
          ports: [{port: 80}]
        ---
        apiVersion: apps/v1
        kind: StatefulSet
        metadata: {name: web}
        spec:
          replicas: 2
          serviceName: web
          selector: {matchLabels: {app: web}}
          template:
            metadata: {labels: {app: web}}
            spec: {containers: [{name: web, image: nginx}]}
        """,
        select=[RULE],
    )
    assert brief(findings) == [(RULE, 6, 3, "warning")]


def test_single_label_near_miss_only_for_lookalike_values():
    findings = lint_text(
        """
        apiVersion: v1
        kind: Service
        metadata: {name: web}
        spec:
          selector: {app: Web}
          ports: [{port: 80}]
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: web, labels: {app: web}}
        spec: {containers: [{name: web, image: nginx}]}
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: db, labels: {app: postgres}}
        spec: {containers: [{name: db, image: postgres}]}
        """,
        select=[RULE],
    )
    assert len(findings) == 1
    assert "nearest: Pod default/web has app=web" in findings[0].message
    assert "postgres" not in findings[0].message


def test_pods_from_context_count():
    report = lint_files([FIXTURES / "bad.yaml"], context=[FIXTURES / "good.yaml"], select=[RULE])
    assert len(only(report.active, RULE)) == 4


def test_external_name_selector_is_not_this_rules_finding():
    findings = lint_text(
        """
        apiVersion: v1
        kind: Service
        metadata: {name: db}
        spec:
          type: ExternalName
          externalName: db.example.com
          selector: {app: db}
        """,
        select=[RULE],
    )
    assert findings == []
