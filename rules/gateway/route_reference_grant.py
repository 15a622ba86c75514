"""`route-reference-grant`: a cross-namespace reference that no ReferenceGrant allows."""

from __future__ import annotations

from collections.abc import Iterator

from netlint.api import Diagnostic, Manifest, Rule, RuleContext, RuleMeta, Severity
from netlint.k8s import compatible, qualified

from ._gateway import (
    GROUP,
    LISTENER_OWNERS,
    REFERENCE_GRANT_DOCS,
    ROUTE_KINDS,
    ObjectRef,
    backend_refs,
    grant_allows,
    is_gateway_api,
    listeners,
)


def _grant_text(referrer: Manifest, ref: ObjectRef) -> str:
    group = f'"{ref.group}"' if not ref.group else ref.group
    return (
        f"add a ReferenceGrant in namespace {ref.namespace}: from [{{group: {GROUP}, kind: "
        f"{referrer.kind}, namespace: {referrer.namespace}}}], to [{{group: {group}, kind: "
        f"{ref.kind}, name: {ref.name}}}]"
    )


class RouteReferenceGrant(Rule):
    meta = RuleMeta(
        id="route-reference-grant",
        severity=Severity.ERROR,
        summary="A cross-namespace backendRef or certificateRef has no ReferenceGrant allowing it",
        what=(
            "Checks every route `backendRef` (including `requestMirror` backends) and every "
            "Gateway or ListenerSet listener `tls.certificateRefs[]` that names a `namespace` "
            "other than its referrer's: a ReferenceGrant in that target namespace must allow it, "
            "with a `from` entry matching the referrer's group, kind and namespace and a `to` "
            "entry matching the target's group and kind (and name, when the grant names one). "
            "Grants of `gateway.networking.k8s.io/v1` and `v1beta1` count. Route `parentRefs` are "
            "not checked here: attaching to another namespace's Gateway is governed by its "
            "listeners' `allowedRoutes` (`route-not-allowed`)."
        ),
        why=(
            "A reference into another namespace is only valid when the owner of that namespace "
            "agreed to it (GW-03, GW-09, GW-13): without a grant the implementation refuses it "
            "(`ResolvedRefs=False`, reason `RefNotPermitted`), so the backend gets no traffic or "
            "the listener has no certificate. The API server accepts the object either way."
            " Severity: an error, because the implementation refuses the reference and traffic to that backend (or TLS on that listener) cannot flow."
        ),
        example=(
            "apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata:\n  name: web\n"
            "  namespace: frontend\nspec:\n  parentRefs:\n  - name: gateway\n  rules:\n"
            "  - backendRefs:\n    - name: api\n      namespace: backend\n      port: 8080\n"
        ),
        fix=(
            "apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata:\n  name: web\n"
            "  namespace: frontend\nspec:\n  parentRefs:\n  - name: gateway\n  rules:\n"
            "  - backendRefs:\n    - name: api\n      namespace: backend\n      port: 8080\n---\n"
            "apiVersion: gateway.networking.k8s.io/v1beta1\nkind: ReferenceGrant\nmetadata:\n"
            "  name: frontend-routes\n  namespace: backend\nspec:\n  from:\n"
            "  - group: gateway.networking.k8s.io\n    kind: HTTPRoute\n    namespace: frontend\n"
            '  to:\n  - group: ""\n    kind: Service\n    name: api\n'
        ),
        help_uri=REFERENCE_GRANT_DOCS,
        tags=("gateway-api", "reference", "security"),
        security_severity=4.0,
        facts=("GW-03", "GW-09", "GW-13"),
    )
    kinds = ROUTE_KINDS | LISTENER_OWNERS

    def check(self, manifest: Manifest, ctx: RuleContext) -> Iterator[Diagnostic]:
        if not is_gateway_api(manifest):
            return
        if manifest.kind in ROUTE_KINDS:
            refs = list(backend_refs(manifest))
            what = "backendRef"
        else:
            refs = [ref for listener in listeners(manifest) for ref in listener.certificate_refs()]
            what = "certificateRef"
        for ref in refs:
            if not ref.explicit_namespace or compatible(ref.namespace, manifest.namespace):
                continue
            if grant_allows(ctx.inventory, manifest, ref.namespace, ref):
                continue
            target = f"{ref.kind} {qualified(ref.namespace, ref.name)}"
            if ref.group:
                target = f"{ref.kind}.{ref.group} {qualified(ref.namespace, ref.name)}"
            yield Diagnostic(
                ref.namespace_path,
                f"{manifest.ref} has a {what} to {target} in another namespace, and no "
                f"ReferenceGrant in namespace {ref.namespace} allows {manifest.kind}s of "
                f"namespace {manifest.namespace} to refer to it: the reference is refused "
                "(RefNotPermitted)",
                hint=_grant_text(manifest, ref),
            )
