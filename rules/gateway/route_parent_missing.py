"""`route-parent-missing`: a route parentRef that attaches to nothing."""

from __future__ import annotations

from collections.abc import Iterator

from netlint.api import Diagnostic, Manifest, Rule, RuleContext, RuleMeta, Severity
from netlint.k8s import namespaces_text, qualified

from .._references import own_file_first
from ._gateway import (
    GROUP,
    LISTENER_OWNERS,
    ROUTE_DOCS,
    ROUTE_KINDS,
    gateway_api_elsewhere,
    is_gateway_api,
    listener_names,
    parent_refs,
    resolve_parent,
    selected_listeners,
)


class RouteParentMissing(Rule):
    meta = RuleMeta(
        id="route-parent-missing",
        severity=Severity.WARNING,
        summary="A route parentRef names a Gateway or listener that does not exist",
        what=(
            "Checks every `parentRefs[]` entry of a route that names a Gateway (the default) or "
            "a ListenerSet of `gateway.networking.k8s.io`. A Gateway that is not in the linted "
            "files, in the ref's namespace (the route's own by default), is a warning unless "
            "config `external: {gateways: [...]}` declares it. When the Gateway is in the "
            "input, the ref's `sectionName` must name one of its listeners and its `port` must "
            "be one of their ports: otherwise it is an error. Other parents (a Service, for "
            "mesh routing) are not checked."
        ),
        why=(
            "The API server does not resolve parentRefs: a route whose parent does not exist, or "
            "whose sectionName names no listener, is attached to nothing and serves no traffic, "
            "and its status only says so after it is applied (`Accepted=False`, reason "
            "`NoMatchingParent`)."
        ),
        example=(
            "apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata:\n  name: gateway\n"
            "spec:\n  gatewayClassName: example\n  listeners:\n  - name: http\n    port: 80\n"
            "    protocol: HTTP\n---\napiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\n"
            "metadata:\n  name: web\nspec:\n  parentRefs:\n  - name: gateway\n"
            "    sectionName: https\n"
        ),
        fix=(
            "apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata:\n  name: gateway\n"
            "spec:\n  gatewayClassName: example\n  listeners:\n  - name: http\n    port: 80\n"
            "    protocol: HTTP\n---\napiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\n"
            "metadata:\n  name: web\nspec:\n  parentRefs:\n  - name: gateway\n"
            "    sectionName: http\n"
        ),
        help_uri=ROUTE_DOCS,
        tags=("gateway-api", "reference"),
        facts=("GW-06", "GW-07"),
    )
    kinds = ROUTE_KINDS

    def check(self, manifest: Manifest, ctx: RuleContext) -> Iterator[Diagnostic]:
        if not is_gateway_api(manifest):
            return
        for ref in parent_refs(manifest):
            if ref.group != GROUP or ref.kind not in LISTENER_OWNERS:
                continue
            copies = resolve_parent(ctx, ref)
            if not copies:
                if ctx.settings.external.declares("gateways", ref.namespace, ref.name):
                    continue
                elsewhere = gateway_api_elsewhere(ctx.inventory, ref.kind, ref.namespace, ref.name)
                extra, hint = (
                    "",
                    (
                        f"lint it with the {ref.kind}'s manifest (or pass it with --context), or "
                        f"declare it: external: {{gateways: [{qualified(ref.namespace, ref.name)}]}}"
                    ),
                )
                if elsewhere and not ref.explicit_namespace:
                    extra = f"; a {ref.kind} {ref.name!r} exists in {namespaces_text(elsewhere)}"
                    hint = (
                        f"set `namespace: {elsewhere[0].namespace}` on the parentRef if that is "
                        "the one"
                    )
                yield Diagnostic(
                    ref.name_path,
                    f"{manifest.ref} attaches to {ref.kind} {qualified(ref.namespace, ref.name)}, which is "
                    f"not found in the linted files{extra}",
                    hint=hint,
                )
                continue
            if ref.section is None and ref.port is None:
                continue
            if any(selected_listeners(owner, ref) for owner in copies):
                continue
            owner = own_file_first(copies, manifest)[0]
            wanted: list[str] = []
            if ref.section is not None:
                wanted.append(f"named {ref.section!r}")
            if ref.port is not None:
                wanted.append(f"on port {ref.port}")
            path = (*ref.path, "sectionName") if ref.section is not None else ref.port_path
            yield Diagnostic(
                path,
                f"{manifest.ref} attaches to a listener {' '.join(wanted)} of {owner.ref}, which "
                f"has no such listener (listeners: {listener_names(owner)})",
                severity=Severity.ERROR,
                hint="use the name (sectionName) or port of one of its listeners",
            )
