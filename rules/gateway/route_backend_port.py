"""`route-backend-port`: a route backendRef port is not a `port` of its Service (GW-02)."""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial

from netlint.api import Diagnostic, Manifest, Rule, RuleContext, RuleMeta, Severity

from .._references import problems_on_every_copy
from ..service._service import EXTERNAL_NAME, port_listing, ports_of, service_type
from ._gateway import ROUTE_DOCS, ROUTE_KINDS, ObjectRef, backend_refs, core_objects, is_gateway_api


class RouteBackendPort(Rule):
    meta = RuleMeta(
        id="route-backend-port",
        severity=Severity.ERROR,
        summary="A route backendRef port is not a port of its Service",
        what=(
            "For each Service `backendRef` of a route whose Service is in the input, checks that "
            "`port` is one of the Service's `spec.ports[].port`, and says so when it is a "
            "`targetPort` (the container's port) instead. A missing `port` is `schema`'s (the "
            "CRD requires it for Service references); an ExternalName Service without ports is "
            "not judged. This is the Gateway API counterpart of `ingress-backend-port-mismatch`."
        ),
        why=(
            "A backendRef names the Service's port, not the Pod's (GW-02). Traffic to a port the "
            "Service does not expose finds no endpoints: the implementation marks the reference "
            "unresolved and answers 500 or 503."
            " Severity: an error, because traffic to that backend cannot flow."
        ),
        example=(
            "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  ports:\n"
            "  - port: 80\n    targetPort: 8080\n---\napiVersion: gateway.networking.k8s.io/v1\n"
            "kind: HTTPRoute\nmetadata:\n  name: web\nspec:\n  parentRefs:\n  - name: gateway\n"
            "  rules:\n  - backendRefs:\n    - name: web\n      port: 8080\n"
        ),
        fix=(
            "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  ports:\n"
            "  - port: 80\n    targetPort: 8080\n---\napiVersion: gateway.networking.k8s.io/v1\n"
            "kind: HTTPRoute\nmetadata:\n  name: web\nspec:\n  parentRefs:\n  - name: gateway\n"
            "  rules:\n  - backendRefs:\n    - name: web\n      port: 80\n"
        ),
        help_uri=ROUTE_DOCS,
        tags=("gateway-api", "reference"),
        facts=("GW-01", "GW-02"),
    )
    kinds = ROUTE_KINDS

    def check(self, manifest: Manifest, ctx: RuleContext) -> Iterator[Diagnostic]:
        if not is_gateway_api(manifest):
            return
        for ref in backend_refs(manifest):
            if not ref.is_service or ref.port is None:
                continue
            copies = core_objects(ctx.inventory, "Service", ref.namespace, ref.name)
            if not copies:
                continue  # route-backend-missing's
            yield from problems_on_every_copy(copies, manifest, partial(self._port, manifest, ref))

    @staticmethod
    def _port(manifest: Manifest, ref: ObjectRef, service: Manifest) -> Iterator[Diagnostic]:
        ports = ports_of(service)
        if not ports and service_type(service) == EXTERNAL_NAME:
            return
        number = ref.port
        if any(port.port == number for port in ports):
            return
        behind = [port.port for port in ports if port.target == number and port.port is not None]
        extra, hint = "", "use one of the Service's port numbers"
        if behind:
            extra = (
                f"; {number} is the Service's targetPort (the container port) behind port "
                f"{behind[0]}"
            )
            hint = f"use port: {behind[0]}: a backendRef names the Service's port, not the Pod's"
        yield Diagnostic(
            ref.port_path,
            f"{manifest.ref} routes to port {number} of {service.ref}, which has no such port "
            f"(ports: {port_listing(ports)}){extra}",
            hint=hint,
        )
