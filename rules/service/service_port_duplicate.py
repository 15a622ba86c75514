"""`service-port-duplicate`: two ports of a Service share port (or nodePort) and protocol."""

from __future__ import annotations

from collections.abc import Iterator

from netlint.api import Diagnostic, Manifest, Rule, RuleContext, RuleMeta, Severity

from ._service import NODE_PORT_TYPES, SERVICE_DOCS, ports_of, service_type


class ServicePortDuplicate(Rule):
    meta = RuleMeta(
        id="service-port-duplicate",
        severity=Severity.ERROR,
        summary="Two ports of a Service share port and protocol, or nodePort and protocol",
        what=(
            "Reports a Service port whose `port` and `protocol` (TCP when omitted) an earlier port "
            "of the same Service already uses, and a `nodePort` that an earlier port uses with "
            "the same protocol. The same number on TCP and UDP is allowed."
        ),
        why=(
            "The API server rejects the Service (`spec.ports[1]: Duplicate value`, "
            "`spec.ports[1].nodePort: Duplicate value: 30080`): one port and protocol can only "
            "lead to one target."
        ),
        example=(
            "apiVersion: v1\nkind: Service\nmetadata:\n  name: dns\nspec:\n  selector: {app: dns}\n"
            "  ports:\n  - name: dns\n    port: 53\n  - name: dns-tcp\n    port: 53\n"
        ),
        fix=(
            "apiVersion: v1\nkind: Service\nmetadata:\n  name: dns\nspec:\n  selector: {app: dns}\n"
            "  ports:\n  - name: dns\n    port: 53\n    protocol: UDP\n  - name: dns-tcp\n"
            "    port: 53\n    protocol: TCP\n"
        ),
        help_uri=SERVICE_DOCS + "#multi-port-services",
        tags=("service", "api-validation"),
        facts=("SVC-09", "SVC-16"),
    )
    kinds = frozenset({"Service"})

    def check(self, manifest: Manifest, ctx: RuleContext) -> Iterator[Diagnostic]:
        kind = service_type(manifest)
        seen_ports: dict[tuple[int, str], int] = {}
        seen_node_ports: dict[tuple[int, str], int] = {}
        for port in ports_of(manifest):
            if port.protocol is None:
                continue
            if port.port is not None:
                key = (port.port, port.protocol)
                if key in seen_ports:
                    yield Diagnostic(
                        port.path,
                        f"{manifest.ref} spec.ports[{port.index}]: Duplicate value: port "
                        f"{port.port}/{port.protocol} is already spec.ports[{seen_ports[key]}]",
                        hint="remove the duplicate, or use another port or protocol",
                    )
                else:
                    seen_ports[key] = port.index
            # A nodePort on ClusterIP is forbidden and on ExternalName ignored: service-type-fields.
            if port.node_port is not None and kind in NODE_PORT_TYPES:
                key = (port.node_port, port.protocol)
                if key in seen_node_ports:
                    yield Diagnostic(
                        port.node_port_path,
                        f"{manifest.ref} spec.ports[{port.index}].nodePort: Duplicate value: "
                        f"{port.node_port}/{port.protocol} is already the nodePort of "
                        f"spec.ports[{seen_node_ports[key]}]",
                        hint="give each port its own nodePort, or omit it to have one allocated",
                    )
                else:
                    seen_node_ports[key] = port.index
