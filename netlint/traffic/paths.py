"""The traffic paths the input defines (DESIGN §5, "NetworkPolicy and reachability").

A path goes from an entry point to the pods that receive its traffic, through what the API
objects say:

- an Ingress rule or `defaultBackend` → its Service port → the targetPort → the pod templates the
  Service selects (the entry point is the ingress controller serving the Ingress's class);
- a Gateway API route's Service `backendRefs` (HTTPRoute, GRPCRoute, TLSRoute, TCPRoute, UDPRoute)
  → the Service port → the pods (the entry point is each parent Gateway);
- a Service port → the pods, for clients inside the cluster.

A named targetPort resolves per pod template, as kube-proxy resolves it per pod (`FindPort`): a
template that declares no such port gets no endpoint and is left out (that is
`service-target-port-unresolved`'s finding). What does not lead to pods is left out too: resource
and AWS action backends, ExternalName Services, Services without a selector, ports the Service does
not have (the backend rules report those), and cross-namespace backendRefs no ReferenceGrant
allows.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from netlint.api import IngressController, Inventory, Manifest, Path, PodTemplate
from netlint.traffic.controllers import gateway_controller, ingress_class_name, ingress_controller
from netlint.traffic.ingresses import Backend, backends, http_paths, is_alb_action
from netlint.traffic.routes import (
    ROUTE_KINDS,
    ObjectRef,
    backend_refs,
    core_objects,
    gateway_api_objects,
    grant_allows,
    is_gateway_api,
    parent_refs,
)
from netlint.traffic.services import (
    EXTERNAL_NAME,
    ServicePort,
    ports_of,
    service_type,
    string_selector,
    target_ports,
)

INGRESS_CONTROLLER = "ingress-controller"
GATEWAY = "gateway"
IN_CLUSTER = "in-cluster"


@dataclass(frozen=True, slots=True)
class EntryPoint:
    """Where traffic comes from: an ingress controller, a Gateway, or clients in the cluster."""

    kind: str  # INGRESS_CONTROLLER, GATEWAY or IN_CLUSTER
    name: str  # for messages and the map: `ingress-nginx`, `Gateway infra/public`
    controller: IngressController | None  # None: where its pods run is unknown
    gateway: Manifest | None = None

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.name}"


IN_CLUSTER_CLIENTS = EntryPoint(IN_CLUSTER, "in-cluster clients", None)


@dataclass(frozen=True, slots=True)
class Route:
    """The object that routes to a Service port, and where: an Ingress backend, a backendRef."""

    manifest: Manifest  # the Ingress or the route
    path: Path  # of the backend's Service name in it
    label: str  # `shop.example.com/api`, `rules[0]`, `defaultBackend`


@dataclass(frozen=True, slots=True)
class Destination:
    """Pods of one template receiving a Service port's traffic on a container port."""

    template: PodTemplate
    port: int | None  # the container port number; None when a named port declares none
    port_name: str | None  # the container port's name, when the targetPort is a name
    protocol: str


@dataclass(frozen=True, slots=True)
class TrafficPath:
    entry: EntryPoint
    route: Route | None  # None for in-cluster clients
    service: Manifest
    service_port: ServicePort
    destination: Destination


def first_copy(copies: list[Manifest], referrer: Manifest) -> Manifest | None:
    """Of several copies of one object, the one in `referrer`'s own file if any, else the first."""
    for copy in copies:
        if copy.source_path == referrer.source_path:
            return copy
    return copies[0] if copies else None


def destinations(
    service: Manifest, port: ServicePort, inventory: Inventory
) -> Iterator[Destination]:
    """The pods that receive the traffic of `port` of `service`, one per selected template on
    which its targetPort resolves."""
    kind = service_type(service)
    selector = string_selector(service)
    if kind is None or kind == EXTERNAL_NAME or not selector or port.protocol is None:
        return
    for template in inventory.matching_templates(selector, service.namespace):
        target = port.target
        if isinstance(target, int):
            yield Destination(template, target, None, port.protocol)
        elif isinstance(target, str):
            for resolved in (target_ports(port, template) or [])[:1]:
                yield Destination(template, resolved.number, target, port.protocol)


def _service_ports(service: Manifest, number: int | None, name: str | None) -> list[ServicePort]:
    return [
        port
        for port in ports_of(service)
        if (number is not None and port.port == number)
        or (number is None and name is not None and port.name == name)
    ]


def _via_service(
    entry: EntryPoint,
    route: Route,
    service: Manifest,
    ports: list[ServicePort],
    inventory: Inventory,
) -> Iterator[TrafficPath]:
    for port in ports:
        for destination in destinations(service, port, inventory):
            yield TrafficPath(entry, route, service, port, destination)


def ingress_entry(
    ingress: Manifest, inventory: Inventory, controllers: tuple[IngressController, ...]
) -> EntryPoint:
    controller = ingress_controller(ingress, inventory, controllers)
    if controller is not None:
        return EntryPoint(INGRESS_CONTROLLER, controller.name, controller)
    name = ingress_class_name(ingress, inventory)
    shown = f"ingress controller of class {name}" if name else "ingress controller (no class)"
    return EntryPoint(INGRESS_CONTROLLER, shown, None)


def _ingress_label(ingress: Manifest, backend: Backend) -> str:
    for item in http_paths(ingress):
        if item.backend == backend:
            return f"{item.host or '*'}{item.path or '/'}"
    return "defaultBackend"


def ingress_paths(
    ingress: Manifest, inventory: Inventory, controllers: tuple[IngressController, ...]
) -> Iterator[TrafficPath]:
    """The paths of each Service backend of an Ingress (any apiVersion it is served in)."""
    entry = ingress_entry(ingress, inventory, controllers)
    for backend in backends(ingress):
        if backend.is_resource or backend.service is None:
            continue
        if is_alb_action(ingress, backend, inventory):
            continue
        service = first_copy(
            core_objects(inventory, "Service", ingress.namespace, backend.service), ingress
        )
        if service is None:
            continue
        route = Route(ingress, backend.service_path, _ingress_label(ingress, backend))
        ports = _service_ports(service, backend.port_number, backend.port_name)
        yield from _via_service(entry, route, service, ports, inventory)


def gateway_entries(
    route: Manifest, inventory: Inventory, controllers: tuple[IngressController, ...]
) -> list[EntryPoint]:
    """One entry point per parent Gateway of a route (a parent not in the input: unknown)."""
    found: list[EntryPoint] = []
    for ref in parent_refs(route):
        if ref.kind != "Gateway":
            continue
        gateway = first_copy(
            gateway_api_objects(inventory, "Gateway", ref.namespace, ref.name), route
        )
        controller = (
            gateway_controller(gateway, inventory, controllers) if gateway is not None else None
        )
        entry = EntryPoint(GATEWAY, f"Gateway {ref.text()}", controller, gateway)
        if entry not in found:
            found.append(entry)
    return found


def _reachable_ref(route: Manifest, ref: ObjectRef, inventory: Inventory) -> bool:
    if not ref.is_service or ref.port is None:
        return False
    if not ref.explicit_namespace or ref.namespace == route.namespace:
        return True
    return grant_allows(inventory, route, ref.namespace, ref)


def route_paths(
    route: Manifest, inventory: Inventory, controllers: tuple[IngressController, ...]
) -> Iterator[TrafficPath]:
    """The paths of each Service backendRef of a Gateway API route, from each parent Gateway."""
    if not is_gateway_api(route) or route.kind_key not in ROUTE_KINDS:
        return
    entries = gateway_entries(route, inventory, controllers)
    for ref in backend_refs(route):
        if not _reachable_ref(route, ref, inventory):
            continue
        service = first_copy(core_objects(inventory, "Service", ref.namespace, ref.name), route)
        if service is None:
            continue
        at = Route(route, ref.name_path, _route_label(ref))
        ports = _service_ports(service, ref.port, None)
        for entry in entries:
            yield from _via_service(entry, at, service, ports, inventory)


def _route_label(ref: ObjectRef) -> str:
    rule = ref.path[2] if len(ref.path) > 2 else 0
    return f"rules[{rule}]"


def service_paths(service: Manifest, inventory: Inventory) -> Iterator[TrafficPath]:
    """Every port of a Service to its pods, for clients inside the cluster."""
    for port in ports_of(service):
        for destination in destinations(service, port, inventory):
            yield TrafficPath(IN_CLUSTER_CLIENTS, None, service, port, destination)


def traffic_paths(
    inventory: Inventory, controllers: tuple[IngressController, ...]
) -> list[TrafficPath]:
    """Every path of the input: through Ingresses, then routes, then Services directly, each in
    the inventory's order."""
    found: list[TrafficPath] = []
    for ingress in inventory.of_kind("Ingress"):
        found.extend(ingress_paths(ingress, inventory, controllers))
    for kind in sorted(ROUTE_KINDS):
        for route in inventory.of_kind(kind):
            found.extend(route_paths(route, inventory, controllers))
    for service in inventory.of_kind("Service"):
        if service.group == "":
            found.extend(service_paths(service, inventory))
    return found
