"""The references of Gateway API routes, read after the API server's defaulting (reference §6,
GW-01, GW-06, GW-09, GW-13): a backendRef's group is "" and kind `Service`; a parentRef's group is
`gateway.networking.k8s.io` and kind `Gateway`; a ref's namespace is its referrer's. Only objects
of the `gateway.networking.k8s.io` group count: an Istio `Gateway` (`networking.istio.io`) is
another kind that happens to share the name. Values of the wrong type come back as None and are
skipped: they are `schema`'s. The Gateway API rules (`rules/gateway/_gateway.py` re-exports
these) and the traffic paths share them.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from netlint.api import Inventory, Manifest, Node, Path
from netlint.k8s import ByNamespace, as_int, as_map, as_str, dig, items_at

GROUP = "gateway.networking.k8s.io"
ROUTE_KINDS = frozenset({"HTTPRoute", "GRPCRoute", "TLSRoute", "TCPRoute", "UDPRoute"})
CORE = ""


def is_gateway_api(manifest: Manifest) -> bool:
    return manifest.group == GROUP


def gateway_api_objects(
    inventory: Inventory, kind: str, namespace: str | None, name: str
) -> list[Manifest]:
    """Every copy of a Gateway API kind/namespace/name (not another group's same-named kind)."""
    return [m for m in inventory.all_named(kind, namespace, name) if is_gateway_api(m)]


def core_objects(
    inventory: Inventory, kind: str, namespace: str | None, name: str
) -> list[Manifest]:
    """Every copy of a core (`v1`) kind/namespace/name: a Knative `Service` is not a Service."""
    return [m for m in inventory.all_named(kind, namespace, name) if m.group == CORE]


@dataclass(frozen=True, slots=True)
class ObjectRef:
    """A backendRef, parentRef or certificateRef, defaulted."""

    path: Path  # of the reference mapping
    group: str
    kind: str
    name: str
    namespace: str | None  # the namespace it resolves in (defaulted to the referrer's)
    explicit_namespace: bool  # whether the ref names a namespace itself
    port: int | None = None
    section: str | None = None  # parentRef sectionName

    @property
    def name_path(self) -> Path:
        return (*self.path, "name")

    @property
    def namespace_path(self) -> Path:
        return (*self.path, "namespace") if self.explicit_namespace else self.name_path

    @property
    def port_path(self) -> Path:
        return (*self.path, "port")

    @property
    def is_service(self) -> bool:
        return self.group == CORE and self.kind == "Service"

    def text(self) -> str:
        return f"{self.namespace}/{self.name}" if self.namespace else self.name


def object_ref(
    node: Node, path: Path, owner: Manifest, default_group: str, default_kind: str
) -> ObjectRef | None:
    """The reference at `node` in `owner` with its defaults; None without a name or with a
    group or kind of the wrong type."""
    item = as_map(node)
    name = as_str(dig(item, "name"))
    if item is None or not name:
        return None
    group_node = item.get("group")
    kind_node = item.get("kind")
    group = as_str(group_node)
    kind = as_str(kind_node)
    if (group_node is not None and group is None) or (kind_node is not None and kind is None):
        return None  # a wrong type: schema's
    if group == "core":
        group = CORE  # some implementations accept "core"; the API's spelling is ""
    namespace = as_str(item.get("namespace")) or None
    port_node = item.get("port")
    return ObjectRef(
        path=path,
        group=default_group if group is None else group,
        kind=kind or default_kind,
        name=name,
        namespace=namespace or owner.namespace,
        explicit_namespace=namespace is not None,
        port=as_int(port_node),
        section=as_str(item.get("sectionName")) or None,
    )


def backend_refs(route: Manifest) -> Iterator[ObjectRef]:
    """Every backendRef of a route: `rules[].backendRefs[]` and the `requestMirror` backends of
    rule and backendRef filters (GW-01)."""
    for r_index, rule in items_at(route.data, "spec", "rules"):
        rule_path: Path = ("spec", "rules", r_index)
        for b_index, ref in items_at(rule, "backendRefs"):
            ref_path = (*rule_path, "backendRefs", b_index)
            found = object_ref(ref, ref_path, route, CORE, "Service")
            if found is not None:
                yield found
            yield from _mirrors(route, dig(ref, "filters"), (*ref_path, "filters"))
        yield from _mirrors(route, dig(rule, "filters"), (*rule_path, "filters"))


def _mirrors(route: Manifest, filters: Node, path: Path) -> Iterator[ObjectRef]:
    for index, item in items_at(filters):
        mirror = dig(item, "requestMirror", "backendRef")
        found = object_ref(
            mirror, (*path, index, "requestMirror", "backendRef"), route, CORE, "Service"
        )
        if found is not None:
            yield found


def parent_refs(route: Manifest) -> Iterator[ObjectRef]:
    for index, ref in items_at(route.data, "spec", "parentRefs"):
        found = object_ref(ref, ("spec", "parentRefs", index), route, GROUP, "Gateway")
        if found is not None:
            yield found


def _grants(inventory: Inventory) -> ByNamespace[Manifest]:
    def build(inv: Inventory) -> ByNamespace[Manifest]:
        by_namespace = ByNamespace[Manifest]()
        for grant in inv.of_kind("ReferenceGrant"):
            if is_gateway_api(grant):
                by_namespace.add(grant.namespace, grant)
        return by_namespace

    return inventory.memo("gateway:reference-grants", build)


def grant_allows(
    inventory: Inventory, referrer: Manifest, target_namespace: str | None, ref: ObjectRef
) -> bool:
    """Whether a ReferenceGrant in `target_namespace` lets `referrer` (its group, kind and
    namespace) refer to `ref` (its group, kind and name); GW-13. A grant in the apply namespace
    may be in `target_namespace` once applied."""
    for grant in _grants(inventory).compatible_with(target_namespace):
        allowed_from = any(
            (as_str(dig(item, "group")) or "") == referrer.group
            and as_str(dig(item, "kind")) == referrer.kind
            and as_str(dig(item, "namespace")) == referrer.namespace
            for _, item in items_at(grant.data, "spec", "from")
        )
        if not allowed_from:
            continue
        for _, item in items_at(grant.data, "spec", "to"):
            group = as_str(dig(item, "group")) or ""
            if group == "core":
                group = CORE
            name = as_str(dig(item, "name"))
            if (
                group == ref.group
                and as_str(dig(item, "kind")) == ref.kind
                and (not name or name == ref.name)
            ):
                return True
    return False
