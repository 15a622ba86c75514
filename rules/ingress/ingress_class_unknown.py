"""`ingress-class-unknown`: `spec.ingressClassName` names an IngressClass not in the input."""

from __future__ import annotations

from collections.abc import Iterator

from netlint.api import Diagnostic, Manifest, Rule, RuleContext, RuleMeta, Severity
from netlint.k8s import dns1123_subdomain_problems

from ._ingress import INGRESS_CLASS_DOCS, class_field


class IngressClassUnknown(Rule):
    meta = RuleMeta(
        id="ingress-class-unknown",
        severity=Severity.INFO,
        summary="spec.ingressClassName names an IngressClass that is not in the linted files",
        what=(
            "Reports an Ingress whose `spec.ingressClassName` names an IngressClass that is "
            "neither in the input (or `--context`) nor declared in config "
            "`external: {ingressClasses: [...]}`. IngressClasses are usually installed with their "
            "controller, so this is advice only."
        ),
        why=(
            "The API server does not check that the class exists (ING-24): an Ingress with a "
            "misspelt class is accepted and then ignored by every controller, so its routes "
            "never work and nothing says why."
        ),
        example=(
            "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: web\nspec:\n"
            "  ingressClassName: ngnix\n  defaultBackend:\n    service: "
            "{name: web, port: {number: 80}}\n"
        ),
        fix=(
            "Use the name of an installed IngressClass (`kubectl get ingressclass`), or declare "
            "it in `.netlint.yaml`: `external: {ingressClasses: [nginx]}`."
        ),
        help_uri=INGRESS_CLASS_DOCS,
        tags=("ingress",),
        facts=("ING-24",),
    )
    kinds = frozenset({"Ingress"})
    settles_locally = True  # it reports only an IngressClass that is missing

    def check(self, manifest: Manifest, ctx: RuleContext) -> Iterator[Diagnostic]:
        name = class_field(manifest)
        if name is None or dns1123_subdomain_problems(name):
            return  # none, or not an object name (ingress-format): no IngressClass has it
        if ctx.inventory.get("IngressClass", None, name) is not None:
            return
        if ctx.settings.external.declares("ingressClasses", None, name):
            return
        known = sorted({m.name for m in ctx.inventory.of_kind("IngressClass")})
        nearest = f"; the linted files define {', '.join(known)}" if known else ""
        yield Diagnostic(
            ("spec", "ingressClassName"),
            f"{manifest.ref} uses IngressClass {name!r}, which is not found in the linted "
            f"files{nearest}",
            hint=(
                "declare it if it is installed with the controller: external: "
                f"{{ingressClasses: [{name}]}}"
            ),
        )
