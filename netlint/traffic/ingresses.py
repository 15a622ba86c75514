"""The backends of an Ingress and the class that serves it, read as the API server and the
controllers read them.

Ingresses are read in their v1 shape (`spec.defaultBackend`, `backend.service.name`,
`backend.service.port.number|name`, reference §2) and in the legacy `extensions/v1beta1` and
`networking.k8s.io/v1beta1` shape (`spec.backend`, `backend.serviceName`, `backend.servicePort`,
reference §4). Values of the wrong type come back as None: they are the `schema` rule's problem.
The Ingress rules (`rules/ingress/_ingress.py` re-exports these) and the traffic paths share them.
"""

from __future__ import annotations

from dataclasses import dataclass

from netlint.api import Inventory, Manifest, Node, Path
from netlint.k8s import as_int, as_str, dig, items_at, spec_of
from netlint.model.shared_paths import shared, shared_text
from netlint.pickling import tuple_pickled

CLASS_ANNOTATION = "kubernetes.io/ingress.class"
DEFAULT_CLASS_ANNOTATION = "ingressclass.kubernetes.io/is-default-class"
ALB_ACTION_PREFIX = "alb.ingress.kubernetes.io/actions."
ALB_ACTION_PORT = "use-annotation"
# An AWS Load Balancer Controller IngressGroup: the Ingresses of one group share one ALB and its
# rules; an Ingress without it has an ALB of its own.
ALB_GROUP_ANNOTATION = "alb.ingress.kubernetes.io/group.name"
IMPLEMENTATION_SPECIFIC = "ImplementationSpecific"


def is_legacy(manifest: Manifest) -> bool:
    """`extensions/v1beta1` or `networking.k8s.io/v1beta1`: v1beta1 field names."""
    return manifest.api_version.endswith("/v1beta1")


def annotation(manifest: Manifest, key: str) -> str | None:
    return as_str(manifest.annotations.get(key))


@tuple_pickled  # a fact of its Ingress (`Manifest.fact`), pickled with it
@dataclass(frozen=True, slots=True)
class Backend:
    """One backend of an Ingress (a path's, or the default one)."""

    path: Path  # of the backend mapping
    service: str | None  # the Service name; None for a resource backend or a wrong type
    service_path: Path  # of the Service name value
    port_number: int | None
    port_name: str | None
    port_path: Path  # of the port value (number or name)
    is_resource: bool
    # A resource backend's `apiGroup`, `kind` and `name` ("" where absent); None if it is no
    # resource backend, or its `kind` or `name` is not a string.
    resource: tuple[str, str, str] | None = None

    @property
    def port_text(self) -> str:
        if self.port_number is not None:
            return str(self.port_number)
        return self.port_name if self.port_name is not None else "?"

    def key(self) -> tuple[str, str, str]:
        """What identifies where traffic goes, for conflict checks."""
        if self.is_resource:
            if self.resource is None:  # not an object netlint can name: only itself
                return ("resource", "", str(self.path))
            group, kind, name = self.resource
            return ("resource", f"{kind}.{group}", name)
        return ("service", self.service or "", self.port_text)

    def describe(self) -> str:
        if self.is_resource:
            if self.resource is None:
                return "a resource backend"
            return f"resource {self.resource[1]} {self.resource[2]}"
        name = self.service if self.service is not None else "(no name)"
        return f"Service {name}:{self.port_text}"


def _backend(node: Node, path: Path, legacy: bool) -> Backend | None:
    if not isinstance(node, dict):
        return None
    path = shared(path)  # kept with the Ingress for the whole run, as the paths below
    if legacy:
        service = shared_text(as_str(node.get("serviceName")))
        port = node.get("servicePort")
        resource = isinstance(node.get("resource"), dict) and service is None
        return Backend(
            path,
            service,
            shared((*path, "serviceName")),
            as_int(port),
            as_str(port),
            shared((*path, "servicePort")),
            resource,
            _resource(node) if resource else None,
        )
    service_node = node.get("service")
    if not isinstance(service_node, dict):
        resource = isinstance(node.get("resource"), dict)
        return Backend(
            path, None, path, None, None, path, resource, _resource(node) if resource else None
        )
    port_node = service_node.get("port")
    number = as_int(dig(port_node, "number"))
    name = as_str(dig(port_node, "name"))
    port_key = "number" if number is not None else "name"
    return Backend(
        path,
        shared_text(as_str(service_node.get("name"))),
        shared((*path, "service", "name")),
        number,
        shared_text(name),
        shared((*path, "service", "port", port_key)),
        False,
    )


def _resource(node: dict[str, Node]) -> tuple[str, str, str] | None:
    """`backend.resource` as (apiGroup, kind, name): the object it names."""
    resource = node.get("resource")
    kind, name = as_str(dig(resource, "kind")), as_str(dig(resource, "name"))
    if kind is None or name is None:
        return None
    return (as_str(dig(resource, "apiGroup")) or "", kind, name)


@tuple_pickled  # a fact of its Ingress (`Manifest.fact`), pickled with it
@dataclass(frozen=True, slots=True)
class HttpPath:
    """One `spec.rules[i].http.paths[j]` item."""

    rule_index: int
    index: int
    item_path: Path  # ("spec", "rules", i, "http", "paths", j)
    host: str  # "" when the rule has no host (every host)
    path: str | None  # None when absent or not a string
    path_type: str | None  # defaulted for v1beta1 (ImplementationSpecific); None if missing in v1
    backend: Backend | None

    @property
    def path_node(self) -> Path:
        return (*self.item_path, "path")


def default_backend(manifest: Manifest) -> Backend | None:
    if is_legacy(manifest):
        return _backend(spec_of(manifest).get("backend"), ("spec", "backend"), True)
    return _backend(spec_of(manifest).get("defaultBackend"), ("spec", "defaultBackend"), False)


def http_paths(manifest: Manifest) -> tuple[HttpPath, ...]:
    """Every `spec.rules[].http.paths[]` item; most Ingress rules read them, so they are parsed
    once per object."""
    return manifest.fact("ingress:http-paths", _parse_http_paths)


def _parse_http_paths(manifest: Manifest) -> tuple[HttpPath, ...]:
    legacy = is_legacy(manifest)
    found: list[HttpPath] = []
    for r_index, rule in items_at(spec_of(manifest), "rules"):
        host = shared_text(as_str(dig(rule, "host"))) or ""
        for p_index, item in items_at(rule, "http", "paths"):
            if not isinstance(item, dict):
                continue
            item_path: Path = shared(("spec", "rules", r_index, "http", "paths", p_index))
            type_node = item.get("pathType")
            path_type = as_str(type_node)
            if type_node is None and legacy:
                path_type = IMPLEMENTATION_SPECIFIC
            found.append(
                HttpPath(
                    r_index,
                    p_index,
                    item_path,
                    host,
                    shared_text(as_str(item.get("path"))),
                    shared_text(path_type),
                    _backend(item.get("backend"), (*item_path, "backend"), legacy),
                )
            )
    return tuple(found)


def backends(manifest: Manifest) -> tuple[Backend, ...]:
    """Every backend: the default one first, then each path's."""
    return manifest.fact("ingress:backends", _collect_backends)


def _collect_backends(manifest: Manifest) -> tuple[Backend, ...]:
    default = default_backend(manifest)
    found = [item.backend for item in http_paths(manifest) if item.backend is not None]
    return tuple(found) if default is None else (default, *found)


def is_alb_action(manifest: Manifest, backend: Backend, inventory: Inventory) -> bool:
    """An AWS Load Balancer Controller action: port `use-annotation` + `actions.<service>`.

    Argo Rollouts writes that annotation itself at run time for the `rootService` (else the
    `stableService`) of a Rollout whose `trafficRouting.alb` names the Ingress.
    """
    if backend.port_name != ALB_ACTION_PORT or backend.service is None:
        return False
    if ALB_ACTION_PREFIX + backend.service in manifest.annotations:
        return True
    return (manifest.namespace, manifest.name, backend.service) in _rollout_alb_actions(inventory)


def _rollout_alb_actions(inventory: Inventory) -> frozenset[tuple[str | None, str, str]]:
    def build(inv: Inventory) -> frozenset[tuple[str | None, str, str]]:
        found: set[tuple[str | None, str, str]] = set()
        for rollout in inv.of_kind("Rollout"):
            alb = dig(rollout.data, "spec", "strategy", "canary", "trafficRouting", "alb")
            service = as_str(dig(alb, "rootService")) or as_str(
                dig(rollout.data, "spec", "strategy", "canary", "stableService")
            )
            if service is None:
                continue
            names = [as_str(dig(alb, "ingress"))]
            names.extend(as_str(node) for _, node in items_at(alb, "ingresses"))
            for name in names:
                if name:
                    found.add((rollout.namespace, name, service))
        return frozenset(found)

    return inventory.memo("ingress:rollout-alb-actions", build)


def class_field(manifest: Manifest) -> str | None:
    return as_str(spec_of(manifest).get("ingressClassName")) or None


def class_annotation(manifest: Manifest) -> str | None:
    return annotation(manifest, CLASS_ANNOTATION) or None


def is_default_class(ingress_class: Manifest) -> bool:
    """The DefaultIngressClass admission plugin wants exactly the string "true" (ING-27)."""
    return annotation(ingress_class, DEFAULT_CLASS_ANNOTATION) == "true"


def default_classes(inventory: Inventory) -> list[Manifest]:
    """Default IngressClasses of the input, one per name (copies in several files count once)."""

    def build(inv: Inventory) -> list[Manifest]:
        by_name: dict[str, Manifest] = {}
        for ingress_class in inv.of_kind("IngressClass"):
            if is_default_class(ingress_class):
                by_name.setdefault(ingress_class.name, ingress_class)
        return [by_name[name] for name in sorted(by_name)]

    return inventory.memo("ingress:default-classes", build)


def effective_class(manifest: Manifest, inventory: Inventory) -> str | None:
    """The class the Ingress ends up with: the field, else the annotation, else the default."""
    chosen = class_field(manifest) or class_annotation(manifest)
    if chosen is not None:
        return chosen
    defaults = default_classes(inventory)
    # Since 1.25 the newest default wins; the input cannot tell which is newest: the first.
    return defaults[0].name if defaults else None
