"""What the Gateway API rules share: references with their defaults, listeners, grants, hostnames.

Everything is read after the API server's defaulting (reference §6, GW-01, GW-06, GW-09): a
backendRef's group is "" and kind `Service`; a parentRef's group is `gateway.networking.k8s.io`
and kind `Gateway`; a certificateRef's group is "" and kind `Secret`; a ref's namespace is its
referrer's; a listener's `allowedRoutes` is `from: Same` with the kinds its protocol supports.
Only objects of the `gateway.networking.k8s.io` group count: an Istio `Gateway`
(`networking.istio.io`) is another kind that happens to share the name. Values of the wrong type
come back as None and are skipped: they are `schema`'s.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from netlint.api import Inventory, Manifest, Node, Path, RuleContext
from netlint.k8s import (
    ByNamespace,
    as_int,
    as_map,
    as_str,
    compatible,
    dig,
    items_at,
    parse_label_selector,
)

GROUP = "gateway.networking.k8s.io"
ROUTE_KINDS = frozenset({"HTTPRoute", "GRPCRoute", "TLSRoute", "TCPRoute", "UDPRoute"})
LISTENER_OWNERS = frozenset({"Gateway", "ListenerSet"})
CORE = ""

SPEC_DOCS = "https://gateway-api.sigs.k8s.io/reference/spec/"
ROUTE_DOCS = "https://gateway-api.sigs.k8s.io/api-types/httproute/"
REFERENCE_GRANT_DOCS = "https://gateway-api.sigs.k8s.io/api-types/referencegrant/"
TLS_DOCS = "https://gateway-api.sigs.k8s.io/guides/tls/"
CROSS_NAMESPACE_DOCS = "https://gateway-api.sigs.k8s.io/guides/multiple-ns"

# Route kinds a listener admits when `allowedRoutes.kinds` is empty, by protocol (GW-08; the
# spec's "supported kinds" per protocol). An implementation-specific protocol admits anything.
DEFAULT_ROUTE_KINDS: dict[str, frozenset[str]] = {
    "HTTP": frozenset({"HTTPRoute", "GRPCRoute"}),
    "HTTPS": frozenset({"HTTPRoute", "GRPCRoute"}),
    "TLS": frozenset({"TLSRoute", "TCPRoute"}),
    "TCP": frozenset({"TCPRoute"}),
    "UDP": frozenset({"UDPRoute"}),
}
# Kubernetes labels every Namespace with its own name (since 1.22).


def is_gateway_api(manifest: Manifest) -> bool:
    return manifest.group == GROUP


def gateway_api_objects(
    inventory: Inventory, kind: str, namespace: str | None, name: str
) -> list[Manifest]:
    """Every copy of a Gateway API kind/namespace/name (not another group's same-named kind)."""
    return [m for m in inventory.all_named(kind, namespace, name) if is_gateway_api(m)]


def gateway_api_elsewhere(
    inventory: Inventory, kind: str, namespace: str | None, name: str
) -> list[Manifest]:
    return [
        m
        for m in inventory.named_anywhere(kind, name)
        if is_gateway_api(m) and not compatible(m.namespace, namespace)
    ]


def core_objects(
    inventory: Inventory, kind: str, namespace: str | None, name: str
) -> list[Manifest]:
    """Every copy of a core (`v1`) kind/namespace/name: a Knative `Service` is not a Service."""
    return [m for m in inventory.all_named(kind, namespace, name) if m.group == CORE]


# --- references ----------------------------------------------------------------------------------


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


def _ref(
    node: Node, path: Path, owner: Manifest, default_group: str, default_kind: str
) -> ObjectRef | None:
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
            found = _ref(ref, ref_path, route, CORE, "Service")
            if found is not None:
                yield found
            yield from _mirrors(route, dig(ref, "filters"), (*ref_path, "filters"))
        yield from _mirrors(route, dig(rule, "filters"), (*rule_path, "filters"))


def _mirrors(route: Manifest, filters: Node, path: Path) -> Iterator[ObjectRef]:
    for index, item in items_at(filters):
        mirror = dig(item, "requestMirror", "backendRef")
        found = _ref(mirror, (*path, index, "requestMirror", "backendRef"), route, CORE, "Service")
        if found is not None:
            yield found


def parent_refs(route: Manifest) -> Iterator[ObjectRef]:
    for index, ref in items_at(route.data, "spec", "parentRefs"):
        found = _ref(ref, ("spec", "parentRefs", index), route, GROUP, "Gateway")
        if found is not None:
            yield found


# --- listeners -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Listener:
    owner: Manifest  # the Gateway or ListenerSet
    path: Path
    name: str | None
    port: int | None
    protocol: str | None
    hostname: str | None
    data: dict[str, Node]

    def certificate_refs(self) -> Iterator[ObjectRef]:
        for index, ref in items_at(self.data, "tls", "certificateRefs"):
            found = _ref(
                ref, (*self.path, "tls", "certificateRefs", index), self.owner, CORE, "Secret"
            )
            if found is not None:
                yield found

    def describe(self) -> str:
        shown = self.name or f"#{self.path[-1]}"
        details = [f"{self.protocol or '?'}/{self.port if self.port is not None else '?'}"]
        if self.hostname:
            details.append(self.hostname)
        return f"{shown!r} ({', '.join(details)})"


def listeners(owner: Manifest) -> list[Listener]:
    found: list[Listener] = []
    for index, item in items_at(owner.data, "spec", "listeners"):
        data = as_map(item)
        if data is None:
            continue
        found.append(
            Listener(
                owner,
                ("spec", "listeners", index),
                as_str(data.get("name")),
                as_int(data.get("port")),
                as_str(data.get("protocol")),
                as_str(data.get("hostname")) or None,
                data,
            )
        )
    return found


def selected_listeners(owner: Manifest, ref: ObjectRef) -> list[Listener]:
    """The listeners of `owner` a parentRef attaches to: by `sectionName` and/or `port`."""
    return [
        listener
        for listener in listeners(owner)
        if (ref.section is None or listener.name == ref.section)
        and (ref.port is None or listener.port == ref.port)
    ]


def listener_names(owner: Manifest) -> str:
    shown = [listener.describe() for listener in listeners(owner)]
    return ", ".join(shown) if shown else "none"


def resolve_parent(ctx: RuleContext, ref: ObjectRef) -> list[Manifest]:
    """The copies of the Gateway or ListenerSet a parentRef names, in its namespace."""
    if ref.group != GROUP or ref.kind not in LISTENER_OWNERS:
        return []
    return gateway_api_objects(ctx.inventory, ref.kind, ref.namespace, ref.name)


# --- ReferenceGrant ------------------------------------------------------------------------------


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


# --- namespaces and hostnames --------------------------------------------------------------------


def selector_matches(selector: Node, labels: Mapping[str, str]) -> bool | None:
    """A metav1.LabelSelector against `labels`; None when the selector has a wrong shape."""
    parsed = parse_label_selector(selector)
    return None if parsed is None else parsed.verdict(labels)


def selector_keys(selector: Node) -> set[str]:
    parsed = parse_label_selector(selector)
    return set() if parsed is None else parsed.keys()


def hostnames_intersect(listener_host: str, route_host: str) -> bool:
    """Gateway API hostname matching: `*.example.com` covers any name with one or more labels
    in front of `example.com` (not `example.com` itself), from either side."""
    if listener_host == route_host:
        return True
    if listener_host.startswith("*.") and _covers(listener_host[1:], route_host):
        return True
    return route_host.startswith("*.") and _covers(route_host[1:], listener_host)


def _covers(suffix: str, host: str) -> bool:
    """`suffix` is `.example.com`; `host` is a name or a narrower wildcard."""
    return host.endswith(suffix) and len(host) > len(suffix)


def route_hostnames(route: Manifest) -> list[str]:
    return [h for _, h in items_at(route.data, "spec", "hostnames") if isinstance(h, str)]
