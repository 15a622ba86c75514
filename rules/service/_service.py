"""What the Service rules share: a Service as the API server sees it after defaulting (DESIGN §4).

Missing or empty `type` is ClusterIP, missing or empty `protocol` is TCP, and a `targetPort` that
is absent, 0 or "" means `port` (reference §1, "Defaulting"). Values of the wrong type are the
`schema` rule's problem: they come back as None here and the rules skip them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from netlint.api import Manifest, Node
from netlint.k8s import as_int, as_list, as_str, dig, spec_of
from netlint.traffic.services import (
    CLUSTER_IP,
    EXTERNAL_NAME,
    LOAD_BALANCER,
    NODE_PORT,
    NODE_PORT_TYPES,
    ServicePort,
    ports_of,
    selector_node,
    service_type,
    string_selector,
)

# Defined with the traffic paths (`netlint.traffic.services`), which read Services the same way.
__all__ = [
    "CLUSTER_IP",
    "EXTERNAL_NAME",
    "LOAD_BALANCER",
    "NODE_PORT",
    "NODE_PORT_TYPES",
    "ServicePort",
    "ports_of",
    "selector_node",
    "service_type",
    "string_selector",
]

SERVICE_DOCS = "https://kubernetes.io/docs/concepts/services-networking/service/"

# Other objects (Services, pod templates, near misses) named in one message at most.
MAX_NAMED = 3


def is_headless(manifest: Manifest) -> bool:
    """`clusterIP: None` (or `clusterIPs: [None]`)."""
    spec = spec_of(manifest)
    if as_str(spec.get("clusterIP")) == "None":
        return True
    return as_str(dig(spec, "clusterIPs", 0)) == "None"


def externally_accessible_spec(spec: Node, kind: str | None) -> bool:
    """`ExternallyAccessible` (pkg/api/service): NodePort, LoadBalancer, or ClusterIP with
    externalIPs (SVC-20), for a Service `spec` whose defaulted type is `kind`."""
    if kind in NODE_PORT_TYPES:
        return True
    external_ips = as_list(dig(spec, "externalIPs"))
    return kind == CLUSTER_IP and bool(external_ips)


def port_listing(ports: Sequence[ServicePort]) -> str:
    """`http=80, 443` for messages."""
    shown = [_listed(port) for port in ports]
    return ", ".join(shown) if shown else "none"


def _listed(port: ServicePort) -> str:
    number = f"ports[{port.index}]" if port.port is None else str(port.port)
    return f"{port.name}={number}" if port.name else number


def health_check_node_port(manifest: Manifest) -> int | None:
    return as_int(spec_of(manifest).get("healthCheckNodePort")) or None


def needs_health_check(manifest: Manifest, kind: str) -> bool:
    """`NeedsHealthCheck`: LoadBalancer with `externalTrafficPolicy: Local` (SVC-22)."""
    return (
        kind == LOAD_BALANCER and as_str(spec_of(manifest).get("externalTrafficPolicy")) == "Local"
    )


def pairs(labels: Mapping[str, str]) -> str:
    """`app=web,tier=frontend` in the selector's own order."""
    return ",".join(f"{key}={value}" for key, value in labels.items()) or "<none>"
