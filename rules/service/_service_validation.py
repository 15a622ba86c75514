"""`pkg/apis/core/validation/validation.go`, the Service part: `ValidateServiceCreate` and the
functions it calls, one function here per upstream function, run on the Service as the API
server has it then: after `SetDefaults_Service` and the registry's create step
(`_service_defaults`), whose IP-family initialisation refuses what it cannot allocate on any
cluster (`init_ip_family_fields`).

What the strict schema already refuses is left to `schema` (one problem, one finding): unknown
fields, types, a port without `port`, and the enums (`type`, `protocol`, `sessionAffinity`,
`externalTrafficPolicy`, `internalTrafficPolicy`, `ipFamilies`, `ipFamilyPolicy`). Values of
the wrong type are skipped here for the same reason. `metadata` is `metadata-format`'s and
`name-format`'s (`ValidateObjectMeta` with `ValidateServiceName`, a DNS-1035 label).

The errors are reported by topic (`topic`): port numbers by `service-port-range`; cluster IPs,
IP families, external IPs and source ranges by `service-ip-fields`; the rest by
`service-format`. What the older Service rules own, they report in their own words, and this
module leaves it to them rather than answer it twice: port names and named target ports
(`service-port-name`), duplicate ports and node ports (`service-port-duplicate`), fields the
type forbids (`service-type-fields`), `externalName` (`service-externalname`), the node-port
range (`service-nodeport-range`).
"""

from __future__ import annotations

from collections.abc import Iterator

from netlint.api import Manifest, Node, Path
from netlint.k8s import (
    FieldError,
    as_int,
    as_list,
    as_map,
    as_str,
    cidr_problems,
    dig,
    duplicate,
    invalid,
    ip_problems,
    items_at,
    not_supported,
    parse_ip,
    port_number_problems,
    qualified_name_problems,
    required,
    topic_refusals,
)

from ..endpointslice._endpoints_validation import validate_non_special_ip
from ..workload._errors import placed
from ..workload._meta_validation import validate_labels
from ._service import EXTERNAL_NAME, LOAD_BALANCER
from ._service_defaults import (
    CLUSTER_IP_NONE,
    SINGLE_STACK,
    init_ip_family_policy,
    is_headless_service,
    normalize_cluster_ips,
    set_defaults_service_affinity_timeout,
    set_defaults_service_type,
)

SOURCE_RANGES_ANNOTATION = "service.beta.kubernetes.io/load-balancer-source-ranges"
TOPOLOGY_MODE_ANNOTATION = "service.kubernetes.io/topology-mode"
TOPOLOGY_HINTS_ANNOTATION = "service.kubernetes.io/topology-aware-hints"
MAX_AFFINITY_TIMEOUT = 86400  # core.MaxClientIPServiceAffinitySeconds
PREFER_CLOSE = "PreferClose"
# trafficDistribution values each Kubernetes version accepts with its default feature gates:
# PreferSameZone and PreferSameNode came with the PreferSameTrafficDistribution gate, on by
# default from 1.34.
_SAME_TRAFFIC_DISTRIBUTION = (1, 34)

# The rules that report the errors of each topic.
PORT_RANGE_RULE = "service-port-range"
IP_FIELDS_RULE = "service-ip-fields"
FORMAT_RULE = "service-format"

_IP_FIELDS = frozenset({"clusterIPs", "ipFamilies", "ipFamilyPolicy", "externalIPs"})


def topic(error: FieldError) -> str:
    """The rule that reports `error`."""
    path = error.path
    if len(path) >= 3 and path[:2] == ("spec", "ports") and path[-1] in ("port", "targetPort"):
        return PORT_RANGE_RULE
    if len(path) >= 2 and (path[1] in _IP_FIELDS or path[1] == "LoadBalancerSourceRanges"):
        return IP_FIELDS_RULE
    if path and path[-1] == SOURCE_RANGES_ANNOTATION:
        return IP_FIELDS_RULE
    return FORMAT_RULE


def traffic_distributions(kube_version: str) -> tuple[str, ...]:
    """The `trafficDistribution` values the API server of `kube_version` accepts."""
    major, _, minor = kube_version.partition(".")
    if (int(major), int(minor or 0)) >= _SAME_TRAFFIC_DISTRIBUTION:
        return (PREFER_CLOSE, "PreferSameNode", "PreferSameZone")
    return (PREFER_CLOSE,)


def validate_service_create(service: Node, kube_version: str) -> Iterator[FieldError]:
    """Follows `ValidateServiceCreate`, which is `ValidateService`, preceded on create by the
    registry's `initIPFamilyFields` (`init_ip_family_fields`). The API server answers the
    registry's errors alone, before validating; netlint reports both stages."""
    yield from init_ip_family_fields(service)
    yield from validate_service(service, kube_version)


def validate_service(service: Node, kube_version: str) -> Iterator[FieldError]:
    """Follows `ValidateService` past its `ValidateObjectMeta` (`metadata-format`,
    `name-format`): the topology annotations agree; `ports` present unless the Service is
    headless or ExternalName; each port valid; the selector a valid label map; a ClientIP
    affinity timeout in range; the cluster-IP fields consistent; each external IP valid and not
    special; each source range a CIDR; `loadBalancerClass` a qualified name; the traffic
    `trafficDistribution` supported.

    The type-dependent refusals (`clusterIP: None` on NodePort and LoadBalancer; IP fields on
    ExternalName; `nodePort` on ClusterIP; source ranges, their annotation and
    `allocateLoadBalancerNodePorts` on other types than LoadBalancer) are
    `service-type-fields`'; `externalName` is `service-externalname`'s; duplicate ports and
    node ports `service-port-duplicate`'s. `sessionAffinity`, `type`, a port's `protocol`,
    `externalTrafficPolicy`, `internalTrafficPolicy` and `allocateLoadBalancerNodePorts` are
    never missing after v1 defaulting, so their "Required value" cannot happen; their values
    are the schema's. What `validateServiceExternalTrafficPolicy` refuses through v1 is
    `service-type-fields`' (a policy or health-check port the type does not allow) and
    `service-nodeport-range`'s (a health-check port outside the node-port range, which lies
    inside 1-65535); `validateServiceInternalTrafficFieldsValue` refuses only values outside
    the schema's enum."""
    spec = as_map(dig(service, "spec")) or {}
    annotations = as_map(dig(service, "metadata", "annotations")) or {}
    mode = as_str(annotations.get(TOPOLOGY_MODE_ANNOTATION))
    hints = as_str(annotations.get(TOPOLOGY_HINTS_ANNOTATION))
    if mode is not None and hints is not None and mode != hints:
        yield invalid(
            ("metadata", "annotations", TOPOLOGY_MODE_ANNOTATION),
            mode,
            f"must match annotations[{TOPOLOGY_HINTS_ANNOTATION}] when both are specified",
        )
    kind = set_defaults_service_type(service)
    ports_node = spec.get("ports")
    ports = as_list(ports_node)
    if (
        not ports
        and (ports_node is None or ports is not None)  # the wrong type: schema
        and not is_headless_service(service)
        and kind != EXTERNAL_NAME
    ):
        yield required(("spec", "ports"))
    for index, port in items_at(spec, "ports"):
        yield from validate_service_port(port, ("spec", "ports", index))
    selector = spec.get("selector")
    if as_map(selector) is not None:
        yield from validate_labels(selector, ("spec", "selector"))
    timeout = set_defaults_service_affinity_timeout(service)
    if timeout is not None:
        yield from validate_client_ip_affinity_config(
            timeout, ("spec", "sessionAffinityConfig", "clientIP", "timeoutSeconds")
        )
    yield from validate_service_cluster_ips_related_fields(service)
    for index, address in items_at(spec, "externalIPs"):
        ip = as_str(address)
        if ip is None:
            continue  # the wrong type: schema
        problems = ip_problems(ip)
        for problem in problems:
            yield invalid(("spec", "externalIPs", index), ip, problem)
        if not problems:
            yield from validate_non_special_ip(ip, ("spec", "externalIPs", index))
    yield from validate_load_balancer_source_ranges(service)
    yield from validate_load_balancer_class_field(service)
    yield from validate_service_traffic_distribution(service, kube_version)


def validate_service_port(port: Node, fld: Path) -> Iterator[FieldError]:
    """Follows `validateServicePort`: `port` 1-65535, a numeric `targetPort` 1-65535
    (`ValidatePortNumOrName`), `appProtocol` a qualified name (`ValidateQualifiedName`).

    A port's name (required when there are several, a DNS label, unique) and a named
    `targetPort` (an IANA service name) are `service-port-name`'s; `protocol` is defaulted to
    TCP and its values are the schema's. A `targetPort` that is absent, 0 or "" is `port`
    after defaulting: its range is `port`'s, reported once."""
    fields = as_map(port)
    if fields is None:
        return
    number = as_int(fields.get("port"))
    if number is not None:
        for problem in port_number_problems(number):
            yield invalid((*fld, "port"), number, problem)
    target = as_int(fields.get("targetPort"))
    if target:
        for problem in port_number_problems(target):
            yield invalid((*fld, "targetPort"), target, problem)
    app_protocol = as_str(fields.get("appProtocol"))
    if app_protocol is not None:
        for problem in qualified_name_problems(app_protocol):
            yield invalid((*fld, "appProtocol"), app_protocol, problem)


def validate_client_ip_affinity_config(timeout: Node, fld: Path) -> Iterator[FieldError]:
    """Follows `validateClientIPAffinityConfig` and its `validateAffinityTimeout`: the ClientIP
    timeout is above 0 and at most 86400 seconds. A config, `clientIP` or `timeoutSeconds`
    left out is the default timeout (`SetDefaults_Service`), so their "Required value" cannot
    happen through v1."""
    seconds = as_int(timeout)
    if seconds is not None and not 0 < seconds <= MAX_AFFINITY_TIMEOUT:
        yield invalid(fld, seconds, f"must be greater than 0 and less than {MAX_AFFINITY_TIMEOUT}")


def is_ipv6(ip: str) -> bool:
    """`netutils.IsIPv6String`: an IPv6 address that is not IPv4-mapped."""
    address = parse_ip(ip)
    if address is None or address.version == 4:
        return False
    return getattr(address, "ipv4_mapped", None) is None


def validate_service_cluster_ips_related_fields(service: Node) -> Iterator[FieldError]:
    """Follows `ValidateServiceClusterIPsRelatedFields` (nothing for ExternalName, whose IP
    fields are forbidden: `service-type-fields`): `clusterIPs[0]` equals `clusterIP` (after
    `normalizeClusterIPs`), or `clusterIPs` is empty when `clusterIP` is; `ipFamilies` without
    duplicates; each cluster IP an IP, "None" only alone; at most two, one per family; each of
    the family its `ipFamilies` entry names. The values of `ipFamilies` and `ipFamilyPolicy`
    are the schema's."""
    if set_defaults_service_type(service) == EXTERNAL_NAME:
        return
    spec = as_map(dig(service, "spec")) or {}
    cluster_ip, cluster_ips = normalize_cluster_ips(service)
    if cluster_ip is None or cluster_ips is None:
        return  # the wrong type: schema
    ips_path: Path = ("spec", "clusterIPs")
    if cluster_ip:
        if not cluster_ips:
            yield required(ips_path)
        elif cluster_ips[0] != cluster_ip:
            yield invalid(ips_path, cluster_ips, "first value must match `clusterIP`")
    elif cluster_ips:
        yield invalid(ips_path, cluster_ips, "must be empty when `clusterIP` is not specified")
    families = [as_str(family) for family in as_list(spec.get("ipFamilies")) or []]
    seen: set[str] = set()
    for index, family in enumerate(families):
        if family is None:
            continue
        if family in seen:
            yield duplicate(("spec", "ipFamilies", index), family)
        seen.add(family)
    invalid_ips = False
    for index, node in enumerate(cluster_ips):
        ip = as_str(node)
        if ip is None:
            invalid_ips = True
            continue  # the wrong type: schema
        if index == 0 and ip == CLUSTER_IP_NONE:
            if len(cluster_ips) > 1:
                invalid_ips = True
                yield invalid(ips_path, cluster_ips, "'None' must be the first and only value")
            continue
        for problem in ip_problems(ip):
            invalid_ips = True
            yield invalid((*ips_path, index), ip, problem)
    if len(cluster_ips) > 2:
        yield invalid(ips_path, cluster_ips, "may only hold up to 2 values")
    if invalid_ips:
        return
    ips = [str(ip) for ip in cluster_ips]
    if len(ips) > 1 and not (any(is_ipv6(ip) for ip in ips) and not all(map(is_ipv6, ips))):
        yield invalid(ips_path, cluster_ips, "may specify no more than one IP for each IP family")
    if is_headless_service(service):
        return
    for index, (ip, family) in enumerate(zip(ips, families, strict=False)):
        if family == "IPv4" and is_ipv6(ip):
            expected = f"expected an IPv4 value as indicated by `ipFamilies[{index}]`"
            yield invalid((*ips_path, index), ip, expected)
        if family == "IPv6" and not is_ipv6(ip):
            expected = f"expected an IPv6 value as indicated by `ipFamilies[{index}]`"
            yield invalid((*ips_path, index), ip, expected)


def init_ip_family_fields(service: Node) -> Iterator[FieldError]:
    """Follows the create step of the registry's `initIPFamilyFields`
    (pkg/registry/core/service/storage/alloc.go) for what it refuses on every cluster: after
    defaulting `ipFamilyPolicy` (SingleStack, or RequireDualStack for a headless Service
    without selector), a SingleStack Service with two cluster IPs or two IP families. It runs
    `ValidateServiceClusterIPsRelatedFields` first and stops at its errors (reported once,
    by `validate_service`). Families the cluster is not configured for, and RequireDualStack
    on a single-stack cluster, depend on the cluster (its `--service-cluster-ip-range`)."""
    if set_defaults_service_type(service) == EXTERNAL_NAME:
        return
    if any(True for _ in validate_service_cluster_ips_related_fields(service)):
        return
    if init_ip_family_policy(service) != SINGLE_STACK:
        return
    spec = as_map(dig(service, "spec")) or {}
    policy = spec.get("ipFamilyPolicy")
    _, cluster_ips = normalize_cluster_ips(service)
    # The API server names the policy's path even when the policy was defaulted; netlint
    # points at the fields that carry two values then.
    if cluster_ips is not None and len(cluster_ips) == 2:
        path: Path = ("spec", "ipFamilyPolicy") if policy is not None else ("spec", "clusterIPs")
        yield invalid(
            path,
            SINGLE_STACK,
            "must be 'RequireDualStack' or 'PreferDualStack' when multiple cluster IPs are "
            "specified",
        )
    families = as_list(spec.get("ipFamilies"))
    if families is not None and len(families) == 2:
        path = ("spec", "ipFamilyPolicy") if policy is not None else ("spec", "ipFamilies")
        yield invalid(
            path,
            SINGLE_STACK,
            "must be 'RequireDualStack' or 'PreferDualStack' when multiple IP families are "
            "specified",
        )


def validate_load_balancer_source_ranges(service: Node) -> Iterator[FieldError]:
    """The source-range part of `ValidateService`: each `loadBalancerSourceRanges` entry,
    trimmed of surrounding spaces, is a CIDR (`IsValidCIDR`); without the field, each
    comma-separated entry of the `service.beta.kubernetes.io/load-balancer-source-ranges`
    annotation is. The path is upstream's (`spec.LoadBalancerSourceRanges`, capital L; the
    annotation's entries all at the annotation). Either on another type than LoadBalancer is
    `service-type-fields`'."""
    spec = as_map(dig(service, "spec")) or {}
    ranges = as_list(spec.get("loadBalancerSourceRanges"))
    if ranges:
        for index, node in enumerate(ranges):
            value = as_str(node)
            if value is None:
                continue  # the wrong type: schema
            for problem in cidr_problems(value.strip()):
                yield placed(
                    invalid(("spec", "LoadBalancerSourceRanges", index), value.strip(), problem),
                    ("spec", "loadBalancerSourceRanges", index),
                )
        return
    annotations = as_map(dig(service, "metadata", "annotations")) or {}
    text = as_str(annotations.get(SOURCE_RANGES_ANNOTATION))
    if text is None or not text.strip():
        return
    path: Path = ("metadata", "annotations", SOURCE_RANGES_ANNOTATION)
    for value in text.strip().split(","):
        for problem in cidr_problems(value.strip()):
            yield invalid(path, value.strip(), problem)


def validate_load_balancer_class_field(service: Node) -> Iterator[FieldError]:
    """Follows `validateLoadBalancerClassField` on create: on a LoadBalancer, the class is a
    qualified name (`ValidateQualifiedName`); on other types it is forbidden
    (`service-type-fields`)."""
    if set_defaults_service_type(service) != LOAD_BALANCER:
        return
    value = as_str(dig(service, "spec", "loadBalancerClass"))
    if value is not None:
        for problem in qualified_name_problems(value):
            yield invalid(("spec", "loadBalancerClass"), value, problem)


def validate_service_traffic_distribution(service: Node, kube_version: str) -> Iterator[FieldError]:
    """Follows `validateServiceTrafficDistribution`: a `trafficDistribution` the target
    Kubernetes version supports (PreferClose; PreferSameZone and PreferSameNode from 1.34,
    where their feature gate is on by default)."""
    value = as_str(dig(service, "spec", "trafficDistribution"))
    supported = traffic_distributions(kube_version)
    if value is not None and value not in supported:
        yield not_supported(("spec", "trafficDistribution"), value, supported)


def service_refusals(manifest: Manifest, rule: str, kube_version: str) -> Iterator[FieldError]:
    """The errors `ValidateServiceCreate` answers for a v1 Service that `rule` reports
    (`topic`)."""
    if manifest.api_version != "v1":
        return  # another group's Service kind: not the core API's
    yield from topic_refusals(
        manifest,
        f"ValidateServiceCreate:{kube_version}",
        lambda service: validate_service_create(service.data, kube_version),
        topic,
        rule,
    )
