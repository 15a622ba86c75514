"""`ingress-class-unknown`: `spec.ingressClassName` names an IngressClass not in the input."""

from __future__ import annotations

from collections.abc import Iterator

from netlint.api import Diagnostic, Fix, Manifest, Rule, RuleContext, RuleMeta, Severity
from netlint.fixes import replace_scalar, unsafe_fix
from netlint.k8s import dns1123_subdomain_problems

from .._similar import looks_like_slip
from ._ingress import INGRESS_CLASS_DOCS, class_field


def class_known(ctx: RuleContext, name: str) -> bool:
    """Whether an IngressClass `name` is in the input (or `--context`) or declared external."""
    if ctx.inventory.get("IngressClass", None, name) is not None:
        return True
    return ctx.settings.external.declares("ingressClasses", None, name)


def class_slip(manifest: Manifest, name: str, known: list[str]) -> Fix | None:
    """`spec.ingressClassName` set to the one known IngressClass (of the input, or declared
    external by its exact name) that `name` looks like a slip for (`ngnix` -> `nginx`). Unsafe:
    another controller then serves the Ingress."""
    near = [other for other in known if looks_like_slip(name, other)]
    if len(near) != 1:
        return None
    path = ("spec", "ingressClassName")
    return unsafe_fix(f"use IngressClass {near[0]}", replace_scalar(manifest, path, near[0]))


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
        fixable="sometimes",
    )
    kinds = frozenset({"Ingress"})
    settles_locally = True  # it reports only an IngressClass that is missing

    def check(self, manifest: Manifest, ctx: RuleContext) -> Iterator[Diagnostic]:
        name = class_field(manifest)
        if name is None or dns1123_subdomain_problems(name):
            return  # none, or not an object name (ingress-format): no IngressClass has it
        if class_known(ctx, name):
            return
        known = sorted({m.name for m in ctx.inventory.of_kind("IngressClass")})
        nearest = f"; the linted files define {', '.join(known)}" if known else ""
        declared = [
            pattern
            for pattern in ctx.settings.external.patterns.get("ingressClasses", ())
            if not any(character in pattern for character in "*?[/")
        ]
        yield Diagnostic(
            ("spec", "ingressClassName"),
            f"{manifest.ref} uses IngressClass {name!r}, which is not found in the linted "
            f"files{nearest}",
            hint=(
                "declare it if it is installed with the controller: external: "
                f"{{ingressClasses: [{name}]}}"
            ),
            fix=class_slip(manifest, name, sorted({*known, *declared})),
        )
