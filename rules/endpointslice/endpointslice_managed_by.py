"""`endpointslice-managed-by`: a hand-written slice that a controller fights (EPS-21..23)."""

from __future__ import annotations

from collections.abc import Iterator

from netlint.api import Diagnostic, Manifest, Rule, RuleContext, RuleMeta, Severity
from netlint.k8s import as_str

from ._endpointslice import (
    CONTROLLER,
    CONTROLLERS,
    MANAGED_BY_LABEL,
    MANAGED_BY_PATH,
    SERVICE_NAME_PATH,
    has_selector,
    same_namespace_service,
)


class EndpointSliceManagedBy(Rule):
    meta = RuleMeta(
        id="endpointslice-managed-by",
        severity=Severity.WARNING,
        summary="A hand-written EndpointSlice claims a controller or serves a selector Service",
        what=(
            "Reports an EndpointSlice in the input whose `endpointslice.kubernetes.io/managed-by` "
            "label claims the EndpointSlice controller (`endpointslice-controller.k8s.io`) or the "
            "mirroring controller, and a slice with another manager for a Service that has a "
            "selector (the controller already makes that Service's slices)."
        ),
        why=(
            "For a Service with a selector, the EndpointSlice controller reconciles every slice "
            "labelled with the Service's name and its own managed-by value: it rewrites or "
            "deletes yours. A slice with another manager is left alone by the controller, but "
            "kube-proxy merges its endpoints with the controller's, so traffic reaches addresses "
            "the selector never chose."
        ),
        example=(
            "apiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\nmetadata:\n  name: db-1\n"
            "  labels:\n    kubernetes.io/service-name: db\n"
            "    endpointslice.kubernetes.io/managed-by: endpointslice-controller.k8s.io\n"
            'addressType: IPv4\nports:\n- port: 5432\nendpoints:\n- addresses: ["10.0.3.17"]\n'
        ),
        fix=(
            "Give a hand-written slice a manager value of your own (`endpointslice.kubernetes.io/"
            "managed-by: team.example.com/db`) and use it only for a Service without a selector."
        ),
        help_uri="https://kubernetes.io/docs/concepts/services-networking/endpoint-slices/#management",
        tags=("endpointslice",),
        facts=("EPS-21", "EPS-22", "EPS-23", "EPS-24"),
    )
    kinds = frozenset({"EndpointSlice"})

    def check(self, manifest: Manifest, ctx: RuleContext) -> Iterator[Diagnostic]:
        manager = as_str(manifest.labels.get(MANAGED_BY_LABEL))
        service = same_namespace_service(manifest, ctx)
        selector = service is not None and has_selector(service)
        if manager in CONTROLLERS:
            if manager == CONTROLLER:
                reason = (
                    "the EndpointSlice controller reconciles every slice carrying its own "
                    "managed-by value and will rewrite or delete this one"
                )
                if service is not None and not selector:
                    reason = (
                        f"{service.ref} has no selector today, but the EndpointSlice "
                        "controller reconciles every slice carrying its own managed-by value: "
                        "this one is rewritten or deleted as soon as the Service gets a selector"
                    )
            else:
                reason = (
                    "the mirroring controller owns slices with that value and deletes those "
                    "that mirror no Endpoints object"
                )
            yield Diagnostic(
                MANAGED_BY_PATH,
                f"{manifest.ref} claims {MANAGED_BY_LABEL}: {manager}: {reason}",
                hint=f"set {MANAGED_BY_LABEL} to a value of your own (e.g. your team's domain "
                "and the tool that writes the slice)",
            )
            return
        if service is not None and selector:
            yield Diagnostic(
                SERVICE_NAME_PATH,
                f"{manifest.ref} is written by hand for {service.ref}, "
                "which has a selector: the EndpointSlice controller makes that Service's slices "
                "and kube-proxy merges these endpoints with the ones the selector chose",
                hint="remove the Service's selector if these are its only endpoints, or point "
                "the slice at a Service without a selector",
            )
