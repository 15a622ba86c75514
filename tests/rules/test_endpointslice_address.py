"""`endpointslice-address` (reference rows EPS-05..EPS-08)."""

from __future__ import annotations

from tests.helpers import brief, lint_fixture, lint_text, only

RULE = "endpointslice-address"


def test_bad_fixture_one_finding_per_bad_address_eps_05_06_07() -> None:
    findings = lint_fixture(RULE)
    assert brief(findings) == [
        (RULE, 15, 5, "error"),  # 127.0.0.1: loopback
        (RULE, 16, 15, "error"),  # 169.254.10.1: link-local
        (RULE, 17, 15, "error"),  # 0.0.0.0: unspecified
        (RULE, 18, 15, "error"),  # 224.0.0.5: link-local multicast
        (RULE, 19, 15, "error"),  # IPv6 in an IPv4 slice
        (RULE, 20, 15, "error"),  # not an IP
        (RULE, 33, 15, "error"),  # ::1
        (RULE, 34, 15, "error"),  # fe80::1
        (RULE, 35, 15, "error"),  # ff02::1
        (RULE, 36, 15, "error"),  # IPv4 in an IPv6 slice
        (RULE, 37, 15, "error"),  # IPv4-mapped IPv6 is IPv4 for Go
        (RULE, 50, 15, "error"),  # one label only
        (RULE, 51, 15, "error"),  # upper case
        (RULE, 52, 15, "error"),  # underscore
    ]
    messages = [f.message for f in findings]
    assert '"127.0.0.1": may not be in the loopback range' in messages[0]
    assert messages[0].startswith(
        "EndpointSlice shop/db-v4 is invalid: endpoints[0].addresses[1]: Invalid value:"
    )
    assert "may not be in the link-local range" in messages[1]
    assert "may not be unspecified (0.0.0.0)" in messages[2]
    assert "link-local multicast" in messages[3]
    assert '"fd00::5": must be a valid IPv4 address' in messages[4]
    assert findings[4].hint is not None and "addressType: IPv6" in findings[4].hint
    assert "must be a valid IPv6 address" in messages[9]
    assert "at least two segments" in messages[11]
    assert "RFC 1123 subdomain" in messages[12]


def test_good_fixture_has_no_finding() -> None:
    assert lint_fixture(RULE, "good.yaml") == []


def test_unsupported_address_type_is_left_to_schema_eps_02() -> None:
    findings = lint_text(
        """\
        apiVersion: discovery.k8s.io/v1
        kind: EndpointSlice
        metadata:
          name: db-1
          labels: {kubernetes.io/service-name: db}
        addressType: IP
        endpoints:
        - addresses: [127.0.0.1]
        """
    )
    assert only(findings, RULE) == []
    assert any(f.rule_id == "schema" for f in findings)
