"""`endpointslice-address`: an EndpointSlice address the API server refuses (EPS-05..EPS-07)."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterator

from netlint.api import Diagnostic, Manifest, Rule, RuleContext, RuleMeta, Severity
from netlint.k8s import as_str, dig, fqdn_problems, items_at, parse_ip, special_ip_problem

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


def _ip(value: str) -> IPAddress | None:
    """The address as Go's sloppy parser reads it; Go knows no IPv6 zones (`fe80::1%eth0`)."""
    if "%" in value:
        return None
    return parse_ip(value)


def _as_ipv4(address: IPAddress) -> ipaddress.IPv4Address | None:
    """Go's `To4()`: an IPv4 address, or an IPv4-mapped IPv6 one (`::ffff:10.0.0.1`)."""
    if isinstance(address, ipaddress.IPv4Address):
        return address
    return address.ipv4_mapped


def address_problem(address_type: str, value: str) -> str | None:
    """What the API server says about one address of a slice of `address_type`, or None."""
    if address_type == "FQDN":
        problems = fqdn_problems(value)
        return "; ".join(problems) if problems else None
    parsed = _ip(value)
    if address_type == "IPv4":
        v4 = _as_ipv4(parsed) if parsed is not None else None
        if v4 is None:
            return "must be a valid IPv4 address"
        return special_ip_problem(v4)
    if parsed is None or _as_ipv4(parsed) is not None:
        return "must be a valid IPv6 address"
    return special_ip_problem(parsed)


class EndpointSliceAddress(Rule):
    meta = RuleMeta(
        id="endpointslice-address",
        severity=Severity.ERROR,
        summary="An EndpointSlice address does not match its addressType or is a special IP",
        what=(
            "Parses every `endpoints[].addresses[]` entry as the API server does for the slice's "
            "`addressType`: a valid IPv4 address, a valid IPv6 address (IPv4-mapped forms are "
            "IPv4), or a fully qualified domain name with at least two labels. IP addresses in "
            "the unspecified, loopback, link-local or link-local multicast ranges are refused "
            "too. One finding per bad address, at that address."
        ),
        why=(
            "The API server rejects the whole slice (`endpoints[0].addresses[0]: Invalid value: "
            "...`), so none of its endpoints reach kube-proxy. An IPv6 address in an IPv4 slice "
            "is the usual slip: a dual-stack Service needs one slice per address family."
        ),
        example=(
            "apiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\nmetadata:\n  name: db-1\n"
            "  labels:\n    kubernetes.io/service-name: db\naddressType: IPv4\nports:\n"
            '- port: 5432\nendpoints:\n- addresses: ["127.0.0.1"]\n- addresses: ["fd00::5"]\n'
        ),
        fix=(
            "apiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\nmetadata:\n  name: db-1\n"
            "  labels:\n    kubernetes.io/service-name: db\naddressType: IPv4\nports:\n"
            '- port: 5432\nendpoints:\n- addresses: ["10.0.3.17"]\n'
        ),
        help_uri="https://kubernetes.io/docs/concepts/services-networking/endpoint-slices/#address-types",
        tags=("endpointslice",),
        facts=("EPS-05", "EPS-06", "EPS-07", "EPS-08"),
    )
    kinds = frozenset({"EndpointSlice"})

    def check(self, manifest: Manifest, ctx: RuleContext) -> Iterator[Diagnostic]:
        address_type = as_str(dig(manifest.data, "addressType"))
        if address_type not in ("IPv4", "IPv6", "FQDN"):
            return  # absent or unsupported: `schema` reports it
        for e_index, endpoint in items_at(manifest.data, "endpoints"):
            for a_index, address in items_at(endpoint, "addresses"):
                value = as_str(address)
                if value is None:
                    continue
                problem = address_problem(address_type, value)
                if problem is None:
                    continue
                path = ("endpoints", e_index, "addresses", a_index)
                hint = None
                if (
                    address_type != "FQDN"
                    and _ip(value) is not None
                    and problem.startswith("must be")
                ):
                    family = "IPv6" if address_type == "IPv4" else "IPv4"
                    hint = (
                        f"put {family} addresses in a separate EndpointSlice with addressType: "
                        f"{family} (one slice per address family)"
                    )
                yield Diagnostic(
                    path,
                    f'endpoints[{e_index}].addresses[{a_index}]: Invalid value: "{value}": '
                    f"{problem} ({manifest.ref} has addressType {address_type}); "
                    "the API server rejects the slice",
                    hint=hint,
                )
