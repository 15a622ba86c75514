"""The string formats netlint adds to JSON Schema for policies, and their format checker.

Formats `k8s-dns1123-label`, `k8s-dns1123-subdomain`, `k8s-dns1035-label`,
`k8s-wildcard-dns1123-subdomain`, `k8s-iana-port-name`, `k8s-qualified-name`, `k8s-label-value`,
`k8s-ip`, `k8s-fqdn` and `lowercase` check what the API server checks, and their reason is the
API server's own text.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import TYPE_CHECKING

from netlint.model.k8s_names import (
    dns1035_label_problems,
    dns1123_label_problems,
    dns1123_subdomain_problems,
    fqdn_problems,
    iana_port_name_problems,
    label_value_problems,
    parse_ip,
    qualified_name_problems,
    wildcard_subdomain_problems,
)

if TYPE_CHECKING:
    from jsonschema import FormatChecker


def _format(problems: Callable[[str], list[str]]) -> Callable[[object], bool]:
    def check(instance: object) -> bool:
        if not isinstance(instance, str):
            return True
        found = problems(instance)
        if found:
            raise ValueError("; ".join(found))
        return True

    return check


def _ip_problems(value: str) -> list[str]:
    # Without a ':' (IPv6) an IP has nothing but digits and dots, and most values are host
    # names: answer those before `parse_ip`, whose failed attempts cost more than the rest of
    # a policy's check.
    if ":" not in value and not value.replace(".", "").isdigit():
        return ["must be a valid IP address"]
    return [] if parse_ip(value) is not None else ["must be a valid IP address"]


def _lowercase_problems(value: str) -> list[str]:
    return [] if value == value.lower() else ["must be lower case"]


NETLINT_FORMATS: dict[str, Callable[[str], list[str]]] = {
    "k8s-dns1123-label": dns1123_label_problems,
    "k8s-dns1123-subdomain": dns1123_subdomain_problems,
    "k8s-dns1035-label": dns1035_label_problems,
    "k8s-wildcard-dns1123-subdomain": wildcard_subdomain_problems,
    "k8s-iana-port-name": iana_port_name_problems,
    "k8s-qualified-name": qualified_name_problems,
    "k8s-label-value": label_value_problems,
    "k8s-ip": _ip_problems,
    "k8s-fqdn": fqdn_problems,
    "lowercase": _lowercase_problems,
}


@cache
def format_checker() -> FormatChecker:
    """python-jsonschema's checker with netlint's formats, built once, on first use."""
    from jsonschema import FormatChecker

    checker = FormatChecker()
    for name, problems in NETLINT_FORMATS.items():
        checker.checks(name, raises=ValueError)(_format(problems))
    return checker
