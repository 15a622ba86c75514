"""`route-path-conflict`: two HTTPRoutes route the same hostname and match on one listener."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass

from netlint.api import (
    Diagnostic,
    Inventory,
    Manifest,
    Node,
    Path,
    Rule,
    RuleContext,
    RuleMeta,
    Severity,
)
from netlint.k8s import as_map, as_str, dig, items_at

from ._gateway import GROUP, LISTENER_OWNERS, ROUTE_DOCS, is_gateway_api, parent_refs

# A listener of a parent: (kind, namespace, name) of the Gateway/ListenerSet, and the
# sectionName (None: every listener) and port (None: any) the route attaches with.
Parent = tuple[str, str | None, str]


@dataclass(frozen=True, slots=True)
class _Entry:
    route: Manifest
    section: str | None
    port: int | None
    match_path: Path  # where a finding points
    match_text: str  # `PathPrefix /api`, for messages
    action: str  # the rule's backends and filters: the same action is no conflict


def _default_path(match: Node) -> tuple[str, str]:
    path = as_map(dig(match, "path"))
    if path is None:
        return "PathPrefix", "/"
    return as_str(path.get("type")) or "PathPrefix", as_str(path.get("value")) or "/"


def _canonical(match: Node) -> str:
    """The match after defaulting, independent of the order of headers and query params."""
    path_type, value = _default_path(match)
    headers = sorted(
        (
            as_str(dig(h, "type")) or "Exact",
            (as_str(dig(h, "name")) or "").lower(),
            json.dumps(dig(h, "value")),
        )
        for _, h in items_at(match, "headers")
    )
    params = sorted(
        (
            as_str(dig(q, "type")) or "Exact",
            as_str(dig(q, "name")) or "",
            json.dumps(dig(q, "value")),
        )
        for _, q in items_at(match, "queryParams")
    )
    return json.dumps([path_type, value, as_str(dig(match, "method")), headers, params])


Key = tuple[Parent, str, str]  # parent, hostname ("" for none), canonical match


@dataclass(slots=True)
class _Index:
    entries: dict[Key, list[_Entry]]  # every HTTPRoute match attached there
    keys_of: dict[int, list[Key]]  # id(route) -> its keys, so a check costs its own matches


def _index(inventory: Inventory) -> _Index:
    def build(inv: Inventory) -> _Index:
        index = _Index({}, {})
        for route in inv.of_kind("HTTPRoute"):
            if not is_gateway_api(route):
                continue
            parents = [
                ref
                for ref in parent_refs(route)
                if ref.group == GROUP and ref.kind in LISTENER_OWNERS
            ]
            hosts = [h for _, h in items_at(route.data, "spec", "hostnames") if isinstance(h, str)]
            for r_index, rule in items_at(route.data, "spec", "rules"):
                rule_path: Path = ("spec", "rules", r_index)
                action = json.dumps(
                    [dig(rule, "backendRefs"), dig(rule, "filters")], sort_keys=True
                )
                matches = list(items_at(rule, "matches"))
                if dig(rule, "matches") is None:
                    matches = [(-1, None)]  # defaulted to one PathPrefix "/" match
                for m_index, match in matches:
                    if m_index < 0:
                        where: Path = rule_path
                    elif (
                        as_map(dig(match, "path")) is not None
                        and dig(match, "path", "value") is not None
                    ):
                        where = (*rule_path, "matches", m_index, "path", "value")
                    else:
                        where = (*rule_path, "matches", m_index)
                    path_type, value = _default_path(match)
                    key = _canonical(match)
                    for ref in parents:
                        parent: Parent = (ref.kind, ref.namespace, ref.name)
                        entry = _Entry(
                            route, ref.section, ref.port, where, f"{path_type} {value}", action
                        )
                        for host in hosts or [""]:
                            full: Key = (parent, host, key)
                            found = index.entries.setdefault(full, [])
                            if not any(e.route is route for e in found):
                                index.keys_of.setdefault(id(route), []).append(full)
                            found.append(entry)
        return index

    return inventory.memo("route-path-conflict:index", build)


def _same_listener(a: _Entry, b: _Entry) -> bool:
    sections = a.section is None or b.section is None or a.section == b.section
    ports = a.port is None or b.port is None or a.port == b.port
    return sections and ports


def _precedence(route: Manifest) -> tuple[str, str, str]:
    """Gateway API's tie-break between routes: the oldest, then by namespace/name."""
    created = as_str(dig(route.data, "metadata", "creationTimestamp")) or "~"
    return created, route.namespace or "", route.name


class RoutePathConflict(Rule):
    meta = RuleMeta(
        id="route-path-conflict",
        severity=Severity.WARNING,
        summary="Two HTTPRoutes route the same hostname and match on the same listener",
        what=(
            "Indexes every HTTPRoute match (after defaulting: a rule without matches is "
            "`PathPrefix /`; headers and query parameters in any order) by the Gateway or "
            "ListenerSet it attaches to, the hostname (none: any), and the whole match. When "
            "two different HTTPRoutes attached to the same listener (same or no `sectionName` "
            "and `port`) have the same hostname and match but a different action (backendRefs "
            "or filters), the route that loses the tie-break is reported: the newer one by "
            "`creationTimestamp` where the manifests carry it, otherwise the later by "
            "namespace/name. This is the Gateway API counterpart of `ingress-path-conflict`."
        ),
        why=(
            "The API accepts both routes. The implementation merges them and, for identical "
            "matches, keeps the rule of the oldest route, then the first by namespace/name: the "
            "other route's rule never receives traffic, silently, and which one wins can change "
            "when a route is re-created."
        ),
        example=(
            "apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata:\n  name: shop\n"
            "spec:\n  parentRefs:\n  - name: gateway\n  hostnames: [example.com]\n  rules:\n"
            "  - matches:\n    - path: {type: PathPrefix, value: /api}\n    backendRefs:\n"
            "    - {name: shop-api, port: 80}\n---\napiVersion: gateway.networking.k8s.io/v1\n"
            "kind: HTTPRoute\nmetadata:\n  name: support\nspec:\n  parentRefs:\n"
            "  - name: gateway\n  hostnames: [example.com]\n  rules:\n  - matches:\n"
            "    - path: {type: PathPrefix, value: /api}\n    backendRefs:\n"
            "    - {name: support-api, port: 80}\n"
        ),
        fix=(
            "Give each route its own path (`/shop/api`, `/support/api`) or hostname, or merge "
            "the two rules into one route with weighted backendRefs if a split was intended."
        ),
        help_uri=ROUTE_DOCS,
        tags=("gateway-api",),
        facts=("GW-11",),
    )
    kinds = frozenset({"HTTPRoute"})

    def check(self, manifest: Manifest, ctx: RuleContext) -> Iterator[Diagnostic]:
        if not is_gateway_api(manifest):
            return
        index = _index(ctx.inventory)
        me = (manifest.namespace, manifest.name)
        reported: set[Path] = set()
        for key in index.keys_of.get(id(manifest), ()):
            parent, host, _ = key
            entries = index.entries[key]
            for mine in entries:
                if mine.route is not manifest or mine.match_path in reported:
                    continue
                rivals = [
                    other
                    for other in entries
                    if (other.route.namespace, other.route.name) != me
                    and other.action != mine.action
                    and _same_listener(mine, other)
                    and _precedence(other.route) < _precedence(manifest)
                ]
                if not rivals:
                    continue
                winner = min(rivals, key=lambda e: _precedence(e.route)).route
                reported.add(mine.match_path)
                where = f"hostname {host}" if host else "any hostname"
                yield Diagnostic(
                    mine.match_path,
                    f"{manifest.ref} routes {where}, {mine.match_text} on {parent[0]} "
                    f"{parent[1]}/{parent[2]}, and so does {winner.ref} on the same listener: "
                    f"only one rule receives the traffic ({winner.ref} wins as the older route, "
                    "then the first by namespace/name)",
                    hint="give each route its own path or hostname, or merge the rules",
                )
