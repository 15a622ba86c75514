"""`service-nodeport-range`: a nodePort outside the cluster's NodePort range."""

from __future__ import annotations

from collections.abc import Iterator

from netlint._builtin.rules.service._service import (
    NODE_PORT_TYPES,
    SERVICE_DOCS,
    health_check_node_port,
    needs_health_check,
    ports_of,
    service_type,
)

from netlint.api import Diagnostic, Manifest, Rule, RuleContext, RuleMeta, Severity


class ServiceNodePortRange(Rule):
    meta = RuleMeta(
        id="service-nodeport-range",
        severity=Severity.ERROR,
        summary="A nodePort or healthCheckNodePort outside the NodePort range",
        what=(
            "Reports a `nodePort` of a NodePort or LoadBalancer Service, and the "
            "`healthCheckNodePort` of a LoadBalancer with `externalTrafficPolicy: Local`, that "
            "lies outside the cluster's NodePort range: 30000-32767 unless configured "
            'otherwise. 0 or an absent value means "allocate one" and is fine.'
        ),
        why=(
            "The API server's allocator refuses the Service: `provided port is not in the valid "
            "range. The range of valid ports is 30000-32767`. A nodePort of 80 or 8080 is the "
            "classic slip: the value meant for `port` or `targetPort`."
            " Severity: an error, because the allocator refuses the Service."
        ),
        example=(
            "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  type: NodePort\n"
            "  selector: {app: web}\n  ports:\n  - port: 80\n    nodePort: 8080\n"
        ),
        fix=(
            "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  type: NodePort\n"
            "  selector: {app: web}\n  ports:\n  - port: 80\n    nodePort: 30080\n"
        ),
        help_uri=SERVICE_DOCS + "#type-nodeport",
        tags=("service", "allocator"),
        facts=("SVC-17", "SVC-23"),
        options=(
            "`--node-port-range 30000-32767` or config `node-port-range`: the cluster's "
            "kube-apiserver `--service-node-port-range`."
        ),
    )
    kinds = frozenset({"Service"})

    def check(self, manifest: Manifest, ctx: RuleContext) -> Iterator[Diagnostic]:
        kind = service_type(manifest)
        if kind not in NODE_PORT_TYPES:
            return  # a nodePort elsewhere is service-type-fields'
        low, high = ctx.settings.node_port_range
        ref = str(manifest.ref)
        hint = (
            f"use a port in {low}-{high} or omit it to have one allocated; if the cluster's "
            "--service-node-port-range differs, set netlint's --node-port-range"
        )
        for port in ports_of(manifest):
            value = port.node_port
            if value is not None and not low <= value <= high:
                yield Diagnostic(
                    port.node_port_path,
                    f"{ref} {port.label()}: nodePort {value}: provided port is not in the valid "
                    f"range. The range of valid ports is {low}-{high}",
                    hint=hint,
                )
        health = health_check_node_port(manifest)
        if health is not None and needs_health_check(manifest, kind) and not low <= health <= high:
            yield Diagnostic(
                ("spec", "healthCheckNodePort"),
                f"{ref} healthCheckNodePort {health}: provided port is not in the valid range. "
                f"The range of valid ports is {low}-{high}",
                hint=hint,
            )
