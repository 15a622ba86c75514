"""The Kubernetes IP and CIDR libraries (k8s.io/apiserver/pkg/cel/library `IP`, `CIDR`):
ip(), isIP(), ip.isCanonical(), family(), isUnspecified(), isLoopback(),
isLinkLocalMulticast(), isLinkLocalUnicast(), isGlobalUnicast(); cidr(), isCIDR(),
containsIP(), containsCIDR(), ip(), masked(), prefixLength(). As upstream, IPv4-mapped IPv6
addresses and zones are refused, and the predicates are Go's net/netip ones."""

from __future__ import annotations

import ipaddress
from typing import Any

from celpy import celtypes

from netlint.cel.calls import Failed, Function, cel_function, no_overload, string
from netlint.cel.values import Opaque

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Interface = ipaddress.IPv4Interface | ipaddress.IPv6Interface

_LINK_LOCAL_MULTICAST_4 = ipaddress.ip_network("224.0.0.0/24")
_BROADCAST = ipaddress.ip_address("255.255.255.255")


class IP(Opaque):
    def __init__(self, address: Address) -> None:
        self.address = address

    def __str__(self) -> str:
        return str(self.address)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, IP) and self.address == other.address

    def __hash__(self) -> int:
        return hash(self.address)


class CIDR(Opaque):
    def __init__(self, interface: Interface) -> None:
        self.interface = interface

    def __str__(self) -> str:
        return str(self.interface)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, CIDR) and str(self) == str(other)

    def __hash__(self) -> int:
        return hash(str(self))


def _refuse_special(text: str, what: str) -> None:
    if "%" in text:
        raise Failed(f"{what} with zone value is not allowed")


def parse_ip(text: str) -> Address:
    _refuse_special(text, "IP address")
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        raise Failed(f"IP Address {text!r} parse error during conversion from string") from None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        raise Failed("IPv4-mapped IPv6 address is not allowed")
    return address


def parse_cidr(text: str) -> Interface:
    _refuse_special(text, "CIDR")
    address, slash, length = text.partition("/")
    if not slash or not length.isdigit() or (len(length) > 1 and length[0] == "0"):
        raise Failed(f"network address {text!r} parse error during conversion from string")
    try:
        interface = ipaddress.ip_interface(f"{parse_ip(address)}/{int(length)}")
    except (ValueError, Failed):
        raise Failed(
            f"network address {text!r} parse error during conversion from string"
        ) from None
    return interface


def _valid(parse: Any, text: object) -> celtypes.BoolType:
    try:
        parse(string(text))
    except Failed:
        return celtypes.BoolType(False)
    return celtypes.BoolType(True)


def ip(value: object) -> IP:
    if isinstance(value, CIDR):
        return IP(value.interface.ip)
    return IP(parse_ip(string(value)))


def is_ip(value: object) -> celtypes.BoolType:
    return _valid(parse_ip, value)


def is_canonical(receiver: object, value: object = None) -> celtypes.BoolType:
    """`ip.isCanonical(s)`: the receiver is the `ip` function itself."""
    text = string(value if value is not None else receiver)
    return celtypes.BoolType(str(parse_ip(text)) == text)


def _address(value: object, function: str) -> Address:
    if not isinstance(value, IP):
        raise no_overload(function, value)
    return value.address


def family(value: object) -> celtypes.IntType:
    return celtypes.IntType(_address(value, "family").version)


def is_unspecified(value: object) -> celtypes.BoolType:
    return celtypes.BoolType(_address(value, "isUnspecified").is_unspecified)


def is_loopback(value: object) -> celtypes.BoolType:
    return celtypes.BoolType(_address(value, "isLoopback").is_loopback)


def is_link_local_multicast(value: object) -> celtypes.BoolType:
    address = _address(value, "isLinkLocalMulticast")
    if isinstance(address, ipaddress.IPv4Address):
        return celtypes.BoolType(address in _LINK_LOCAL_MULTICAST_4)
    # Go's netip: ff02::/16, the multicast scope nibble 2 (link-local), flags ignored.
    return celtypes.BoolType(address.packed[0] == 0xFF and address.packed[1] & 0x0F == 0x02)


def is_link_local_unicast(value: object) -> celtypes.BoolType:
    return celtypes.BoolType(_address(value, "isLinkLocalUnicast").is_link_local)


def is_global_unicast(value: object) -> celtypes.BoolType:
    """Go's netip.Addr.IsGlobalUnicast: not unspecified, loopback, multicast, link-local
    unicast or the IPv4 broadcast address; private ranges count as global."""
    address = _address(value, "isGlobalUnicast")
    return celtypes.BoolType(
        not (
            address.is_unspecified
            or address.is_loopback
            or address.is_multicast
            or address.is_link_local
            or address == _BROADCAST
        )
    )


def cidr(value: object) -> CIDR:
    return CIDR(parse_cidr(string(value)))


def is_cidr(value: object) -> celtypes.BoolType:
    return _valid(parse_cidr, value)


def _network(value: object, function: str) -> Interface:
    if not isinstance(value, CIDR):
        raise no_overload(function, value)
    return value.interface


def contains_ip(receiver: object, value: object) -> celtypes.BoolType:
    network = _network(receiver, "containsIP").network
    address = value.address if isinstance(value, IP) else parse_ip(string(value))
    return celtypes.BoolType(address.version == network.version and address in network)


def contains_cidr(receiver: object, value: object) -> celtypes.BoolType:
    network = _network(receiver, "containsCIDR").network
    other = (value.interface if isinstance(value, CIDR) else parse_cidr(string(value))).network
    return celtypes.BoolType(
        other.version == network.version
        and other.prefixlen >= network.prefixlen
        and other.network_address in network
    )


def masked(value: object) -> CIDR:
    network = _network(value, "masked").network
    return CIDR(ipaddress.ip_interface(str(network)))


def prefix_length(value: object) -> celtypes.IntType:
    return celtypes.IntType(_network(value, "prefixLength").network.prefixlen)


FUNCTIONS: dict[str, Function] = {
    "ip": cel_function(ip),
    "isIP": cel_function(is_ip),
    "isCanonical": cel_function(is_canonical),
    "family": cel_function(family),
    "isUnspecified": cel_function(is_unspecified),
    "isLoopback": cel_function(is_loopback),
    "isLinkLocalMulticast": cel_function(is_link_local_multicast),
    "isLinkLocalUnicast": cel_function(is_link_local_unicast),
    "isGlobalUnicast": cel_function(is_global_unicast),
    "cidr": cel_function(cidr),
    "isCIDR": cel_function(is_cidr),
    "containsIP": cel_function(contains_ip),
    "containsCIDR": cel_function(contains_cidr),
    "masked": cel_function(masked),
    "prefixLength": cel_function(prefix_length),
}
