"""`networkpolicy-selector-no-match`: a NetworkPolicy whose `podSelector` selects no pod template
of its namespace, although the input has pod templates there."""

from __future__ import annotations

from collections.abc import Iterator

from netlint.api import Diagnostic, Manifest, Rule, RuleContext, RuleMeta, Severity
from netlint.k8s import label_list, namespace_phrase
from netlint.traffic.policy_eval import (
    is_empty,
    namespace_templates,
    pod_selector,
    selected_templates,
)

from ._networkpolicy import NETWORK_POLICY_DOCS, near_misses, selector_text, slips

_SHOWN = 3


class NetworkPolicySelectorNoMatch(Rule):
    meta = RuleMeta(
        id="networkpolicy-selector-no-match",
        severity=Severity.WARNING,
        summary="The NetworkPolicy's podSelector selects no pod template in its namespace",
        what=(
            "Reports a networking.k8s.io/v1 NetworkPolicy whose `spec.podSelector` "
            "(`matchLabels` and `matchExpressions`) matches the labels of no pod template of the "
            "input in the policy's namespace, when the input has pod templates there. An empty "
            "selector selects every pod and is never reported; a namespace without pod templates "
            "in the input gives nothing to judge against (the pods may be defined elsewhere), so "
            "it is not reported either. Labels that controllers add to pods (a StatefulSet's "
            "pod name, a Deployment's `pod-template-hash`) leave the verdict open. The message "
            "names templates that carry a key the selector reads, with their labels. It is a "
            "warning when one of them has a look-alike value (`fronted` for `frontend`), and "
            "info otherwise: operators create pods that no manifest declares (the Prometheus "
            "Operator's `Prometheus` pods, Longhorn's instance managers)."
        ),
        why=(
            "A policy applies to the pods its `podSelector` selects in its own namespace, and "
            "to no others. A typo in a label (`app: fronted`) or a selector copied from the "
            "workload's own metadata labels protects nothing: the pods meant to be isolated "
            "accept and send all traffic, and nothing says so."
        ),
        example=(
            "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: web\n"
            "  namespace: shop\nspec:\n  podSelector:\n    matchLabels: {app: fronted}\n"
            "  ingress:\n  - from: [{podSelector: {matchLabels: {app: gateway}}}]\n---\n"
            "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: shop\n"
            "spec:\n  selector:\n    matchLabels: {app: frontend}\n  template:\n"
            "    metadata:\n      labels: {app: frontend}\n    spec:\n"
            "      containers: [{name: web, image: nginx}]\n"
        ),
        fix="Select the labels of the pod template (`spec.template.metadata.labels`): "
        "`podSelector: {matchLabels: {app: frontend}}`.",
        help_uri=NETWORK_POLICY_DOCS + "#networkpolicy-resource",
        tags=("networkpolicy", "reference"),
    )
    kinds = frozenset({"NetworkPolicy"})
    settles_locally = True  # more pod templates can only give the selector a match

    def check(self, manifest: Manifest, ctx: RuleContext) -> Iterator[Diagnostic]:
        if manifest.api_version != "networking.k8s.io/v1":
            return
        selector = pod_selector(manifest)
        if selector is None or is_empty(selector):
            return  # absent (schema) or empty: every pod of the namespace
        inventory = ctx.inventory
        namespace = manifest.namespace
        in_namespace = namespace_templates(inventory, namespace)
        if not in_namespace:
            return  # nothing to judge against
        selection = selected_templates(selector, namespace, inventory)
        if selection.templates or not selection.complete:
            return
        near = near_misses(selector, in_namespace)
        shown = [f"{t.owner.ref} has {label_list(t.labels)}" for t in near[:_SHOWN]]
        nearest = f"; nearest: {'; '.join(shown)}" if shown else ""
        if near and slips(selector, near[0].labels):
            severity, why = Severity.WARNING, ""
        else:  # no look-alike: the pods may come from an operator or from elsewhere
            severity = Severity.INFO
            why = " (pods that an operator creates, or defined outside the input, are not seen)"
        yield Diagnostic(
            ("spec", "podSelector"),
            f"{manifest.ref} selects no pods: no pod template in {namespace_phrase(namespace)} matches "
            f"podSelector {selector_text(selector)}{nearest}{why}",
            severity=severity,
            on_key=True,
            hint="make the podSelector match the labels of the pod template "
            "(spec.template.metadata.labels) of the workloads to isolate",
        )
