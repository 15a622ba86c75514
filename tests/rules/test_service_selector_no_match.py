"""service-selector-no-match (DESIGN §5; reference SVC-39, DESIGN §3 Inventory)."""

from __future__ import annotations

import pytest

from netlint.findings import Severity
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


@pytest.mark.parametrize(
    ("selector", "spec", "named"),
    [
        # named: what the near-miss message says the pods carry; None: the selector matches.
        ("statefulset.kubernetes.io/pod-name: web-9999", ["replicas: 10000"], None),
        ("statefulset.kubernetes.io/pod-name: web-10000", ["replicas: 10000"], "web-0 to web-9999"),
        ("statefulset.kubernetes.io/pod-name: web-0", [], None),  # replicas default to 1
        ("statefulset.kubernetes.io/pod-name: web-1", [], "web-0"),
        ("statefulset.kubernetes.io/pod-name: web-0", ["replicas: 0"], "none"),
        (
            "statefulset.kubernetes.io/pod-name: web-5",
            ["replicas: 2", "ordinals: {start: 5}"],
            None,
        ),
        (
            "statefulset.kubernetes.io/pod-name: web-7",
            ["replicas: 2", "ordinals: {start: 5}"],
            "web-5 to web-6",
        ),
        (
            "statefulset.kubernetes.io/pod-name: web-0",
            ["replicas: 2", "ordinals: {start: 5}"],
            "web-5 to web-6",
        ),
        ("statefulset.kubernetes.io/pod-name: web-01", ["replicas: 3"], "web-0 to web-2"),
        ("apps.kubernetes.io/pod-index: '2'", ["replicas: 3"], None),
        ("apps.kubernetes.io/pod-index: '3'", ["replicas: 3"], "0 to 2"),
    ],
)
def test_statefulset_pod_name_and_index_follow_replicas_and_start(
    selector: str, spec: list[str], named: str | None
) -> None:
    extra = "".join(f"  {line}\n" for line in spec)
    text = f"""\
apiVersion: v1
kind: Service
metadata: {{name: one}}
spec:
  selector:
    app: web
    {selector}
  ports: [{{port: 80}}]
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {{name: web}}
spec:
{extra}  serviceName: web
  selector: {{matchLabels: {{app: web}}}}
  template:
    metadata: {{labels: {{app: web}}}}
    spec: {{containers: [{{name: web, image: nginx}}]}}
"""
    findings = lint_text(text, select=[RULE])
    if named is None:
        assert findings == []
    else:
        (finding,) = findings
        assert (finding.location.line, finding.severity) == (7, Severity.WARNING)
        assert finding.message.endswith(
            f"nearest: StatefulSet web has {selector.partition(':')[0]} {named}"
        )


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
    assert "nearest: Pod web has app=web" in findings[0].message
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
