"""`ingress-class-missing`: an Ingress without class, or with only the deprecated annotation."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

from netlint.api import Diagnostic, Edit, Fix, Manifest, Rule, RuleContext, RuleMeta, Severity
from netlint.fixes import delete_entry, insert_entry, unsafe_fix

from ..workload._workload import refusal_of
from ._ingress import (
    CLASS_ANNOTATION,
    INGRESS_CLASS_DOCS,
    annotation_path,
    class_annotation,
    class_field,
    default_classes,
    ingress_refusals,
)
from ._ingress_validation import CLASS_MISSING_RULE
from .ingress_class_unknown import class_known


def _annotation_removal(manifest: Manifest) -> Edit | None:
    """The class annotation deleted (the whole `annotations:` when it is the only one)."""
    removal = delete_entry(manifest, annotation_path(CLASS_ANNOTATION))
    if removal is None and len(manifest.annotations) == 1:
        removal = delete_entry(manifest, ("metadata", "annotations"))
    return removal


def class_migration(manifest: Manifest, legacy: str, ctx: RuleContext) -> Fix | None:
    """The annotation removed and `spec.ingressClassName` set to its value, when that
    IngressClass is known (as `ingress-class-unknown` judges it: a controller that matched the
    annotation may need the IngressClass object to serve the field). Unsafe: a controller that
    claims Ingresses by the annotation only may stop serving it, and another may start."""
    if not class_known(ctx, legacy):
        return None
    return unsafe_fix(
        "move the class to spec.ingressClassName",
        _annotation_removal(manifest),
        insert_entry(manifest, ("spec",), "ingressClassName", legacy),
    )


class IngressClassMissing(Rule):
    meta = RuleMeta(
        id="ingress-class-missing",
        severity=Severity.WARNING,
        summary="An Ingress names no IngressClass, or only through the deprecated annotation",
        what=(
            "Reports an Ingress without `spec.ingressClassName` when the input has no IngressClass "
            'marked `ingressclass.kubernetes.io/is-default-class: "true"` (warning); an Ingress '
            "that names its class only with the deprecated `kubernetes.io/ingress.class` "
            "annotation (warning); and one whose annotation and `spec.ingressClassName` differ "
            "(error: the API server refuses to create it)."
        ),
        why=(
            "Without a class and without a default IngressClass, no controller has to serve the "
            "Ingress (ingress-nginx ignores class-less Ingresses unless started with "
            "`--watch-ingress-without-class`), so its routes silently do nothing, or several "
            "controllers fight over it. The annotation is deprecated since Kubernetes 1.18 and "
            "the API server warns on every use; when both are set they must be equal on create "
            "(`must match ingressClassName when both are specified`)."
        ),
        example=(
            "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: web\n"
            "  annotations:\n    kubernetes.io/ingress.class: nginx\nspec:\n"
            "  defaultBackend:\n    service: {name: web, port: {number: 80}}\n"
        ),
        fix=(
            "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: web\nspec:\n"
            "  ingressClassName: nginx\n  defaultBackend:\n    service: "
            "{name: web, port: {number: 80}}\n"
        ),
        help_uri=INGRESS_CLASS_DOCS,
        tags=("ingress",),
        facts=("ING-24", "ING-25", "ING-26", "ING-27"),
        fixable="sometimes",
    )
    kinds = frozenset({"Ingress"})

    def check(self, manifest: Manifest, ctx: RuleContext) -> Iterator[Diagnostic]:
        field = class_field(manifest)
        legacy = class_annotation(manifest)
        if field is not None and legacy is not None and field != legacy:
            # ValidateIngressCreate refuses it: an error, worded as the API server words it.
            # The field is the one that stays in v1; which one was meant is a guess: unsafe.
            removal = unsafe_fix(
                f"remove the {CLASS_ANNOTATION} annotation", _annotation_removal(manifest)
            )
            for error in ingress_refusals(manifest, CLASS_MISSING_RULE):
                yield dataclasses.replace(
                    refusal_of(
                        manifest, error, f"remove the deprecated {CLASS_ANNOTATION} annotation"
                    ),
                    severity=Severity.ERROR,
                    fix=removal,
                )
            return
        if field is not None:
            return
        if legacy is not None:
            yield Diagnostic(
                annotation_path(CLASS_ANNOTATION),
                f"{manifest.ref} names its class {legacy!r} with the deprecated "
                f"{CLASS_ANNOTATION} annotation",
                hint=f"migrate to spec.ingressClassName: {legacy} and remove the annotation"
                + (
                    ""
                    if class_known(ctx, legacy)
                    else f" (`--fix --unsafe-fixes` does it once IngressClass {legacy} is known: "
                    "in the linted files, --context or config external.ingressClasses)"
                ),
                fix=class_migration(manifest, legacy, ctx),
            )
            return
        if default_classes(ctx.inventory):
            return
        spec = manifest.data.get("spec")
        path = ("spec",) if isinstance(spec, dict) else ("metadata", "name")
        yield Diagnostic(
            path,
            f"{manifest.ref} has no spec.ingressClassName and the linted files have no default "
            "IngressClass: it is served only if the cluster has a default class or a controller "
            "that watches Ingresses without class",
            on_key=path == ("spec",),
            hint="set spec.ingressClassName to the IngressClass of your controller",
        )
