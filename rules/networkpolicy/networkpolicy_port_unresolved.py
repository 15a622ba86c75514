"""`networkpolicy-port-unresolved`: an ingress rule's port that no container of the selected pods
declares, so the rule admits nothing there."""

from __future__ import annotations

from collections.abc import Iterator

from netlint.api import Diagnostic, Manifest, PodTemplate, Rule, RuleContext, RuleMeta, Severity
from netlint.traffic.policy_eval import (
    PolicyPort,
    is_network_policy,
    pod_selector,
    rule_ports,
    rules_of,
    selected_templates,
)

from ._networkpolicy import NETWORK_POLICY_DOCS

_SHOWN = 3


def _declared(templates: list[PodTemplate]) -> str:
    """`Deployment shop/web declares http/TCP 8080`, for the first templates."""
    parts: list[str] = []
    for template in templates[:_SHOWN]:
        ports = ", ".join(
            f"{port.name + '/' if port.name else ''}{port.protocol} {port.number}"
            for port in template.ports
        )
        parts.append(f"{template.owner.ref} declares {ports or 'no ports'}")
    return "; ".join(parts)


def _resolves(port: PolicyPort, templates: list[PodTemplate]) -> bool:
    """Whether some container of `templates` declares a port that `port` admits."""
    for template in templates:
        for declared in template.ports:
            if isinstance(port.port, str):
                if declared.name == port.port and declared.protocol == port.protocol:
                    return True
            elif declared.number is not None and port.admits(declared.number, declared.protocol):
                return True
    return False


def _port_text(port: PolicyPort) -> str:
    if port.end_port is not None:
        return f"ports {port.port}-{port.end_port}/{port.protocol}"
    return f"port {port.port}/{port.protocol}"


class NetworkPolicyPortUnresolved(Rule):
    meta = RuleMeta(
        id="networkpolicy-port-unresolved",
        severity=Severity.WARNING,
        summary="An ingress rule's port is one that no selected container declares",
        what=(
            "Reports a `ports` item of an ingress rule of a networking.k8s.io/v1 NetworkPolicy "
            "that the pods the policy selects (its `podSelector`, matched against the pod "
            "templates of its namespace in the input) cannot serve:\n"
            "- a named port that no container of those pods declares with that name and "
            "protocol;\n"
            "- a port number (or `port`-`endPort` range) that none of their containers "
            "declares, when every one of those pod templates declares its ports: a warning "
            "when no port of the rule is one they declare (the rule admits nothing the pods "
            "serve), info beside ports that are (a dead entry).\n"
            "Nothing is reported when the policy selects no pod template of the input, or when "
            "labels that controllers add decide which pods it selects. Egress rules are not "
            "judged: their ports belong to the destination pods, which the peers select."
        ),
        why=(
            "An ingress rule's named port is resolved against each destination pod's own "
            "container ports: a name no container declares (or declares for another protocol) "
            "matches nothing, so the traffic the rule was written for is dropped once the pods "
            "are isolated. A number the containers do not declare usually means the policy "
            "admits the Service's `port` instead of the pods' `targetPort`: policies see the "
            "pods' ports, after the Service has translated them."
        ),
        example=(
            "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: web\n"
            "  namespace: shop\nspec:\n  podSelector:\n    matchLabels: {app: web}\n"
            "  ingress:\n  - ports:\n    - port: 80\n    - port: metrics\n---\n"
            "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: shop\n"
            "spec:\n  selector:\n    matchLabels: {app: web}\n  template:\n    metadata:\n"
            "      labels: {app: web}\n    spec:\n      containers:\n      - name: web\n"
            "        image: nginx\n        ports: [{name: http, containerPort: 8080}]\n"
        ),
        fix=(
            "Admit the pods' own ports: `ports: [{port: 8080}]` or `ports: [{port: http}]`, or "
            "declare the port in the pod template."
        ),
        help_uri=NETWORK_POLICY_DOCS + "#networkpolicy-resource",
        tags=("networkpolicy", "reference"),
    )
    kinds = frozenset({"NetworkPolicy"})

    def check(self, manifest: Manifest, ctx: RuleContext) -> Iterator[Diagnostic]:
        if not is_network_policy(manifest):
            return
        rules = [(index, rule, rule_ports(rule)) for index, rule in rules_of(manifest, "ingress")]
        if not any(ports for _, _, ports in rules):
            return  # no rule names ports: nothing to resolve, and no inventory asked
        selector = pod_selector(manifest)
        if selector is None:
            return
        selection = selected_templates(selector, manifest.namespace, ctx.inventory)
        templates = selection.templates
        if not templates or not selection.complete:
            return
        for index, _, ports in rules:
            # A number no container declares is a warning when it leaves the rule admitting
            # nothing the pods declare, and info beside ports that resolve (a dead entry).
            serves = any(_resolves(port, templates) for port in ports or ())
            for port in ports or ():
                path = ("spec", "ingress", index, "ports", port.index, "port")
                if isinstance(port.port, str):
                    yield from self._named(manifest, port, templates, path)
                elif isinstance(port.port, int):
                    yield from self._numbered(manifest, port, templates, path, serves)

    @staticmethod
    def _named(
        manifest: Manifest,
        port: PolicyPort,
        templates: list[PodTemplate],
        path: tuple[str | int, ...],
    ) -> Iterator[Diagnostic]:
        name = port.port
        if _resolves(port, templates):
            return
        named = [p for t in templates for p in t.ports if p.name == name]
        if named:
            problem = (
                f"the containers of the pods it selects declare port {name} for "
                f"{named[0].protocol}, not {port.protocol}"
            )
            hint = f"set protocol: {named[0].protocol} on this port, or declare {name} for both"
        else:
            problem = (
                f"no container of the pods it selects declares a port named {name} "
                f"({_declared(templates)})"
            )
            names = sorted({p.name for t in templates for p in t.ports if p.name})
            hint = (
                f"name a port the containers declare ({', '.join(names)}), or use the number"
                if names
                else "use the port number, or name the container port in the pod template"
            )
        yield Diagnostic(
            path,
            f"{manifest.ref} admits named {_port_text(port)}, but {problem}: the rule admits "
            "nothing on it",
            hint=hint,
        )

    @staticmethod
    def _numbered(
        manifest: Manifest,
        port: PolicyPort,
        templates: list[PodTemplate],
        path: tuple[str | int, ...],
        serves: bool,
    ) -> Iterator[Diagnostic]:
        if not all(t.declares_ports() for t in templates) or _resolves(port, templates):
            return  # a container may listen on a port it does not declare
        declared = [p for t in templates for p in t.ports]
        numbers = sorted({p.number for p in declared if p.protocol == port.protocol and p.number})
        hint = (
            f"admit a port the containers declare ({', '.join(map(str, numbers))}), or declare "
            "the port in the pod template"
            if numbers
            else f"declare the port in the pod template, or admit {port.protocol} ports the "
            "containers declare"
        )
        yield Diagnostic(
            path,
            f"{manifest.ref} admits {_port_text(port)}, but no container of the pods it selects "
            f"declares it ({_declared(templates)}); a policy sees the pods' ports, not a "
            "Service's",
            severity=Severity.INFO if serves else Severity.WARNING,
            hint=hint,
        )
