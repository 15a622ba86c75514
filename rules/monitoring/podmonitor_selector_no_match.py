"""`podmonitor-selector-no-match`: a Prometheus Operator PodMonitor whose `selector` and
`namespaceSelector` select no pod template of the input, although the input has pod templates
there."""

from __future__ import annotations

from collections.abc import Iterator

from netlint.api import Diagnostic, Manifest, Rule, RuleContext, RuleMeta, Severity

from ..networkpolicy._networkpolicy import near_misses
from ._monitoring import (
    POD_MONITOR_DOCS,
    Targets,
    Wording,
    seen_template,
    selected_pod_templates,
    selector_no_match,
    templates_elsewhere,
)

_PODS = Targets(
    select=selected_pod_templates,
    elsewhere=templates_elsewhere,
    near=near_misses,
    seen=seen_template,
    wording=Wording(
        one="pods",
        many="pods",
        none="no pod template in {where} matches",
        outside="pods that an operator creates, or defined outside the input, are not seen",
        hint="make the selector match the labels of the pod template "
        "(spec.template.metadata.labels)",
    ),
)


class PodMonitorSelectorNoMatch(Rule):
    meta = RuleMeta(
        id="podmonitor-selector-no-match",
        severity=Severity.WARNING,
        summary="The PodMonitor selects no pod template of the input",
        what=(
            "Reports a Prometheus Operator `PodMonitor` (monitoring.coreos.com/v1) whose "
            "`spec.selector` (`matchLabels` and `matchExpressions`) matches the labels of no pod "
            "template of the input in the namespaces its `spec.namespaceSelector` names: every "
            "namespace with `any: true`, those of `matchNames`, else the PodMonitor's own "
            "namespace. It is a warning when pods with those labels are in a namespace the "
            "PodMonitor does not look in, or when a template there has a look-alike value; info "
            "when templates are there but none is close (an operator may create the pods). A "
            "namespace without pod templates in the input is not reported, nor is an empty "
            "selector (every pod). Labels that controllers add to pods leave the verdict open. "
            "Works whether or not the CRD is in the input."
        ),
        why=(
            "The Prometheus Operator scrapes only the pods a PodMonitor selects. The API server "
            "and the operator accept a selector that matches nothing: Prometheus has no target "
            "and the metrics, and the alerts built on them, are silently missing."
        ),
        example=(
            "apiVersion: monitoring.coreos.com/v1\nkind: PodMonitor\nmetadata:\n  name: web\n"
            "  namespace: monitoring\nspec:\n  selector:\n    matchLabels: {app: web}\n"
            "  podMetricsEndpoints:\n  - port: metrics\n---\napiVersion: v1\nkind: Pod\n"
            "metadata:\n  name: web\n  namespace: shop\n  labels: {app: web}\nspec:\n"
            "  containers:\n  - name: web\n    image: nginx\n    ports:\n"
            "    - {name: metrics, containerPort: 9090}\n"
        ),
        fix=(
            "Select the namespace of the pods (`namespaceSelector: {matchNames: [shop]}`) and the "
            "labels of their pod template (`spec.template.metadata.labels`)."
        ),
        help_uri=POD_MONITOR_DOCS,
        tags=("monitoring", "reference"),
    )
    kinds = frozenset({"PodMonitor"})
    # Not `settles_locally`: more pod templates in the namespaces can give it something to judge.

    def check(self, manifest: Manifest, ctx: RuleContext) -> Iterator[Diagnostic]:
        yield from selector_no_match(manifest, ctx.inventory, _PODS)
