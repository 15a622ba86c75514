"""`podmonitor-port`: a PodMonitor endpoint whose `port`, `portNumber` or `targetPort` no
container of the selected pods declares."""

from __future__ import annotations

from collections.abc import Iterator

from netlint.api import Diagnostic, Manifest, Rule, RuleContext, RuleMeta, Severity

from ._monitoring import (
    POD_MONITOR_DOCS,
    container_declares,
    declared_ports,
    endpoint_ports,
    look_alike,
    monitor_namespaces,
    monitor_selector,
    owners,
    selected_pod_templates,
)


class PodMonitorPort(Rule):
    meta = RuleMeta(
        id="podmonitor-port",
        severity=Severity.WARNING,
        summary="A PodMonitor endpoint names a port no container of the selected pods declares",
        what=(
            "For a Prometheus Operator `PodMonitor` (monitoring.coreos.com/v1) whose selector "
            "selects pod templates of the input (see `podmonitor-selector-no-match`), reports a "
            "`podMetricsEndpoints[].port` that no container of those templates declares as a "
            "port name, and likewise a `portNumber` (a `containerPort`) or the deprecated "
            "`targetPort` (name or number). The field that takes precedence in the operator is "
            "judged: `port`, then `portNumber`, then `targetPort`. Works whether or not the CRD "
            "is in the input; pods outside the input are not judged."
        ),
        why=(
            "The operator keeps only the pod targets whose declared container port has that name "
            "(or number): a port the containers do not declare is never scraped, even when the "
            "process listens on it. The API server and the operator accept it, so the metrics "
            "are silently missing."
        ),
        example=(
            "apiVersion: monitoring.coreos.com/v1\nkind: PodMonitor\nmetadata:\n  name: web\n"
            "  namespace: shop\nspec:\n  selector:\n    matchLabels: {app: web}\n"
            "  podMetricsEndpoints:\n  - port: metrics\n---\napiVersion: v1\nkind: Pod\n"
            "metadata:\n  name: web\n  namespace: shop\n  labels: {app: web}\nspec:\n"
            "  containers:\n  - name: web\n    image: nginx\n    ports:\n"
            "    - {name: http-metrics, containerPort: 9090}\n"
        ),
        fix=(
            "Use the name of a declared container port (`port: http-metrics`), or declare the "
            "port in the container (`ports: [{name: metrics, containerPort: 9090}]`)."
        ),
        help_uri=POD_MONITOR_DOCS,
        tags=("monitoring", "reference"),
    )
    kinds = frozenset({"PodMonitor"})

    def check(self, manifest: Manifest, ctx: RuleContext) -> Iterator[Diagnostic]:
        selector = monitor_selector(manifest)
        if selector is None:
            return
        ports = list(
            endpoint_ports(manifest, "podMetricsEndpoints", ("port", "portNumber", "targetPort"))
        )
        if not ports:
            return
        selection = selected_pod_templates(selector, monitor_namespaces(manifest), ctx.inventory)
        templates = selection.selected
        if not templates or not selection.complete:
            return  # podmonitor-selector-no-match, or nothing to judge against
        for index, port in ports:
            if container_declares(templates, port):
                continue
            alike = (
                look_alike(port.value, [p.name for t in templates for p in t.ports if p.name])
                if isinstance(port.value, str)
                else None
            )
            yield Diagnostic(
                port.path,
                f"{manifest.ref} podMetricsEndpoints[{index}]: {port.text()} is no container port "
                f"of the selected pods: the containers of {owners(templates)} declare "
                f"{declared_ports(templates, port.is_name)}; Prometheus discovers no target for "
                "this endpoint",
                hint=f"did you mean {port.field}: {alike}?"
                if alike is not None
                else "use a port the containers declare, or declare it in the container's ports",
            )
