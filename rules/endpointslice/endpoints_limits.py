"""`endpoints-limits`: a v1 Endpoints object above the 1000 addresses its consumers keep (EP-07)."""

from __future__ import annotations

from collections.abc import Iterator

from netlint.api import Diagnostic, Manifest, Rule, RuleContext, RuleMeta, Severity
from netlint.k8s import as_list, dig, items_at

MAX_ADDRESSES = 1000


class EndpointsLimits(Rule):
    meta = RuleMeta(
        id="endpoints-limits",
        severity=Severity.WARNING,
        summary="A v1 Endpoints object lists more than 1000 addresses",
        what=(
            "Counts the `addresses` and `notReadyAddresses` of all `subsets` of a v1 Endpoints "
            "object and reports more than 1000, at the first address past the limit."
        ),
        why=(
            "Since 1.22 the Endpoints controller keeps at most 1000 addresses and marks the "
            "object `endpoints.kubernetes.io/over-capacity: truncated`; the mirroring controller "
            "copies at most 1000 addresses per subset into EndpointSlices, which is what "
            "kube-proxy reads. The addresses past the limit silently get no traffic. v1 "
            "Endpoints is deprecated anyway: write EndpointSlices (at most 1000 endpoints each, "
            "as many slices as needed)."
        ),
        example=(
            "apiVersion: v1\nkind: Endpoints\nmetadata:\n  name: big\nsubsets:\n"
            "- addresses:   # 1001 entries\n  - ip: 10.0.0.1\n  # ...\n  ports:\n  - port: 80\n"
        ),
        fix="Split the addresses over EndpointSlices labelled kubernetes.io/service-name: big.",
        help_uri="https://kubernetes.io/docs/concepts/services-networking/endpoint-slices/#endpoints",
        tags=("endpoints",),
        facts=("EP-07", "EP-06"),
    )
    kinds = frozenset({"Endpoints"})

    def check(self, manifest: Manifest, ctx: RuleContext) -> Iterator[Diagnostic]:
        total = 0
        first_over: tuple[str | int, ...] | None = None
        for s_index, subset in items_at(manifest.data, "subsets"):
            for field_name in ("addresses", "notReadyAddresses"):
                addresses = as_list(dig(subset, field_name))
                if addresses is None:
                    continue
                if first_over is None and total + len(addresses) > MAX_ADDRESSES:
                    first_over = ("subsets", s_index, field_name, MAX_ADDRESSES - total)
                total += len(addresses)
        if first_over is None:
            return
        yield Diagnostic(
            first_over,
            f"{manifest.ref} lists {total} addresses: the controllers keep at most "
            f"{MAX_ADDRESSES} (marked endpoints.kubernetes.io/over-capacity: truncated, and "
            "mirrored to EndpointSlices only up to the limit), so the addresses from here on may "
            "get no traffic",
            hint="write EndpointSlices instead (up to 1000 endpoints each, several slices per "
            "Service)",
        )
