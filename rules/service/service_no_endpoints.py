"""`service-no-endpoints`: a Service without selector and without EndpointSlice or Endpoints."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from netlint.api import Diagnostic, Inventory, Manifest, Rule, RuleContext, RuleMeta, Severity
from netlint.k8s import as_map, as_str, capped, compatible, dig, qualified

from ..endpointslice._endpointslice import SERVICE_NAME_LABEL
from ._service import EXTERNAL_NAME, SERVICE_DOCS, service_type

_SlicesByService = dict[str, list[Manifest]]


def _slices_by_service(inventory: Inventory) -> _SlicesByService:
    """kubernetes.io/service-name -> the EndpointSlices carrying it, in any namespace."""
    index: _SlicesByService = defaultdict(list)
    for eps in inventory.of_kind("EndpointSlice"):
        service = as_str(eps.labels.get(SERVICE_NAME_LABEL))
        if service:
            index[service].append(eps)
    return index


class ServiceNoEndpoints(Rule):
    meta = RuleMeta(
        id="service-no-endpoints",
        severity=Severity.WARNING,
        summary="A Service without selector has no EndpointSlice or Endpoints in the input",
        what=(
            "Reports a Service that has no `spec.selector` (and is not ExternalName) when the "
            "input holds neither an EndpointSlice labelled `kubernetes.io/service-name: <name>` "
            "nor an Endpoints object of the same name in its namespace."
        ),
        why=(
            "Without a selector, Kubernetes creates no endpoints for the Service: someone must "
            "write them. If nobody does, the Service has a cluster IP that leads nowhere. Often "
            "the selector was forgotten, or the EndpointSlice lives in another file or is "
            "created by a controller."
        ),
        example=(
            "apiVersion: v1\nkind: Service\nmetadata:\n  name: db\nspec:\n  ports:\n"
            "  - port: 5432\n"
        ),
        fix=(
            "Add a selector (`selector: {app: db}`), or ship the EndpointSlice with label "
            "`kubernetes.io/service-name: db` beside the Service."
        ),
        help_uri=SERVICE_DOCS + "#services-without-selectors",
        tags=("service", "reference"),
        facts=("SVC-37",),
    )
    kinds = frozenset({"Service"})

    def check(self, manifest: Manifest, ctx: RuleContext) -> Iterator[Diagnostic]:
        kind = service_type(manifest)
        if kind is None or kind == EXTERNAL_NAME:
            return
        if dig(manifest.data, "spec", "selector") not in (None, {}):
            return  # a selector (of any shape: a wrong one is another rule's finding)
        inventory = ctx.inventory
        namespace, name = manifest.namespace, manifest.name
        slices = inventory.memo("service-no-endpoints.slices", _slices_by_service).get(name, [])
        if inventory.get("Endpoints", namespace, name) or any(
            compatible(eps.namespace, namespace) for eps in slices
        ):
            return
        elsewhere = sorted(
            {m.namespace or "" for m in inventory.named_elsewhere("Endpoints", namespace, name)}
            | {eps.namespace or "" for eps in slices}  # none compatible, so all elsewhere
        )
        where = (
            f"; there are some for {name} in "
            f"{'namespace' if len(elsewhere) == 1 else 'namespaces'} "
            f"{capped(elsewhere, len(elsewhere))}, which do not count for namespace {namespace}"
            if elsewhere
            else ""
        )
        spec = as_map(dig(manifest.data, "spec"))
        yield Diagnostic(
            ("spec",) if spec is not None else ("metadata", "name"),
            f"{manifest.ref} has no selector and the linted files hold no EndpointSlice "
            f"(label {SERVICE_NAME_LABEL}={name}) or Endpoints {qualified(namespace, name)} for it{where}: "
            "it has no endpoints",
            on_key=True,
            hint=(
                "add spec.selector matching the pods, or add an EndpointSlice labelled "
                f"{SERVICE_NAME_LABEL}: {name}"
            ),
        )
