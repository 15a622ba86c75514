"""`route-externalname-backend` (Facts GW-05, CVE-2021-25740)."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import brief, lint_files, only

RULE = "route-externalname-backend"
FIXTURES = Path(__file__).parent.parent / "fixtures" / RULE


def test_bad_fixture_externalname_backend_gw_05() -> None:
    found = only(lint_files([FIXTURES / "bad.yaml"]).active, RULE)
    assert brief(found) == [(RULE, 19, 13, "warning")]
    assert "HTTPRoute default/pay routes to Service default/payments, an ExternalName Service" in (
        found[0].message
    )
    assert "payments.example.com" in found[0].message


def test_good_fixture_selector_service_and_unknown_service() -> None:
    assert only(lint_files([FIXTURES / "good.yaml"]).active, RULE) == []
