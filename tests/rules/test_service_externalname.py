"""service-externalname (DESIGN §5; reference SVC-35, §8 fact 3)."""

from __future__ import annotations

from tests.helpers import brief, lint_fixture

RULE = "service-externalname"


def test_bad_fixture_missing_url_ip_empty_svc_35():
    findings = lint_fixture(RULE, select_only=True)
    assert brief(findings) == [
        (RULE, 6, 9, "error"),  # no externalName: at `type: ExternalName`
        (RULE, 14, 17, "error"),  # a URL
        (RULE, 22, 17, "warning"),  # an IP literal: accepted, never resolves
        (RULE, 30, 17, "error"),  # ""
    ]
    assert "Service missing spec.externalName: Required value" in findings[0].message
    assert "'https://db.example.com:5432/' is invalid" in findings[1].message
    assert findings[1].hint == "use the bare host name: externalName: db.example.com"
    assert "'192.0.2.10' is an IP address" in findings[2].message


def test_good_fixture_trailing_dot_and_cluster_dns_name():
    assert lint_fixture(RULE, "good.yaml", select_only=True) == []
