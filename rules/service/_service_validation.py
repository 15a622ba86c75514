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

The errors are reported by topic (`topic`): port numbers by `service-port-range`; port names
and named target ports by `service-port-name`; duplicate ports and node ports by
`service-port-duplicate`; fields the type forbids (and the `externalTrafficPolicy` and
`healthCheckNodePort` the type does not allow) by `service-type-fields`; `externalName` by
`service-externalname`; cluster IPs, IP families, external IPs and source ranges by
`service-ip-fields`; the rest by `service-format`. The node-port range is the allocator's
(`service-nodeport-range`, a policy).
"""

from __future__ import annotations

from collections.abc import Iterator

from netlint.api import Manifest, Node, Path
from netlint.k8s import (
    ErrorType,
    FieldError,
    as_int,
    as_list,
    as_map,
    as_str,
    cidr_problems,
    dig,
    dns1123_label_problems,
    dns1123_subdomain_problems,
    duplicate,
    forbidden,
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
from ..workload._core_validation import validate_port_num_or_name
from ..workload._errors import placed
from ..workload._meta_validation import validate_labels
from ._service import (
    CLUSTER_IP,
    EXTERNAL_NAME,
    LOAD_BALANCER,
    NODE_PORT,
    externally_accessible_spec,
)
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
PORT_NAME_RULE = "service-port-name"
PORT_DUPLICATE_RULE = "service-port-duplicate"
TYPE_FIELDS_RULE = "service-type-fields"
EXTERNAL_NAME_RULE = "service-externalname"
IP_FIELDS_RULE = "service-ip-fields"
FORMAT_RULE = "service-format"

_IP_FIELDS = frozenset({"clusterIPs", "ipFamilies", "ipFamilyPolicy", "externalIPs"})
# The fields whose refusals depend on the type alone (`validateServiceExternalTrafficPolicy`).
_TRAFFIC_POLICY_FIELDS = frozenset(
    {("spec", "externalTrafficPolicy"), ("spec", "healthCheckNodePort")}
)


def topic(error: FieldError) -> str:
    """The rule that reports `error`."""
    path = error.path
    if path == ("spec", "externalName"):
        return EXTERNAL_NAME_RULE
    if (
        error.type is ErrorType.FORBIDDEN
        or path in _TRAFFIC_POLICY_FIELDS
        or (path == ("spec", "clusterIPs", 0) and error.value == CLUSTER_IP_NONE)
    ):
        return TYPE_FIELDS_RULE
    if len(path) >= 3 and path[:2] == ("spec", "ports"):
        if error.type is ErrorType.DUPLICATE and path[-1] != "name":
            return PORT_DUPLICATE_RULE
        if path[-1] == "name" or (path[-1] == "targetPort" and isinstance(error.value, str)):
            return PORT_NAME_RULE
        if path[-1] in ("port", "targetPort"):
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
    # Both stages run `ValidateServiceClusterIPsRelatedFields`: its errors, found once.
    cluster_ip_errors = tuple(validate_service_cluster_ips_related_fields(service))
    yield from init_ip_family_fields(service, cluster_ip_errors)
    yield from validate_service(service, kube_version, cluster_ip_errors)


def validate_service(
    service: Node, kube_version: str, cluster_ip_errors: tuple[FieldError, ...] | None = None
) -> Iterator[FieldError]:
    """Follows `ValidateService` past its `ValidateObjectMeta` (`metadata-format`,
    `name-format`): the topology annotations agree; `ports` present unless the Service is
    headless or ExternalName; what the type refuses (`validate_service_type`); each port
    valid; the selector a valid label map; a ClientIP affinity timeout in range; the
    cluster-IP fields consistent; each external IP valid and not special; no `nodePort` on
    ClusterIP and no node port twice (`validate_service_node_ports`); no port and protocol
    twice (`validate_service_duplicate_ports`); each source range a CIDR, on LoadBalancer
    only; `allocateLoadBalancerNodePorts` on LoadBalancer only; `loadBalancerClass` a
    qualified name, on LoadBalancer only; the external traffic policy and health-check port
    the type allows; the `trafficDistribution` supported.

    `sessionAffinity`, `type`, a port's `protocol`, `externalTrafficPolicy`,
    `internalTrafficPolicy` and `allocateLoadBalancerNodePorts` are never missing after v1
    defaulting, so their "Required value" cannot happen; their values are the schema's.
    `validateServiceInternalTrafficFieldsValue` refuses only values outside the schema's
    enum."""
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
    yield from validate_service_type(service)
    all_names: set[str] = set()
    require_name = len(ports or ()) > 1
    for index, port in items_at(spec, "ports"):
        yield from validate_service_port(port, require_name, all_names, ("spec", "ports", index))
    selector = spec.get("selector")
    if as_map(selector) is not None:
        yield from validate_labels(selector, ("spec", "selector"))
    timeout = set_defaults_service_affinity_timeout(service)
    if timeout is not None:
        yield from validate_client_ip_affinity_config(
            timeout, ("spec", "sessionAffinityConfig", "clientIP", "timeoutSeconds")
        )
    if cluster_ip_errors is None:
        cluster_ip_errors = tuple(validate_service_cluster_ips_related_fields(service))
    yield from cluster_ip_errors
    for index, address in items_at(spec, "externalIPs"):
        ip = as_str(address)
        if ip is None:
            continue  # the wrong type: schema
        problems = ip_problems(ip)
        for problem in problems:
            yield invalid(("spec", "externalIPs", index), ip, problem)
        if not problems:
            yield from validate_non_special_ip(ip, ("spec", "externalIPs", index))
    yield from validate_service_node_ports(service)
    yield from validate_service_duplicate_ports(service)
    yield from validate_load_balancer_source_ranges(service)
    if spec.get("allocateLoadBalancerNodePorts") is not None and kind != LOAD_BALANCER:
        yield forbidden(("spec", "allocateLoadBalancerNodePorts"), _LOAD_BALANCER_ONLY)
    yield from validate_load_balancer_class_field(service)
    yield from validate_service_external_traffic_policy(service)
    yield from validate_service_traffic_distribution(service, kube_version)


_LOAD_BALANCER_ONLY = "may only be used when `type` is 'LoadBalancer'"
_EXTERNAL_NAME_FORBIDS = "may not be set for ExternalName services"


def validate_service_type(service: Node) -> Iterator[FieldError]:
    """The `switch service.Spec.Type` part of `ValidateService`: a NodePort or LoadBalancer
    Service is not headless; an ExternalName Service has no cluster IPs (after
    `normalizeClusterIPs`, so a `clusterIP` alone counts), no `ipFamilies`, no
    `ipFamilyPolicy`, and an `externalName` that is a DNS-1123 subdomain once one trailing
    dot is trimmed. A missing `externalName` is located at `type: ExternalName`, the field
    that asks for it."""
    kind = set_defaults_service_type(service)
    spec = as_map(dig(service, "spec")) or {}
    ips_given = spec.get("clusterIPs") is not None
    if kind in (NODE_PORT, LOAD_BALANCER) and is_headless_service(service):
        at: Path = ("spec", "clusterIPs", 0) if ips_given else ("spec", "clusterIP")
        yield placed(
            invalid(
                ("spec", "clusterIPs", 0),
                CLUSTER_IP_NONE,
                f"may not be set to 'None' for {kind} services",
            ),
            at,
        )
    if kind != EXTERNAL_NAME:
        return
    _, cluster_ips = normalize_cluster_ips(service)
    if cluster_ips:
        at = ("spec", "clusterIPs") if ips_given else ("spec", "clusterIP")
        yield placed(forbidden(("spec", "clusterIPs"), _EXTERNAL_NAME_FORBIDS), at, on_key=True)
    if as_list(spec.get("ipFamilies")):
        yield forbidden(("spec", "ipFamilies"), _EXTERNAL_NAME_FORBIDS)
    if spec.get("ipFamilyPolicy") is not None:
        yield forbidden(("spec", "ipFamilyPolicy"), _EXTERNAL_NAME_FORBIDS)
    node = spec.get("externalName")
    if node is not None and as_str(node) is None:
        return  # the wrong type: schema
    cname = (as_str(node) or "").removesuffix(".")
    if not cname:
        error = required(("spec", "externalName"))
        yield error if node is not None else placed(error, ("spec", "type"))
        return
    for problem in dns1123_subdomain_problems(cname):
        yield invalid(("spec", "externalName"), cname, problem)


def validate_service_port(
    port: Node, require_name: bool, all_names: set[str], fld: Path
) -> Iterator[FieldError]:
    """Follows `validateServicePort`: a `name` when the Service has several ports, a DNS-1123
    label, used once (`all_names`); `port` 1-65535; `targetPort` a port number 1-65535 or an
    IANA service name (`validate_port_num_or_name`); `appProtocol` a qualified name
    (`ValidateQualifiedName`).

    `protocol` is defaulted to TCP and its values are the schema's. A `targetPort` that is
    absent, 0 or "" is `port` after defaulting: its range is `port`'s, reported once. A name
    or target port of the wrong type is the schema's."""
    fields = as_map(port)
    if fields is None:
        return
    name_node = fields.get("name")
    name = as_str(name_node)
    if require_name and (name_node is None or name == ""):
        yield required((*fld, "name"))
    elif name:
        for problem in dns1123_label_problems(name):
            yield invalid((*fld, "name"), name, problem)
        if name in all_names:
            yield duplicate((*fld, "name"), name)
        else:
            all_names.add(name)
    number = as_int(fields.get("port"))
    if number is not None:
        for problem in port_number_problems(number):
            yield invalid((*fld, "port"), number, problem)
    target = fields.get("targetPort")
    if target is not None and target not in (0, ""):
        yield from validate_port_num_or_name(target, (*fld, "targetPort"))
    app_protocol = as_str(fields.get("appProtocol"))
    if app_protocol is not None:
        for problem in qualified_name_problems(app_protocol):
            yield invalid((*fld, "appProtocol"), app_protocol, problem)


def _protocol(fields: dict[str, Node]) -> str | None:
    """A port's protocol after v1 defaulting (TCP when absent or empty); None when it is not
    a string (the schema's)."""
    node = fields.get("protocol")
    return "TCP" if node is None or node == "" else as_str(node)


def validate_service_node_ports(service: Node) -> Iterator[FieldError]:
    """The node-port part of `ValidateService`: no `nodePort` on a ClusterIP Service, and no
    node port and protocol twice. On ExternalName a node port is ignored (a warning of
    `service-type-fields`), as is its duplicate."""
    kind = set_defaults_service_type(service)
    seen: set[tuple[int, str]] = set()
    for index, port in items_at(service, "spec", "ports"):
        fields = as_map(port)
        node_port = as_int((fields or {}).get("nodePort"))
        if fields is None or not node_port:
            continue
        fld: Path = ("spec", "ports", index, "nodePort")
        if kind == CLUSTER_IP:
            yield forbidden(fld, "may not be used when `type` is 'ClusterIP'")
            continue
        protocol = _protocol(fields)
        if kind == EXTERNAL_NAME or protocol is None:
            continue
        if (node_port, protocol) in seen:
            yield duplicate(fld, node_port)
        seen.add((node_port, protocol))


def validate_service_duplicate_ports(service: Node) -> Iterator[FieldError]:
    """The duplicate-port part of `ValidateService`: no `port` and `protocol` twice. Upstream
    prints the whole internal port struct as the value; netlint prints the two fields that
    make it a duplicate."""
    seen: set[tuple[int, str]] = set()
    for index, port in items_at(service, "spec", "ports"):
        fields = as_map(port) or {}
        number = as_int(fields.get("port"))
        protocol = _protocol(fields)
        if number is None or protocol is None:
            continue  # the wrong type, or no port: schema
        if (number, protocol) in seen:
            yield duplicate(("spec", "ports", index), {"port": number, "protocol": protocol})
        seen.add((number, protocol))


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


def init_ip_family_fields(
    service: Node, cluster_ip_errors: tuple[FieldError, ...] | None = None
) -> Iterator[FieldError]:
    """Follows the create step of the registry's `initIPFamilyFields`
    (pkg/registry/core/service/storage/alloc.go) for what it refuses on every cluster: after
    defaulting `ipFamilyPolicy` (SingleStack, or RequireDualStack for a headless Service
    without selector), a SingleStack Service with two cluster IPs or two IP families. It runs
    `ValidateServiceClusterIPsRelatedFields` first and stops at its errors (reported once,
    by `validate_service`). Families the cluster is not configured for, and RequireDualStack
    on a single-stack cluster, depend on the cluster (its `--service-cluster-ip-range`)."""
    if set_defaults_service_type(service) == EXTERNAL_NAME:
        return
    if cluster_ip_errors is None:
        cluster_ip_errors = tuple(validate_service_cluster_ips_related_fields(service))
    if cluster_ip_errors:
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
    """The source-range part of `ValidateService`: `loadBalancerSourceRanges` only on a
    LoadBalancer, each entry, trimmed of surrounding spaces, a CIDR (`IsValidCIDR`); without
    the field, the `service.beta.kubernetes.io/load-balancer-source-ranges` annotation only on
    a LoadBalancer, each of its comma-separated entries a CIDR. The path is upstream's
    (`spec.LoadBalancerSourceRanges`, capital L; the annotation's entries all at the
    annotation)."""
    spec = as_map(dig(service, "spec")) or {}
    load_balancer = set_defaults_service_type(service) == LOAD_BALANCER
    ranges = as_list(spec.get("loadBalancerSourceRanges"))
    if ranges:
        if not load_balancer:
            yield placed(
                forbidden(("spec", "LoadBalancerSourceRanges"), _LOAD_BALANCER_ONLY),
                ("spec", "loadBalancerSourceRanges"),
                on_key=True,
            )
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
    path: Path = ("metadata", "annotations", SOURCE_RANGES_ANNOTATION)
    if SOURCE_RANGES_ANNOTATION in annotations and not load_balancer:
        yield forbidden(path, _LOAD_BALANCER_ONLY)
    text = as_str(annotations.get(SOURCE_RANGES_ANNOTATION))
    if text is None or not text.strip():
        return
    for value in text.strip().split(","):
        for problem in cidr_problems(value.strip()):
            yield invalid(path, value.strip(), problem)


def validate_load_balancer_class_field(service: Node) -> Iterator[FieldError]:
    """Follows `validateLoadBalancerClassField` on create: on a LoadBalancer, the class is a
    qualified name (`ValidateQualifiedName`); on other types it is forbidden."""
    node = dig(service, "spec", "loadBalancerClass")
    if set_defaults_service_type(service) != LOAD_BALANCER:
        if node is not None:
            yield forbidden(("spec", "loadBalancerClass"), _LOAD_BALANCER_ONLY)
        return
    value = as_str(node)
    if value is not None:
        for problem in qualified_name_problems(value):
            yield invalid(("spec", "loadBalancerClass"), value, problem)


def validate_service_external_traffic_policy(service: Node) -> Iterator[FieldError]:
    """Follows `validateServiceExternalTrafficPolicy` through v1: an `externalTrafficPolicy`
    only on an externally accessible Service (NodePort, LoadBalancer, or ClusterIP with
    external IPs: `ExternallyAccessible`), a `healthCheckNodePort` only on a LoadBalancer
    whose policy is Local (`NeedsHealthCheck`). The policy is defaulted to Cluster where it
    is needed, and a needed health-check port is allocated, so their "Required value" cannot
    happen; the policy's values are the schema's; a health-check port out of range lies
    outside the node-port range, the allocator's refusal (`service-nodeport-range`)."""
    kind = set_defaults_service_type(service)
    spec = as_map(dig(service, "spec")) or {}
    policy = as_str(spec.get("externalTrafficPolicy"))
    if policy and not externally_accessible_spec(spec, kind):
        yield invalid(
            ("spec", "externalTrafficPolicy"),
            policy,
            "may only be set for externally-accessible services",
        )
    health_check = as_int(spec.get("healthCheckNodePort"))
    needs_health_check = kind == LOAD_BALANCER and policy == "Local"
    if health_check and not needs_health_check:
        yield invalid(
            ("spec", "healthCheckNodePort"),
            health_check,
            "may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'",
        )


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
