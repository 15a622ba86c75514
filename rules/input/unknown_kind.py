"""`unknown-kind`: an apiVersion/kind pair of a built-in API group that the target Kubernetes
version does not serve (`v1 Servce`, `networking.k8s.io/v2 Ingress`): `no matches for kind`."""

from __future__ import annotations

from collections.abc import Iterator

from netlint.api import Diagnostic, Manifest, Rule, RuleContext, RuleMeta, Severity
from netlint.k8s import ServedKinds, served_kinds

from .deprecated_api import DEPRECATIONS, minor_of


def _suggestion(kinds: ServedKinds, manifest: Manifest, minor: int) -> str | None:
    """The nearest pair the target serves: the same kind in another apiVersion, else a kind of
    the same apiVersion spelled alike (difflib), else one of another apiVersion."""
    api_versions = kinds.api_versions_of(manifest.kind, minor)
    same_group = [v for v in api_versions if v.rpartition("/")[0] == manifest.group]
    if same_group or api_versions:
        return f"apiVersion: {(same_group or api_versions)[0]}"
    here = kinds.kinds_of(manifest.api_version, minor)
    import difflib  # for an unknown kind only (issue 31)

    close = difflib.get_close_matches(manifest.kind, here, n=1, cutoff=0.6)
    if not close:
        lowered = {kind.lower(): kind for kind in here}
        if manifest.kind.lower() in lowered:
            close = [lowered[manifest.kind.lower()]]
    if close:
        return f"kind: {close[0]}"
    every = sorted({kind for v in kinds.spans for kind in kinds.kinds_of(v, minor)})
    close = difflib.get_close_matches(manifest.kind, every, n=1, cutoff=0.75)
    if close:
        versions = kinds.api_versions_of(close[0], minor)
        return f"kind: {close[0]} (apiVersion: {versions[0]})"
    return None


class UnknownKind(Rule):
    meta = RuleMeta(
        id="unknown-kind",
        severity=Severity.ERROR,
        summary="A built-in API group serves no such kind in that apiVersion",
        what=(
            "Checks the apiVersion and kind of every object of a built-in API group (the core "
            "group `v1`, `apps`, `batch`, `networking.k8s.io`, `rbac.authorization.k8s.io`, ... "
            "every group the Kubernetes API server serves itself) against the kinds the target "
            "Kubernetes version serves (`--kube-version`; alpha and beta APIs count, since a "
            "cluster may enable them), and says the nearest pair it does serve: `Servce` -> "
            "`Service`, `networking.k8s.io/v2 Ingress` -> `networking.k8s.io/v1`. A group the "
            "API server does not serve itself (`cert-manager.io`, `gateway.networking.k8s.io`, "
            "`metrics.k8s.io`) is a custom or aggregated API and is not judged; versions that "
            "were removed (`extensions/v1beta1 Ingress`) are `deprecated-api`'s."
        ),
        why=(
            '`kubectl apply` stops at the object: `resource mapping not found for name: "web" '
            'namespace: "" from "svc.yaml": no matches for kind "Servce" in version "v1"`. '
            "Nothing after it in the file is applied either."
            " Severity: an error, because the object is refused before any validation."
        ),
        example="apiVersion: v1\nkind: Servce\nmetadata:\n  name: web\nspec:\n  ports:\n  - port: 80\n",
        fix="apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  ports:\n  - port: 80\n",
        help_uri="https://kubernetes.io/docs/reference/using-api/#api-groups",
        tags=("api-version",),
        options="`kube-version` (`--kube-version`): the Kubernetes version the input targets.",
    )

    def check(self, manifest: Manifest, ctx: RuleContext) -> Iterator[Diagnostic]:
        kinds = served_kinds()
        if not kinds.is_builtin_group(manifest.group) or manifest.kind.endswith("List"):
            return
        if (manifest.api_version, manifest.kind) in DEPRECATIONS:
            return  # a removed or deprecated version: `deprecated-api`'s
        minor = minor_of(ctx.settings.kube_version)
        if kinds.serves(manifest.api_version, manifest.kind, minor):
            return
        span = kinds.span(manifest.api_version, manifest.kind)
        if span is not None:
            served = f"1.{span[0]}" if span[0] == span[1] else f"1.{span[0]} to 1.{span[1]}"
            why = f"only Kubernetes {served} serves it, the target is {ctx.settings.kube_version}"
        else:
            why = "no Kubernetes version from 1.32 to 1.37 serves it"
        suggestion = _suggestion(kinds, manifest, minor)
        # Point at what to change: the kind when it is spelled wrong, else the apiVersion.
        at = "apiVersion" if suggestion and suggestion.startswith("apiVersion") else "kind"
        tail = f"; did you mean {suggestion}?" if suggestion else ""
        yield Diagnostic(
            (at,),
            f'resource mapping not found for name: "{manifest.name}": no matches for kind '
            f'"{manifest.kind}" in version "{manifest.api_version}" ({why}){tail}',
            hint=f"use {suggestion}" if suggestion else None,
        )
