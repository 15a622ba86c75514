"""`ingressclass-default-multiple`: more than one default IngressClass."""

from __future__ import annotations

from collections.abc import Iterator

from netlint.api import Diagnostic, Manifest, Rule, RuleContext, RuleMeta, Severity

from ._ingress import (
    DEFAULT_CLASS_ANNOTATION,
    annotation_path,
    default_classes,
    is_default_class,
)


class IngressClassDefaultMultiple(Rule):
    meta = RuleMeta(
        id="ingressclass-default-multiple",
        severity=Severity.WARNING,
        summary="More than one IngressClass is marked as the cluster default",
        what=(
            "Reports each IngressClass with `ingressclass.kubernetes.io/is-default-class: "
            '"true"` when the input holds another one (copies of the same IngressClass in '
            "several files count once)."
        ),
        why=(
            "Only one class can be the default for Ingresses without `ingressClassName`. Before "
            "Kubernetes 1.25 the admission plugin refused such Ingresses (`2 default "
            "IngressClasses were found, only 1 allowed`); since 1.25 the newest default silently "
            "wins, so which controller serves them depends on installation order (ING-27, IC-05)."
        ),
        example=(
            "apiVersion: networking.k8s.io/v1\nkind: IngressClass\nmetadata:\n  name: nginx\n"
            '  annotations:\n    ingressclass.kubernetes.io/is-default-class: "true"\n'
            "spec:\n  controller: k8s.io/ingress-nginx\n---\napiVersion: networking.k8s.io/v1\n"
            "kind: IngressClass\nmetadata:\n  name: traefik\n  annotations:\n"
            '    ingressclass.kubernetes.io/is-default-class: "true"\nspec:\n'
            "  controller: traefik.io/ingress-controller\n"
        ),
        fix="Keep the annotation on one IngressClass only.",
        help_uri="https://kubernetes.io/docs/concepts/services-networking/ingress/#default-ingress-class",
        tags=("ingress",),
        facts=("ING-27", "IC-05"),
    )
    kinds = frozenset({"IngressClass"})

    def check(self, manifest: Manifest, ctx: RuleContext) -> Iterator[Diagnostic]:
        if not is_default_class(manifest):
            return
        others = [m.name for m in default_classes(ctx.inventory) if m.name != manifest.name]
        if not others:
            return
        yield Diagnostic(
            annotation_path(DEFAULT_CLASS_ANNOTATION),
            f"{manifest.ref} is marked as the default IngressClass, and so is "
            f"{', '.join(f'IngressClass {name}' for name in others)}; Ingresses without a class "
            "get the newest one (before Kubernetes 1.25 they were rejected)",
            hint=f'keep {DEFAULT_CLASS_ANNOTATION}: "true" on one IngressClass only',
        )
