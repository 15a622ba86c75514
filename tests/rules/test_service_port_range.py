"""service-port-range: `validateServicePort`'s port numbers. The upstream cases of
`TestValidateServiceCreate` are restated in test_service_format.py with the other Service
rules."""

from __future__ import annotations

from tests.helpers import brief, lint_fixture, lint_text

RULE = "service-port-range"


def test_bad_fixture() -> None:
    findings = lint_fixture(RULE, select_only=True)
    assert brief(findings) == [
        (RULE, 11, 11, "error"),
        (RULE, 13, 11, "error"),
        (RULE, 16, 17, "error"),
    ]
    port_hint = "use a port number from 1 to 65535: the port clients connect to on the Service"
    assert [(f.message, f.hint) for f in findings] == [
        (
            "Service shop/web is invalid: spec.ports[0].port: Invalid value: 0: must be between "
            "1 and 65535, inclusive",
            port_hint,
        ),
        (
            "Service shop/web is invalid: spec.ports[1].port: Invalid value: 65536: must be "
            "between 1 and 65535, inclusive",
            port_hint,
        ),
        (
            "Service shop/web is invalid: spec.ports[2].targetPort: Invalid value: -1: must be "
            "between 1 and 65535, inclusive",
            "use the container's port number, from 1 to 65535 (or its port name); omit "
            "targetPort when it equals port",
        ),
    ]


def test_good_fixture() -> None:
    assert lint_fixture(RULE, "good.yaml") == []


def test_a_defaulted_target_port_is_reported_once_at_port() -> None:
    text = (
        "apiVersion: v1\nkind: Service\nmetadata: {name: web, namespace: shop}\nspec:\n"
        "  ports:\n  - port: 70000\n"
    )
    assert brief(lint_text(text, select=[RULE])) == [(RULE, 6, 11, "error")]


def test_out_of_range_target_port_is_not_also_unresolved() -> None:
    """One problem, one finding: a targetPort that is no port number is not compared with the
    containers' ports (service-target-port-unresolved)."""
    text = (
        "apiVersion: v1\nkind: Service\nmetadata: {name: web, namespace: shop}\nspec:\n"
        "  selector: {app: web}\n  ports:\n  - {port: 80, targetPort: 80800}\n---\n"
        "apiVersion: v1\nkind: Pod\nmetadata: {name: web, namespace: shop, labels: {app: web}}\n"
        "spec:\n  containers:\n  - {name: web, image: web, ports: [{containerPort: 8080}]}\n"
    )
    findings = lint_text(text, select=[RULE, "service-target-port-unresolved"])
    assert brief(findings) == [(RULE, 7, 28, "error")]


def test_a_non_core_service_kind_is_not_judged() -> None:
    text = (
        "apiVersion: serving.knative.dev/v1\nkind: Service\nmetadata: {name: web}\n"
        "spec:\n  ports:\n  - port: 70000\n"
    )
    assert lint_text(text, select=[RULE]) == []
