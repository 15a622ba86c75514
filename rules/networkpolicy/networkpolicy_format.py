"""`networkpolicy-format`: a NetworkPolicy the API server refuses when it is created."""

from __future__ import annotations

from collections.abc import Iterator

from netlint.api import Diagnostic, Manifest, Rule, RuleContext, RuleMeta, Severity
from netlint.k8s import ErrorType, FieldError

from ..workload._workload import refusal_of
from ._networkpolicy import NETWORK_POLICY_DOCS
from ._networkpolicy_validation import PEER_REQUIRED, validate_network_policy


def _hint(error: FieldError) -> str | None:
    field = error.path[-1]
    if error.type is ErrorType.REQUIRED and field == "cidr":
        return "set cidr to the block the peer admits, such as 10.0.0.0/16"
    if field == "endPort":
        if "non-numeric" in error.detail or "not specified" in error.detail:
            return "a port range needs a numeric port: set port to the first port of the range"
        return "endPort is the last port of the range: at least port, at most 65535"
    if field == "port":
        if isinstance(error.value, str):
            return (
                "a named port is a container port's name: at most 15 characters, lowercase "
                "letters, digits and single hyphens, at least one letter; or use the number"
            )
        return "use a port number from 1 to 65535"
    if error.detail == PEER_REQUIRED:
        return "give the peer a podSelector, a namespaceSelector or an ipBlock ({} selects all)"
    if error.type is ErrorType.FORBIDDEN:
        return "put the ipBlock in a peer of its own: peers of one list are alternatives"
    if "strict subset" in error.detail:
        return "each except entry must be a smaller block inside cidr"
    if field == "cidr" or "except" in error.path:
        return "write a CIDR: an address, a slash and a prefix length, such as 10.0.0.0/16"
    if field == "policyTypes":
        return "list each of Ingress and Egress at most once"
    return None


class NetworkPolicyFormat(Rule):
    meta = RuleMeta(
        id="networkpolicy-format",
        severity=Severity.ERROR,
        summary="A NetworkPolicy the API server refuses when it is created",
        what=(
            "Reports what `ValidateNetworkPolicy` refuses in a networking.k8s.io/v1 "
            "NetworkPolicy: ports out of 1-65535, named ports that are not IANA service names, "
            "`endPort` below `port`, with a named port or without a port; a peer with neither "
            "`podSelector`, `namespaceSelector` nor `ipBlock`, or an `ipBlock` beside a "
            "selector in one peer; an `ipBlock.cidr` that is not a CIDR and `except` entries "
            "that are not CIDRs strictly inside it; invalid label keys, values and operators in "
            "the pod and namespace selectors; more than two `policyTypes`. Unknown fields, "
            "types and the `protocol` and `policyTypes` values are `schema`'s. The message is "
            "the API server's own."
        ),
        why=(
            "`kubectl apply` fails: the API server refuses the policy, so the isolation or the "
            "allowance it was meant to add does not exist. A peer that mixes an `ipBlock` with "
            "a selector usually means two peers were meant (any of them admits traffic), and an "
            "`except` outside its `cidr` excepts nothing."
            " Severity: every finding is that rejection."
        ),
        example=(
            "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n"
            "  name: web\n  namespace: shop\nspec:\n  podSelector:\n    matchLabels: {app: web}\n"
            "  ingress:\n  - from:\n    - ipBlock: {cidr: 10.0.0.0/16}\n"
            "      podSelector: {matchLabels: {app: gateway}}\n"
            "    ports:\n    - {port: 8000, endPort: 80}\n"
        ),
        fix=(
            "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n"
            "  name: web\n  namespace: shop\nspec:\n  podSelector:\n    matchLabels: {app: web}\n"
            "  ingress:\n  - from:\n    - ipBlock: {cidr: 10.0.0.0/16}\n"
            "    - podSelector: {matchLabels: {app: gateway}}\n"
            "    ports:\n    - {port: 80, endPort: 8000}\n"
        ),
        help_uri=NETWORK_POLICY_DOCS,
        tags=("networkpolicy", "api-validation"),
    )
    kinds = frozenset({"NetworkPolicy"})

    def check(self, manifest: Manifest, ctx: RuleContext) -> Iterator[Diagnostic]:
        if manifest.api_version != "networking.k8s.io/v1":
            return  # extensions/v1beta1 is no longer served: deprecated-api
        for error in validate_network_policy(manifest.data):
            yield refusal_of(manifest, error, _hint(error))
