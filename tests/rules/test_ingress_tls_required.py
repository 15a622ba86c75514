"""ingress-tls-required (issue 27: an opt-in policy peers ship; off by default)."""

from __future__ import annotations

from tests.helpers import brief, lint_fixture, opt_in_rule_tests

RULE = "ingress-tls-required"


test_off_by_default, test_good_fixture = opt_in_rule_tests(RULE)


def test_bad_fixture_when_selected() -> None:
    findings = lint_fixture(RULE, select_only=True)
    assert brief(findings) == [(RULE, 6, 1, "warning"), (RULE, 19, 1, "warning")]
    assert findings[0].message == (
        "Ingress shop/shop has no spec.tls entry: its hosts are served over plain HTTP only"
    )
    assert findings[1].message.startswith("Ingress shop/empty-tls has no spec.tls entry")
    assert findings[0].hint == (
        "add a spec.tls entry with the Ingress's hosts and the Secret holding their certificate"
    )
