"""`pkg/apis/core/validation/validation.go`, the Endpoints part: `ValidateEndpointsCreate` and the
functions it calls, one function here per upstream function, after the v1 defaulting
(`SetDefaults_Endpoints` in `pkg/apis/core/v1/defaults.go`: a port without `protocol`, or with
`protocol: ""`, is TCP, so upstream's "protocol: Required value" cannot happen through v1).

What the strict schema already refuses is left to `schema` (one problem, one finding): unknown
fields, types, the `protocol` enum, an address without `ip`, a port without `port`. Values of the
wrong type are skipped here for the same reason. `metadata` is `metadata-format`'s and
`name-format`'s (`ValidateObjectMeta` with `ValidateEndpointsName`, a DNS subdomain).
"""

from __future__ import annotations

from collections.abc import Iterator

from netlint.api import Node, Path
from netlint.k8s import (
    FieldError,
    as_map,
    as_str,
    dig,
    dns1123_label_problems,
    dns1123_subdomain_problems,
    invalid,
    ip_problems,
    items_at,
    parse_ip,
    port_number_problems,
    qualified_name_problems,
    required,
    special_ip_problem,
)

ADDRESSES_REQUIRED = "must specify `addresses` or `notReadyAddresses`"
_ADDRESS_LISTS = ("addresses", "notReadyAddresses")


def validate_endpoints_create(endpoints: Node) -> Iterator[FieldError]:
    """Follows `ValidateEndpointsCreate`, which is `ValidateEndpoints`."""
    yield from validate_endpoints(endpoints)


def validate_endpoints(endpoints: Node) -> Iterator[FieldError]:
    """Follows `ValidateEndpoints` past its `ValidateObjectMeta` (`metadata-format`,
    `name-format`); `ValidateEndpointsSpecificAnnotations` checks nothing."""
    yield from validate_endpoint_subsets(endpoints)


def validate_endpoint_subsets(endpoints: Node) -> Iterator[FieldError]:
    """Follows `validateEndpointSubsets`: a subset has addresses (ready or not), each address
    valid, and each port valid; with two ports or more every port has a name."""
    for index, subset in items_at(endpoints, "subsets"):
        path = ("subsets", index)
        if as_map(subset) is None:
            continue  # null or the wrong type: schema
        has_addresses = False
        for field_name in _ADDRESS_LISTS:
            for a_index, address in items_at(subset, field_name):
                has_addresses = True
                yield from validate_endpoint_address(address, (*path, field_name, a_index))
        if not has_addresses:
            yield required(path, ADDRESSES_REQUIRED)
        ports = list(items_at(subset, "ports"))
        for p_index, port in ports:
            yield from validate_endpoint_port(port, len(ports) > 1, (*path, "ports", p_index))


def validate_endpoint_address(address: Node, fld: Path) -> Iterator[FieldError]:
    """Follows `validateEndpointAddress`: `ip` an IP address and not a special one, `hostname` a
    DNS label, `nodeName` a DNS subdomain (`ValidateNodeName`).

    Upstream runs `ValidateNonSpecialIP` after `IsValidIP` even when the IP does not parse, and
    so answers a bad IP twice (the second time as "must be a valid IP address"); netlint reports
    it once (one problem, one finding)."""
    fields = as_map(address)
    if fields is None:
        return
    ip = as_str(fields.get("ip"))
    if ip is not None:
        problems = ip_problems(ip)
        for problem in problems:
            yield invalid((*fld, "ip"), ip, problem)
        if not problems:
            yield from validate_non_special_ip(ip, (*fld, "ip"))
    hostname = as_str(fields.get("hostname"))
    if hostname:
        yield from validate_dns1123_label(hostname, (*fld, "hostname"))
    node_name = as_str(fields.get("nodeName"))
    if node_name is not None:
        for problem in dns1123_subdomain_problems(node_name):
            yield invalid((*fld, "nodeName"), node_name, problem)


def validate_dns1123_label(value: str, fld: Path) -> Iterator[FieldError]:
    """Follows `ValidateDNS1123Label`: one error per problem `IsDNS1123Label` finds."""
    for problem in dns1123_label_problems(value):
        yield invalid(fld, value, problem)


def validate_non_special_ip(ip: str, fld: Path) -> Iterator[FieldError]:
    """Follows `ValidateNonSpecialIP`: not unspecified, loopback, link-local or link-local
    multicast (the same test as `ValidateEndpointIP`, which EndpointSlices use)."""
    address = parse_ip(ip)
    if address is None:
        yield invalid(fld, ip, "must be a valid IP address")
        return
    problem = special_ip_problem(address)
    if problem is not None:
        yield invalid(fld, ip, problem)


def validate_endpoint_port(port: Node, require_name: bool, fld: Path) -> Iterator[FieldError]:
    """Follows `validateEndpointPort`: a name (a DNS label) required when the subset has two
    ports or more, `port` 1-65535, a supported `protocol` after defaulting (the enum is the
    schema's), `appProtocol` a qualified name."""
    fields = as_map(port)
    if fields is None:
        return
    raw_name = fields.get("name")
    name = as_str(raw_name)
    if raw_name is not None and name is None:
        pass  # the wrong type: schema
    elif not name:
        if require_name:
            yield required((*fld, "name"))
    else:
        yield from validate_dns1123_label(name, (*fld, "name"))
    number = dig(fields, "port")
    if isinstance(number, int) and not isinstance(number, bool):
        for problem in port_number_problems(number):
            yield invalid((*fld, "port"), number, problem)
    app_protocol = as_str(fields.get("appProtocol"))
    if app_protocol is not None:
        for problem in qualified_name_problems(app_protocol):
            yield invalid((*fld, "appProtocol"), app_protocol, problem)
