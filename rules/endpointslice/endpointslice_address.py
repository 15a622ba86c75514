"""`endpointslice-address`: an EndpointSlice address the API server refuses (EPS-05..EPS-07)."""

from __future__ import annotations

from collections.abc import Iterator

from netlint.api import Diagnostic, Manifest, Rule, RuleContext, RuleMeta, Severity
from netlint.k8s import as_str, dig, parse_ip, refusal

from ._endpointslice import ADDRESS_RULE, slice_refusals


def _family_hint(manifest: Manifest, value: object) -> str | None:
    """For an IP address of the other family: where it belongs."""
    address_type = as_str(dig(manifest.data, "addressType"))
    if address_type == "FQDN" or not isinstance(value, str) or parse_ip(value) is None:
        return None
    family = "IPv6" if address_type == "IPv4" else "IPv4"
    return (
        f"put {family} addresses in a separate EndpointSlice with addressType: {family} (one "
        "slice per address family)"
    )


class EndpointSliceAddress(Rule):
    meta = RuleMeta(
        id=ADDRESS_RULE,
        severity=Severity.ERROR,
        summary="An EndpointSlice address does not match its addressType or is a special IP",
        what=(
            "Parses every `endpoints[].addresses[]` entry as the API server does for the slice's "
            "`addressType` (`validateEndpoints`): a valid IPv4 address, a valid IPv6 address "
            "(IPv4-mapped forms are IPv4), or a fully qualified domain name with at least two "
            "labels. IP addresses in the unspecified, loopback, link-local or link-local "
            "multicast ranges are refused too (`ValidateEndpointIP`). One finding per bad "
            "address, at that address, worded as the API server words it."
        ),
        why=(
            "The API server rejects the whole slice (`endpoints[0].addresses[0]: Invalid value: "
            "...`), so none of its endpoints reach kube-proxy. An IPv6 address in an IPv4 slice "
            "is the usual slip: a dual-stack Service needs one slice per address family."
            " Severity: every finding is that rejection."
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
        tags=("endpointslice", "api-validation"),
        facts=("EPS-05", "EPS-06", "EPS-07", "EPS-08"),
    )
    kinds = frozenset({"EndpointSlice"})

    def check(self, manifest: Manifest, ctx: RuleContext) -> Iterator[Diagnostic]:
        for error in slice_refusals(manifest, ADDRESS_RULE):
            hint = None
            if error.detail.startswith("must be a valid IPv"):
                hint = _family_hint(manifest, error.value)
            yield refusal(manifest, error, hint=hint)
