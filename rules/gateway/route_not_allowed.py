"""`route-not-allowed`: the parent's listeners do not admit the route (GW-08)."""

from __future__ import annotations

from collections.abc import Iterator

from netlint.api import Diagnostic, Manifest, Rule, RuleContext, RuleMeta, Severity
from netlint.k8s import (
    APPLY_NAMESPACE,
    NAMESPACE_NAME_LABEL,
    as_str,
    compatible,
    dig,
    items_at,
    namespace_labels,
)

from .._references import own_file_first
from ._gateway import (
    CROSS_NAMESPACE_DOCS,
    DEFAULT_ROUTE_KINDS,
    GROUP,
    ROUTE_KINDS,
    Listener,
    ObjectRef,
    hostnames_intersect,
    is_gateway_api,
    parent_refs,
    resolve_parent,
    route_hostnames,
    selected_listeners,
    selector_keys,
    selector_matches,
)

HOSTNAME_KINDS = frozenset({"HTTPRoute", "GRPCRoute", "TLSRoute"})


def _admits(ctx: RuleContext, route: Manifest, listener: Listener) -> tuple[bool | None, str]:
    """(admitted, why not): None when it depends on labels netlint does not know."""
    allowed = dig(listener.data, "allowedRoutes")
    kinds: list[tuple[str, str]] = []
    for _, item in items_at(allowed, "kinds"):
        kind = as_str(dig(item, "kind"))
        if kind is not None:
            group = as_str(dig(item, "group"))
            kinds.append((GROUP if group is None else group, kind))
    name = listener.describe()
    if kinds:
        if (GROUP, route.kind) not in kinds:
            listed = ", ".join(kind for _, kind in kinds)
            return False, f"listener {name} admits only {listed}"
    elif listener.protocol in DEFAULT_ROUTE_KINDS:
        supported = DEFAULT_ROUTE_KINDS[listener.protocol]
        if route.kind not in supported:
            listed = ", ".join(sorted(supported))
            return False, f"listener {name} is {listener.protocol}, which takes {listed}"
    source = as_str(dig(allowed, "namespaces", "from")) or "Same"
    owner = listener.owner
    if source == "Same" and not compatible(route.namespace, owner.namespace):
        return False, (
            f"listener {name} admits routes of namespace {owner.namespace} only "
            "(allowedRoutes.namespaces.from: Same, the default)"
        )
    if source == "None":
        return False, f"listener {name} admits no routes (allowedRoutes.namespaces.from: None)"
    if source == "Selector":
        selector = dig(allowed, "namespaces", "selector")
        if route.namespace == APPLY_NAMESPACE:
            return None, ""  # which namespace, and so its labels, is chosen at apply time
        labels = namespace_labels(ctx, route.namespace)
        if labels is None and route.namespace is not None:
            if not selector_keys(selector) <= {NAMESPACE_NAME_LABEL}:
                return None, ""
            labels = {NAMESPACE_NAME_LABEL: route.namespace}
        matched = selector_matches(selector, labels or {})
        if matched is None:
            return None, ""
        if not matched:
            return False, (
                f"listener {name} admits routes of namespaces matching its selector, and "
                f"namespace {route.namespace} does not match"
            )
    if route.kind in HOSTNAME_KINDS and listener.hostname:
        hosts = route_hostnames(route)
        if hosts and not any(hostnames_intersect(listener.hostname, host) for host in hosts):
            return False, (
                f"listener {name} serves {listener.hostname}, which none of the route's "
                f"hostnames ({', '.join(hosts)}) matches"
            )
    return True, ""


class RouteNotAllowed(Rule):
    meta = RuleMeta(
        id="route-not-allowed",
        severity=Severity.ERROR,
        summary="The parent Gateway's listeners do not admit the route",
        what=(
            "For each `parentRefs[]` entry that names a Gateway or ListenerSet in the input, "
            "checks that at least one of the listeners it selects (all, or those matching "
            "`sectionName`/`port`) admits the route: its kind is among `allowedRoutes.kinds` "
            "(by default, the kinds the listener's protocol takes: HTTPRoute and GRPCRoute on "
            "HTTP/HTTPS, TLSRoute and TCPRoute on TLS, TCPRoute on TCP, UDPRoute on UDP); its "
            "namespace is allowed by `allowedRoutes.namespaces` (`Same`, the default, means the "
            "listener's own namespace; `Selector` is evaluated against the labels of the "
            "route's Namespace, from the input or config `external: {namespaces: ...}`, and "
            "`kubernetes.io/metadata.name`); and, for HTTPRoute, GRPCRoute and TLSRoute, one of "
            "its `hostnames` intersects the listener's `hostname`. When the answer depends on "
            "labels of a Namespace netlint does not know, nothing is reported."
        ),
        why=(
            "A ReferenceGrant does not let a route attach to another namespace's Gateway: the "
            "Gateway's owner decides, through `allowedRoutes` (GW-08). A route that no listener "
            "admits is accepted by the API server but not by the Gateway (`Accepted=False`, "
            "reason `NotAllowedByListeners` or `NoMatchingListenerHostname`): it serves nothing."
            " Severity: an error, because the Gateway refuses the route and none of its traffic flows."
        ),
        example=(
            "apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata:\n  name: gateway\n"
            "  namespace: infra\nspec:\n  gatewayClassName: example\n  listeners:\n"
            "  - name: http\n    port: 80\n    protocol: HTTP\n---\n"
            "apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata:\n  name: web\n"
            "  namespace: shop\nspec:\n  parentRefs:\n  - name: gateway\n    namespace: infra\n"
        ),
        fix=(
            "apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata:\n  name: gateway\n"
            "  namespace: infra\nspec:\n  gatewayClassName: example\n  listeners:\n"
            "  - name: http\n    port: 80\n    protocol: HTTP\n    allowedRoutes:\n"
            "      namespaces:\n        from: All\n---\n"
            "apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata:\n  name: web\n"
            "  namespace: shop\nspec:\n  parentRefs:\n  - name: gateway\n    namespace: infra\n"
        ),
        help_uri=CROSS_NAMESPACE_DOCS,
        tags=("gateway-api", "reference"),
        facts=("GW-08",),
    )
    kinds = ROUTE_KINDS

    def check(self, manifest: Manifest, ctx: RuleContext) -> Iterator[Diagnostic]:
        if not is_gateway_api(manifest):
            return
        for ref in parent_refs(manifest):
            copies = own_file_first(resolve_parent(ctx, ref), manifest)
            verdicts = [self._verdict(ctx, manifest, ref, owner) for owner in copies]
            refused = [reasons for reasons in verdicts if reasons]
            if not verdicts or len(refused) < len(verdicts):
                continue  # missing, admitted by some copy, or unknown
            owner = copies[0]
            yield Diagnostic(
                ref.name_path,
                f"{manifest.ref} is not admitted by {owner.ref}: {'; '.join(refused[0])}",
                hint=(
                    "change the listener's allowedRoutes (namespaces.from: All or a Selector "
                    "matching this namespace, kinds, hostname), or attach to another listener"
                ),
            )

    @staticmethod
    def _verdict(ctx: RuleContext, route: Manifest, ref: ObjectRef, owner: Manifest) -> list[str]:
        """The reasons every selected listener refuses the route; [] when one admits it, when
        none is selected (route-parent-missing's) or when the answer is unknown."""
        reasons: list[str] = []
        selected = selected_listeners(owner, ref)
        for listener in selected:
            admitted, why = _admits(ctx, route, listener)
            if admitted is None or admitted:
                return []
            reasons.append(why)
        return reasons
