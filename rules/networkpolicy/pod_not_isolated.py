"""`pod-not-isolated` (off by default): a workload whose pods no NetworkPolicy isolates for
ingress, so any pod of the cluster can connect to them."""

from __future__ import annotations

from collections.abc import Iterator

from netlint.api import Diagnostic, Manifest, Path, Rule, RuleContext, RuleMeta, Severity
from netlint.k8s import dig, label_list, namespace_phrase, pod_templates
from netlint.traffic.policy_eval import INGRESS, PolicyEvaluator

from ._networkpolicy import NETWORK_POLICY_DOCS


class PodNotIsolated(Rule):
    meta = RuleMeta(
        id="pod-not-isolated",
        severity=Severity.WARNING,
        summary="No NetworkPolicy isolates the workload's pods for ingress",
        what=(
            "Reports a workload (a Pod, or any kind that holds a pod template: Deployments, "
            "StatefulSets, DaemonSets, Jobs, configured `workloads:` ...) whose pod template no "
            "networking.k8s.io/v1 NetworkPolicy of the input in its namespace selects for "
            "ingress. A policy whose selector leaves it open (labels that controllers add, an "
            "expression the API server rejects) counts as isolating. Egress is not judged. "
            "Off by default: a policy teams turn on (kube-linter's `non-isolated-pod`, "
            "kube-score's `pod-networkpolicy`); select it with `--select pod-not-isolated`."
        ),
        why=(
            "Pods that no NetworkPolicy selects for ingress accept connections from every pod "
            "of the cluster, in every namespace: one compromised workload can reach them all. "
            "Teams that isolate by default want each new workload to come with its policy."
        ),
        example=(
            "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: shop\n"
            "spec:\n  selector:\n    matchLabels: {app: web}\n  template:\n    metadata:\n"
            "      labels: {app: web}\n    spec:\n      containers: [{name: web, image: nginx}]\n"
        ),
        fix=(
            "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: web\n"
            "  namespace: shop\nspec:\n  podSelector:\n    matchLabels: {app: web}\n  ingress:\n"
            "  - from:\n    - podSelector:\n        matchLabels: {app: gateway}\n"
            "    ports: [{port: 8080}]\n"
        ),
        help_uri=NETWORK_POLICY_DOCS + "#isolated-and-non-isolated-pods",
        tags=("networkpolicy", "security"),
        enabled_by_default=False,
    )

    def check(self, manifest: Manifest, ctx: RuleContext) -> Iterator[Diagnostic]:
        templates = pod_templates(manifest, ctx.settings.workloads)
        if not templates:
            return
        template = templates[0]
        namespace = manifest.namespace
        if PolicyEvaluator.of(ctx).isolation(template, INGRESS).isolated is not False:
            return  # selected, or cannot be told
        labels: Path = (*template.path, "metadata", "labels")
        path = labels if dig(manifest.data, *labels) is not None else ("metadata", "name")
        yield Diagnostic(
            path,
            f"{manifest.ref}: no NetworkPolicy of {namespace_phrase(namespace)} selects its pods "
            f"({label_list(template.labels)}) for ingress, so every pod of the cluster can "
            "connect to them",
            on_key=True,
            hint=(
                "add a NetworkPolicy whose podSelector matches these labels and admits only the "
                f"clients they need, or a default-deny policy (`podSelector: {{}}`) for "
                f"{namespace_phrase(namespace)}"
            ),
        )
