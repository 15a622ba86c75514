"""`endpointslice-format`: an EndpointSlice the API server refuses when it is created, for its
ports, hostnames, node names and zone hints (addresses and limits have rules of their own)."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

from netlint.api import Diagnostic, Fix, Manifest, Rule, RuleContext, RuleMeta, Severity
from netlint.fixes import delete_copy, safe_fix
from netlint.k8s import ErrorType, FieldError, refusal

from ._endpointslice import FIELD_HINTS, FORMAT_RULE, slice_refusals

ENDPOINT_SLICE_DOCS = "https://kubernetes.io/docs/concepts/services-networking/endpoint-slices/"


def _hint(error: FieldError) -> str | None:
    field = error.path[-1]
    duplicate = error.type is ErrorType.DUPLICATE
    if field == "name" and "ports" in error.path and duplicate:
        if error.value == "":
            return (
                "name the ports: a slice has at most one unnamed port, and each name matches a "
                "port name of the Service"
            )
        return "give each port of the slice its own name, as the Service's ports have"
    if field == "name" and "forZones" in error.path:
        if duplicate:
            return "list each zone once"
        return "a zone hint names a zone as the topology.kubernetes.io/zone label does"
    if field == "addressType":
        return "set addressType to IPv4, IPv6 or FQDN"
    return FIELD_HINTS.get(str(field))


class EndpointSliceFormat(Rule):
    meta = RuleMeta(
        id=FORMAT_RULE,
        severity=Severity.ERROR,
        summary="An EndpointSlice port, hostname, node name or zone hint the API server refuses",
        what=(
            "Reports what `ValidateEndpointSliceCreate` refuses in a discovery.k8s.io "
            "EndpointSlice besides its addresses (`endpointslice-address`) and its size "
            "limits (`endpointslice-limits`): two ports with the same name (a port without "
            '`name` is named "", so two unnamed ports collide), a port name that is not a '
            "DNS label, an `appProtocol` that is not a qualified name, an endpoint `hostname` "
            "that is not a DNS label or `nodeName` that is not a DNS subdomain, a zone hint "
            "that is not a label value or is listed twice, an empty `addressType`. Unknown "
            "fields, types and the `addressType` and `protocol` values are `schema`'s. The "
            "message is the API server's own."
        ),
        why=(
            "`kubectl apply` fails: the API server refuses the whole slice, so none of its "
            "endpoints reach kube-proxy and the Service it backs has no endpoints. Consumers "
            "match a slice's ports to the Service's by name, which is why a name may appear "
            "once."
            " Severity: every finding is that rejection."
        ),
        example=(
            "apiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\nmetadata:\n  name: db-1\n"
            "  namespace: shop\n  labels:\n    kubernetes.io/service-name: db\n"
            "addressType: IPv4\nports:\n- port: 5432\n- port: 9187\nendpoints:\n"
            '- addresses: ["10.0.3.17"]\n'
        ),
        fix=(
            "apiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\nmetadata:\n  name: db-1\n"
            "  namespace: shop\n  labels:\n    kubernetes.io/service-name: db\n"
            "addressType: IPv4\nports:\n- {name: postgres, port: 5432}\n"
            "- {name: metrics, port: 9187}\nendpoints:\n"
            '- addresses: ["10.0.3.17"]\n'
        ),
        help_uri=ENDPOINT_SLICE_DOCS,
        tags=("endpointslice", "api-validation"),
        fixable="sometimes",
    )
    kinds = frozenset({"EndpointSlice"})

    def check(self, manifest: Manifest, ctx: RuleContext) -> Iterator[Diagnostic]:
        for error in slice_refusals(manifest, FORMAT_RULE):
            yield dataclasses.replace(
                refusal(manifest, error, hint=_hint(error)), fix=_copy_removal(manifest, error)
            )


def _copy_removal(manifest: Manifest, error: FieldError) -> Fix | None:
    """A port named twice because it is an exact copy of an earlier port: the copy removed
    (safe: the slice is refused as it is, and it then lists that port once, as meant)."""
    if error.type is not ErrorType.DUPLICATE or error.path[:1] != ("ports",):
        return None
    return safe_fix("remove the copy of the port", delete_copy(manifest, error.path))
