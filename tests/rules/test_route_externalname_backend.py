"""`route-externalname-backend` (Facts GW-05, CVE-2021-25740)."""

from __future__ import annotations

from tests.helpers import brief, lint_fixture

RULE = "route-externalname-backend"


def test_bad_fixture_externalname_backend_gw_05() -> None:
    found = lint_fixture(RULE)
    assert brief(found) == [(RULE, 19, 13, "warning")]
    assert "HTTPRoute pay routes to Service payments, an ExternalName Service" in (found[0].message)
    assert "payments.example.com" in found[0].message


def test_good_fixture_selector_service_and_unknown_service() -> None:
    assert lint_fixture(RULE, "good.yaml") == []
