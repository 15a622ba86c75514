"""`ingress-format`: an Ingress the API server refuses when it is created, for a reason no other
Ingress rule owns: its class name, a rule with no paths."""

from __future__ import annotations

from collections.abc import Iterator

from netlint.api import Diagnostic, Manifest, Rule, RuleContext, RuleMeta, Severity
from netlint.k8s import FieldError

from ..workload._workload import refusal_of
from ._ingress import INGRESS_DOCS, ingress_refusals
from ._ingress_validation import FORMAT_RULE


def _hint(error: FieldError) -> str | None:
    field = error.path[-1]
    if field == "ingressClassName":
        return "name an IngressClass: lowercase letters, digits, '-' and '.'"
    if field == "paths":
        return "give the rule at least one path, or remove its http block"
    return None


class IngressFormat(Rule):
    meta = RuleMeta(
        id=FORMAT_RULE,
        severity=Severity.ERROR,
        summary="An Ingress class name or rule the API server refuses",
        what=(
            "Reports what `ValidateIngressCreate` refuses in a networking.k8s.io/v1 Ingress "
            "that no other Ingress rule owns: an `ingressClassName` that is not a DNS subdomain "
            "(an IngressClass name) and an `http` rule with an empty `paths` list. Hosts are "
            "`ingress-host-format`'s, paths `ingress-path-format`'s, backends "
            "`ingress-backend-format`'s, TLS secret names `ingress-tls-secret`'s, a class "
            "annotation that differs from `ingressClassName` `ingress-class-missing`'s, an "
            "Ingress without rules or default backend `ingress-no-rules`'s. The message is the "
            "API server's own."
        ),
        why=(
            "`kubectl apply` fails: the API server refuses the whole Ingress, so none of its "
            "routes exist. An `ingressClassName` names an IngressClass object, so it must be "
            "a valid object name."
            " Severity: every finding is that rejection."
        ),
        example=(
            "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: web\n"
            "  namespace: shop\nspec:\n  ingressClassName: Nginx_Public\n  rules:\n"
            "  - host: shop.example.com\n    http:\n      paths: []\n"
        ),
        fix=(
            "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: web\n"
            "  namespace: shop\nspec:\n  ingressClassName: nginx-public\n  rules:\n"
            "  - host: shop.example.com\n    http:\n      paths:\n      - path: /\n"
            "        pathType: Prefix\n        backend:\n"
            "          service: {name: web, port: {number: 80}}\n"
        ),
        help_uri=INGRESS_DOCS,
        tags=("ingress", "api-validation"),
    )
    kinds = frozenset({"Ingress"})

    def check(self, manifest: Manifest, ctx: RuleContext) -> Iterator[Diagnostic]:
        for error in ingress_refusals(manifest, FORMAT_RULE):
            yield refusal_of(manifest, error, _hint(error))
