"""An example Python rule pack for netlint: a cross-resource rule that uses the inventory.

    netlint check k8s/ --rules examples/packs/readiness_pack.py

`ingress-backend-readiness` follows each Ingress backend to its Service and from the Service's
selector to the pod templates it selects, and reports containers without a readinessProbe: such
pods receive traffic from the Ingress controller as soon as they start, before the application
can answer. JSON Schema cannot say this (it needs three objects), so it is Python.

A pack is one module with an explicit `RULES` list; netlint imports exactly this file.
"""

from __future__ import annotations

from collections.abc import Iterator

from netlint.api import Diagnostic, Manifest, Path, Rule, RuleContext, RuleMeta, Severity
from netlint.k8s import as_str, dig, items_at, string_map


def _backends(manifest: Manifest) -> Iterator[tuple[Path, str]]:
    """(path of the Service name, Service name) of every backend of an Ingress (v1)."""
    name = as_str(dig(manifest.data, "spec", "defaultBackend", "service", "name"))
    if name:
        yield ("spec", "defaultBackend", "service", "name"), name
    for r_index, rule in items_at(manifest.data, "spec", "rules"):
        for p_index, item in items_at(rule, "http", "paths"):
            name = as_str(dig(item, "backend", "service", "name"))
            if name:
                path: Path = ("spec", "rules", r_index, "http", "paths", p_index)
                yield (*path, "backend", "service", "name"), name


class IngressBackendReadiness(Rule):
    meta = RuleMeta(
        id="ingress-backend-readiness",
        severity=Severity.WARNING,
        summary="An Ingress routes to pods without a readinessProbe",
        what=(
            "Follows every Ingress backend to its Service and the pod templates the Service "
            "selects, and reports containers that declare no `readinessProbe`."
        ),
        why=(
            "Without a readiness probe a pod is ready as soon as its containers start, so the "
            "Ingress controller sends it requests before the application listens: errors on "
            "every rollout and scale-up."
        ),
        example=(
            "kind: Ingress ... backend: {service: {name: api, port: {number: 80}}}\n"
            "kind: Deployment ... containers: [{name: api, image: api:1}]  # no readinessProbe\n"
        ),
        fix="Give the container a `readinessProbe` (httpGet on a health endpoint).",
        help_uri=(
            "https://kubernetes.io/docs/tasks/configure-pod-container/"
            "configure-liveness-readiness-startup-probes/"
        ),
        tags=("ingress", "workload"),
    )
    kinds = frozenset({"Ingress"})

    def check(self, manifest: Manifest, ctx: RuleContext) -> Iterator[Diagnostic]:
        for path, service_name in _backends(manifest):
            service = ctx.inventory.get("Service", manifest.namespace, service_name)
            if service is None:
                continue  # ingress-backend-service-missing reports it
            selector = string_map(dig(service.data, "spec", "selector"))
            for template in ctx.inventory.matching_templates(selector, manifest.namespace):
                spec_path = (*template.path, "spec", "containers")
                for _, container in items_at(template.owner.data, *spec_path):
                    if dig(container, "readinessProbe") is not None:
                        continue
                    name = as_str(dig(container, "name")) or "?"
                    yield Diagnostic(
                        path,
                        f"{manifest.ref} routes to {service.ref}, whose pods "
                        f"({template.owner.ref}) have container {name!r} without a "
                        "readinessProbe: they get traffic before they are ready",
                        hint=f"add a readinessProbe to container {name!r} of {template.owner.ref}",
                    )


RULES = [IngressBackendReadiness()]
