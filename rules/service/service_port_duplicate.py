"""`service-port-duplicate`: two ports of a Service share port (or nodePort) and protocol."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

from netlint.api import Diagnostic, Fix, Manifest, Rule, RuleContext, RuleMeta, Severity
from netlint.fixes import delete_copy, safe_fix
from netlint.k8s import FieldError

from ..workload._workload import refusal_of
from ._service import SERVICE_DOCS, ServicePort, ports_of
from ._service_validation import PORT_DUPLICATE_RULE, service_refusals


class ServicePortDuplicate(Rule):
    meta = RuleMeta(
        id=PORT_DUPLICATE_RULE,
        severity=Severity.ERROR,
        summary="Two ports of a Service share port and protocol, or nodePort and protocol",
        what=(
            "Reports what `ValidateService` refuses as duplicates in a v1 Service, in the API "
            "server's words: a port whose `port` and `protocol` (TCP when omitted) an earlier "
            "port of the same Service already uses, and a `nodePort` of a NodePort or "
            "LoadBalancer Service that an earlier port uses with the same protocol. The same "
            "number on TCP and UDP is allowed. The API server prints the whole port as the "
            "duplicate value; netlint prints the port and protocol that make it one."
        ),
        why=(
            "The API server rejects the Service (`spec.ports[1]: Duplicate value`, "
            "`spec.ports[1].nodePort: Duplicate value: 30080`): one port and protocol can only "
            "lead to one target. Severity: every finding is that rejection."
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
        fixable="sometimes",
    )
    kinds = frozenset({"Service"})

    def check(self, manifest: Manifest, ctx: RuleContext) -> Iterator[Diagnostic]:
        for error in service_refusals(manifest, PORT_DUPLICATE_RULE, ctx.settings.kube_version):
            yield dataclasses.replace(
                refusal_of(manifest, error, _hint(manifest, error)),
                fix=_exact_copy_removal(manifest, error),
            )


def _exact_copy_removal(manifest: Manifest, error: FieldError) -> Fix | None:
    """The port removed when it is an exact copy of an earlier one (every field the same): the
    Service then has that port once, as the copy surely meant. Safe: the API server refuses the
    Service as it is, and nothing else can have been intended."""
    if error.path[-1] == "nodePort":
        return None
    return safe_fix("remove the copy of the port", delete_copy(manifest, error.path))


def _hint(manifest: Manifest, error: FieldError) -> str:
    index = error.path[2]
    ports = ports_of(manifest)
    this = next((port for port in ports if port.index == index), None)
    node_port = error.path[-1] == "nodePort"

    def key(port: ServicePort) -> tuple[int | None, str | None]:
        return (port.node_port if node_port else port.port, port.protocol)

    first = next(
        (
            port.index
            for port in ports
            if this is not None and port.index < this.index and key(port) == key(this)
        ),
        None,
    )
    if node_port:
        also = f"spec.ports[{first}] has this nodePort already: " if first is not None else ""
        return f"{also}give each port its own nodePort, or omit it to have one allocated"
    also = f"spec.ports[{first}] has this port already: " if first is not None else ""
    return f"{also}remove the duplicate, or use another port or protocol"
