"""`ingress-tls-host` (Facts ING-05, ING-23)."""

from __future__ import annotations

from tests.helpers import brief, lint_fixture

RULE = "ingress-tls-host"


def test_bad_fixture_wildcard_covers_one_label_ing_05_23() -> None:
    found = lint_fixture(RULE)
    assert brief(found) == [(RULE, 11, 7, "warning"), (RULE, 12, 7, "warning")]
    assert "TLS host 'www.example.com', which no rule host matches" in found[0].message
    assert "(rule hosts: *.shop.example.com, example.com)" in found[0].message
    assert "'a.b.shop.example.com'" in found[1].message


def test_good_fixture_wildcards_both_ways_and_hostless_rule() -> None:
    assert lint_fixture(RULE, "good.yaml") == []
