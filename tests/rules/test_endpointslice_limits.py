"""`endpointslice-limits` (reference rows EPS-03, EPS-04, EPS-14)."""

from __future__ import annotations

from tests.helpers import brief, lint_fixture, lint_text, only

RULE = "endpointslice-limits"

HEAD = """\
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata:
  name: big
  namespace: shop
  labels:
    kubernetes.io/service-name: db
addressType: IPv4
"""


def _endpoints(count: int) -> str:
    return "endpoints:\n" + "".join(
        f"- addresses: [10.{i // 62500}.{i // 250 % 250}.{i % 250 + 1}]\n" for i in range(count)
    )


def test_endpoint_without_address_and_with_101_addresses_eps_04() -> None:
    findings = lint_fixture(RULE)
    assert brief(findings) == [(RULE, 13, 3, "error"), (RULE, 15, 3, "error")]
    assert "endpoints[0].addresses: Required value: must contain at least 1 address" in (
        findings[0].message
    )
    assert "shop/db-1" in findings[0].message
    assert "endpoints[2].addresses: Too many: 101: must have at most 100 items" in (
        findings[1].message
    )


def test_good_fixture_100_addresses_and_101_ports_are_fine_eps_14() -> None:
    assert lint_fixture(RULE, "good.yaml") == []


def test_more_than_1000_endpoints_eps_03() -> None:
    findings = only(lint_text(HEAD + _endpoints(1001)), RULE)
    assert brief(findings) == [(RULE, 9, 1, "error")]
    assert "endpoints: Too many: 1001: must have at most 1000 items" in findings[0].message
    assert only(lint_text(HEAD + _endpoints(1000)), RULE) == []


def test_ports_limit_is_20000_not_100_eps_14() -> None:
    ports = "ports:\n" + "".join(f"- {{name: p{i}, port: 1}}\n" for i in range(20001))
    findings = only(lint_text(HEAD + ports), RULE)
    assert brief(findings) == [(RULE, 9, 1, "error")]
    assert "ports: Too many: 20001: must have at most 20000 items" in findings[0].message
