"""Kubernetes' shared format checks (apimachinery `validation.go`, `ip.go`), with the API server's
own detail texts, so that every rule that validates a name, a port name, a host or an address
says exactly what `kubectl apply` would say (reference §0 "Shared format checks").
"""

from __future__ import annotations

import ipaddress
import re

_DNS1123_LABEL = re.compile(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?")
_DNS1123_SUBDOMAIN = re.compile(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*")
_DNS1035_LABEL = re.compile(r"[a-z]([-a-z0-9]*[a-z0-9])?")
_IANA_CHARS = re.compile(r"[-a-z0-9]+")
_QUALIFIED_NAME_PART = re.compile(r"([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]")
_LABEL_VALUE = re.compile(r"(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?")

DNS1123_LABEL_TEXT = (
    "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and "
    "must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc')"
)
DNS1123_SUBDOMAIN_TEXT = (
    "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or "
    "'.', and must start and end with an alphanumeric character (e.g. 'example.com')"
)
DNS1035_LABEL_TEXT = (
    "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an "
    "alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123')"
)
WILDCARD_SUBDOMAIN_TEXT = (
    "a wildcard DNS-1123 subdomain must start with '*.', followed by a valid DNS subdomain, which "
    "must consist of lower case alphanumeric characters, '-' or '.' and end with an alphanumeric "
    "character (e.g. '*.example.com')"
)


def dns1123_label_problems(value: str) -> list[str]:
    problems: list[str] = []
    if len(value) > 63:
        problems.append("must be no more than 63 characters")
    if not _DNS1123_LABEL.fullmatch(value):
        if _DNS1123_SUBDOMAIN.fullmatch(value):
            problems.append("must not contain dots")
        else:
            problems.append(DNS1123_LABEL_TEXT)
    return problems


def dns1123_subdomain_problems(value: str) -> list[str]:
    problems: list[str] = []
    if len(value) > 253:
        problems.append("must be no more than 253 characters")
    if not _DNS1123_SUBDOMAIN.fullmatch(value):
        problems.append(DNS1123_SUBDOMAIN_TEXT)
    return problems


def dns1035_label_problems(value: str) -> list[str]:
    problems: list[str] = []
    if len(value) > 63:
        problems.append("must be no more than 63 characters")
    if not _DNS1035_LABEL.fullmatch(value):
        problems.append(DNS1035_LABEL_TEXT)
    return problems


def wildcard_subdomain_problems(value: str) -> list[str]:
    """IsWildcardDNS1123Subdomain: `*.` followed by a subdomain."""
    problems: list[str] = []
    if len(value) > 253:
        problems.append("must be no more than 253 characters")
    if not (value.startswith("*.") and _DNS1123_SUBDOMAIN.fullmatch(value[2:])):
        problems.append(WILDCARD_SUBDOMAIN_TEXT)
    return problems


def iana_port_name_problems(value: str) -> list[str]:
    """IsValidPortName (IANA_SVC_NAME): container port names, string targetPorts, Ingress port names."""
    problems: list[str] = []
    if len(value) > 15:
        problems.append("must be no more than 15 characters")
    if not _IANA_CHARS.fullmatch(value):
        problems.append("must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)")
    if not any("a" <= char <= "z" for char in value):
        problems.append("must contain at least one letter (a-z)")
    if "--" in value:
        problems.append("must not contain consecutive hyphens")
    if value.startswith("-") or value.endswith("-"):
        problems.append("must not begin or end with a hyphen")
    return problems


QUALIFIED_NAME_TEXT = (
    "a valid label key must consist of alphanumeric characters, '-', '_' or '.', and must start "
    "and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc') with "
    "an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"
)


def qualified_name_problems(value: str) -> list[str]:
    """IsQualifiedName: label keys, appProtocol, loadBalancerClass. More than one `/` is one
    problem, as upstream says it."""
    if value.count("/") > 1:
        return [QUALIFIED_NAME_TEXT]
    prefix, slash, name = value.rpartition("/")
    problems: list[str] = []
    if slash:
        if not prefix:
            problems.append("prefix part must be non-empty")
        else:
            problems.extend(f"prefix part {p}" for p in dns1123_subdomain_problems(prefix))
    if not name:
        problems.append("name part must be non-empty")
    else:
        if len(name) > 63:
            problems.append("name part must be no more than 63 characters")
        if not _QUALIFIED_NAME_PART.fullmatch(name):
            problems.append(
                "name part must consist of alphanumeric characters, '-', '_' or '.', and must "
                "start and end with an alphanumeric character"
            )
    return problems


def label_value_problems(value: str) -> list[str]:
    problems: list[str] = []
    if len(value) > 63:
        problems.append("must be no more than 63 characters")
    if not _LABEL_VALUE.fullmatch(value):
        problems.append(
            "a valid label must be an empty string or consist of alphanumeric characters, '-', "
            "'_' or '.', and must start and end with an alphanumeric character"
        )
    return problems


def parse_ip(value: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """An IP as Kubernetes' "sloppy" parser reads it (`netutils.ParseIPSloppy`: IPv4 octets with
    leading zeros accepted; no IPv6 zone, which Go's parser refuses and Python's accepts)."""
    if "%" in value:
        return None
    try:
        return ipaddress.ip_address(value)
    except ValueError:
        pass
    parts = value.split(".")
    if len(parts) == 4 and all(part.isdigit() and len(part) <= 3 for part in parts):
        numbers = [int(part, 10) for part in parts]
        if all(number <= 255 for number in numbers):
            return ipaddress.IPv4Address(".".join(str(number) for number in numbers))
    return None


# Go's IsLinkLocalMulticast for IPv4 (built once: parsing a network costs more than the test).
_IPV4_LINK_LOCAL_MULTICAST = ipaddress.ip_network("224.0.0.0/24")


def special_ip_problem(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str | None:
    """ValidateNonSpecialIP / ValidateEndpointIP texts."""
    if address.is_unspecified:
        return f"may not be unspecified ({address})"
    if address.is_loopback:
        return "may not be in the loopback range (127.0.0.0/8, ::1/128)"
    if address.is_link_local:
        return "may not be in the link-local range (169.254.0.0/16, fe80::/10)"
    if address.version == 4:
        link_local_multicast = address in _IPV4_LINK_LOCAL_MULTICAST
    else:
        # Go's IsLinkLocalMulticast: ffX2::/16 for any flags nibble X.
        packed = address.packed
        link_local_multicast = packed[0] == 0xFF and packed[1] & 0x0F == 0x02
    if link_local_multicast:
        return "may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)"
    return None


def fqdn_problems(value: str) -> list[str]:
    """IsFullyQualifiedDomainName: one trailing dot allowed, a subdomain of at least two labels."""
    name = value[:-1] if value.endswith(".") else value
    problems = dns1123_subdomain_problems(name)
    if not problems and name.count(".") < 1:
        problems.append("should be a domain with at least two segments separated by dots")
    if not problems:
        for label in name.split("."):
            if len(label) > 63:
                problems.append("each label must be no more than 63 characters")
                break
    return problems


IP_TEXT = "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)"
CIDR_TEXT = "must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)"
PORT_NUMBER_TEXT = "must be between 1 and 65535, inclusive"


def port_number_problems(value: int) -> list[str]:
    """IsValidPortNum: 1-65535."""
    return [] if 1 <= value <= 65535 else [PORT_NUMBER_TEXT]


def in_range_problems(value: int, low: int, high: int) -> list[str]:
    """IsInRange."""
    return [] if low <= value <= high else [f"must be between {low} and {high}, inclusive"]


def ip_problems(value: str) -> list[str]:
    """IsValidIP (sloppy parsing, as every field validated with it)."""
    return [] if parse_ip(value) is not None else [IP_TEXT]


def ipv4_problems(value: str) -> list[str]:
    """IsValidIPv4Address."""
    address = parse_ip(value)
    return [] if address is not None and _is_ipv4(address) else ["must be a valid IPv4 address"]


def ipv6_problems(value: str) -> list[str]:
    """IsValidIPv6Address."""
    address = parse_ip(value)
    ok = address is not None and not _is_ipv4(address)
    return [] if ok else ["must be a valid IPv6 address"]


def _is_ipv4(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """Go's `ip.To4() != nil`: an IPv4 address, or an IPv4-mapped IPv6 one."""
    if isinstance(address, ipaddress.IPv4Address):
        return True
    return address.ipv4_mapped is not None


def parse_cidr(value: str) -> ipaddress.IPv4Network | ipaddress.IPv6Network | None:
    """A CIDR as `netutils.ParseCIDRSloppy` reads it: an IP (leading zeros allowed in IPv4), a
    slash and a decimal prefix length within the address size; host bits may be set."""
    address_text, slash, length_text = value.partition("/")
    if not slash or not length_text.isdigit() or not length_text.isascii():
        return None
    address = parse_ip(address_text)
    if address is None:
        return None
    length = int(length_text)
    if length > address.max_prefixlen:
        return None
    return ipaddress.ip_network(f"{address}/{length}", strict=False)


def cidr_problems(value: str) -> list[str]:
    """IsValidCIDR."""
    return [] if parse_cidr(value) is not None else [CIDR_TEXT]
