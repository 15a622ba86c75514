"""`pkg/apis/discovery/validation/validation.go`: `ValidateEndpointSliceCreate` and the functions
it calls, one function here per upstream function, after the v1 defaulting
(`SetDefaults_EndpointPort` in `pkg/apis/discovery/v1/defaults.go`: a port without `name` is named
"", a port without `protocol` is TCP).

What the strict schema already refuses is left to `schema` (one problem, one finding): unknown
fields, types, `addressType` as a required enum, the `protocol` enum, an endpoint without
`addresses`. Values of the wrong type are skipped here for the same reason. `metadata` is
`metadata-format`'s and `name-format`'s (`ValidateEndpointSliceName`, a DNS subdomain).

Not validated: `deprecatedTopology`, which the v1 API ignores on write (the REST strategy drops
it), so upstream's topology checks concern only the removed v1beta1 API.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterator

from netlint.api import Node, Path
from netlint.k8s import (
    FieldError,
    as_list,
    as_map,
    as_str,
    dig,
    dns1123_subdomain_problems,
    duplicate,
    fqdn_problems,
    invalid,
    ipv4_problems,
    ipv6_problems,
    items_at,
    label_value_problems,
    parse_ip,
    qualified_name_problems,
    required,
    special_ip_problem,
    too_many,
)

from ._endpoints_validation import validate_dns1123_label

MAX_ADDRESSES = 100
MAX_PORTS = 20000  # raised from 100 (kubernetes#99795); a types.go comment still says 100
MAX_ENDPOINTS = 1000
MAX_ZONE_HINTS = 8
ADDRESSES_REQUIRED = "must contain at least 1 address"
ADDRESS_TYPES = ("IPv4", "IPv6", "FQDN")


def set_defaults_endpoint_port(port: dict[str, Node]) -> str | None:
    """Follows `SetDefaults_EndpointPort` for the port's name: "" when absent (the protocol's
    default, TCP, changes no verdict here). None: a name of the wrong type (`schema`'s)."""
    name = port.get("name")
    return "" if name is None else as_str(name)


def validate_endpoint_slice_create(endpoint_slice: Node) -> Iterator[FieldError]:
    """Follows `ValidateEndpointSliceCreate`, which is `ValidateEndpointSlice`."""
    yield from validate_endpoint_slice(endpoint_slice)


def validate_endpoint_slice(endpoint_slice: Node) -> Iterator[FieldError]:
    """Follows `ValidateEndpointSlice` past its `ValidateObjectMeta`: the address type, the
    endpoints and the ports."""
    fields = as_map(endpoint_slice)
    if fields is None:
        return
    address_type = as_str(fields.get("addressType"))
    yield from validate_address_type(address_type)
    yield from validate_endpoints(fields.get("endpoints"), address_type, ("endpoints",))
    yield from validate_ports(fields.get("ports"), ("ports",))


def validate_address_type(address_type: str | None) -> Iterator[FieldError]:
    """Follows `validateAddressType`: required, and one of IPv4, IPv6 and FQDN. The schema has it
    as a required enum, so only the empty string is left."""
    if address_type == "":
        yield required(("addressType",))


def validate_endpoints(
    endpoints: Node, address_type: str | None, fld: Path
) -> Iterator[FieldError]:
    """Follows `validateEndpoints`: at most 1000 endpoints (and nothing else judged above that),
    each with 1-100 addresses valid for the slice's address type, a valid `nodeName`, a DNS
    label `hostname` and valid hints."""
    items = as_list(endpoints)
    if items is None:
        return
    if len(items) > MAX_ENDPOINTS:
        yield too_many(fld, len(items), MAX_ENDPOINTS)
        return
    for index, endpoint in enumerate(items):
        fields = as_map(endpoint)
        if fields is None:
            continue
        path = (*fld, index)
        addresses = as_list(fields.get("addresses"))
        if addresses is not None:
            if not addresses:
                yield required((*path, "addresses"), ADDRESSES_REQUIRED)
            elif len(addresses) > MAX_ADDRESSES:
                yield too_many((*path, "addresses"), len(addresses), MAX_ADDRESSES)
        for a_index, address in items_at(fields, "addresses"):
            value = as_str(address)
            if value is not None and address_type in ADDRESS_TYPES:
                yield from validate_address(value, address_type, (*path, "addresses", a_index))
        node_name = as_str(fields.get("nodeName"))
        if node_name is not None:
            for problem in dns1123_subdomain_problems(node_name):
                yield invalid((*path, "nodeName"), node_name, problem)
        hostname = as_str(fields.get("hostname"))
        if hostname is not None:
            yield from validate_dns1123_label(hostname, (*path, "hostname"))
        hints = as_map(fields.get("hints"))
        if hints is not None:
            yield from validate_hints(hints, (*path, "hints"))


def validate_address(value: str, address_type: str | None, fld: Path) -> Iterator[FieldError]:
    """The address switch of `validateEndpoints`: `IsValidIPv4Address` or `IsValidIPv6Address`
    and then, only for an address that parsed, the special-IP test of `ValidateEndpointIP`
    (`ValidateNonSpecialIP` in newer releases: unspecified, loopback, link-local and link-local
    multicast are refused), or `IsFullyQualifiedDomainName` for FQDN slices."""
    if address_type == "FQDN":
        yield from is_fully_qualified_domain_name(value, fld)
        return
    problems = ipv4_problems(value) if address_type == "IPv4" else ipv6_problems(value)
    for problem in problems:
        yield invalid(fld, value, problem)
    parsed = parse_ip(value)
    if problems or parsed is None:
        return
    # Go tests an IPv4-mapped IPv6 address (`::ffff:127.0.0.1`) as the IPv4 address it maps.
    unmapped: ipaddress.IPv4Address | ipaddress.IPv6Address = parsed
    if isinstance(parsed, ipaddress.IPv6Address) and parsed.ipv4_mapped is not None:
        unmapped = parsed.ipv4_mapped
    problem = special_ip_problem(unmapped)
    if problem is not None:
        yield invalid(fld, value, problem)


def is_fully_qualified_domain_name(value: str, fld: Path) -> Iterator[FieldError]:
    """Follows apimachinery's `IsFullyQualifiedDomainName`: one trailing dot allowed, then a DNS
    subdomain of at least two labels; upstream joins the problems into one error."""
    if value == "":
        yield required(fld)
        return
    problems = fqdn_problems(value)
    if problems:
        yield invalid(fld, value.removesuffix("."), ",".join(problems))


def validate_ports(ports: Node, fld: Path) -> Iterator[FieldError]:
    """Follows `validatePorts`: at most 20000 ports (and nothing else judged above that), each
    name (defaulted to "") a DNS label and unique, `appProtocol` a qualified name."""
    items = as_list(ports)
    if items is None:
        return
    if len(items) > MAX_PORTS:
        yield too_many(fld, len(items), MAX_PORTS)
        return
    names: set[str] = set()
    for index, port in enumerate(items):
        fields = as_map(port)
        if fields is None:
            continue
        path = (*fld, index)
        name = set_defaults_endpoint_port(fields)
        if name is not None:
            if name:
                yield from validate_dns1123_label(name, (*path, "name"))
            if name in names:
                yield duplicate((*path, "name"), name)
            names.add(name)
        app_protocol = as_str(fields.get("appProtocol"))
        if app_protocol is not None:
            for problem in qualified_name_problems(app_protocol):
                yield invalid((*path, "appProtocol"), app_protocol, problem)


def validate_hints(hints: dict[str, Node], fld: Path) -> Iterator[FieldError]:
    """Follows `validateHints`: at most 8 `forZones` (and nothing else judged above that), each
    zone name a label value and listed once."""
    zones = as_list(hints.get("forZones"))
    if zones is None:
        return
    path = (*fld, "forZones")
    if len(zones) > MAX_ZONE_HINTS:
        yield too_many(path, len(zones), MAX_ZONE_HINTS)
        return
    seen: set[str] = set()
    for index, zone in enumerate(zones):
        name = as_str(dig(zone, "name"))
        if name is None:
            continue  # absent or the wrong type: schema
        zone_path = (*path, index, "name")
        if name in seen:
            yield duplicate(zone_path, name)
        seen.add(name)
        for problem in label_value_problems(name):
            yield invalid(zone_path, name, problem)
