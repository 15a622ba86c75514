"""`endpointslice-limits`: the API server's size limits of an EndpointSlice (EPS-03/04/14)."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

from netlint.api import Diagnostic, Manifest, Rule, RuleContext, RuleMeta, Severity
from netlint.k8s import ErrorType, FieldError, refusal

from ._endpointslice import LIMITS_RULE, slice_refusals


def _hint(error: FieldError) -> str | None:
    if error.type is ErrorType.REQUIRED:
        return "give the endpoint its address, or remove the endpoint"
    field = error.path[-1]
    if field == "endpoints":
        return "split the endpoints over several EndpointSlices with the same kubernetes.io/service-name label"
    if field == "addresses":
        return (
            "use one endpoint per address: consumers may use only the first address of an endpoint"
        )
    if field == "forZones":
        return "list at most 8 zones: the hints are for the zones nearest the endpoint"
    return None


class EndpointSliceLimits(Rule):
    meta = RuleMeta(
        id=LIMITS_RULE,
        severity=Severity.ERROR,
        summary="An EndpointSlice exceeds the API server's limits on endpoints, addresses or ports",
        what=(
            "Reports a slice with more than 1000 endpoints, an endpoint with no address or more "
            "than 100 addresses, more than 8 zone hints on an endpoint, and a slice with more "
            "than 20000 ports (the limit was raised from the 100 that an old doc comment still "
            "mentions). Above a limit the API server judges nothing else of that list, and "
            "neither does netlint."
        ),
        why=(
            "The API server rejects the whole slice (`endpoints: Too many: 1001: must have at "
            "most 1000 items`, `endpoints[0].addresses: Required value: must contain at least 1 "
            "address`). Split large sets over several slices with the same "
            "`kubernetes.io/service-name` label; by convention an endpoint has one address."
            " Severity: every finding is that rejection."
        ),
        example=(
            "apiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\nmetadata:\n  name: db-1\n"
            "  labels:\n    kubernetes.io/service-name: db\naddressType: IPv4\nports:\n"
            "- port: 5432\nendpoints:\n- addresses: []\n"
        ),
        fix=(
            "apiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\nmetadata:\n  name: db-1\n"
            "  labels:\n    kubernetes.io/service-name: db\naddressType: IPv4\nports:\n"
            '- port: 5432\nendpoints:\n- addresses: ["10.0.3.17"]\n'
        ),
        help_uri="https://kubernetes.io/docs/concepts/services-networking/endpoint-slices/",
        tags=("endpointslice", "api-validation"),
        facts=("EPS-03", "EPS-04", "EPS-14"),
    )
    kinds = frozenset({"EndpointSlice"})

    def check(self, manifest: Manifest, ctx: RuleContext) -> Iterator[Diagnostic]:
        for error in slice_refusals(manifest, LIMITS_RULE):
            # At the list's key: the list as a whole is the problem.
            at_key = dataclasses.replace(error, on_key=True)
            yield refusal(manifest, at_key, hint=_hint(error))
