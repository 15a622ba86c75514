"""`ingress-path-conflict`: the same host + path routed to different backends."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from netlint.api import Diagnostic, Inventory, Manifest, Path, Rule, RuleContext, RuleMeta, Severity

from .._earliest import EarliestDiffering
from .._listing import positions_text
from ..service._service import ports_of
from ._ingress import (
    ALB_GROUP_ANNOTATION,
    Backend,
    HttpPath,
    annotation,
    effective_class,
    http_paths,
    is_alb_action,
    is_canary,
    normalized_path,
)

_Key = tuple[str, str, str, str, str]
_Position = tuple[str, int, int]
_Target = tuple[str, str, str]


@dataclass(frozen=True, slots=True)
class _Route:
    manifest: Manifest
    item: HttpPath
    backend: Backend
    target: _Target  # where traffic goes (`_target`): routes to one target never conflict
    alb: bool  # the backend is an AWS Load Balancer Controller action

    def position(self) -> _Position:
        span = self.manifest.span_of(self.item.item_path)
        return (self.manifest.source_path, span[0], span[1])

    @property
    def where(self) -> Path:
        """Where a finding about this route points: its path, else the item."""
        return self.item.path_node if self.item.path is not None else self.item.item_path


def _key(manifest: Manifest, item: HttpPath, inventory: Inventory) -> _Key:
    """What two routes must share to be one route of one controller. An AWS ALB IngressGroup
    (`group.name`) is a routing table of its own: Ingresses of different groups, or one of a
    group and one without, never share a path."""
    return (
        effective_class(manifest, inventory) or "",
        annotation(manifest, ALB_GROUP_ANNOTATION) or "",
        item.host.lower(),
        normalized_path(item.path, item.path_type),
        item.path_type or "",
    )


def _target(manifest: Manifest, backend: Backend, inventory: Inventory) -> _Target:
    """The backend's `key`, with a port name resolved to its number through the Service when
    every copy of the Service in the input gives it the same one: `port: {name: http}` and
    `port: {number: 80}` reach the same Service port when the Service names port 80 `http`."""
    key = backend.key()
    name = backend.port_name
    if backend.is_resource or backend.service is None or name is None:
        return key
    copies = inventory.all_named("Service", manifest.namespace, backend.service)
    numbers = {
        next((port.port for port in ports_of(copy) if port.name == name), None) for copy in copies
    }
    if len(numbers) != 1:
        return key
    [number] = numbers
    return key if number is None else (key[0], key[1], str(number))


def _routes_of(manifest: Manifest, inventory: Inventory) -> list[tuple[_Key, _Route]]:
    return [
        (
            _key(manifest, item, inventory),
            _Route(
                manifest,
                item,
                item.backend,
                _target(manifest, item.backend, inventory),
                is_alb_action(manifest, item.backend, inventory),
            ),
        )
        for item in http_paths(manifest)
        if item.backend is not None
    ]


def _ref(route: _Route) -> tuple[str, str | None, str]:
    manifest = route.manifest
    return (manifest.kind, manifest.namespace, manifest.name)


@dataclass(slots=True)
class _Rivals:
    """The routes of one key, ready to answer which route conflicts with one of them first.

    A route conflicts (ING-12) with another of its own Ingress whose target differs, and with
    one of another Ingress (not a copy of its own: `duplicate-object`) whose target differs,
    when both or neither are canaries (NGX-07) and neither is an ALB action. Each condition but
    the canary's is "differs in a coordinate", so `EarliestDiffering` answers each question in
    constant time; routes are added in the order of their positions.
    """

    in_ingress: dict[int, EarliestDiffering[_Route]] = field(default_factory=lambda: {})
    # (file, canary) -> routes by (backend, Ingress); canary -> routes by (backend, Ingress, file)
    in_file: dict[tuple[str, bool], EarliestDiffering[_Route]] = field(default_factory=lambda: {})
    anywhere: dict[bool, EarliestDiffering[_Route]] = field(default_factory=lambda: {})
    at: dict[int, _Position] = field(default_factory=lambda: {})  # id(route) -> its position

    @staticmethod
    def of(placed: Sequence[tuple[_Position, _Route]]) -> _Rivals:
        rivals = _Rivals()
        for position, route in placed:
            rivals.at[id(route)] = position
            path = position[0]
            backend = route.target
            rivals.in_ingress.setdefault(id(route.manifest), EarliestDiffering(1)).add(
                (backend,), route
            )
            if route.alb:
                continue
            canary = is_canary(route.manifest)
            rivals.in_file.setdefault((path, canary), EarliestDiffering(2)).add(
                (backend, _ref(route)), route
            )
            rivals.anywhere.setdefault(canary, EarliestDiffering(3)).add(
                (backend, _ref(route), path), route
            )
        return rivals

    def first_in_file(self, route: _Route, own_ingress: bool) -> _Route | None:
        """The first route of the file that conflicts with `route` (its own Ingress's too when
        `own_ingress`)."""
        backend = route.target
        found: list[_Route] = []
        mine = self.in_ingress.get(id(route.manifest)) if own_ingress else None
        if mine is not None:
            found += filter(None, [mine.earliest((backend,))])
        others = self.in_file.get((route.manifest.source_path, is_canary(route.manifest)))
        if others is not None and not route.alb:
            found += filter(None, [others.earliest((backend, _ref(route)))])
        return min(found, key=lambda rival: self.at[id(rival)], default=None)

    def first_elsewhere(self, route: _Route) -> _Route | None:
        """The first route of another file that conflicts with `route`."""
        others = self.anywhere.get(is_canary(route.manifest))
        if others is None or route.alb:
            return None
        query = (route.target, _ref(route), route.manifest.source_path)
        return others.earliest(query)


@dataclass(frozen=True, slots=True)
class _Conflict:
    """One finding: the first route of an Ingress that conflicts on a key, what it conflicts
    with, and the Ingress's other routes that conflict on that key the same way."""

    route: _Route
    rival: _Route
    same_file: bool
    more: list[_Route]


def _conflicts(
    placed: Sequence[tuple[_Position, _Route]], rivals: _Rivals, own_ingress: bool
) -> list[_Conflict]:
    """The findings for the routes `placed` (of one key, in position order): within a file, a
    route conflicting with an earlier one of its file (an error); otherwise, one conflicting
    with a route of another file (a warning). One finding per Ingress and severity, on its
    first such route, listing the others: an Ingress with N paths `/` to alternating backends
    is one problem, while another Ingress that collides with it is its own."""
    grouped: dict[tuple[int, bool], tuple[_Route, _Route, list[_Route]]] = {}
    for position, route in placed:
        rival = rivals.first_in_file(route, own_ingress)
        same_file = rival is not None
        if rival is not None:
            if rivals.at[id(rival)] > position:
                continue  # reported on the later one
        else:
            rival = rivals.first_elsewhere(route)
            if rival is None:
                continue
        group = (id(route.manifest), same_file)
        if group in grouped:
            grouped[group][2].append(route)
        else:
            grouped[group] = (route, rival, [])
    return [
        _Conflict(route, rival, same_file, more)
        for (_, same_file), (route, rival, more) in grouped.items()
    ]


@dataclass(frozen=True, slots=True)
class _Index:
    by_key: dict[_Key, list[_Route]]  # every route of the run's Ingresses
    conflicts: dict[Manifest, list[_Conflict]]  # each Ingress's findings, if it has any
    ingresses: set[Manifest]  # the inventory's
    rivals: dict[_Key, _Rivals]  # for an Ingress of another inventory: see `check`


def _placed(routes: Sequence[_Route]) -> list[tuple[_Position, _Route]]:
    """`routes` with their positions, in the order of their positions (input order for ties)."""
    return sorted(((route.position(), route) for route in routes), key=lambda pair: pair[0])


def _index(inventory: Inventory) -> _Index:
    by_key: dict[_Key, list[_Route]] = defaultdict(list)
    ingresses = inventory.of_kind("Ingress")
    for manifest in ingresses:
        for key, route in _routes_of(manifest, inventory):
            by_key[key].append(route)
    index = _Index(dict(by_key), {}, set(ingresses), {})
    for key, routes in by_key.items():
        if len(routes) < 2:
            continue  # nothing to conflict with: no need to locate it
        placed = _placed(routes)
        index.rivals[key] = rivals = _Rivals.of(placed)
        for conflict in _conflicts(placed, rivals, own_ingress=True):
            index.conflicts.setdefault(conflict.route.manifest, []).append(conflict)
    return index


class IngressPathConflict(Rule):
    meta = RuleMeta(
        id="ingress-path-conflict",
        severity=Severity.ERROR,
        summary="The same host and path are routed to different backends",
        what=(
            "Reports a host + path + pathType that two Ingresses of the same class (in any "
            "namespace), or one Ingress twice, route to different backends. Prefix `/a` and "
            "`/a/` are the same path, an empty path is `/`. An error within one file or stream, "
            "a warning across files (repositories keep alternative variants side by side). Each "
            "Ingress gets one finding per host + path and severity, on its first conflicting "
            "path, with the positions of its other paths that conflict there too (the first "
            "10, then how many more). Not a conflict: a pair in which exactly one Ingress carries "
            '`nginx.ingress.kubernetes.io/canary: "true"`, or in which one backend is an AWS '
            "Load Balancer Controller `use-annotation` action; two Ingresses of different AWS "
            "ALB IngressGroups (`alb.ingress.kubernetes.io/group.name`), or one of a group and "
            "one without, which are separate load balancers; two backends that reach the same "
            "Service port, one by `number` and one by `name` (resolved through the Service when "
            "it is in the input), or the same `resource` object."
        ),
        why=(
            "The API server accepts both; the controller then picks one silently (or, with "
            "ingress-nginx's admission webhook, rejects the second: `host ... and path ... is "
            "already defined in ingress ...`, NGX-07), so part of the traffic goes to the wrong "
            "Service."
            " Severity: an error within one file or stream, because traffic meant for one of the two backends cannot reach it (or ingress-nginx's webhook refuses the Ingress); a warning across files, which are often alternative variants."
        ),
        example=(
            "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: web\nspec:\n"
            "  ingressClassName: nginx\n  rules:\n  - host: shop.example.com\n    http:\n"
            "      paths:\n      - path: /api\n        pathType: Prefix\n        backend:\n"
            "          service: {name: api, port: {number: 80}}\n      - path: /api/\n"
            "        pathType: Prefix\n        backend:\n          service: "
            "{name: api-v2, port: {number: 80}}\n"
        ),
        fix=(
            "Route each host + path to one backend; use a canary annotation for a traffic split. "
            "If the two Ingresses are alternatives that are never applied together, declare "
            "their folders apart with config `scopes:`."
        ),
        help_uri="https://kubernetes.io/docs/concepts/services-networking/ingress/#multiple-matches",
        tags=("ingress",),
        facts=("ING-12", "NGX-07"),
        gateway_counterpart="route-path-conflict",
    )
    kinds = frozenset({"Ingress"})

    def check(self, manifest: Manifest, ctx: RuleContext) -> Iterator[Diagnostic]:
        index = ctx.inventory.memo("ingress-path-conflict:routes", _index)
        if manifest in index.ingresses:
            conflicts = index.conflicts.get(manifest, [])
        else:  # an object of another inventory
            conflicts = self._foreign(manifest, index, ctx.inventory)
        for conflict in conflicts:
            yield self._diagnostic(manifest, conflict)

    @staticmethod
    def _foreign(manifest: Manifest, index: _Index, inventory: Inventory) -> list[_Conflict]:
        """The findings of an Ingress that is not in the inventory (a caller may check another
        object against one): its routes against the inventory's, one finding per key."""
        by_key: dict[_Key, list[_Route]] = defaultdict(list)
        for key, route in _routes_of(manifest, inventory):
            by_key[key].append(route)
        found: list[_Conflict] = []
        for key, routes in by_key.items():
            theirs = index.by_key.get(key, [])
            rivals = index.rivals.get(key) or _Rivals.of(_placed(theirs))
            found += _conflicts(_placed(routes), rivals, own_ingress=False)
        return found

    @staticmethod
    def _diagnostic(manifest: Manifest, conflict: _Conflict) -> Diagnostic:
        route, rival = conflict.route, conflict.rival
        item = route.item
        shown = f"host {item.host or '*'!r} path {item.path or '/'!r} ({item.path_type or 'no pathType'})"
        again = (
            f"; the same host and path conflict again at "
            f"{positions_text([(more.manifest, more.where) for more in conflict.more])}"
            if conflict.more
            else ""
        )
        if conflict.same_file:
            name = "the same Ingress" if rival.manifest is manifest else str(rival.manifest.ref)
            return Diagnostic(
                route.where,
                f"{manifest.ref} routes {shown} to {route.backend.describe()}, but {name} "
                f"(line {rival.position()[1] + 1}) already routes it to "
                f"{rival.backend.describe()}{again}",
                severity=Severity.ERROR,
                hint="route each host and path to one backend",
            )
        return Diagnostic(
            route.where,
            f"{manifest.ref} routes {shown} to {route.backend.describe()}, but "
            f"{rival.manifest.ref} in {rival.manifest.source_path} routes it to "
            f"{rival.backend.describe()}; applied together, one of them wins silently{again}",
            severity=Severity.WARNING,
            hint=(
                "route each host and path to one backend; if the two files are alternatives "
                "that are never applied together, declare their folders apart with config "
                "`scopes:`"
            ),
        )
