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
from netlint.k8s import as_map, as_str, dig, items_at, qualified

from .._earliest import EarliestDiffering
from .._listing import positions_text
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
Precedence = tuple[str, str, str]


def _precedence(route: Manifest) -> Precedence:
    """Gateway API's tie-break between routes: the oldest, then by namespace/name."""
    created = as_str(dig(route.data, "metadata", "creationTimestamp")) or "~"
    return created, route.namespace or "", route.name


def _identity(route: Manifest) -> tuple[str | None, str]:
    return (route.namespace, route.name)


_ANY = object()  # a bucket of `_Winners` that takes every sectionName or every port


@dataclass(slots=True)
class _Winners:
    """The entries of one key, ready to answer which one wins over a given entry: the first,
    by precedence, of another route (namespace/name) with another action on the same listener.

    "Another route" and "another action" are coordinates to differ in, which
    `EarliestDiffering` answers in constant time. "The same listener" means each of
    sectionName and port is equal or unset on either side: the entries are bucketed by both
    values, by each alone, and not at all, and a query reads the (at most four, disjoint)
    buckets that hold every compatible entry. So N identical matches cost O(N), not O(N²).
    """

    precedence: dict[int, tuple[Precedence, int]]  # id(route) -> its precedence, input order
    buckets: dict[tuple[object, object], EarliestDiffering[_Entry]]

    @staticmethod
    def of(entries: list[_Entry]) -> _Winners:
        winners = _Winners({}, {})
        for number, entry in enumerate(entries):
            winners.precedence.setdefault(id(entry.route), (_precedence(entry.route), number))
        ordered = sorted(entries, key=lambda entry: winners.precedence[id(entry.route)])
        for entry in ordered:
            coordinates = (_identity(entry.route), entry.action)
            section, port = entry.section, entry.port
            for bucket in ((section, port), (section, _ANY), (_ANY, port), (_ANY, _ANY)):
                winners.buckets.setdefault(bucket, EarliestDiffering(2)).add(coordinates, entry)
        return winners

    def over(self, mine: _Entry) -> _Entry | None:
        """The entry whose route wins over `mine`'s on its listener, if any."""
        sections = [_ANY] if mine.section is None else [mine.section, None]
        ports = [_ANY] if mine.port is None else [mine.port, None]
        query = (_identity(mine.route), mine.action)
        found = [
            entry
            for section in sections
            for port in ports
            if (bucket := self.buckets.get((section, port))) is not None
            and (entry := bucket.earliest(query)) is not None
        ]
        if not found:
            return None
        winner = min(found, key=lambda entry: self.precedence[id(entry.route)])
        # The first of another route, by precedence: a winner only if it comes before mine.
        mine_first = self.precedence[id(mine.route)][0]
        return winner if self.precedence[id(winner.route)][0] < mine_first else None


@dataclass(slots=True)
class _Index:
    entries: dict[Key, list[_Entry]]  # every HTTPRoute match attached there
    # id(route) -> its keys, each with its own entries there, so a check costs its own matches
    own: dict[int, dict[Key, list[_Entry]]]
    winners: dict[Key, _Winners]  # built on a key's first question

    def winners_of(self, key: Key) -> _Winners:
        found = self.winners.get(key)
        if found is None:
            found = self.winners[key] = _Winners.of(self.entries[key])
        return found


def _where(rule_path: Path, m_index: int, match: Node) -> Path:
    """Where a finding about a match points: its path value, else the match, else the rule."""
    if m_index < 0:
        return rule_path
    if as_map(dig(match, "path")) is not None and dig(match, "path", "value") is not None:
        return (*rule_path, "matches", m_index, "path", "value")
    return (*rule_path, "matches", m_index)


def _index(inventory: Inventory) -> _Index:
    def build(inv: Inventory) -> _Index:
        index = _Index({}, {}, {})
        for route in inv.of_kind("HTTPRoute"):
            if not is_gateway_api(route):
                continue
            parents = [
                ref
                for ref in parent_refs(route)
                if ref.group == GROUP and ref.kind in LISTENER_OWNERS
            ]
            hosts = [h for _, h in items_at(route.data, "spec", "hostnames") if isinstance(h, str)]
            own = index.own.setdefault(id(route), {})
            for r_index, rule in items_at(route.data, "spec", "rules"):
                rule_path: Path = ("spec", "rules", r_index)
                action = json.dumps(
                    [dig(rule, "backendRefs"), dig(rule, "filters")], sort_keys=True
                )
                matches = list(items_at(rule, "matches"))
                if dig(rule, "matches") is None:
                    matches = [(-1, None)]  # defaulted to one PathPrefix "/" match
                for m_index, match in matches:
                    where = _where(rule_path, m_index, match)
                    path_type, value = _default_path(match)
                    key = _canonical(match)
                    for ref in parents:
                        parent: Parent = (ref.kind, ref.namespace, ref.name)
                        entry = _Entry(
                            route, ref.section, ref.port, where, f"{path_type} {value}", action
                        )
                        for host in hosts or [""]:
                            full: Key = (parent, host, key)
                            index.entries.setdefault(full, []).append(entry)
                            own.setdefault(full, []).append(entry)
        return index

    return inventory.memo("route-path-conflict:index", build)


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
            "namespace/name; once per hostname and match, on its first match that loses, with "
            "the positions of its other matches that lose there too (the first 10, then how "
            "many more). This is the Gateway API counterpart of `ingress-path-conflict`."
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
        reported: set[Path] = set()
        for key, mine in index.own.get(id(manifest), {}).items():
            if len(index.entries[key]) == len(mine):
                continue  # only this route's matches: nothing to lose to
            winners = index.winners_of(key)
            losing = [
                (entry, winner)
                for entry in mine
                if entry.match_path not in reported and (winner := winners.over(entry)) is not None
            ]
            if not losing:
                continue
            # One finding per key, on the first match that loses there, listing the others.
            paths = list(dict.fromkeys(entry.match_path for entry, _ in losing))
            reported.update(paths)
            yield self._diagnostic(manifest, key, *losing[0], paths[1:])

    @staticmethod
    def _diagnostic(
        manifest: Manifest, key: Key, mine: _Entry, winner: _Entry, more: list[Path]
    ) -> Diagnostic:
        parent, host, _ = key
        where = f"hostname {host}" if host else "any hostname"
        again = (
            f"; the same match loses again at {positions_text([(manifest, p) for p in more])}"
            if more
            else ""
        )
        return Diagnostic(
            mine.match_path,
            f"{manifest.ref} routes {where}, {mine.match_text} on {parent[0]} "
            f"{qualified(parent[1], parent[2])}, and so does {winner.route.ref} on the same listener: "
            f"only one rule receives the traffic ({winner.route.ref} wins as the older route, "
            f"then the first by namespace/name){again}",
            hint="give each route its own path or hostname, or merge the rules",
        )
