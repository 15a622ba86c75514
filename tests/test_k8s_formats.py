"""The API server's shared format checks as `netlint.k8s` offers them to rules (apimachinery
`validation.go` and `ip.go`): what each accepts, and the detail text it answers otherwise."""

from __future__ import annotations

import pytest

from netlint.k8s import (
    CIDR_TEXT,
    IP_TEXT,
    QUALIFIED_NAME_TEXT,
    cidr_problems,
    in_range_problems,
    ip_problems,
    ipv4_problems,
    ipv6_problems,
    parse_cidr,
    port_number_problems,
    qualified_name_problems,
)


@pytest.mark.parametrize(
    ("value", "valid"),
    [
        ("10.9.8.7", True),
        ("010.009.008.007", True),  # ParseIPSloppy accepts leading zeros
        ("2001:db8::ffff", True),
        ("::ffff:1.2.3.4", True),
        ("256.1.1.1", False),
        ("fe80::1%eth0", False),  # Go's parser has no zones
        ("10.0.0.0/8", False),
        ("", False),
        ("example.com", False),
    ],
)
def test_ip(value: str, valid: bool) -> None:
    assert ip_problems(value) == ([] if valid else [IP_TEXT])


def test_ipv4_and_ipv6_follow_go_to4() -> None:
    assert ipv4_problems("1.2.3.4") == []
    assert ipv4_problems("::ffff:1.2.3.4") == []  # To4() is not nil for a mapped address
    assert ipv4_problems("2001:db8::1") == ["must be a valid IPv4 address"]
    assert ipv6_problems("2001:db8::1") == []
    assert ipv6_problems("::ffff:1.2.3.4") == ["must be a valid IPv6 address"]
    assert ipv6_problems("1.2.3.4") == ["must be a valid IPv6 address"]


@pytest.mark.parametrize(
    ("value", "network"),
    [
        ("10.0.0.0/8", "10.0.0.0/8"),
        ("10.1.2.3/8", "10.0.0.0/8"),  # host bits may be set
        ("010.0.0.0/8", "10.0.0.0/8"),
        ("2001:db8::/64", "2001:db8::/64"),
        ("10.0.0.0/33", None),
        ("10.0.0.0/255.0.0.0", None),  # Python accepts a netmask, Go does not
        ("10.0.0.0", None),
        ("10.0.0.0/", None),
        ("2001:db8::/129", None),
    ],
)
def test_cidr(value: str, network: str | None) -> None:
    parsed = parse_cidr(value)
    assert (str(parsed) if parsed is not None else None) == network
    assert cidr_problems(value) == ([] if network else [CIDR_TEXT])


def test_port_numbers_and_ranges() -> None:
    assert port_number_problems(1) == port_number_problems(65535) == []
    assert port_number_problems(0) == ["must be between 1 and 65535, inclusive"]
    assert port_number_problems(65536) == ["must be between 1 and 65535, inclusive"]
    assert in_range_problems(5, 1, 4) == ["must be between 1 and 4, inclusive"]
    assert in_range_problems(4, 1, 4) == []


@pytest.mark.parametrize(
    ("value", "problems"),
    [
        ("app.kubernetes.io/name", []),
        ("UpperCase123", []),
        ("only/one/slash", [QUALIFIED_NAME_TEXT]),  # one problem, as upstream says it
        ("/name", ["prefix part must be non-empty"]),
        (
            "Example.com/name",
            [
                "prefix part " + "a lowercase RFC 1123 subdomain must consist of "
                "lower case alphanumeric characters, '-' or '.', and must start and end with an "
                "alphanumeric character (e.g. 'example.com')"
            ],
        ),
    ],
)
def test_qualified_names(value: str, problems: list[str]) -> None:
    assert qualified_name_problems(value) == problems
