"""`servicemonitor-port`: a ServiceMonitor endpoint whose `port` names no port of the selected
Services, or whose `targetPort` no container of their pods declares."""

from __future__ import annotations

from collections.abc import Iterator

from netlint.api import Diagnostic, Manifest, Rule, RuleContext, RuleMeta, Severity
from netlint.k8s import capped

from ..service._service import port_listing, ports_of
from ._monitoring import (
    SERVICE_MONITOR_DOCS,
    EndpointPort,
    container_declares,
    declared_ports,
    endpoint_ports,
    look_alike,
    monitor_namespaces,
    monitor_selector,
    owners,
    selected_services,
    service_templates,
)


class ServiceMonitorPort(Rule):
    meta = RuleMeta(
        id="servicemonitor-port",
        severity=Severity.WARNING,
        summary="A ServiceMonitor endpoint names a port the selected Services or their pods lack",
        what=(
            "For a Prometheus Operator `ServiceMonitor` (monitoring.coreos.com/v1) whose selector "
            "selects Services of the input (see `servicemonitor-selector-no-match`), reports an "
            "`endpoints[].port` that is the name of no port of those Services "
            "(`spec.ports[].name`; an unnamed port cannot be selected by name), and, for an "
            "endpoint without `port`, a `targetPort` (name or number) that no container of the "
            "pods those Services select declares (`ports[].name` / `containerPort`). `port` takes "
            "precedence over `targetPort`, as in the operator. Works whether or not the CRD is in "
            "the input; Services or pods outside the input are not judged."
        ),
        why=(
            "The operator keeps only the endpoints whose Service port name equals `port` (or "
            "whose pod declares the container port `targetPort`). A name that matches nothing is "
            "accepted by the API server and the operator alike: Prometheus discovers no target "
            "and the metrics are silently missing. The usual slip is naming the container port "
            "(`metrics`) where the Service calls it otherwise (`http-metrics`), or leaving the "
            "Service port unnamed."
        ),
        example=(
            "apiVersion: monitoring.coreos.com/v1\nkind: ServiceMonitor\nmetadata:\n"
            "  name: web\n  namespace: shop\nspec:\n  selector:\n    matchLabels: {app: web}\n"
            "  endpoints:\n  - port: metrics\n---\napiVersion: v1\nkind: Service\nmetadata:\n"
            "  name: web\n  namespace: shop\n  labels: {app: web}\nspec:\n"
            "  selector: {app: web}\n  ports:\n  - {name: http-metrics, port: 9090}\n"
        ),
        fix=(
            "Use the name of a port of the Service (`port: http-metrics`), or name the Service "
            "port as the ServiceMonitor expects."
        ),
        help_uri=SERVICE_MONITOR_DOCS,
        tags=("monitoring", "reference"),
    )
    kinds = frozenset({"ServiceMonitor"})

    def check(self, manifest: Manifest, ctx: RuleContext) -> Iterator[Diagnostic]:
        selector = monitor_selector(manifest)
        if selector is None:
            return
        ports = list(endpoint_ports(manifest, "endpoints", ("port", "targetPort")))
        if not ports:
            return
        inventory = ctx.inventory
        namespaces = monitor_namespaces(manifest)
        selection = selected_services(selector, namespaces, inventory)
        if not selection.selected or not selection.complete:
            return  # servicemonitor-selector-no-match, or nothing to judge against
        services = selection.selected
        for index, port in ports:
            if port.field == "port":
                yield from self._service_port(manifest, index, port, services)
            else:
                templates = service_templates(services, inventory)
                if templates and not container_declares(templates, port):
                    yield Diagnostic(
                        port.path,
                        f"{manifest.ref} endpoints[{index}]: {port.text()} is no container port "
                        f"of the pods of {self._names(services)}: the containers of {owners(templates)} "
                        f"declare "
                        f"{declared_ports(templates, port.is_name)}; Prometheus discovers no "
                        "target for this endpoint",
                        hint="name a declared container port, or use `port` with the name of a "
                        "Service port",
                    )

    def _service_port(
        self, manifest: Manifest, index: int, port: EndpointPort, services: list[Manifest]
    ) -> Iterator[Diagnostic]:
        wanted = str(port.value)
        names = [p.name for service in services for p in ports_of(service) if p.name]
        if wanted in names:
            return
        if len(services) == 1:
            listing = f"ports: {port_listing(ports_of(services[0]))}"
        else:
            listing = "; ".join(
                f"{service.ref}: {port_listing(ports_of(service))}" for service in services[:3]
            )
        by_target = [
            p.name
            for service in services
            for p in ports_of(service)
            if p.name and p.target == wanted
        ]
        alike = look_alike(wanted, names)
        unnamed = any(len(ports_of(s)) == 1 and not ports_of(s)[0].name for s in services)
        if by_target:
            hint = (
                f"did you mean port: {by_target[0]}? {wanted!r} is the container port it "
                "targets; `port` names the Service port"
            )
        elif alike is not None:
            hint = f"did you mean port: {alike}?"
        elif unnamed:
            hint = f"name the Service port {wanted!r}: an unnamed port cannot be selected by name"
        else:
            hint = f"use the name of a port of the Service, or name the Service port {wanted!r}"
        yield Diagnostic(
            port.path,
            f"{manifest.ref} endpoints[{index}]: port {wanted!r} is the name of no port of "
            f"{self._names(services)} ({listing}); Prometheus discovers no target for this "
            "endpoint",
            hint=hint,
        )

    @staticmethod
    def _names(services: list[Manifest]) -> str:
        refs = [str(s.ref) for s in services]
        return capped(refs, len(refs))
