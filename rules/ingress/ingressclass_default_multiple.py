"""`ingressclass-default-multiple`: more than one default IngressClass."""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterator

from netlint.api import Diagnostic, Manifest, Rule, RuleContext, RuleMeta, Severity
from netlint.k8s import SHOWN, capped

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
            "several files count once), naming the others (the first 10, then how many more)."
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
        defaults = default_classes(ctx.inventory)  # one per name, sorted
        # Only the shown ones are read: N default classes must not cost N² (nor N² of text).
        shown = [f"IngressClass {m.name}" for m in defaults[: SHOWN + 1] if m.name != manifest.name]
        at = bisect_left(defaults, manifest.name, key=lambda m: m.name)
        listed = at < len(defaults) and defaults[at].name == manifest.name
        total = len(defaults) - (1 if listed else 0)
        if not total:
            return
        yield Diagnostic(
            annotation_path(DEFAULT_CLASS_ANNOTATION),
            f"{manifest.ref} is marked as the default IngressClass, and so is "
            f"{capped(shown, total)}; Ingresses without a class "
            "get the newest one (before Kubernetes 1.25 they were rejected)",
            hint=f'keep {DEFAULT_CLASS_ANNOTATION}: "true" on one IngressClass only',
        )
