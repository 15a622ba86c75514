"""service-externalname (DESIGN §5; reference SVC-35, §8 fact 3): the ExternalName case of
`ValidateService`'s type switch, in the API server's words."""

from __future__ import annotations

from tests.helpers import brief, lint_fixture, lint_text

RULE = "service-externalname"


def test_bad_fixture_missing_url_ip_empty_svc_35():
    findings = lint_fixture(RULE, select_only=True)
    assert brief(findings) == [
        (RULE, 6, 9, "error"),  # no externalName: at `type: ExternalName`
        (RULE, 14, 17, "error"),  # a URL
        (RULE, 22, 17, "warning"),  # an IP literal: accepted, never resolves
        (RULE, 30, 17, "error"),  # ""
    ]
    assert findings[0].message == "Service missing is invalid: spec.externalName: Required value"
    assert findings[1].message == (
        'Service url is invalid: spec.externalName: Invalid value: "https://db.example.com:5432/": '
        "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' "
        "or '.', and must start and end with an alphanumeric character (e.g. 'example.com')"
    )
    assert findings[1].hint == "use the bare host name: externalName: db.example.com"
    assert "'192.0.2.10' is an IP address" in findings[2].message
    assert findings[3].message == "Service empty is invalid: spec.externalName: Required value"


def test_the_trailing_dot_is_trimmed_from_the_value_upstream_prints():
    findings = lint_text(
        """
        apiVersion: v1
        kind: Service
        metadata: {name: db}
        spec:
          type: ExternalName
          externalName: DB.example.com.
        """,
        select=[RULE],
    )
    assert brief(findings) == [(RULE, 7, 17, "error")]
    assert findings[0].message.startswith(
        'Service db is invalid: spec.externalName: Invalid value: "DB.example.com": a lowercase'
    )
    assert findings[0].hint == "use the bare host name: externalName: db.example.com."


def test_good_fixture_trailing_dot_and_cluster_dns_name():
    assert lint_fixture(RULE, "good.yaml", select_only=True) == []


def test_a_lone_dot_is_an_empty_name_once_trimmed():
    findings = lint_text(
        """
        apiVersion: v1
        kind: Service
        metadata: {name: db}
        spec:
          type: ExternalName
          externalName: "."
        """,
        select=[RULE],
    )
    assert brief(findings) == [(RULE, 7, 17, "error")]
    assert findings[0].message == "Service db is invalid: spec.externalName: Required value"


def test_an_ipv6_address_gets_no_host_name_hint_nor_fix():
    findings = lint_text(
        """
        apiVersion: v1
        kind: Service
        metadata: {name: db}
        spec:
          type: ExternalName
          externalName: "2001:0db8:3c4d:0015:0000:0000:1a2f:2a3b"
        """,
        select=[RULE],
    )
    assert brief(findings) == [(RULE, 7, 17, "error")]
    assert findings[0].hint == "use a lowercase DNS name such as db.example.com"
    assert findings[0].fix is None
