"""`route-externalname-backend`: a route backendRef is an ExternalName Service (GW-05)."""

from __future__ import annotations

from collections.abc import Iterator

from netlint.api import Diagnostic, Manifest, Rule, RuleContext, RuleMeta, Severity
from netlint.k8s import as_str, dig

from ..service._service import EXTERNAL_NAME, service_type
from ._gateway import ROUTE_KINDS, SPEC_DOCS, backend_refs, core_objects, is_gateway_api


class RouteExternalNameBackend(Rule):
    meta = RuleMeta(
        id="route-externalname-backend",
        severity=Severity.WARNING,
        summary="A route backendRef is an ExternalName Service",
        what=(
            "Checks every Service `backendRef` of a route whose Service is in the input: a "
            "Service of `type: ExternalName` is reported (any copy of it, when the input holds "
            "several)."
        ),
        why=(
            "The Gateway API says implementations SHOULD NOT support ExternalName Services "
            "(GW-05): an ExternalName backend lets whoever can create a Service in the route's "
            "namespace send the gateway's traffic, with its credentials, to any host, including "
            "ones inside the cluster that the route's author could not reach (CVE-2021-25740). "
            "Most implementations refuse it (`ResolvedRefs=False`), so the backend gets no "
            "traffic; the rest make the route depend on behaviour the specification discourages."
        ),
        example=(
            "apiVersion: v1\nkind: Service\nmetadata:\n  name: payments\nspec:\n"
            "  type: ExternalName\n  externalName: payments.example.com\n---\n"
            "apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata:\n  name: pay\n"
            "spec:\n  parentRefs:\n  - name: gateway\n  rules:\n  - backendRefs:\n"
            "    - name: payments\n      port: 443\n"
        ),
        fix=(
            "Route to a Service with a selector (or with EndpointSlices you manage), or use the "
            "implementation's own backend resource for external hosts (for example Envoy "
            "Gateway's `Backend`) where its operators allow it."
        ),
        help_uri=SPEC_DOCS,
        tags=("gateway-api", "reference", "security"),
        security_severity=3.1,
        facts=("GW-05",),
    )
    kinds = ROUTE_KINDS

    def check(self, manifest: Manifest, ctx: RuleContext) -> Iterator[Diagnostic]:
        if not is_gateway_api(manifest):
            return
        for ref in backend_refs(manifest):
            if not ref.is_service:
                continue
            for service in core_objects(ctx.inventory, "Service", ref.namespace, ref.name):
                if service_type(service) != EXTERNAL_NAME:
                    continue
                target = as_str(dig(service.data, "spec", "externalName")) or "?"
                yield Diagnostic(
                    ref.name_path,
                    f"{manifest.ref} routes to {service.ref}, an ExternalName Service (to "
                    f"{target}); Gateway API implementations should not support ExternalName "
                    "backends (CVE-2021-25740), and most refuse them",
                    hint="route to a Service with a selector or managed EndpointSlices instead",
                )
                break
