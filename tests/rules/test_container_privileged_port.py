"""container-privileged-port (issue 27: an opt-in policy peers ship; off by default)."""

from __future__ import annotations

from tests.helpers import brief, lint_fixture, opt_in_rule_tests

RULE = "container-privileged-port"


test_off_by_default, test_good_fixture = opt_in_rule_tests(RULE)


def test_bad_fixture_when_selected() -> None:
    findings = lint_fixture(RULE, select_only=True)
    assert brief(findings) == [(RULE, 15, 26, "info"), (RULE, 20, 26, "info")]
    assert findings[0].message == (
        "Deployment shop/web: containerPort 80 is privileged (below 1024): binding it needs root "
        "or NET_BIND_SERVICE"
    )
    assert findings[0].hint == (
        "listen on a port from 1024 up, such as 8080, and map the Service's port to it"
    )
    assert findings[1].message == (
        "Deployment shop/web: a container listens on port 22 (SSH); use kubectl exec, which is "
        "audited, instead of an SSH server in the pod"
    )
    assert findings[1].hint == "remove the SSH server and its port"
