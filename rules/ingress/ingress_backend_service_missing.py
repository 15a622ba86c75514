"""`ingress-backend-service-missing`: a backend Service is not in the Ingress's namespace."""

from __future__ import annotations

from collections.abc import Iterator

from netlint.api import Diagnostic, Manifest, Rule, RuleContext, RuleMeta, Severity
from netlint.k8s import dns1035_label_problems, qualified, resolve

from ._ingress import backends, is_alb_action, is_legacy


class IngressBackendServiceMissing(Rule):
    meta = RuleMeta(
        id="ingress-backend-service-missing",
        severity=Severity.WARNING,
        summary="An Ingress backend names a Service that is not in the Ingress's namespace",
        what=(
            "Checks every Service backend of an Ingress, in `spec.rules[].http.paths[]` and in "
            "`spec.defaultBackend` (and the v1beta1 `serviceName` form). A Service that exists "
            "only in another namespace is an error; one that is nowhere in the linted files is a "
            "warning, unless config `external: {services: [...]}` declares it. `resource` "
            "backends and AWS Load Balancer Controller actions (port name `use-annotation` with an "
            "`alb.ingress.kubernetes.io/actions.<name>` annotation) are not Services and are "
            "skipped, and so is a name that is not a Service name (`ingress-backend-format`)."
        ),
        why=(
            "The API server does not check backends (ING-18). An Ingress can only route to "
            "Services of its own namespace; a missing Service makes the controller answer 503 "
            "(ingress-nginx) or drop the route."
        ),
        example=(
            "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: web\n"
            "  namespace: shop\nspec:\n  ingressClassName: nginx\n  defaultBackend:\n"
            "    service: {name: web, port: {number: 80}}\n---\napiVersion: v1\nkind: Service\n"
            "metadata:\n  name: web\n  namespace: default\nspec:\n  ports: [{port: 80}]\n"
        ),
        fix=(
            "Move the Ingress into the Service's namespace (or the Service into the Ingress's), "
            "or point the backend at a Service of the Ingress's namespace."
        ),
        help_uri="https://kubernetes.io/docs/concepts/services-networking/ingress/#the-ingress-resource",
        tags=("ingress", "reference"),
        facts=("ING-13", "ING-14", "ING-18", "ING-20"),
        gateway_counterpart="route-backend-missing",
    )
    kinds = frozenset({"Ingress"})
    settles_locally = True  # it reports only a Service that is missing

    def check(self, manifest: Manifest, ctx: RuleContext) -> Iterator[Diagnostic]:
        for backend in backends(manifest):
            if (
                backend.is_resource
                or backend.service is None
                # Not a Service name (ingress-backend-format): no Service can be called that.
                or (not is_legacy(manifest) and dns1035_label_problems(backend.service))
                or is_alb_action(manifest, backend, ctx.inventory)
            ):
                continue
            found = resolve(ctx, "Service", manifest.namespace, backend.service, "services")
            if found.found:
                continue
            if found.elsewhere:
                yield Diagnostic(
                    backend.service_path,
                    f"{manifest.ref} routes to Service {backend.service!r}, which is not in "
                    f"namespace {manifest.namespace} but exists in {found.elsewhere_text()}; an "
                    "Ingress can only use Services of its own namespace",
                    severity=Severity.ERROR,
                    hint=(
                        f"move the Ingress to {found.elsewhere_text()}, or add a Service "
                        f"{backend.service} to namespace {manifest.namespace} (an ExternalName "
                        "Service can point across namespaces)"
                    ),
                )
                continue
            yield Diagnostic(
                backend.service_path,
                f"{manifest.ref} routes to Service {qualified(manifest.namespace, backend.service)}, which "
                "is not found in the linted files",
                hint=(
                    "lint it together with the Service's manifest (or pass it with --context), or "
                    f"declare it: external: {{services: [{qualified(manifest.namespace, backend.service)}]}}"
                ),
            )
