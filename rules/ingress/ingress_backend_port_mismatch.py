"""`ingress-backend-port-mismatch`: the backend port is not a port of the Service."""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial

from netlint.api import Diagnostic, Manifest, Rule, RuleContext, RuleMeta, Severity
from netlint.k8s import iana_port_name_problems

from .._references import problems_on_every_copy
from ..service._service import EXTERNAL_NAME, port_listing, ports_of, service_type
from ._ingress import INGRESS_DOCS, Backend, backends, is_alb_action


class IngressBackendPortMismatch(Rule):
    meta = RuleMeta(
        id="ingress-backend-port-mismatch",
        severity=Severity.ERROR,
        summary="An Ingress backend port is not a port of its Service",
        what=(
            "For each Service backend whose Service is in the input, checks that "
            "`service.port.number` is one of the Service's `spec.ports[].port` (saying so when it "
            "is a `targetPort` instead) and that `service.port.name` is one of its port names. "
            "A port name that is not a valid IANA service name (at most 15 characters, a "
            "letter, no `--`) is `ingress-backend-format`'s: the API server refuses it."
        ),
        why=(
            "The Ingress routes to the Service's port, not the container's: a targetPort or an "
            "unknown name leaves the controller without endpoints (ingress-nginx answers 503)."
            " Severity: an error, because traffic to that backend cannot flow."
        ),
        example=(
            "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  ports:\n"
            "  - port: 80\n    targetPort: 8080\n---\napiVersion: networking.k8s.io/v1\n"
            "kind: Ingress\nmetadata:\n  name: web\nspec:\n  ingressClassName: nginx\n"
            "  defaultBackend:\n    service: {name: web, port: {number: 8080}}\n"
        ),
        fix="Use the Service's `port` (here 80), or one of its port names.",
        help_uri=INGRESS_DOCS,
        tags=("ingress", "reference"),
        facts=("ING-15", "ING-16", "ING-17", "ING-18"),
        gateway_counterpart="route-backend-port",
    )
    kinds = frozenset({"Ingress"})
    # A finding needs every copy of the Service to lack the port: more copies, fewer findings.
    settles_locally = True

    def check(self, manifest: Manifest, ctx: RuleContext) -> Iterator[Diagnostic]:
        for backend in backends(manifest):
            if (
                backend.is_resource
                or backend.service is None
                or is_alb_action(manifest, backend, ctx.inventory)
            ):
                continue
            # Asked first: the per-file stage defers the check before it does anything else.
            copies = ctx.inventory.all_named("Service", manifest.namespace, backend.service)
            if backend.port_name is not None and iana_port_name_problems(backend.port_name):
                continue  # not a port name the API server accepts: ingress-backend-format
            if not copies:
                continue  # missing: ingress-backend-service-missing
            yield from problems_on_every_copy(
                copies, manifest, partial(self._port, manifest, backend)
            )

    @staticmethod
    def _port(manifest: Manifest, backend: Backend, service: Manifest) -> Iterator[Diagnostic]:
        ports = ports_of(service)
        if not ports and service_type(service) == EXTERNAL_NAME:
            return  # an ExternalName Service without ports: the port goes to the external name
        if backend.port_number is not None:
            number = backend.port_number
            if any(port.port == number for port in ports):
                return
            targets = [port.port for port in ports if port.target == number]
            extra = ""
            hint = None
            if targets and targets[0] is not None:
                extra = (
                    f"; {number} is the Service's targetPort (the container port) for port "
                    f"{targets[0]}"
                )
                hint = f"use port number {targets[0]}: an Ingress routes to the Service's port"
            yield Diagnostic(
                backend.port_path,
                f"{manifest.ref} routes to port {number} of {service.ref}, which has no such "
                f"port (ports: {port_listing(ports)}){extra}",
                hint=hint,
            )
        elif backend.port_name is not None:
            name = backend.port_name
            if any(port.name == name for port in ports):
                return
            targets = [port.port for port in ports if port.target == name]
            extra = ""
            if targets and targets[0] is not None:
                extra = (
                    f"; {name!r} is the name of the targetPort (a container port) behind port "
                    f"{targets[0]}"
                )
            yield Diagnostic(
                backend.port_path,
                f"{manifest.ref} routes to port {name!r} of {service.ref}, which has no port "
                f"of that name (ports: {port_listing(ports)}){extra}",
                hint="use one of the Service's port names or numbers",
            )
