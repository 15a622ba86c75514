"""`ingress-backend-format`: an Ingress backend the API server refuses when it is created."""

from __future__ import annotations

from collections.abc import Iterator

from netlint.api import Diagnostic, Manifest, Rule, RuleContext, RuleMeta, Severity
from netlint.k8s import ErrorType, FieldError, refusal

from ._ingress import INGRESS_DOCS, ingress_refusals
from ._ingress_validation import BACKEND_RULE, BOTH_BACKENDS, BOTH_PORTS, NO_BACKEND, NO_PORT


def _hint(error: FieldError) -> str | None:
    field = error.path[-1]
    if error.detail == BOTH_BACKENDS:
        return "keep one of service and resource: a backend is a Service or a resource, not both"
    if error.detail == NO_BACKEND:
        return "give the backend a service (name and port) or a resource (kind and name)"
    if error.detail == BOTH_PORTS:
        return "keep one of service.port.name and service.port.number"
    if error.detail == NO_PORT:
        return "set service.port.number to the Service's port, or service.port.name to its name"
    if field == "number":
        return "use the Service's port number, from 1 to 65535"
    if field == "name" and "port" in error.path:
        return (
            "a port name is an IANA service name: at most 15 characters, lowercase letters, "
            "digits and single hyphens, at least one letter; or use the port number"
        )
    if field == "name" and "service" in error.path:
        if error.type is ErrorType.REQUIRED:
            return "name the Service the backend routes to"
        return "a Service name is a DNS-1035 label: lowercase letters, digits and '-', starting with a letter"
    if field == "apiGroup":
        return (
            'write the API group of the resource, such as k8s.example.com ("" for the core group)'
        )
    if "resource" in error.path:
        return "kind and name name the resource: no '/' or '%', not '.' or '..'"
    return None


class IngressBackendFormat(Rule):
    meta = RuleMeta(
        id=BACKEND_RULE,
        severity=Severity.ERROR,
        summary="An Ingress backend the API server refuses: both or neither of service and resource, a bad port",
        what=(
            "Reports what `validateIngressBackend` refuses in the default backend and every "
            "path backend of a networking.k8s.io/v1 Ingress: a backend with both `service` and "
            "`resource`, or with neither; a Service name that is empty or not a DNS-1035 label; "
            "a port with both `name` and `number`, or with neither; a port name that is not an "
            "IANA service name, a port number outside 1-65535; a resource whose `apiGroup` is "
            "not a DNS subdomain or whose `kind` or `name` is empty or not a path segment name. "
            "Unknown fields and types are `schema`'s. The message is the API server's own."
        ),
        why=(
            "`kubectl apply` fails: the API server refuses the whole Ingress, so none of its "
            "routes exist. A backend is a Service or a resource (a controller-specific object "
            "such as a storage bucket), and a Service port is named or numbered: the API "
            "refuses to guess which was meant."
            " Severity: every finding is that rejection."
        ),
        example=(
            "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: web\n"
            "  namespace: shop\nspec:\n  ingressClassName: nginx\n  defaultBackend:\n"
            "    service:\n      name: web\n      port: {number: 80, name: http}\n"
            "    resource: {apiGroup: k8s.example.com, kind: StorageBucket, name: static}\n"
        ),
        fix=(
            "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: web\n"
            "  namespace: shop\nspec:\n  ingressClassName: nginx\n  defaultBackend:\n"
            "    service:\n      name: web\n      port: {number: 80}\n"
        ),
        help_uri=INGRESS_DOCS,
        tags=("ingress", "api-validation"),
        facts=("ING-17",),
    )
    kinds = frozenset({"Ingress"})

    def check(self, manifest: Manifest, ctx: RuleContext) -> Iterator[Diagnostic]:
        for error in ingress_refusals(manifest, BACKEND_RULE):
            yield refusal(manifest, error, hint=_hint(error))
