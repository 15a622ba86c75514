"""`ingress-host-format` (Facts ING-03, ING-04, ING-21)."""

from __future__ import annotations

from tests.helpers import brief, lint_fixture

RULE = "ingress-host-format"


def test_bad_fixture_ip_port_upper_case_wildcard_ing_03_04_21() -> None:
    found = lint_fixture(RULE)
    assert brief(found) == [
        (RULE, 10, 13, "error"),
        (RULE, 12, 11, "error"),
        (RULE, 19, 11, "error"),
        (RULE, 21, 11, "error"),
        (RULE, 23, 11, "error"),
    ]
    assert "host '*.*.example.com' is invalid: a wildcard DNS-1123 subdomain" in found[0].message
    assert "host '10.0.0.1' is invalid: must be a DNS name, not an IP address" in found[1].message
    assert found[2].hint is not None and "remove the port" in found[2].hint
    assert "'Shop.example.com'" in found[3].message and "lowercase RFC 1123" in found[3].message
    assert found[3].hint is not None and "'shop.example.com'" in found[3].hint
    assert "'shop.*.com'" in found[4].message


def test_good_fixture() -> None:
    assert lint_fixture(RULE, "good.yaml") == []
