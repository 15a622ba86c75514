"""`endpoints-format`: a v1 Endpoints object the API server refuses when it is created."""

from __future__ import annotations

from collections.abc import Iterator

from netlint.api import Diagnostic, Manifest, Rule, RuleContext, RuleMeta, Severity
from netlint.k8s import ErrorType, FieldError, refusal

from ._endpoints_validation import ADDRESSES_REQUIRED, validate_endpoints_create
from ._endpointslice import FIELD_HINTS

ENDPOINTS_DOCS = (
    "https://kubernetes.io/docs/reference/kubernetes-api/service-resources/endpoints-v1/"
)


def _hint(error: FieldError) -> str | None:
    field = error.path[-1]
    if error.detail == ADDRESSES_REQUIRED:
        return "give the subset its addresses (or notReadyAddresses), or remove the subset"
    if field == "ip":
        if "valid IP" in error.detail:
            return "write a bare IP address, such as 10.0.3.17 (no brackets, port or name)"
        return "an endpoint is a pod or a host reachable from other nodes: use its routable IP"
    if field == "name" and error.type is ErrorType.REQUIRED:
        return "name every port of a subset that has more than one, as the Service names them"
    if field == "port":
        return "use a port number from 1 to 65535"
    return FIELD_HINTS.get(str(field))


class EndpointsFormat(Rule):
    meta = RuleMeta(
        id="endpoints-format",
        severity=Severity.ERROR,
        summary="A v1 Endpoints object the API server refuses when it is created",
        what=(
            "Reports what `ValidateEndpointsCreate` refuses in a v1 Endpoints object: a subset "
            "with neither `addresses` nor `notReadyAddresses`; an address whose `ip` is not an "
            "IP address or is unspecified, loopback, link-local or link-local multicast; a "
            "`hostname` that is not a DNS label and a `nodeName` that is not a DNS subdomain; "
            "an unnamed port in a subset with several ports, a port name that is not a DNS "
            "label, a port outside 1-65535 and an `appProtocol` that is not a qualified name. "
            "A missing `protocol` is TCP (the v1 defaulting); unknown fields, types and the "
            "`protocol` values are `schema`'s. The message is the API server's own."
        ),
        why=(
            "`kubectl apply` fails: the API server refuses the whole object, so a Service "
            "without selector that relies on it has no endpoints and its traffic goes nowhere. "
            "Loopback and link-local addresses are refused because they would send the "
            "Service's traffic to whichever node the client runs on, or to its metadata server."
            " Severity: every finding is that rejection."
        ),
        example=(
            "apiVersion: v1\nkind: Endpoints\nmetadata:\n  name: db\n  namespace: shop\n"
            "subsets:\n- addresses:\n  - ip: 127.0.0.1\n  ports:\n  - port: 5432\n"
            "  - {name: metrics, port: 9187}\n"
        ),
        fix=(
            "apiVersion: v1\nkind: Endpoints\nmetadata:\n  name: db\n  namespace: shop\n"
            "subsets:\n- addresses:\n  - ip: 10.0.3.17\n  ports:\n  - {name: postgres, port: "
            "5432}\n  - {name: metrics, port: 9187}\n"
        ),
        help_uri=ENDPOINTS_DOCS,
        tags=("endpoints", "api-validation"),
    )
    kinds = frozenset({"Endpoints"})

    def check(self, manifest: Manifest, ctx: RuleContext) -> Iterator[Diagnostic]:
        if manifest.api_version != "v1":
            return  # another group's Endpoints kind: not the core API's
        for error in validate_endpoints_create(manifest.data):
            yield refusal(manifest, error, hint=_hint(error))
