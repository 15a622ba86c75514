"""`ingress-path-conflict`: the same host + path routed to different backends."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass

from netlint.api import Diagnostic, Inventory, Manifest, Rule, RuleContext, RuleMeta, Severity

from ._ingress import (
    Backend,
    HttpPath,
    effective_class,
    http_paths,
    is_alb_action,
    is_canary,
    normalized_path,
)

_Key = tuple[str, str, str, str]


@dataclass(frozen=True, slots=True)
class _Route:
    manifest: Manifest
    item: HttpPath
    backend: Backend

    def position(self) -> tuple[str, int, int]:
        span = self.manifest.span_of(self.item.item_path)
        return (self.manifest.source_path, span[0], span[1])


def _key(manifest: Manifest, item: HttpPath, inventory: Inventory) -> _Key:
    return (
        effective_class(manifest, inventory) or "",
        item.host.lower(),
        normalized_path(item.path, item.path_type),
        item.path_type or "",
    )


def _routes_of(manifest: Manifest, inventory: Inventory) -> list[tuple[_Key, _Route]]:
    return [
        (_key(manifest, item, inventory), _Route(manifest, item, item.backend))
        for item in http_paths(manifest)
        if item.backend is not None
    ]


@dataclass(frozen=True, slots=True)
class _Index:
    by_key: dict[_Key, list[_Route]]  # every route of the run's Ingresses
    # Each Ingress's own routes with their keys, so that its check need not read it again.
    by_ingress: dict[Manifest, list[tuple[_Key, _Route]]]


def _index(inventory: Inventory) -> _Index:
    by_key: dict[_Key, list[_Route]] = defaultdict(list)
    by_ingress: dict[Manifest, list[tuple[_Key, _Route]]] = {}
    for manifest in inventory.of_kind("Ingress"):
        by_ingress[manifest] = routes = _routes_of(manifest, inventory)
        for key, route in routes:
            by_key[key].append(route)
    return _Index(dict(by_key), by_ingress)


def _conflicts(mine: _Route, other: _Route, inventory: Inventory) -> bool:
    if other.manifest is mine.manifest:
        return (
            other.item.item_path != mine.item.item_path
            and other.backend.key() != mine.backend.key()
        )
    if other.manifest.ref == mine.manifest.ref:
        return False  # another copy of the same Ingress: `duplicate-object`
    if other.backend.key() == mine.backend.key():
        return False
    if is_canary(mine.manifest) != is_canary(other.manifest):
        return False  # a canary beside its main Ingress (NGX-07)
    return not (
        is_alb_action(mine.manifest, mine.backend, inventory)
        or is_alb_action(other.manifest, other.backend, inventory)
    )


class IngressPathConflict(Rule):
    meta = RuleMeta(
        id="ingress-path-conflict",
        severity=Severity.ERROR,
        summary="The same host and path are routed to different backends",
        what=(
            "Reports a host + path + pathType that two Ingresses of the same class (in any "
            "namespace), or one Ingress twice, route to different backends. Prefix `/a` and "
            "`/a/` are the same path, an empty path is `/`. An error within one file or stream, "
            "a warning across files (repositories keep alternative variants side by side). Not a "
            "conflict: a pair in which exactly one Ingress carries "
            '`nginx.ingress.kubernetes.io/canary: "true"`, or in which one backend is an AWS '
            "Load Balancer Controller `use-annotation` action."
        ),
        why=(
            "The API server accepts both; the controller then picks one silently (or, with "
            "ingress-nginx's admission webhook, rejects the second: `host ... and path ... is "
            "already defined in ingress ...`, NGX-07), so part of the traffic goes to the wrong "
            "Service."
        ),
        example=(
            "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: web\nspec:\n"
            "  ingressClassName: nginx\n  rules:\n  - host: shop.example.com\n    http:\n"
            "      paths:\n      - path: /api\n        pathType: Prefix\n        backend:\n"
            "          service: {name: api, port: {number: 80}}\n      - path: /api/\n"
            "        pathType: Prefix\n        backend:\n          service: "
            "{name: api-v2, port: {number: 80}}\n"
        ),
        fix="Route each host + path to one backend; use a canary annotation for a traffic split.",
        help_uri="https://kubernetes.io/docs/concepts/services-networking/ingress/#multiple-matches",
        tags=("ingress",),
        facts=("ING-12", "NGX-07"),
        gateway_counterpart="route-path-conflict",
    )
    kinds = frozenset({"Ingress"})

    def check(self, manifest: Manifest, ctx: RuleContext) -> Iterator[Diagnostic]:
        index = ctx.inventory.memo("ingress-path-conflict:routes", _index)
        routes = index.by_ingress.get(manifest)
        if routes is None:  # an object of another inventory
            routes = _routes_of(manifest, ctx.inventory)
        for key, mine in routes:
            others = [o for o in index.by_key.get(key, []) if _conflicts(mine, o, ctx.inventory)]
            if not others:
                continue
            item = mine.item
            here = mine.position()
            same_file = [o for o in others if o.manifest.source_path == manifest.source_path]
            where = item.path_node if item.path is not None else item.item_path
            shown = f"host {item.host or '*'!r} path {item.path or '/'!r} ({item.path_type})"
            if same_file:
                first = min(same_file, key=_Route.position)
                if first.position() > here:
                    continue  # reported on the later one
                yield Diagnostic(
                    where,
                    f"{manifest.ref} routes {shown} to {mine.backend.describe()}, but "
                    f"{_name(first, manifest)} (line {first.position()[1] + 1}) already routes it "
                    "to "
                    f"{first.backend.describe()}",
                    severity=Severity.ERROR,
                    hint="route each host and path to one backend",
                )
                continue
            other = min(others, key=_Route.position)
            yield Diagnostic(
                where,
                f"{manifest.ref} routes {shown} to {mine.backend.describe()}, but "
                f"{other.manifest.ref} in {other.manifest.source_path} routes it to "
                f"{other.backend.describe()}; applied together, one of them wins silently",
                severity=Severity.WARNING,
                hint="route each host and path to one backend",
            )


def _name(route: _Route, manifest: Manifest) -> str:
    return "the same Ingress" if route.manifest is manifest else str(route.manifest.ref)
