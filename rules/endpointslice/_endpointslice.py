"""What the EndpointSlice rules share: the label that links a slice to its Service, the
controllers' `managed-by` values, and the Service as the slice sees it (reference §3, EPS-19..24).
"""

from __future__ import annotations

from collections.abc import Iterator

from netlint.api import Manifest, Path, RuleContext
from netlint.k8s import (
    ErrorType,
    FieldError,
    Resolution,
    as_map,
    as_str,
    dig,
    items_at,
    resolve,
    string_map,
    topic_refusals,
)
from netlint.records import record

from ..service._service import EXTERNAL_NAME, ports_of, service_type
from ._discovery_validation import ADDRESSES_REQUIRED, validate_endpoint_slice_create

SERVICE_NAME_LABEL = "kubernetes.io/service-name"
MANAGED_BY_LABEL = "endpointslice.kubernetes.io/managed-by"
CONTROLLER = "endpointslice-controller.k8s.io"
MIRRORING_CONTROLLER = "endpointslice-mirroring-controller.k8s.io"
CONTROLLERS = frozenset([CONTROLLER, MIRRORING_CONTROLLER])

SERVICE_NAME_PATH: Path = ("metadata", "labels", SERVICE_NAME_LABEL)
MANAGED_BY_PATH: Path = ("metadata", "labels", MANAGED_BY_LABEL)


def service_name(manifest: Manifest) -> str | None:
    """The Service the slice belongs to (None: no label, or a value that is not a string)."""
    return as_str(manifest.labels.get(SERVICE_NAME_LABEL)) or None


def linked_service(manifest: Manifest, ctx: RuleContext) -> tuple[str, Resolution] | None:
    """The slice's Service name and where it resolves (its own namespace only, EPS-19)."""
    name = service_name(manifest)
    if name is None:
        return None
    return name, resolve(ctx, "Service", manifest.namespace, name, "services")


def same_namespace_service(manifest: Manifest, ctx: RuleContext) -> Manifest | None:
    """The slice's Service when it is in the input beside the slice."""
    name = service_name(manifest)
    if name is None:
        return None
    return ctx.inventory.get("Service", manifest.namespace, name)


@record(frozen=True, slots=True)
class SlicePort:
    path: Path  # of the port item
    name: str  # "" when absent
    protocol: str  # defaulted to TCP
    has_name_key: bool


def slice_ports(manifest: Manifest) -> Iterator[SlicePort]:
    """The slice's `ports`, defaulted (name "" and protocol TCP when absent). Items of a wrong
    type are skipped: they are `schema`'s."""
    for index, port in items_at(manifest.data, "ports"):
        if as_map(port) is None:
            continue
        raw_name = dig(port, "name")
        name = as_str(raw_name)
        if raw_name is not None and name is None:
            continue
        protocol = dig(port, "protocol")
        if protocol is not None and as_str(protocol) is None:
            continue
        yield SlicePort(
            ("ports", index), name or "", as_str(protocol) or "TCP", raw_name is not None
        )


def service_port_names(service: Manifest) -> dict[tuple[str, str], int]:
    """(name, protocol) of each Service port (name "" when absent), with its index."""
    found: dict[tuple[str, str], int] = {}
    for port in ports_of(service):
        found.setdefault((port.name or "", port.protocol or "TCP"), port.index)
    return found


def has_selector(service: Manifest) -> bool:
    """Whether the EndpointSlice controller manages slices for this Service (EPS-22, EPS-24)."""
    if service_type(service) == EXTERNAL_NAME:
        return False
    return bool(string_map(dig(service.data, "spec", "selector")))


ADDRESS_RULE = "endpointslice-address"
LIMITS_RULE = "endpointslice-limits"
FORMAT_RULE = "endpointslice-format"


def slice_refusals(manifest: Manifest, rule: str) -> Iterator[FieldError]:
    """The errors `ValidateEndpointSliceCreate` answers for the slice that `rule` reports: the
    limits (too many items, an endpoint without address), the addresses, or the rest."""
    if manifest.api_version != "discovery.k8s.io/v1":
        return  # another group's kind, or v1beta1, no longer served: deprecated-api's
    yield from topic_refusals(
        manifest,
        "ValidateEndpointSliceCreate",
        lambda endpoint_slice: validate_endpoint_slice_create(endpoint_slice.data),
        _topic,
        rule,
    )


def _topic(error: FieldError) -> str:
    if error.type is ErrorType.TOO_MANY or error.detail == ADDRESSES_REQUIRED:
        return LIMITS_RULE
    path = error.path
    if len(path) == 4 and path[0] == "endpoints" and path[2] == "addresses":
        return ADDRESS_RULE
    return FORMAT_RULE


# Hints for the fields Endpoints and EndpointSlices share, by field name.
FIELD_HINTS = {
    "name": "a port name is a DNS label: lowercase letters, digits and '-', at most 63",
    "hostname": "a hostname is a DNS label: lowercase letters, digits and '-', at most 63",
    "nodeName": "use the Node's name: lowercase letters, digits, '-' and '.'",
    "appProtocol": (
        "use an IANA service name (http, h2c) or a domain-prefixed name (example.com/proto)"
    ),
}
