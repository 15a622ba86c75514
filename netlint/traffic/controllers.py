"""Which controller carries the traffic of an Ingress or a Gateway, and where its pods run
(config `traffic.ingress-controllers:`, `Settings.ingress_controllers`).

A class is matched by its object when the input holds it (an IngressClass's `spec.controller`, a
GatewayClass's `spec.controllerName`), else by its name. An entry that lists `controllers` serves a
class object of the input only when the controller matches: an IngressClass called `nginx` whose
controller is `nginx.org/ingress-controller` (NGINX Inc.'s) is not ingress-nginx's. No entry, or
no class at all: unknown, and callers report nothing.
"""

from __future__ import annotations

from collections.abc import Sequence

from netlint.api import IngressController, Inventory, Manifest
from netlint.k8s import as_str, dig
from netlint.traffic.ingresses import effective_class
from netlint.traffic.routes import is_gateway_api


def _serves(entry: IngressController, name: str, controller: str | None) -> bool:
    if controller is not None and entry.controllers:
        return controller in entry.controllers
    return name in entry.classes


def _first_serving(
    entries: Sequence[IngressController], name: str, controller: str | None
) -> IngressController | None:
    for entry in entries:
        if _serves(entry, name, controller):
            return entry
    return None


def ingress_class_name(ingress: Manifest, inventory: Inventory) -> str | None:
    """The class that serves the Ingress: `ingressClassName`, else the deprecated annotation,
    else the default IngressClass of the input."""
    return effective_class(ingress, inventory)


def ingress_controller(
    ingress: Manifest, inventory: Inventory, entries: Sequence[IngressController]
) -> IngressController | None:
    """The configured controller that serves `ingress`; None when the class or its controller
    is unknown."""
    name = ingress_class_name(ingress, inventory)
    if name is None:
        return None
    controller: str | None = None
    ingress_class = inventory.get("IngressClass", None, name)
    if ingress_class is not None:
        controller = as_str(dig(ingress_class.data, "spec", "controller"))
    return _first_serving(entries, name, controller)


def gateway_controller(
    gateway: Manifest, inventory: Inventory, entries: Sequence[IngressController]
) -> IngressController | None:
    """The configured controller whose data plane carries the traffic of `gateway`."""
    name = as_str(dig(gateway.data, "spec", "gatewayClassName"))
    if not name:
        return None
    controller: str | None = None
    for gateway_class in inventory.all_named("GatewayClass", None, name):
        if is_gateway_api(gateway_class):
            controller = as_str(dig(gateway_class.data, "spec", "controllerName"))
            break
    return _first_serving(entries, name, controller)
