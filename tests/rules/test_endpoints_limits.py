"""`endpoints-limits` (reference row EP-07)."""

from __future__ import annotations

from tests.helpers import brief, lint_fixture

RULE = "endpoints-limits"


def test_more_than_1000_addresses_are_truncated_ep_07() -> None:
    findings = lint_fixture(RULE)
    # At the 1001st address, counting addresses and notReadyAddresses over all subsets.
    assert brief(findings) == [(RULE, 113, 5, "warning")]
    assert "Endpoints shop/big lists 1010 addresses" in findings[0].message
    assert "at most 1000" in findings[0].message and "truncated" in findings[0].message


def test_exactly_1000_addresses_are_fine() -> None:
    assert lint_fixture(RULE, "good.yaml") == []
