"""container-host-port (issue 27: an opt-in policy peers ship; off by default)."""

from __future__ import annotations

from tests.helpers import brief, lint_fixture, opt_in_rule_tests

RULE = "container-host-port"


test_off_by_default, test_good_fixture = opt_in_rule_tests(RULE)


def test_bad_fixture_when_selected_in_every_pod_spec_place() -> None:
    findings = lint_fixture(RULE, select_only=True)
    assert brief(findings) == [
        (RULE, 15, 43, "warning"),  # a DaemonSet's template
        (RULE, 28, 17, "warning"),  # a Pod's init container
        (RULE, 49, 53, "warning"),  # a CronJob's job template
    ]
    assert findings[0].message == (
        "DaemonSet ops/agent: hostPort 9100 binds that port on the pod's node: the pod fits only "
        "nodes where it is free"
    )
    assert findings[1].message.startswith("Pod ops/debug: hostPort 53 ")
    assert findings[2].message.startswith("CronJob ops/probe: hostPort 8080 ")
    assert findings[0].hint == "remove hostPort and expose the container through a Service"
