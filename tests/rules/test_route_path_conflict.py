"""`route-path-conflict`: the same hostname and match on one listener in two HTTPRoutes."""

from __future__ import annotations

from tests.helpers import brief, lint_fixture, lint_text, only

RULE = "route-path-conflict"


def test_bad_fixture_reports_the_route_that_loses_the_tie_break() -> None:
    found = lint_fixture(RULE)
    assert brief(found) == [(RULE, 37, 16, "warning"), (RULE, 43, 16, "warning")]
    assert "HTTPRoute default/support routes hostname example.com, PathPrefix /api on Gateway " in (
        found[0].message
    )
    assert "and so does HTTPRoute default/shop on the same listener" in found[0].message
    # A rule without matches is PathPrefix "/" after defaulting, as is a path without a type.
    assert "PathPrefix / on Gateway" in found[1].message


def test_good_fixture_other_paths_headers_listeners_and_same_action() -> None:
    assert lint_fixture(RULE, "good.yaml") == []


def test_the_older_route_wins_by_creation_timestamp() -> None:
    found = only(
        lint_text(
            """\
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata: {name: aaa, creationTimestamp: "2026-02-01T00:00:00Z"}
            spec:
              parentRefs: [{name: gateway}]
              rules:
              - backendRefs: [{name: aaa, port: 80}]
            ---
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata: {name: zzz, creationTimestamp: "2026-01-01T00:00:00Z"}
            spec:
              parentRefs: [{name: gateway}]
              rules:
              - backendRefs: [{name: zzz, port: 80}]
            """
        ),
        RULE,
    )
    assert brief(found) == [(RULE, 7, 5, "warning")]
    assert found[0].message.startswith("HTTPRoute default/aaa routes any hostname, PathPrefix /")
    assert "HTTPRoute default/zzz wins" in found[0].message
