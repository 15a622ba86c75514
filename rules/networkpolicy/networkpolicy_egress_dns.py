"""`networkpolicy-egress-dns`: a NetworkPolicy that isolates pods for egress, while no policy of
their namespace lets them reach DNS."""

from __future__ import annotations

from collections.abc import Iterator

from netlint.api import (
    Diagnostic,
    Manifest,
    Node,
    Path,
    PodTemplate,
    Rule,
    RuleContext,
    RuleMeta,
    Severity,
)
from netlint.k8s import LabelSelector, as_list, as_str, dig
from netlint.traffic.policy_eval import (
    is_empty,
    is_network_policy,
    namespace_policies,
    pod_selector,
    policy_types,
    rule_ports,
    rules_of,
    selected_templates,
    selects,
)

from ._networkpolicy import NETWORK_POLICY_DOCS

DNS_PORT = 53
# The port names cluster DNS servers give port 53 (CoreDNS, kube-dns, NodeLocal DNSCache).
_DNS_NAMES = frozenset({"dns", "dns-udp"})
_SHOWN = 3
_HINT = (
    "add an egress rule for DNS, such as `- to: [{namespaceSelector: {matchLabels: "
    "{kubernetes.io/metadata.name: kube-system}}, podSelector: {matchLabels: {k8s-app: "
    "kube-dns}}}]` with `ports: [{protocol: UDP, port: 53}, {protocol: TCP, port: 53}]`"
)


def _rule_allows_dns(rule: Node) -> bool:
    """Whether an egress rule admits UDP port 53 to some destination. Any `to` counts: where the
    cluster's DNS runs (kube-dns, a node-local cache on an ipBlock) is not in the manifests."""
    ports = rule_ports(rule)
    if ports is None:
        return True  # every port
    for port in ports:
        if port.protocol != "UDP":
            continue
        if port.admits(DNS_PORT, "UDP") or port.port in _DNS_NAMES:
            return True
    return False


def allows_dns(policy: Manifest) -> bool:
    return "Egress" in policy_types(policy) and any(
        _rule_allows_dns(rule) for _, rule in rules_of(policy, "egress")
    )


def _covers(selector: LabelSelector, other: LabelSelector) -> bool | None:
    """Whether `selector` selects every pod that `other` selects; None when it cannot be told
    from the selectors alone (expressions)."""
    if is_empty(selector):
        return True
    if selector.match_expressions or other.match_expressions:
        return None
    return all(other.match_labels.get(k) == v for k, v in selector.match_labels.items())


def _where(policy: Manifest) -> tuple[Path, bool]:
    """Where isolation for egress is set, and whether at the key: the `Egress` item of
    policyTypes, else the `spec.egress` key."""
    for index, item in enumerate(as_list(dig(policy.data, "spec", "policyTypes")) or []):
        if as_str(item) == "Egress":
            return ("spec", "policyTypes", index), False
    return ("spec", "egress"), True


class NetworkPolicyEgressDns(Rule):
    meta = RuleMeta(
        id="networkpolicy-egress-dns",
        severity=Severity.WARNING,
        summary="A NetworkPolicy isolates pods for egress, and no policy lets them reach DNS",
        what=(
            "Reports a networking.k8s.io/v1 NetworkPolicy that isolates the pods it selects for "
            "egress (`Egress` in `policyTypes`, or egress rules without `policyTypes`) when no "
            "NetworkPolicy of the input in the same namespace that selects those pods has an "
            "egress rule admitting UDP port 53 (a rule without `ports`, a port or range holding "
            "53 for UDP, or a port named `dns`). Any destination counts, since where the "
            "cluster's DNS runs is not in the manifests. The pods are the policy's pod templates "
            "in the input; when it selects none, the policies that surely select the same pods "
            "(an empty podSelector, or a subset of its `matchLabels`) are compared, and a "
            "selector of expressions that leaves it open gives no finding. TCP port 53 is not "
            "required: without it only large answers fail."
        ),
        why=(
            "A pod isolated for egress may send only what some policy selecting it allows. A "
            "default-deny egress policy without a DNS rule breaks name resolution for every pod "
            "it selects: each connection to a Service name fails before it starts, although "
            "the rules for the destinations themselves are right."
        ),
        example=(
            "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n"
            "  name: default-deny\n  namespace: shop\nspec:\n  podSelector: {}\n"
            "  policyTypes: [Ingress, Egress]\n"
        ),
        fix=(
            "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: allow-dns\n"
            "  namespace: shop\nspec:\n  podSelector: {}\n  policyTypes: [Egress]\n  egress:\n"
            "  - to:\n    - namespaceSelector:\n        matchLabels: {kubernetes.io/metadata.name: "
            "kube-system}\n      podSelector:\n        matchLabels: {k8s-app: kube-dns}\n"
            "    ports:\n    - {protocol: UDP, port: 53}\n    - {protocol: TCP, port: 53}\n"
        ),
        help_uri=NETWORK_POLICY_DOCS + "#default-deny-all-egress-traffic",
        tags=("networkpolicy", "dns"),
    )
    kinds = frozenset({"NetworkPolicy"})

    def check(self, manifest: Manifest, ctx: RuleContext) -> Iterator[Diagnostic]:
        if not is_network_policy(manifest) or "Egress" not in policy_types(manifest):
            return
        if allows_dns(manifest):
            return
        selector = pod_selector(manifest)
        if selector is None:
            return
        namespace = manifest.namespace
        egress_policies = [
            (policy, pod_selector(policy))
            for policy in namespace_policies(ctx.inventory, namespace)
            if "Egress" in policy_types(policy)
        ]
        selection = selected_templates(selector, namespace, ctx.inventory)
        if not selection.complete:
            return
        if selection.templates:
            cut_off = [t for t in selection.templates if _dns_of(t, egress_policies) is False]
            if not cut_off:
                return
            pods = ", ".join(str(t.owner.ref) for t in cut_off[:_SHOWN])
            more = f" and {len(cut_off) - _SHOWN} more" if len(cut_off) > _SHOWN else ""
            whose = f"the pods of {pods}{more}"
        else:
            for policy, other in egress_policies:
                covers = None if other is None else _covers(other, selector)
                if covers is None or (covers and allows_dns(policy)):
                    return
            whose = "the pods it selects"
        path, on_key = _where(manifest)
        yield Diagnostic(
            path,
            f"{manifest.ref} isolates {whose} for egress, and no NetworkPolicy of namespace "
            f"{namespace} that selects them allows DNS (UDP port {DNS_PORT}): every lookup of "
            "a Service name fails",
            on_key=on_key,
            hint=_HINT,
        )


def _dns_of(
    template: PodTemplate, egress_policies: list[tuple[Manifest, LabelSelector | None]]
) -> bool | None:
    """Whether some egress policy selecting the template allows DNS; None when a policy's
    selector leaves open whether it selects the template."""
    undecided = False
    for policy, selector in egress_policies:
        verdict = None if selector is None else selects(selector, template)
        if verdict is None:
            undecided = True
        elif verdict and allows_dns(policy):
            return True
    return None if undecided else False
