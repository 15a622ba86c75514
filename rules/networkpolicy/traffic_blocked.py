"""`traffic-blocked`: an Ingress or Gateway API route whose traffic NetworkPolicies drop before it
reaches the pods behind it."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from netlint.api import (
    Diagnostic,
    IngressController,
    Manifest,
    Rule,
    RuleContext,
    RuleMeta,
    Severity,
)
from netlint.k8s import label_list
from netlint.traffic.paths import TrafficPath, ingress_paths, route_paths
from netlint.traffic.policy_eval import (
    INGRESS,
    NAMESPACE_NAME_LABEL,
    DirectionVerdict,
    PolicyEvaluator,
    Verdict,
)
from netlint.traffic.reachability import PathVerdict, judge
from netlint.traffic.routes import ROUTE_KINDS

from ._networkpolicy import NETWORK_POLICY_DOCS

_SHOWN = 3


def _names(items: Sequence[str]) -> str:
    unique = list(dict.fromkeys(items))
    shown = ", ".join(unique[:_SHOWN])
    more = len(unique) - _SHOWN
    return shown + (f" and {more} more" if more > 0 else "")


def _port_text(verdict: PathVerdict) -> str:
    """`port 8080/TCP ("http")`."""
    destination = verdict.path.destination
    number = destination.port
    shown = f"port {number if number is not None else destination.port_name}/{destination.protocol}"
    if destination.port_name is not None and number is not None:
        shown += f' ("{destination.port_name}")'
    return shown


def _side_text(side: DirectionVerdict, verdict: PathVerdict, controller: IngressController) -> str:
    policies = _names([str(p.ref) for p in side.isolating])
    owner = verdict.path.destination.template.owner.ref
    word = "isolates" if len(side.isolating) == 1 else "isolate"
    if side.direction == INGRESS:
        return (
            f"{policies} {word} {owner} for ingress and no rule admits pods "
            f"{label_list(controller.pod_labels)} of namespace {controller.namespace} on "
            f"{_port_text(verdict)}"
        )
    return (
        f"{policies} {word} the controller's pods for egress and no rule admits {owner} on "
        f"{_port_text(verdict)}"
    )


def _hint(
    sides: Sequence[DirectionVerdict], verdict: PathVerdict, controller: IngressController
) -> str:
    destination = verdict.path.destination
    port = destination.port if destination.port is not None else destination.port_name
    protocol = "" if destination.protocol == "TCP" else f", protocol: {destination.protocol}"
    ports = f"ports: [{{port: {port}{protocol}}}]"
    owner = destination.template.owner.ref
    fixes: list[str] = []
    if any(side.direction == INGRESS for side in sides):
        pods = ", ".join(f"{key}: {value}" for key, value in controller.pod_labels.items())
        fixes.append(
            f"admit the controller in a policy that selects {owner}: an ingress rule with "
            f"`from: [{{namespaceSelector: {{matchLabels: {{{NAMESPACE_NAME_LABEL}: "
            f"{controller.namespace}}}}}, podSelector: {{matchLabels: {{{pods}}}}}}}]` and "
            f"`{ports}`"
        )
    if any(side.direction != INGRESS for side in sides):
        fixes.append(
            f"let the controller's pods reach {owner}: an egress rule in a policy of namespace "
            f"{controller.namespace} with `{ports}`"
        )
    return "; ".join(fixes) + (
        "; if the controller runs elsewhere or with other labels, say so under "
        "traffic.ingress-controllers in the configuration"
    )


class TrafficBlocked(Rule):
    meta = RuleMeta(
        id="traffic-blocked",
        severity=Severity.ERROR,
        summary="NetworkPolicies drop the traffic of an Ingress or route before it reaches its pods",
        what=(
            "Follows each Service backend of an Ingress (rules and `defaultBackend`) and each "
            "Service `backendRef` of a Gateway API route to the Service port, its targetPort and "
            "the pod templates the Service selects, and evaluates the connection from the "
            "controller that carries the traffic to those pods against the NetworkPolicies of "
            "the input: the pods' ingress (policies of their namespace that select them), and "
            "the controller's egress (policies of its namespace that select its pods). Reports, "
            "at the backend, a connection the policies block: an error when no pod behind the "
            "backend can receive the traffic, a warning when only some of the selected "
            "workloads are cut off. Where the controller's pods run is configuration "
            "(`traffic.ingress-controllers:`; ingress-nginx's usual install is built in); an "
            "Ingress or Gateway whose class no entry serves, a namespace whose labels are "
            "unknown, an `ipBlock`, or labels that controllers set make the verdict unknown, "
            "and unknown is no finding."
        ),
        why=(
            "A NetworkPolicy that selects a pod for ingress drops every connection no rule of "
            "such a policy admits. A default-deny policy added to a namespace also cuts off the "
            "ingress controller, which lives in another namespace: every request through the "
            "Ingress or route then times out (502 or 504 at the controller), although each "
            "object on its own is valid and nothing in the cluster reports an error."
        ),
        example=(
            "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n"
            "  name: default-deny\n  namespace: shop\nspec:\n  podSelector: {}\n"
            "  policyTypes: [Ingress]\n---\napiVersion: networking.k8s.io/v1\nkind: Ingress\n"
            "metadata:\n  name: web\n  namespace: shop\nspec:\n  ingressClassName: nginx\n"
            "  defaultBackend:\n    service: {name: web, port: {number: 80}}\n---\n"
            "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  namespace: shop\nspec:\n"
            "  selector: {app: web}\n  ports: [{port: 80, targetPort: 8080}]\n---\n"
            "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: shop\n"
            "spec:\n  selector: {matchLabels: {app: web}}\n  template:\n"
            "    metadata: {labels: {app: web}}\n"
            "    spec: {containers: [{name: web, image: nginx, ports: [{containerPort: 8080}]}]}\n"
        ),
        fix=(
            "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n"
            "  name: allow-ingress-nginx\n  namespace: shop\nspec:\n"
            "  podSelector: {matchLabels: {app: web}}\n  ingress:\n  - from:\n"
            "    - namespaceSelector:\n"
            "        matchLabels: {kubernetes.io/metadata.name: ingress-nginx}\n"
            "      podSelector:\n        matchLabels: {app.kubernetes.io/name: ingress-nginx}\n"
            "    ports: [{port: 8080}]\n"
        ),
        help_uri=NETWORK_POLICY_DOCS + "#default-deny-all-ingress-traffic",
        tags=("networkpolicy", "reachability"),
        options=(
            "`traffic.ingress-controllers:` in the configuration, a list of entries with `name`, "
            "`namespace`, `pod-labels` and the `classes` (IngressClass or GatewayClass names) "
            "and/or `controllers` (IngressClass `spec.controller`, GatewayClass "
            "`spec.controllerName`) each serves, and `host-network: true` for a controller "
            "whose pods use the node's network (then a verdict that depends on their labels or "
            "namespace is unknown); the first entry that serves a class wins, and "
            "a built-in entry for ingress-nginx (namespace `ingress-nginx`, pods "
            "`app.kubernetes.io/name: ingress-nginx, app.kubernetes.io/component: controller`, "
            "class `nginx`, controller `k8s.io/ingress-nginx`) comes last. The README lists "
            "entries for other controllers."
        ),
    )
    kinds = frozenset({"Ingress", *ROUTE_KINDS})

    def check(self, manifest: Manifest, ctx: RuleContext) -> Iterator[Diagnostic]:
        controllers = ctx.settings.ingress_controllers
        if manifest.kind_key == "Ingress":
            paths = list(ingress_paths(manifest, ctx.inventory, controllers))
        else:
            paths = list(route_paths(manifest, ctx.inventory, controllers))
        if not paths:
            return
        evaluator = PolicyEvaluator.of(ctx)
        # One finding per backend, Service port and entry point.
        groups: dict[tuple[object, ...], list[TrafficPath]] = {}
        for path in paths:
            if path.entry.controller is None or path.route is None:
                continue  # unknown controller: no finding
            key = (path.route.path, path.service_port.index, path.entry.key)
            groups.setdefault(key, []).append(path)
        for members in groups.values():
            yield from self._judge(manifest, members, evaluator)

    @staticmethod
    def _judge(
        manifest: Manifest, members: list[TrafficPath], evaluator: PolicyEvaluator
    ) -> Iterator[Diagnostic]:
        verdicts = [judge(path, evaluator) for path in members]
        blocked = [v for v in verdicts if v.verdict is Verdict.BLOCKED]
        if not blocked:
            return
        first = blocked[0]
        path = first.path
        controller = path.entry.controller
        route = path.route
        if controller is None or route is None or first.connection is None:
            return
        sides = first.connection.blocking
        reasons = "; and ".join(_side_text(side, first, controller) for side in sides)
        if len(blocked) == len(verdicts):
            severity = Severity.ERROR
            outcome = "no traffic from {} reaches the pods behind it"
        else:
            severity = Severity.WARNING
            open_owners = _names(
                [str(v.path.destination.template.owner.ref) for v in verdicts if v not in blocked]
            )
            outcome = (
                "traffic from {} reaches only some of the pods behind it (" + open_owners + ")"
            )
        yield Diagnostic(
            route.path,
            f"{manifest.ref} routes {route.label} to {path.service.ref} "
            f"{path.service_port.label()}, but {outcome.format(controller.name)}: {reasons}",
            severity=severity,
            hint=_hint(sides, first, controller),
        )
