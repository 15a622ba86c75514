"""What a v1 Service is when its create validation runs: `SetDefaults_Service`
(`pkg/apis/core/v1/defaults.go`), then the registry's create step
(`pkg/registry/core/service/storage`: `normalizeClusterIPs`, then the policy default of
`initIPFamilyFields`), one function here per upstream function.

The manifest is never changed: each function answers the defaulted value of one field, and
the validation reads those. A value of the wrong type comes back as None (it is `schema`'s).
The other defaults of `SetDefaults_Service` only fill in what validation would otherwise
require (`externalTrafficPolicy` and `internalTrafficPolicy` Cluster,
`allocateLoadBalancerNodePorts` true), so no refusal depends on them; a port's protocol and
targetPort are defaulted with the port (`_service.ports_of`).
"""

from __future__ import annotations

from netlint.api import Node
from netlint.k8s import as_list, as_map, as_str, dig

from ._service import (
    CLUSTER_IP,
    EXTERNAL_NAME,
)

CLIENT_IP = "ClientIP"
AFFINITY_NONE = "None"
DEFAULT_AFFINITY_TIMEOUT = 10800  # v1.DefaultClientIPServiceAffinitySeconds
SINGLE_STACK = "SingleStack"
REQUIRE_DUAL_STACK = "RequireDualStack"
CLUSTER_IP_NONE = "None"


def _spec(service: Node) -> dict[str, Node]:
    # `as_map(dig(service, "spec")) or {}`, spelt out: every defaulted field reads it, about
    # twenty times per Service.
    spec = service.get("spec") if isinstance(service, dict) else None
    return spec if isinstance(spec, dict) else {}


def set_defaults_service_type(service: Node) -> str | None:
    """`SetDefaults_Service` for `type`: ClusterIP when absent or empty."""
    node = _spec(service).get("type")
    if node is None:
        return CLUSTER_IP
    value = as_str(node)
    return None if value is None else value or CLUSTER_IP


def set_defaults_service_session_affinity(service: Node) -> str | None:
    """`SetDefaults_Service` for `sessionAffinity`: None when absent or empty."""
    node = _spec(service).get("sessionAffinity")
    if node is None:
        return AFFINITY_NONE
    value = as_str(node)
    return None if value is None else value or AFFINITY_NONE


def set_defaults_service_affinity_timeout(service: Node) -> Node:
    """`SetDefaults_Service` for `sessionAffinityConfig`: cleared when the affinity is None (so
    "must not be set when session affinity is None" cannot happen through v1); for ClientIP,
    the whole config is replaced by a timeout of 10800 seconds when the config, its `clientIP`
    or its `timeoutSeconds` is missing (so none of those "Required value" errors can happen
    either). Answers the timeout to validate, None when there is none."""
    if set_defaults_service_session_affinity(service) != CLIENT_IP:
        return None
    timeout = dig(_spec(service), "sessionAffinityConfig", "clientIP", "timeoutSeconds")
    return DEFAULT_AFFINITY_TIMEOUT if timeout is None else timeout


def normalize_cluster_ips(service: Node) -> tuple[str | None, list[Node] | None]:
    """Follows `normalizeClusterIPs` on create: a `clusterIP` without `clusterIPs` makes
    `clusterIPs` `[clusterIP]`; `clusterIP` is never filled in from `clusterIPs`. Answers
    (`clusterIP`, `clusterIPs`): "" and [] when absent, None when of the wrong type."""
    spec = _spec(service)
    ip_node = spec.get("clusterIP")
    cluster_ip = "" if ip_node is None else as_str(ip_node)
    ips_node = spec.get("clusterIPs")
    cluster_ips = [] if ips_node is None else as_list(ips_node)
    if cluster_ip and cluster_ips == []:
        normalized: list[Node] = [cluster_ip]
        return cluster_ip, normalized
    return cluster_ip, cluster_ips


def is_headless_service(service: Node) -> bool:
    """`isHeadlessService`: exactly one cluster IP, and it is "None" (after
    `normalizeClusterIPs`, so `clusterIP: None` alone is headless)."""
    _, cluster_ips = normalize_cluster_ips(service)
    return cluster_ips is not None and cluster_ips == [CLUSTER_IP_NONE]


def init_ip_family_policy(service: Node) -> str | None:
    """The policy default of `initIPFamilyFields` on create: a Service without
    `ipFamilyPolicy` is SingleStack, except a headless Service without selector, which is
    RequireDualStack. None for ExternalName (no IP fields) or a value of the wrong type."""
    if set_defaults_service_type(service) == EXTERNAL_NAME:
        return None
    spec = _spec(service)
    node = spec.get("ipFamilyPolicy")
    if node is not None:
        return as_str(node)
    cluster_ip, _ = normalize_cluster_ips(service)
    if cluster_ip == CLUSTER_IP_NONE and not as_map(spec.get("selector")):
        return REQUIRE_DUAL_STACK
    return SINGLE_STACK
