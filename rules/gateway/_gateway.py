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
from netlint.k8s import as_int, as_map, as_str, compatible, items_at, parse_label_selector
from netlint.traffic.routes import (
    CORE,
    GROUP,
    ROUTE_KINDS,
    ObjectRef,
    backend_refs,
    core_objects,
    gateway_api_objects,
    grant_allows,
    is_gateway_api,
    object_ref,
    parent_refs,
)

# Defined with the traffic paths (`netlint.traffic.routes`), which read backendRefs the same way.
__all__ = [
    "CORE",
    "GROUP",
    "ROUTE_KINDS",
    "ObjectRef",
    "backend_refs",
    "core_objects",
    "gateway_api_objects",
    "grant_allows",
    "is_gateway_api",
    "parent_refs",
]

LISTENER_OWNERS = frozenset({"Gateway", "ListenerSet"})

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


def gateway_api_elsewhere(
    inventory: Inventory, kind: str, namespace: str | None, name: str
) -> list[Manifest]:
    return [
        m
        for m in inventory.named_anywhere(kind, name)
        if is_gateway_api(m) and not compatible(m.namespace, namespace)
    ]


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
            found = object_ref(
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
