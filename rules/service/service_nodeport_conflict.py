"""`service-nodeport-conflict`: two Services of the input claim the same node port."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import field
from itertools import islice

from netlint.api import Diagnostic, Inventory, Manifest, Path, Rule, RuleContext, RuleMeta, Severity
from netlint.records import record

from ._service import (
    MAX_NAMED,
    NODE_PORT_TYPES,
    SERVICE_DOCS,
    health_check_node_port,
    needs_health_check,
    ports_of,
    service_type,
)


@record(frozen=True, slots=True)
class _Claim:
    service: Manifest
    path: Path
    what: str  # "nodePort of port 80/TCP" or "healthCheckNodePort"


def _claims(manifest: Manifest) -> Iterator[tuple[int, _Claim]]:
    kind = service_type(manifest)
    if kind not in NODE_PORT_TYPES:
        return
    for port in ports_of(manifest):
        if port.node_port is not None:
            yield (
                port.node_port,
                _Claim(manifest, port.node_port_path, f"nodePort of {port.label()}"),
            )
    health = health_check_node_port(manifest)
    if health is not None and needs_health_check(manifest, kind):
        yield health, _Claim(manifest, ("spec", "healthCheckNodePort"), "healthCheckNodePort")


_Service = tuple[str | None, str]  # namespace, name: copies of one Service never conflict


def _service(claim: _Claim) -> _Service:
    return (claim.service.namespace, claim.service.name)


@record(slots=True)
class _Port:
    """Every claim of one node port in the run (report set and context), in input order."""

    claims: list[_Claim] = field(default_factory=lambda: list[_Claim]())
    per_service: Counter[_Service] = field(default_factory=lambda: Counter[_Service]())
    # Service -> the first claims of other Services, as many as a message names; found once
    # per Service by a scan that stops there, so N Services on one port cost O(N), not O(N²).
    named: dict[_Service, list[_Claim]] = field(default_factory=lambda: {})

    def others(self, service: _Service) -> tuple[list[_Claim], int]:
        """The claims of other Services that a message names, and how many there are."""
        shown = self.named.get(service)
        if shown is None:
            others = (claim for claim in self.claims if _service(claim) != service)
            shown = self.named[service] = list(islice(others, MAX_NAMED))
        return shown, len(self.claims) - self.per_service[service]


def _claims_by_port(inventory: Inventory) -> dict[int, _Port]:
    index: dict[int, _Port] = defaultdict(_Port)
    for service in inventory.of_kind("Service"):
        for number, claim in _claims(service):
            port = index[number]
            port.claims.append(claim)
            port.per_service[_service(claim)] += 1
    return index


class ServiceNodePortConflict(Rule):
    meta = RuleMeta(
        id="service-nodeport-conflict",
        severity=Severity.ERROR,
        summary="Two Services claim the same node port",
        what=(
            "Reports a `nodePort` (or the `healthCheckNodePort` of a LoadBalancer with "
            "`externalTrafficPolicy: Local`) that another Service of the input also claims, in any "
            "namespace. Both Services are reported, each naming the other. Copies of the same "
            "Service (same namespace and name, `duplicate-object`'s finding) do not conflict."
        ),
        why=(
            "Node ports are one cluster-wide pool shared by all namespaces, and health-check "
            "node ports come from the same pool. The allocator refuses the second Service "
            "applied (`provided port is already allocated`); which one fails depends on the "
            "order of `kubectl apply`. The pool does not distinguish protocols: a UDP and a TCP "
            "Service cannot share a node port either."
            " Severity: an error, because the allocator refuses one of the two Services."
        ),
        example=(
            "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  namespace: shop\nspec:\n"
            "  type: NodePort\n  selector: {app: web}\n  ports:\n  - port: 80\n"
            "    nodePort: 31000\n"
            "---\napiVersion: v1\nkind: Service\nmetadata:\n  name: api\n  namespace: billing\n"
            "spec:\n  type: NodePort\n  selector: {app: api}\n  ports:\n  - port: 80\n"
            "    nodePort: 31000\n"
        ),
        fix="Give each Service its own nodePort, or omit `nodePort` to have one allocated.",
        help_uri=SERVICE_DOCS + "#type-nodeport",
        tags=("service", "allocator"),
        facts=("SVC-18", "SVC-23"),
    )
    kinds = frozenset({"Service"})

    def check(self, manifest: Manifest, ctx: RuleContext) -> Iterator[Diagnostic]:
        low, high = ctx.settings.node_port_range
        # Outside the range a node port is never allocated: service-nodeport-range.
        claims = [(number, claim) for number, claim in _claims(manifest) if low <= number <= high]
        if not claims:
            return  # most Services claim none: no need for the other files
        index = ctx.inventory.memo("service-nodeport-conflict.claims", _claims_by_port)
        for number, claim in claims:
            port = index.get(number)
            if port is None:
                continue
            shown, count = port.others((manifest.namespace, manifest.name))
            if not count:
                continue
            named = ", ".join(f"{o.service.ref} ({o.what})" for o in shown)
            more = count - len(shown)
            yield Diagnostic(
                claim.path,
                f"{manifest.ref} claims node port {number} ({claim.what}), also claimed by "
                f"{named}{f' and {more} more' if more > 0 else ''}: node ports are cluster-wide, "
                "the allocator refuses whichever Service is applied second",
                hint="give each Service its own node port, or omit it to have one allocated",
            )
