"""`ingress-no-rules`: an Ingress with neither rules nor a default backend."""

from __future__ import annotations

from collections.abc import Iterator

from netlint._builtin.rules.ingress._ingress import INGRESS_DOCS, annotation, default_backend_key

from netlint.api import Diagnostic, Manifest, Rule, RuleContext, RuleMeta, Severity
from netlint.model.access import as_list, as_map, dig, items_at

_MERGEABLE = "nginx.org/mergeable-ingress-type"


class IngressNoRules(Rule):
    meta = RuleMeta(
        id="ingress-no-rules",
        severity=Severity.ERROR,
        summary="An Ingress has neither rules nor a default backend",
        what=(
            "Reports an Ingress without a non-empty `spec.rules` and without "
            "`spec.defaultBackend` (`spec.backend` in v1beta1): the API server rejects it. Also "
            "reports, as a warning, a rule with a host but no `http` when the Ingress has no "
            "default backend: the API accepts it, but it routes nothing."
        ),
        why=(
            "`kubectl apply` fails with `spec: Invalid value: ...: either `defaultBackend` or "
            "`rules` must be specified` (ING-02). A host-only rule (ING-06) skips all path "
            "handling, so requests for that host reach only the controller's default backend."
            " Severity: an Ingress with neither is an error, because the API server refuses it; a host-only rule is a warning, because it is accepted."
        ),
        example=(
            "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: web\nspec:\n "
            " ingressClassName: nginx\n"
        ),
        fix=(
            "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: web\nspec:\n"
            "  ingressClassName: nginx\n  defaultBackend:\n    service: "
            "{name: web, port: {number: 80}}\n"
        ),
        help_uri=INGRESS_DOCS,
        tags=("ingress",),
        facts=("ING-02", "ING-06"),
    )
    kinds = frozenset({"Ingress"})

    def check(self, manifest: Manifest, ctx: RuleContext) -> Iterator[Diagnostic]:
        spec = dig(manifest.data, "spec")
        if spec is not None and as_map(spec) is None:
            return  # not a mapping: `schema`
        backend_key = default_backend_key(manifest)
        has_default = dig(spec, backend_key) is not None
        rules = dig(spec, "rules")
        if rules is not None and as_list(rules) is None:
            return  # not a list: `schema`
        if not rules and not has_default:
            if rules is not None:
                path: tuple[str, ...] = ("spec", "rules")
            elif spec is not None:
                path = ("spec",)
            else:
                path = ("metadata", "name")
            yield Diagnostic(
                path,
                f"{manifest.ref} has neither rules nor a {backend_key}; the API server rejects it "
                f"(either `defaultBackend` or `rules` must be specified)",
                on_key=path != ("metadata", "name"),
                hint=f"add spec.rules with http paths, or a spec.{backend_key}",
            )
            return
        if has_default or annotation(manifest, _MERGEABLE) == "master":
            return  # NGINX Inc's mergeable master holds hosts only; its minions hold the paths
        for index, rule in items_at(spec, "rules"):
            if as_map(rule) is not None and dig(rule, "http") is None:
                host = dig(rule, "host")
                yield Diagnostic(
                    ("spec", "rules", index, "host")
                    if host is not None
                    else ("spec", "rules", index),
                    f"{manifest.ref} rule {index} has no http paths, so it routes nothing",
                    severity=Severity.WARNING,
                    hint="add http.paths with a backend to the rule, or remove it",
                )
