"""`networkpolicy-policy-types`: rules of a direction that `policyTypes` leaves out, and so are
ignored."""

from __future__ import annotations

from collections.abc import Iterator

from netlint.api import Diagnostic, Manifest, Rule, RuleContext, RuleMeta, Severity
from netlint.k8s import as_list, dig
from netlint.traffic.policy_eval import listed_policy_types

from ._networkpolicy import NETWORK_POLICY_DOCS

# (policyTypes value, the section of rules it enables)
_DIRECTIONS = (("Ingress", "ingress"), ("Egress", "egress"))


class NetworkPolicyPolicyTypes(Rule):
    meta = RuleMeta(
        id="networkpolicy-policy-types",
        severity=Severity.WARNING,
        summary="The NetworkPolicy has ingress or egress rules that its policyTypes leave out",
        what=(
            "Reports a networking.k8s.io/v1 NetworkPolicy whose `spec.policyTypes` is set and does "
            "not list `Egress` while `spec.egress` has rules, or does not list `Ingress` while "
            "`spec.ingress` has rules. Without `policyTypes` the API server derives it from the "
            "sections present, so only an explicit list can contradict them."
        ),
        why=(
            "A policy applies only in the directions its `policyTypes` names: the rules of the "
            "other direction are kept in the object but ignored, so the pods are not isolated "
            "in that direction and everything the rules meant to restrict stays allowed. Such "
            "a policy usually started as ingress-only and gained egress rules later."
        ),
        example=(
            "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: web\n"
            "  namespace: shop\nspec:\n  podSelector:\n    matchLabels: {app: web}\n"
            "  policyTypes: [Ingress]\n  ingress:\n  - from: [{podSelector: {}}]\n  egress:\n"
            "  - to: [{namespaceSelector: {}}]\n    ports: [{protocol: UDP, port: 53}]\n"
        ),
        fix=(
            "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: web\n"
            "  namespace: shop\nspec:\n  podSelector:\n    matchLabels: {app: web}\n"
            "  policyTypes: [Ingress, Egress]\n  ingress:\n  - from: [{podSelector: {}}]\n"
            "  egress:\n  - to: [{namespaceSelector: {}}]\n    ports: [{protocol: UDP, port: 53}]\n"
        ),
        help_uri=NETWORK_POLICY_DOCS + "#networkpolicy-resource",
        tags=("networkpolicy",),
    )
    kinds = frozenset({"NetworkPolicy"})

    def check(self, manifest: Manifest, ctx: RuleContext) -> Iterator[Diagnostic]:
        if manifest.api_version != "networking.k8s.io/v1":
            return
        listed = listed_policy_types(manifest)
        if listed is None:
            return
        shown = "[" + ", ".join(listed) + "]"
        for policy_type, section in _DIRECTIONS:
            rules = as_list(dig(manifest.data, "spec", section))
            if not rules or policy_type in listed:
                continue
            count = f"{len(rules)} {section} rules are" if len(rules) > 1 else f"{section} rule is"
            yield Diagnostic(
                ("spec", section),
                f"{manifest.ref} lists policyTypes {shown}, so its {count} ignored: the pods "
                f"it selects are not isolated for {section}",
                on_key=True,
                hint=f"add {policy_type} to spec.policyTypes, or remove spec.{section}",
            )
