"""`route-backend-missing`: a route backendRef names a Service that is not where it resolves."""

from __future__ import annotations

from collections.abc import Iterator

from netlint.api import Diagnostic, Manifest, Rule, RuleContext, RuleMeta, Severity
from netlint.k8s import compatible, namespaces_text, qualified

from ._gateway import (
    CORE,
    ROUTE_DOCS,
    ROUTE_KINDS,
    backend_refs,
    core_objects,
    is_gateway_api,
)


class RouteBackendMissing(Rule):
    meta = RuleMeta(
        id="route-backend-missing",
        severity=Severity.WARNING,
        summary="A route backendRef names a Service that is not in the namespace it resolves to",
        what=(
            "Checks every Service `backendRef` of an HTTPRoute, GRPCRoute, TLSRoute, TCPRoute or "
            "UDPRoute (`rules[].backendRefs[]` and `requestMirror` backends): the Service must "
            "exist in the ref's `namespace`, which defaults to the route's own. A Service that "
            "exists only in other namespaces is an error; one that is nowhere in the linted "
            "files is a warning, unless config `external: {services: [...]}` declares it. "
            "Backends of other kinds (implementation-specific CRDs) are not checked. This is "
            "the Gateway API counterpart of `ingress-backend-service-missing`."
        ),
        why=(
            "The API server does not resolve references (GW-04): the route is accepted, its "
            "`ResolvedRefs` condition becomes False with reason `BackendNotFound`, and the "
            "implementation answers 500 to the requests that backend should have served."
        ),
        example=(
            "apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata:\n  name: web\n"
            "  namespace: shop\nspec:\n  parentRefs:\n  - name: gateway\n  rules:\n"
            "  - backendRefs:\n    - name: web\n      port: 80\n---\napiVersion: v1\n"
            "kind: Service\n"
            "metadata:\n  name: web\n  namespace: default\nspec:\n  ports: [{port: 80}]\n"
        ),
        fix=(
            "apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata:\n  name: web\n"
            "  namespace: shop\nspec:\n  parentRefs:\n  - name: gateway\n  rules:\n"
            "  - backendRefs:\n    - name: web\n      port: 80\n---\napiVersion: v1\n"
            "kind: Service\n"
            "metadata:\n  name: web\n  namespace: shop\nspec:\n  ports: [{port: 80}]\n"
        ),
        help_uri=ROUTE_DOCS,
        tags=("gateway-api", "reference"),
        facts=("GW-01", "GW-04"),
    )
    kinds = ROUTE_KINDS

    def check(self, manifest: Manifest, ctx: RuleContext) -> Iterator[Diagnostic]:
        if not is_gateway_api(manifest):
            return
        for ref in backend_refs(manifest):
            if not ref.is_service:
                continue
            if core_objects(ctx.inventory, "Service", ref.namespace, ref.name):
                continue
            if ctx.settings.external.declares("services", ref.namespace, ref.name):
                continue
            elsewhere = [
                m
                for m in ctx.inventory.named_anywhere("Service", ref.name)
                if m.group == CORE and not compatible(m.namespace, ref.namespace)
            ]
            if elsewhere:
                where = namespaces_text(elsewhere)
                first = elsewhere[0].namespace
                yield Diagnostic(
                    ref.name_path,
                    f"{manifest.ref} routes to Service {ref.name!r} in namespace {ref.namespace}, "
                    f"which is not there but exists in {where}; a backendRef resolves in "
                    f"{'its own namespace' if ref.explicit_namespace else 'the route namespace'}",
                    severity=Severity.ERROR,
                    hint=(
                        f"set `namespace: {first}` on the backendRef and add a ReferenceGrant in "
                        f"{first}, or create the Service in namespace {ref.namespace}"
                    ),
                )
                continue
            yield Diagnostic(
                ref.name_path,
                f"{manifest.ref} routes to Service {qualified(ref.namespace, ref.name)}, which is "
                "not found in the linted files",
                hint=(
                    "lint it together with the Service's manifest (or pass it with --context), or "
                    f"declare it: external: {{services: [{qualified(ref.namespace, ref.name)}]}}"
                ),
            )
