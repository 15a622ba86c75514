"""`route-path-conflict`: the same hostname and match on one listener in two HTTPRoutes."""

from __future__ import annotations

from typing import Any

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from netlint._builtin.rules.gateway import route_path_conflict as conflict_module
from netlint._builtin.rules.gateway.route_path_conflict import RoutePathConflict

from netlint.api import Manifest, RuleContext, Settings
from netlint.input.loader import load_yaml
from netlint.model.inventory import Inventory
from netlint.model.manifest import objects_of
from netlint.policy.schema_checker import BundledSchemas
from tests.helpers import brief, lint_fixture, lint_text, only, positions

RULE = "route-path-conflict"


def test_bad_fixture_reports_the_route_that_loses_the_tie_break() -> None:
    found = lint_fixture(RULE)
    assert brief(found) == [(RULE, 37, 16, "warning"), (RULE, 43, 16, "warning")]
    assert "HTTPRoute support routes hostname example.com, PathPrefix /api on Gateway " in (
        found[0].message
    )
    assert "and so does HTTPRoute shop on the same listener" in found[0].message
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
    assert found[0].message.startswith("HTTPRoute aaa routes any hostname, PathPrefix /")
    assert "HTTPRoute zzz wins" in found[0].message


def test_many_identical_matches_that_lose_are_one_finding_listing_the_others_capped() -> None:
    # Route b loses to the older a on 13 identical matches: one finding, on the first match,
    # listing the 12 others (10 by position, then a count).
    route = (
        "apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\n"
        "metadata: {name: %s, creationTimestamp: '%s'}\nspec:\n  parentRefs: [{name: gateway}]\n"
        "  rules:\n  - backendRefs: [{name: %s, port: 80}]\n    matches:\n"
    )
    match = "    - path: {type: PathPrefix, value: /api}\n"
    text = (
        route % ("a", "2026-01-01T00:00:00Z", "a")
        + match
        + "---\n"
        + route % ("b", "2026-02-01T00:00:00Z", "b")
        + match * 13
    )
    [finding] = only(lint_text(text), RULE)
    assert brief([finding]) == [(RULE, 19, 39, "warning")]
    assert finding.message == (
        "HTTPRoute b routes any hostname, PathPrefix /api on Gateway gateway, and "
        "so does HTTPRoute a on the same listener: only one rule receives the traffic "
        "(HTTPRoute a wins as the older route, then the first by namespace/name); the "
        f"same match loses again at {positions('-', range(20, 30), 39)} and 2 more"
    )


def test_identical_matches_of_one_route_are_no_conflict() -> None:
    rules = "".join(
        f"  - matches: [{{path: {{value: /}}}}, {{path: {{value: /}}}}]\n"
        f"    backendRefs: [{{name: web-{n}, port: 80}}]\n"
        for n in range(3)
    )
    text = (
        "apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata: {name: web}\n"
        "spec:\n  parentRefs: [{name: gateway}]\n  rules:\n" + rules
    )
    assert only(lint_text(text), RULE) == []


# --- the grouped findings are those of comparing every pair of matches ----------------------


def _pairwise(manifests: list[Manifest], index: Any) -> list[tuple[str, str, str]]:
    """What comparing every match with every other match of its key gives (the rule's first
    form, O(N²)), one finding per route and key as the rule groups them."""

    def same_listener(a: Any, b: Any) -> bool:
        sections = a.section is None or b.section is None or a.section == b.section
        return sections and (a.port is None or b.port is None or a.port == b.port)

    precedence = conflict_module._precedence
    found: list[tuple[str, str, str]] = []
    for manifest in manifests:
        reported: set[object] = set()
        for key, mine in index.own.get(id(manifest), {}).items():
            losing: list[tuple[Any, Any]] = []
            for entry in mine:
                if entry.match_path in reported:
                    continue
                rivals = [
                    other
                    for other in index.entries[key]
                    if (other.route.namespace, other.route.name)
                    != (manifest.namespace, manifest.name)
                    and other.action != entry.action
                    and same_listener(entry, other)
                    and precedence(other.route) < precedence(manifest)
                ]
                if rivals:
                    losing.append((entry, min(rivals, key=lambda e: precedence(e.route))))
            if losing:
                paths = list(dict.fromkeys(entry.match_path for entry, _ in losing))
                reported.update(paths)
                diagnostic = RoutePathConflict._diagnostic(manifest, key, *losing[0], paths[1:])
                found.append((manifest.name, str(diagnostic.path), diagnostic.message))
    return sorted(found)


_PARENTS = st.lists(
    st.fixed_dictionaries(
        {"name": st.just("gateway")},
        optional={"sectionName": st.sampled_from(["a", "b"]), "port": st.sampled_from([80, 443])},
    ),
    min_size=1,
    max_size=2,
)
_RULES = st.lists(
    st.fixed_dictionaries(
        {
            "backendRefs": st.sampled_from(
                [[{"name": "s0", "port": 80}], [{"name": "s1", "port": 80}]]
            )
        },
        optional={
            "matches": st.lists(
                st.fixed_dictionaries(
                    {"path": st.fixed_dictionaries({"value": st.sampled_from(["/", "/x"])})}
                ),
                max_size=3,
            )
        },
    ),
    min_size=1,
    max_size=3,
)
_ROUTES = st.fixed_dictionaries(
    {
        "metadata": st.fixed_dictionaries(
            {"name": st.sampled_from(["r0", "r1", "r2"])},
            optional={"creationTimestamp": st.sampled_from(["2026-01-01", "2026-02-01"])},
        ),
        "spec": st.fixed_dictionaries(
            {"parentRefs": _PARENTS, "rules": _RULES},
            optional={"hostnames": st.lists(st.sampled_from(["h1", "h2"]), max_size=2)},
        ),
    }
)


@settings(max_examples=200, deadline=None, derandomize=True, database=None)
@given(st.lists(_ROUTES, min_size=1, max_size=5))
def test_grouped_findings_are_those_of_comparing_every_pair(routes: list[dict[str, Any]]) -> None:
    header = {"apiVersion": "gateway.networking.k8s.io/v1", "kind": "HTTPRoute"}
    text = yaml.safe_dump_all([{**header, **route} for route in routes])
    manifests = objects_of(load_yaml(text, "routes.yaml").documents).manifests
    inventory = Inventory(manifests)
    ctx = RuleContext(inventory, Settings(), BundledSchemas("1.37"))
    rule = RoutePathConflict()
    found = sorted((m.name, str(d.path), d.message) for m in manifests for d in rule.check(m, ctx))
    assert found == _pairwise(manifests, conflict_module._index(inventory))
