"""`endpointslice-limits`: the API server's size limits of an EndpointSlice (EPS-03/04/14)."""

from __future__ import annotations

from collections.abc import Iterator

from netlint.api import Diagnostic, Manifest, Rule, RuleContext, RuleMeta, Severity
from netlint.k8s import as_list, dig, items_at

MAX_ENDPOINTS = 1000
MAX_ADDRESSES = 100
# PR #99795 raised it from 100; the types.go doc comment still says 100 (reference §8.2).
MAX_PORTS = 20000


class EndpointSliceLimits(Rule):
    meta = RuleMeta(
        id="endpointslice-limits",
        severity=Severity.ERROR,
        summary="An EndpointSlice exceeds the API server's limits on endpoints, addresses or ports",
        what=(
            "Reports a slice with more than 1000 endpoints, an endpoint with no address or more "
            "than 100 addresses, and a slice with more than 20000 ports (the limit was raised "
            "from the 100 that an old doc comment still mentions)."
        ),
        why=(
            "The API server rejects the whole slice (`endpoints: Too many: 1001: must have at "
            "most 1000 items`, `endpoints[0].addresses: Required value: must contain at least 1 "
            "address`). Split large sets over several slices with the same "
            "`kubernetes.io/service-name` label; by convention an endpoint has one address."
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
        tags=("endpointslice",),
        facts=("EPS-03", "EPS-04", "EPS-14"),
    )
    kinds = frozenset({"EndpointSlice"})

    def check(self, manifest: Manifest, ctx: RuleContext) -> Iterator[Diagnostic]:
        endpoints = as_list(dig(manifest.data, "endpoints"))
        if endpoints is not None and len(endpoints) > MAX_ENDPOINTS:
            yield Diagnostic(
                ("endpoints",),
                f"endpoints: Too many: {len(endpoints)}: must have at most {MAX_ENDPOINTS} items "
                f"({manifest.ref}); the API server rejects the slice",
                on_key=True,
                hint="split the endpoints over several EndpointSlices with the same "
                "kubernetes.io/service-name label",
            )
        for index, endpoint in items_at(manifest.data, "endpoints"):
            addresses = as_list(dig(endpoint, "addresses"))
            if addresses is None:
                continue  # absent: `schema` reports the required field
            path = ("endpoints", index, "addresses")
            if not addresses:
                yield Diagnostic(
                    path,
                    f"endpoints[{index}].addresses: Required value: must contain at least 1 "
                    f"address ({manifest.ref}); the API server rejects the slice",
                    on_key=True,
                    hint="give the endpoint its address, or remove the endpoint",
                )
            elif len(addresses) > MAX_ADDRESSES:
                yield Diagnostic(
                    path,
                    f"endpoints[{index}].addresses: Too many: {len(addresses)}: must have at most "
                    f"{MAX_ADDRESSES} items ({manifest.ref}); the API server "
                    "rejects the slice",
                    on_key=True,
                    hint="use one endpoint per address: consumers may use only the first address "
                    "of an endpoint",
                )
        ports = as_list(dig(manifest.data, "ports"))
        if ports is not None and len(ports) > MAX_PORTS:
            yield Diagnostic(
                ("ports",),
                f"ports: Too many: {len(ports)}: must have at most {MAX_PORTS} items "
                f"({manifest.ref}); the API server rejects the slice",
                on_key=True,
            )
