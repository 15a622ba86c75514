"""service-readiness-probe (off by default, issue 27 item 4): pods a Service selects while none of
their containers has a readiness probe."""

from __future__ import annotations

from tests.helpers import brief, lint_fixture, lint_text, opt_in_rule_tests

RULE = "service-readiness-probe"

SERVICE = (
    "apiVersion: v1\nkind: Service\nmetadata: {name: web, namespace: shop}\n"
    "spec: {selector: {app: web}, ports: [{port: 80}]}\n---\n"
)


def test_bad_fixture() -> None:
    findings = lint_fixture(RULE, select_only=True)
    assert brief(findings) == [
        (RULE, 24, 15, "info"),  # the one container's name
        (RULE, 69, 15, "info"),  # the first regular container; the sidecar does not count
    ]
    assert [(f.message, f.hint) for f in findings] == [
        (
            "Deployment shop/web: Service shop/web selects its pods, but its container 'web' has "
            "no readinessProbe: each pod gets traffic as soon as its containers start, before "
            "the application is ready, and keeps getting it while it cannot serve",
            "add a readinessProbe to container 'web' (an httpGet on a health endpoint, or a "
            "tcpSocket on the port it serves)",
        ),
        (
            "Deployment shop/api: Service shop/api, Service shop/api-headless select its pods, "
            "but none of its containers ('api', 'logs') has a readinessProbe: each pod gets "
            "traffic as soon as its containers start, before the application is ready, and "
            "keeps getting it while it cannot serve",
            "add a readinessProbe to container 'api' (an httpGet on a health endpoint, or a "
            "tcpSocket on the port it serves)",
        ),
    ]


test_off_by_default, test_good_fixture = opt_in_rule_tests(RULE)


def test_pods_in_the_apply_namespace_may_be_selected() -> None:
    pod = (
        "apiVersion: v1\nkind: Pod\nmetadata: {name: web, labels: {app: web}}\n"
        "spec: {containers: [{name: web, image: nginx}]}\n"
    )
    assert brief(lint_text(SERVICE + pod, select=[RULE])) == [(RULE, 9, 28, "info")]


def test_a_selector_on_a_label_the_controller_adds() -> None:
    service = SERVICE.replace("{app: web}", "{statefulset.kubernetes.io/pod-name: web-0}")
    statefulset = (
        "apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: web, namespace: shop}\n"
        "spec:\n  selector: {matchLabels: {app: web}}\n  template:\n"
        "    metadata: {labels: {app: web}}\n    spec: {containers: [{name: web, image: nginx}]}\n"
    )
    assert brief(lint_text(service + statefulset, select=[RULE])) == [(RULE, 13, 32, "info")]


def test_external_name_services_select_nothing() -> None:
    service = SERVICE.replace("spec: {", "spec: {type: ExternalName, externalName: a.example, ")
    pod = (
        "apiVersion: v1\nkind: Pod\nmetadata: {name: web, namespace: shop, labels: {app: web}}\n"
        "spec: {containers: [{name: web, image: nginx}]}\n"
    )
    assert lint_text(service + pod, select=[RULE]) == []
