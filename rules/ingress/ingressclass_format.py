"""`ingressclass-format`: an IngressClass the API server refuses when it is created."""

from __future__ import annotations

from collections.abc import Iterator

from netlint.api import Diagnostic, Manifest, Rule, RuleContext, RuleMeta, Severity
from netlint.k8s import ErrorType, FieldError, refusal

from ._ingress import INGRESS_CLASS_DOCS, NGINX_CONTROLLER
from ._ingressclass_validation import DOMAIN_PREFIXED_TEXT, validate_ingress_class


def _hint(error: FieldError) -> str | None:
    field = error.path[-1]
    if field == "controller":
        if error.detail == DOMAIN_PREFIXED_TEXT and error.value == "nginx":
            return f"ingress-nginx's controller is {NGINX_CONTROLLER}"
        if error.type is ErrorType.REQUIRED:
            return f"name the controller that implements the class, such as {NGINX_CONTROLLER}"
        return f"write the controller as a domain and a path, such as {NGINX_CONTROLLER}"
    if field == "namespace":
        if error.type is ErrorType.FORBIDDEN:
            return "remove namespace, or set scope: Namespace for a namespaced parameters object"
        if error.type is ErrorType.REQUIRED:
            return "name the namespace of the parameters object"
        return "a namespace name is a DNS label: lowercase letters, digits and '-', at most 63"
    if field == "apiGroup":
        return 'write the API group of the parameters object, such as k8s.example.com ("" for core)'
    if field in ("kind", "name"):
        return "kind and name name the parameters object: no '/' or '%', not '.' or '..'"
    return None


class IngressClassFormat(Rule):
    meta = RuleMeta(
        id="ingressclass-format",
        severity=Severity.ERROR,
        summary="An IngressClass the API server refuses: a controller that is not a domain-prefixed path, bad parameters",
        what=(
            "Reports what `ValidateIngressClass` refuses in a networking.k8s.io/v1 IngressClass: "
            "a missing or empty `controller`, one longer than 250 bytes, or one that is not a "
            "domain-prefixed path (`nginx` is refused, `k8s.io/ingress-nginx` is meant); "
            "parameters whose `apiGroup` is not a DNS subdomain, whose `kind` or `name` is "
            "empty or not a path segment name, a Namespace-scoped reference without a valid "
            "`namespace`, and a Cluster-scoped one with a `namespace` (a reference without "
            "`scope` is Cluster-scoped: the v1 defaulting). Unknown fields, types and the "
            "`scope` values are `schema`'s. The message is the API server's own."
        ),
        why=(
            "`kubectl apply` fails: the API server refuses the IngressClass, so the Ingresses "
            "that name it are served by no controller (or by the cluster's default class)."
            " Severity: every finding is that rejection."
        ),
        example=(
            "apiVersion: networking.k8s.io/v1\nkind: IngressClass\nmetadata:\n  name: nginx\n"
            "spec:\n  controller: nginx\n  parameters:\n    kind: IngressParameters\n"
            "    name: external\n    namespace: ingress\n"
        ),
        fix=(
            "apiVersion: networking.k8s.io/v1\nkind: IngressClass\nmetadata:\n  name: nginx\n"
            "spec:\n  controller: k8s.io/ingress-nginx\n  parameters:\n"
            "    apiGroup: k8s.example.com\n    kind: IngressParameters\n    name: external\n"
            "    scope: Namespace\n    namespace: ingress\n"
        ),
        help_uri=INGRESS_CLASS_DOCS,
        tags=("ingress", "api-validation"),
    )
    kinds = frozenset({"IngressClass"})

    def check(self, manifest: Manifest, ctx: RuleContext) -> Iterator[Diagnostic]:
        if manifest.api_version != "networking.k8s.io/v1":
            return  # v1beta1 is no longer served: deprecated-api
        for error in validate_ingress_class(manifest.data):
            yield refusal(manifest, error, hint=_hint(error))
