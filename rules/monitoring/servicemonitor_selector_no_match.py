"""`servicemonitor-selector-no-match`: a Prometheus Operator ServiceMonitor whose `selector` and
`namespaceSelector` select no Service of the input, although the input has Services there."""

from __future__ import annotations

from collections.abc import Iterator

from netlint.api import Diagnostic, Manifest, Rule, RuleContext, RuleMeta, Severity

from ._monitoring import (
    SERVICE_MONITOR_DOCS,
    Targets,
    Wording,
    near_services,
    seen_service,
    selected_services,
    selector_no_match,
    services_elsewhere,
)

_SERVICES = Targets(
    select=selected_services,
    elsewhere=services_elsewhere,
    near=near_services,
    seen=seen_service,
    wording=Wording(
        one="Service",
        many="Services",
        none="no Service in {where} has labels matching",
        outside="Services defined outside the input are not seen",
        hint="make the selector match the Service's metadata.labels (not its pods' labels)",
    ),
)


class ServiceMonitorSelectorNoMatch(Rule):
    meta = RuleMeta(
        id="servicemonitor-selector-no-match",
        severity=Severity.WARNING,
        summary="The ServiceMonitor selects no Service of the input",
        what=(
            "Reports a Prometheus Operator `ServiceMonitor` (monitoring.coreos.com/v1) whose "
            "`spec.selector` (`matchLabels` and `matchExpressions`, against the Services' own "
            "`metadata.labels`) matches no Service of the input in the namespaces its "
            "`spec.namespaceSelector` names: every namespace with `any: true`, those of "
            "`matchNames`, else the ServiceMonitor's own namespace. It is a warning when a "
            "Service with those labels is in a namespace the ServiceMonitor does not look in, "
            "or when a Service there has a look-alike value (`web-api` for `webapi`); info "
            "when Services are there but none is close (the Service may be defined outside the "
            "input). A namespace without Services in the input gives nothing to judge against, "
            "so it is not reported. Works whether or not the CRD is in the input; an empty "
            "selector selects every Service and is never reported."
        ),
        why=(
            "The Prometheus Operator turns a ServiceMonitor into scrape configuration that "
            "keeps only the endpoints of the Services it selects. The API server accepts a "
            "selector that matches nothing, and so does the operator: Prometheus simply has "
            "no target, and the metrics (and the alerts built on them) are silently missing. "
            "The usual slips are a ServiceMonitor in the `monitoring` namespace without a "
            "`namespaceSelector` for the application's namespace, and selecting the pods' "
            "labels when the Service carries other ones."
        ),
        example=(
            "apiVersion: monitoring.coreos.com/v1\nkind: ServiceMonitor\nmetadata:\n"
            "  name: web\n  namespace: monitoring\nspec:\n  selector:\n"
            "    matchLabels: {app: web}\n  endpoints:\n  - port: metrics\n---\n"
            "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  namespace: shop\n"
            "  labels: {app: web}\nspec:\n  selector: {app: web}\n  ports:\n"
            "  - {name: metrics, port: 9090}\n"
        ),
        fix=(
            "Select the namespace the Service is in (`namespaceSelector: {matchNames: [shop]}`) "
            "and the labels of the Service's `metadata.labels` (not its pods')."
        ),
        help_uri=SERVICE_MONITOR_DOCS,
        tags=("monitoring", "reference"),
    )
    kinds = frozenset({"ServiceMonitor"})
    # Not `settles_locally`: more Services in the namespaces can give it something to judge.

    def check(self, manifest: Manifest, ctx: RuleContext) -> Iterator[Diagnostic]:
        yield from selector_no_match(manifest, ctx.inventory, _SERVICES)
