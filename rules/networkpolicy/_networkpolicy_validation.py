"""`pkg/apis/networking/validation/validation.go`, the NetworkPolicy part: `ValidateNetworkPolicy`
and the functions it calls, one function here per upstream function, after the v1 defaulting
(`SetDefaults_NetworkPolicyPort` only fills in `protocol: TCP`, which changes no verdict here).

What the strict schema already refuses is left to `schema` (one problem, one finding): unknown
fields, types, the `protocol` and `policyTypes` enums, an absent `ipBlock.cidr`. Values of the wrong
type are skipped here for the same reason.
"""

from __future__ import annotations

from collections.abc import Iterator

from netlint.api import Node, Path
from netlint.k8s import (
    FieldError,
    as_list,
    as_map,
    cidr_problems,
    dig,
    forbidden,
    iana_port_name_problems,
    invalid,
    items_at,
    parse_cidr,
    port_number_problems,
    required,
)

from ..workload._meta_validation import validate_label_selector

POLICY_TYPES = ("Ingress", "Egress")
PEER_REQUIRED = "must specify a peer"
_DIRECTIONS = (("ingress", "from"), ("egress", "to"))


def validate_network_policy(policy: Node) -> Iterator[FieldError]:
    """Follows `ValidateNetworkPolicy` for the spec; its `ValidateObjectMeta` part (with
    `ValidateNetworkPolicyName`, a DNS subdomain) is `metadata-format`'s and `name-format`'s."""
    spec = as_map(dig(policy, "spec"))
    if spec is not None:
        yield from validate_network_policy_spec(spec, ("spec",))


def validate_network_policy_spec(spec: dict[str, Node], fld: Path) -> Iterator[FieldError]:
    """Follows `ValidateNetworkPolicySpec`: the pod selector, every rule's ports and peers, and
    at most two `policyTypes` (the values themselves are an enum of the schema)."""
    yield from validate_label_selector(spec.get("podSelector"), (*fld, "podSelector"))
    for direction, peers in _DIRECTIONS:
        for index, rule in items_at(spec, direction):
            rule_path = (*fld, direction, index)
            for port_index, port in items_at(rule, "ports"):
                yield from validate_network_policy_port(port, (*rule_path, "ports", port_index))
            for peer_index, peer in items_at(rule, peers):
                yield from validate_network_policy_peer(peer, (*rule_path, peers, peer_index))
    policy_types = as_list(spec.get("policyTypes"))
    if policy_types is not None and len(policy_types) > len(POLICY_TYPES):
        yield invalid(
            (*fld, "policyTypes"), policy_types, "may not specify more than two policyTypes"
        )


def validate_network_policy_port(port: Node, fld: Path) -> Iterator[FieldError]:
    """Follows `ValidateNetworkPolicyPort`: a numeric `port` is a port number and `endPort` a port
    number not below it; a named `port` is an IANA service name and takes no `endPort`; without
    a `port` there is no `endPort` either."""
    fields = as_map(port)
    if fields is None:
        return
    number = fields.get("port")
    end_port = _integer(fields.get("endPort"))
    if isinstance(number, bool) or not isinstance(number, int | str | None):
        return  # a value of the wrong type: schema
    if isinstance(number, int):
        for problem in port_number_problems(number):
            yield invalid((*fld, "port"), number, problem)
        if end_port is not None:
            if end_port < number:
                yield invalid(
                    (*fld, "endPort"), end_port, "must be greater than or equal to `port`"
                )
            for problem in port_number_problems(end_port):
                yield invalid((*fld, "endPort"), end_port, problem)
    elif isinstance(number, str):
        if end_port is not None:
            yield invalid(
                (*fld, "endPort"), end_port, "may not be specified when `port` is non-numeric"
            )
        for problem in iana_port_name_problems(number):
            yield invalid((*fld, "port"), number, problem)
    elif end_port is not None:
        yield invalid(
            (*fld, "endPort"), end_port, "may not be specified when `port` is not specified"
        )


def _integer(value: Node) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def validate_network_policy_peer(peer: Node, fld: Path) -> Iterator[FieldError]:
    """Follows `ValidateNetworkPolicyPeer`: each selector valid, the `ipBlock` valid, at least one
    of the three, and an `ipBlock` alone. A selector or block set to null is not specified."""
    fields = as_map(peer)
    if fields is None:
        return
    count = 0
    for selector in ("podSelector", "namespaceSelector"):
        if fields.get(selector) is not None:
            count += 1
            yield from validate_label_selector(fields.get(selector), (*fld, selector))
    block = fields.get("ipBlock")
    if block is not None:
        count += 1
        yield from validate_ip_block(block, (*fld, "ipBlock"))
    if count == 0:
        yield required(fld, PEER_REQUIRED)
    elif count > 1 and block is not None:
        yield forbidden(fld, "may not specify both ipBlock and another peer")


def validate_ip_block(block: Node, fld: Path) -> Iterator[FieldError]:
    """Follows `ValidateIPBlock` on create: `cidr` a CIDR (`IsValidCIDRForLegacyField`, sloppy
    parsing: host bits may be set), each `except` a CIDR strictly inside it."""
    fields = as_map(block)
    if fields is None:
        return
    cidr = fields.get("cidr")
    if not isinstance(cidr, str):
        return  # absent or not a string: schema
    if cidr == "":
        yield required((*fld, "cidr"))
        return
    for problem in cidr_problems(cidr):
        yield invalid((*fld, "cidr"), cidr, problem)
    network = parse_cidr(cidr)
    if network is None:
        return
    for index, item in items_at(fields, "except"):
        if not isinstance(item, str):
            continue
        path = (*fld, "except", index)
        for problem in cidr_problems(item):
            yield invalid(path, item, problem)
        excepted = parse_cidr(item)
        if excepted is None:
            continue
        inside = excepted.version == network.version and excepted.network_address in network
        if not inside or network.prefixlen >= excepted.prefixlen:
            yield invalid(path, item, "must be a strict subset of `cidr`")
