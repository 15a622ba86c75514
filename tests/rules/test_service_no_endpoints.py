"""service-no-endpoints (DESIGN §5; reference SVC-37)."""

from __future__ import annotations

from tests.helpers import brief, lint_fixture, lint_text

RULE = "service-no-endpoints"


def test_bad_fixture():
    findings = lint_fixture(RULE, select_only=True)
    assert brief(findings) == [(RULE, 7, 1, "warning"), (RULE, 17, 1, "warning")]
    assert "Service shop/db has no selector" in findings[0].message
    assert "kubernetes.io/service-name=db" in findings[0].message
    assert "namespace other, which do not count for namespace shop" in findings[1].message


def test_good_fixture_endpointslice_endpoints_and_externalname():
    assert lint_fixture(RULE, "good.yaml", select_only=True) == []


def test_a_service_with_a_selector_is_not_reported():
    findings = lint_text(
        """
        apiVersion: v1
        kind: Service
        metadata: {name: web}
        spec:
          selector: {app: web}
          ports: [{port: 80}]
        """,
        select=[RULE],
    )
    assert findings == []


def test_empty_selector_counts_as_none():
    findings = lint_text(
        """
        apiVersion: v1
        kind: Service
        metadata: {name: web}
        spec:
          selector: {}
          ports: [{port: 80}]
        """,
        select=[RULE],
    )
    assert brief(findings) == [(RULE, 5, 1, "warning")]
