"""`schema`: the object against the strict Kubernetes schema for its apiVersion and kind."""

from __future__ import annotations

from collections.abc import Iterator

from netlint.api import Diagnostic, Manifest, Rule, RuleContext, RuleMeta, Severity
from netlint.fixes import case_fix

from .yaml_ambiguous_value import ambiguous_paths


class Schema(Rule):
    meta = RuleMeta(
        id="schema",
        severity=Severity.ERROR,
        summary="The object violates the strict Kubernetes schema of its apiVersion and kind",
        what=(
            "Validates Service, Ingress, IngressClass, EndpointSlice and Endpoints objects against "
            "strict schemas of the target Kubernetes version (`--kube-version`): unknown fields, "
            "wrong types, missing required fields and values outside an enum, one finding per "
            "violation at the offending key. Gateway API objects are validated against the "
            "bundled standard-channel CRDs, and custom resources against the CRDs given with "
            "`--crd` (or config `crds:`): their OpenAPI schema, then their defaults applied and "
            "their CEL rules (`x-kubernetes-validations`) evaluated as the API server evaluates "
            "them on a create, each failure with the rule's message at the field it sits on (a "
            "rule on a list at the first item that breaks it). Other kinds (workloads, CRDs not "
            "given) are not checked; constraints owned by a dedicated rule (names, port names, "
            "paths, limits) are left to that rule. `status` is not validated: the API server resets or drops "
            "a created object's status first, so only what strict decoding refuses is reported "
            "there (an unknown field; a value of the wrong type in a built-in kind)."
        ),
        why=(
            "The API server rejects such an object (`strict decoding error: unknown field`), or, "
            "with validation off, silently drops the field: a made-up `spec.endpointSlices` or a "
            "v1beta1 `serviceName` does nothing at all."
            " Severity: every finding is a rejection: strict field validation (kubectl's default) refuses unknown fields, and the API server refuses wrong types, missing required fields and values outside the enums."
        ),
        example=(
            "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  endpointSlices: [web-1]\n"
            "  ports:\n  - port: 80\n    protocol: tcp\n"
        ),
        fix="apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  ports:\n  - port: 80\n    protocol: TCP\n",
        help_uri="https://kubernetes.io/docs/reference/using-api/api-concepts/#field-validation",
        tags=("schema",),
        fixable="sometimes",
    )

    def applies_to(self, manifest: Manifest) -> bool:
        return True

    def check(self, manifest: Manifest, ctx: RuleContext) -> Iterator[Diagnostic]:
        if not ctx.schemas.has_schema(manifest.api_version, manifest.kind):
            return
        violations = list(
            ctx.schemas.detailed_violations(manifest.api_version, manifest.kind, manifest.data)
        )
        if not violations:
            return
        # A bool or number where a label, annotation or selector needs a string is
        # `yaml-ambiguous-value`'s finding, with the quoted fix (one problem, one finding).
        owned = ambiguous_paths(manifest, ctx)
        for path, message, on_key, supported in violations:
            if tuple(path) not in owned:
                yield Diagnostic(
                    path, message, on_key=on_key, fix=case_fix(manifest, path, supported)
                )
