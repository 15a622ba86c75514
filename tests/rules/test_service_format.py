"""service-format, with the other Service rules of the API server's validation (DESIGN §4 "The
API server's validation, whole"): `ValidateServiceCreate` after v1 defaulting and the
registry's create step, with every case of the upstream `TestValidateServiceCreate` and
`TestValidateServiceExternalTrafficPolicy` (pkg/apis/core/validation) restated as a v1 Service.

Each refusal is reported by the rule of its topic: port numbers by `service-port-range`, IP
fields by `service-ip-fields`, port names by `service-port-name`, duplicates by
`service-port-duplicate`, fields the type forbids by `service-type-fields`, `externalName` by
`service-externalname`, the node-port range by `service-nodeport-range` (the allocator's, worded
its own way), metadata by `metadata-format` and `name-format`, enums by `schema`, the rest by
`service-format`; every one of them but the node-port range in the API server's words.

Restated differently, with the reason:
- "missing namespace": left out; a namespaced object's namespace comes from the request.
- Cases whose field v1 defaulting fills in (`SetDefaults_Service`) are accepted through v1 and
  restated as valid: missing session affinity, type or protocol; a missing
  `allocateLoadBalancerNodePorts`, `internalTrafficPolicy` or `externalTrafficPolicy`; a
  `sessionAffinityConfig` beside affinity None (cleared).
- Two cases upstream's validation accepts are refused by the registry's `initIPFamilyFields`
  on every cluster (SingleStack with two families, or with two cluster IPs): restated invalid.
- Node ports upstream picks out of the default range (1, 12345, 34567) are refused by the
  allocator (`service-nodeport-range`); they are restated in 30000-32767, so each case tests
  what upstream meant.
- ExternalName cases leave out the base selector, which ExternalName ignores (a warning)."""

from __future__ import annotations

from netlint.api import Settings
from tests.helpers import brief, lint_fixture, lint_text
from tests.rules.upstream_cases import Refused, upstream_tests

RULE = "service-format"
SELECT = [
    RULE,
    "service-port-range",
    "service-ip-fields",
    "service-port-name",
    "service-port-duplicate",
    "service-type-fields",
    "service-externalname",
    "service-nodeport-range",
    "schema",
    "metadata-format",
    "name-format",
    "manifest-shape",
    "yaml-ambiguous-value",
]
CREATE = "TestValidateServiceCreate"
ETP = "TestValidateServiceExternalTrafficPolicy"
PORT = "{name: p, port: 8675, targetPort: 8675}"
LB = "  type: LoadBalancer\n  externalTrafficPolicy: Cluster\n  allocateLoadBalancerNodePorts: true\n"
SRC = "service.beta.kubernetes.io/load-balancer-source-ranges"
RDS = "  ipFamilyPolicy: RequireDualStack\n"


def _svc(
    spec: str = "",
    *,
    ports: str | None = None,
    meta: str = "",
    selector: str = "  selector: {key: val}\n",
) -> str:
    """The upstream `makeValidService`, restated: a ClusterIP Service `valid` in `default`
    selecting key=val, with one port p/TCP 8675 (its defaulted fields left to v1 defaulting)."""
    port_list = f"  ports:\n  - {PORT}\n" if ports is None else ports
    return (
        "apiVersion: v1\nkind: Service\n"
        f"metadata: {{name: valid, namespace: default{meta}}}\nspec:\n{selector}{spec}{port_list}"
    )


def _ports(*items: str) -> str:
    return "  ports:\n" + "".join(f"  - {item}\n" for item in items)


def _ext(spec: str = "") -> str:
    """An ExternalName Service (without the base selector, which ExternalName ignores: a
    warning of service-type-fields)."""
    return _svc("  type: ExternalName\n" + spec, selector="")


def _ips(spec: str) -> str:
    return _svc(spec)


VALID = {
    (CREATE, "nil selector"): _svc(selector=""),
    (CREATE, "missing session affinity (defaulted to None in v1)"): _svc("  sessionAffinity: ''\n"),
    (CREATE, "missing type (defaulted to ClusterIP in v1)"): _svc("  type: ''\n"),
    (CREATE, "missing ports but headless"): _svc(
        "  clusterIP: None\n  clusterIPs: [None]\n", ports=""
    ),
    (CREATE, "empty port[0] name"): _svc(ports=_ports("{port: 8675, targetPort: 8675}")),
    (CREATE, "missing protocol (defaulted to TCP in v1)"): _svc(
        ports=_ports("{name: p, port: 8675, protocol: '', targetPort: 8675}")
    ),
    (CREATE, "valid port headless"): _svc(
        "  clusterIP: None\n  clusterIPs: [None]\n",
        ports=_ports("{name: p, port: 11722, targetPort: 11722}"),
    ),
    (CREATE, "invalid port headless 1 (tolerated in v1)"): _svc(
        "  clusterIP: None\n  clusterIPs: [None]\n",
        ports=_ports("{name: p, port: 11722, targetPort: 11721}"),
    ),
    (CREATE, "invalid port headless 2 (tolerated in v1)"): _svc(
        "  clusterIP: None\n  clusterIPs: [None]\n",
        ports=_ports("{name: p, port: 11722, targetPort: target}"),
    ),
    (CREATE, "valid publicIPs"): _svc(
        "  externalTrafficPolicy: Cluster\n  externalIPs: [1.2.3.4]\n"
    ),
    (CREATE, "valid load balancer protocol UDP 1"): _svc(
        LB, ports=_ports("{name: p, port: 8675, protocol: UDP, targetPort: 8675}")
    ),
    (CREATE, "valid load balancer protocol UDP 2"): _svc(
        LB, ports=_ports("{name: q, port: 12345, protocol: UDP, targetPort: 12345}")
    ),
    (CREATE, "load balancer with mix protocol"): _svc(
        LB, ports=_ports(PORT, "{name: q, port: 12345, protocol: UDP, targetPort: 12345}")
    ),
    (CREATE, "valid 1"): _svc(),
    (CREATE, "valid 2"): _svc(
        ports=_ports("{name: p, port: 8675, protocol: UDP, targetPort: 12345}")
    ),
    (CREATE, "valid 3"): _svc(ports=_ports("{name: p, port: 8675, targetPort: http}")),
    (CREATE, "valid cluster ip - none"): _svc("  clusterIP: None\n  clusterIPs: [None]\n"),
    (CREATE, "valid cluster ip - empty"): _svc(
        ports=_ports("{name: p, port: 8675, targetPort: http}")
    ),
    (CREATE, "valid type - clusterIP"): _svc("  type: ClusterIP\n"),
    (CREATE, "valid type - loadbalancer"): _svc(LB),
    (CREATE, "valid type - loadbalancer with allocateLoadBalancerNodePorts=false"): _svc(
        "  type: LoadBalancer\n  externalTrafficPolicy: Cluster\n  allocateLoadBalancerNodePorts: false\n"
    ),
    (CREATE, "missing AllocateLoadBalancerNodePorts (defaulted to true in v1)"): _svc(
        "  type: LoadBalancer\n  externalTrafficPolicy: Cluster\n"
    ),
    (CREATE, "valid type loadbalancer 2 ports"): _svc(
        LB, ports=_ports(PORT, "{name: q, port: 12345, targetPort: 12345}")
    ),
    (CREATE, "duplicate nodeports (different protocols)"): _svc(
        "  type: NodePort\n  externalTrafficPolicy: Cluster\n",
        ports=_ports(
            PORT,
            "{name: q, port: 1, nodePort: 30001, targetPort: 1}",
            "{name: r, port: 2, protocol: UDP, nodePort: 30001, targetPort: 2}",
            "{name: s, port: 3, protocol: SCTP, nodePort: 30001, targetPort: 3}",
        ),
    ),
    (CREATE, "valid duplicate ports (with different protocols)"): _svc(
        "  type: ClusterIP\n",
        ports=_ports(
            PORT,
            "{name: q, port: 12345, targetPort: 8080}",
            "{name: r, port: 12345, protocol: UDP, targetPort: 80}",
            "{name: s, port: 12345, protocol: SCTP, targetPort: 8088}",
        ),
    ),
    (CREATE, "valid type - nodeport"): _svc("  type: NodePort\n  externalTrafficPolicy: Cluster\n"),
    (CREATE, "valid type loadbalancer with NodePort"): _svc(
        LB, ports=_ports(PORT, "{name: q, port: 12345, nodePort: 30045, targetPort: 12345}")
    ),
    (CREATE, "valid type=NodePort service with NodePort"): _svc(
        "  type: NodePort\n  externalTrafficPolicy: Cluster\n",
        ports=_ports(PORT, "{name: q, port: 12345, nodePort: 30045, targetPort: 12345}"),
    ),
    (CREATE, "valid type=NodePort service without NodePort"): _svc(
        "  type: NodePort\n  externalTrafficPolicy: Cluster\n",
        ports=_ports(PORT, "{name: q, port: 12345, targetPort: 12345}"),
    ),
    (CREATE, "valid cluster service without NodePort"): _svc(
        "  type: ClusterIP\n", ports=_ports(PORT, "{name: q, port: 12345, targetPort: 12345}")
    ),
    (CREATE, "valid port type=LoadBalancer"): _svc(
        LB, ports=_ports(PORT, "{name: kubelet, port: 10250, targetPort: 12345}")
    ),
    (CREATE, "valid LoadBalancer source range annotation"): _svc(
        LB, meta=f", annotations: {{{SRC}: '1.2.3.0/24,  5.6.0.0/16'}}"
    ),
    (CREATE, "valid empty LoadBalancer source range annotation"): _svc(
        LB, meta=f", annotations: {{{SRC}: ''}}"
    ),
    (CREATE, "valid whitespace-only LoadBalancer source range annotation"): _svc(
        LB, meta=f", annotations: {{{SRC}: '  '}}"
    ),
    (CREATE, "valid LoadBalancer source range"): _svc(
        LB + "  loadBalancerSourceRanges: [1.2.3.0/24, 5.6.0.0/16]\n"
    ),
    (CREATE, "valid LoadBalancer source range with whitespace"): _svc(
        LB + "  loadBalancerSourceRanges: ['1.2.3.0/24  ', ' 5.6.0.0/16']\n"
    ),
    (CREATE, "invalid source range annotation ignored with valid source range field"): _svc(
        LB + "  loadBalancerSourceRanges: [1.2.3.0/24, 5.6.0.0/16]\n",
        meta=f", annotations: {{{SRC}: foo.bar}}",
    ),
    (CREATE, "valid ExternalName"): _ext("  externalName: foo.bar.example.com\n"),
    (CREATE, "valid ExternalName (trailing dot)"): _ext("  externalName: foo.bar.example.com.\n"),
    (CREATE, "nil internalTraffic field (defaulted to Cluster in v1)"): _svc(),
    (CREATE, "internalTrafficPolicy field nil when type is ExternalName"): _ext(
        "  externalName: foo.bar.com\n"
    ),
    (CREATE, "internalTrafficPolicy field is set when type is ExternalName"): _ext(
        "  externalName: foo.bar.com\n  internalTrafficPolicy: Cluster\n"
    ),
    (CREATE, "internalTrafficPolicy field set to Cluster"): _svc(
        "  internalTrafficPolicy: Cluster\n"
    ),
    (CREATE, "internalTrafficPolicy field set to Local"): _svc("  internalTrafficPolicy: Local\n"),
    (CREATE, "healthCheckNodePort 31100"): _svc(
        "  type: LoadBalancer\n  allocateLoadBalancerNodePorts: true\n  externalTrafficPolicy: Local\n  healthCheckNodePort: 31100\n"
    ),
    (CREATE, "sessionAffinityConfig with session affinity None (cleared in v1)"): _svc(
        LB + "  sessionAffinity: None\n  sessionAffinityConfig: {clientIP: {timeoutSeconds: 90}}\n"
    ),
    (CREATE, "valid, IPFamilyPolicy(preferDualStack) is set for two families"): _ips(
        "  ipFamilyPolicy: PreferDualStack\n  ipFamilies: [IPv4, IPv6]\n"
    ),
    (CREATE, "valid, nil service ipFamilies"): _svc(),
    (CREATE, "valid, service with valid ipFamilies (v4)"): _ips("  ipFamilies: [IPv4]\n"),
    (CREATE, "valid, service with valid ipFamilies (v6)"): _ips("  ipFamilies: [IPv6]\n"),
    (CREATE, "valid, service with valid ipFamilies(v4,v6)"): _ips(
        RDS + "  ipFamilies: [IPv4, IPv6]\n"
    ),
    (CREATE, "valid, service with valid ipFamilies(v6,v4)"): _ips(
        RDS + "  ipFamilies: [IPv6, IPv4]\n"
    ),
    (CREATE, "valid, service preferred dual stack with single family"): _ips(
        "  ipFamilyPolicy: PreferDualStack\n  ipFamilies: [IPv6]\n"
    ),
    (CREATE, "valid, headless-no-selector + multi family + gate off"): _svc(
        RDS + "  clusterIP: None\n  clusterIPs: [None]\n  ipFamilies: [IPv4, IPv6]\n", selector=""
    ),
    (CREATE, "valid, multi ip, single ipfamilies preferDualStack"): _ips(
        "  ipFamilyPolicy: PreferDualStack\n  clusterIP: 10.0.0.1\n  clusterIPs: [10.0.0.1, '2001::1']\n  ipFamilies: [IPv4]\n"
    ),
    (CREATE, "valid, multi ip, single ipfamilies + requireDualStack"): _ips(
        RDS + "  clusterIP: 10.0.0.1\n  clusterIPs: [10.0.0.1, '2001::1']\n  ipFamilies: [IPv4]\n"
    ),
    (CREATE, "valid. no field set"): _svc(),
    (CREATE, "valid, single ip"): _ips(
        "  ipFamilyPolicy: SingleStack\n  clusterIP: 10.0.0.1\n  clusterIPs: [10.0.0.1]\n"
    ),
    (CREATE, "valid, single family"): _ips("  ipFamilyPolicy: SingleStack\n  ipFamilies: [IPv6]\n"),
    (CREATE, "valid, single ip + single family"): _ips(
        "  ipFamilyPolicy: SingleStack\n  clusterIP: '2001::1'\n  clusterIPs: ['2001::1']\n  ipFamilies: [IPv6]\n"
    ),
    (CREATE, "valid, single ip + single family (dual stack requested)"): _ips(
        "  ipFamilyPolicy: PreferDualStack\n  clusterIP: '2001::1'\n  clusterIPs: ['2001::1']\n  ipFamilies: [IPv6]\n"
    ),
    (CREATE, "valid, single ip, multi ipfamilies"): _ips(
        RDS + "  clusterIP: 10.0.0.1\n  clusterIPs: [10.0.0.1]\n  ipFamilies: [IPv4, IPv6]\n"
    ),
    (CREATE, "valid, multi ips, multi ipfamilies (4,6)"): _ips(
        RDS
        + "  clusterIP: 10.0.0.1\n  clusterIPs: [10.0.0.1, '2001::1']\n  ipFamilies: [IPv4, IPv6]\n"
    ),
    (CREATE, "valid, ips, multi ipfamilies (6,4)"): _ips(
        RDS
        + "  clusterIP: '2001::1'\n  clusterIPs: ['2001::1', 10.0.0.1]\n  ipFamilies: [IPv6, IPv4]\n"
    ),
    (CREATE, "valid, multi ips (6,4)"): _ips(
        RDS + "  clusterIP: '2001::1'\n  clusterIPs: ['2001::1', 10.0.0.1]\n"
    ),
    (CREATE, "valid, multi ipfamilies (6,4)"): _ips(RDS + "  ipFamilies: [IPv6, IPv4]\n"),
    (CREATE, "valid, multi ips (4,6)"): _ips(
        RDS + "  clusterIP: 10.0.0.1\n  clusterIPs: [10.0.0.1, '2001::1']\n"
    ),
    (CREATE, "valid,  multi ipfamilies (4,6)"): _ips(RDS + "  ipFamilies: [IPv4, IPv6]\n"),
    (CREATE, "valid, dual stack"): _ips(RDS),
    (CREATE, "valid appProtocol"): _svc(
        ports=_ports("{port: 12345, targetPort: 12345, appProtocol: HTTP}")
    ),
    (CREATE, "valid custom appProtocol"): _svc(
        ports=_ports("{port: 12345, targetPort: 12345, appProtocol: example.com/protocol}")
    ),
    (CREATE, "valid LoadBalancerClass when type is LoadBalancer"): _svc(
        LB + "  loadBalancerClass: test.com/test-load-balancer-class\n"
    ),
    (CREATE, "valid: trafficDistribution field set to PreferClose"): _svc(
        "  trafficDistribution: PreferClose\n"
    ),
    (
        ETP,
        "valid loadBalancer service with externalTrafficPolicy and healthCheckNodePort set",
    ): _svc(
        "  type: LoadBalancer\n  allocateLoadBalancerNodePorts: true\n  externalTrafficPolicy: Local\n  healthCheckNodePort: 32567\n"
    ),
    (ETP, "valid nodePort service with externalTrafficPolicy set"): _svc(
        "  type: NodePort\n  externalTrafficPolicy: Local\n"
    ),
    (
        ETP,
        "valid clusterIP service with none of externalTrafficPolicy and healthCheckNodePort set",
    ): _svc("  type: ClusterIP\n"),
    (
        ETP,
        "externalTrafficPolicy is required on NodePort service (defaulted to Cluster in v1)",
    ): _svc("  type: NodePort\n"),
    (
        ETP,
        "externalTrafficPolicy is required on LoadBalancer service (defaulted to Cluster in v1)",
    ): _svc("  type: LoadBalancer\n"),
    (
        ETP,
        "externalTrafficPolicy is required on ClusterIP service with externalIPs (defaulted)",
    ): _svc("  type: ClusterIP\n  externalIPs: [1.2.3.4]\n"),
}

INVALID: dict[tuple[str, str], Refused] = {
    (CREATE, "invalid namespace"): (
        _svc().replace("namespace: default", "namespace: '-123'"),
        [("metadata-format", 3, 36)],
        "Service -123/valid is invalid: metadata.namespace: Invalid value: \"-123\": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc')",
    ),
    (CREATE, "missing name"): (
        _svc().replace("name: valid, ", "name: '', "),
        [("manifest-shape", 1, 1)],
        "object has no metadata.name (or generateName): the API server needs apiVersion, kind and metadata.name",
    ),
    (CREATE, "invalid name"): (
        _svc().replace("name: valid", "name: '-123'"),
        [("name-format", 3, 18)],
        "Service default/-123 is invalid: metadata.name: Invalid value: \"-123\": a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123')",
    ),
    (CREATE, "too long name"): (
        _svc().replace("name: valid", "name: " + "a" * 64),
        [("name-format", 3, 18)],
        'Service default/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa is invalid: metadata.name: Invalid value: "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa": must be no more than 63 characters',
    ),
    (CREATE, "invalid generateName"): (
        _svc().replace("name: valid", "generateName: '-123'"),
        [("name-format", 3, 26)],
        "Service default/-123 is invalid: metadata.generateName: Invalid value: \"-123\": a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123')",
    ),
    (CREATE, "too long generateName"): (
        _svc().replace("name: valid", "generateName: " + "a" * 64),
        [("name-format", 3, 26)],
        'Service default/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa is invalid: metadata.generateName: Invalid value: "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa": must be no more than 63 characters',
    ),
    (CREATE, "invalid label"): (
        _svc(meta=", labels: {'NoUppercaseOrSpecialCharsLike=Equals': bar}"),
        [("metadata-format", 3, 54)],
        "Service default/valid is invalid: metadata.labels: Invalid value: \"NoUppercaseOrSpecialCharsLike=Equals\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character",
    ),
    (CREATE, "invalid annotation"): (
        _svc(meta=", annotations: {'NoSpecialCharsLike=Equals': bar}"),
        [("metadata-format", 3, 59)],
        "Service default/valid is invalid: metadata.annotations: Invalid value: \"NoSpecialCharsLike=Equals\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character",
    ),
    (CREATE, "invalid selector"): (
        _svc(selector="  selector: {key: val, 'NoSpecialCharsLike=Equals': bar}\n"),
        [(5, 24)],
        "Service default/valid is invalid: spec.selector: Invalid value: \"NoSpecialCharsLike=Equals\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character",
    ),
    (CREATE, "missing ports"): (
        _svc(ports=""),
        [(5, 3)],
        "Service default/valid is invalid: spec.ports: Required value",
    ),
    (CREATE, "empty port[1] name"): (
        _svc(ports=_ports(PORT, "{name: '', port: 12345, targetPort: 12345}")),
        [("service-port-name", 8, 12)],
        "Service default/valid is invalid: spec.ports[1].name: Required value",
    ),
    (CREATE, "empty multi-port port[0] name"): (
        _svc(
            ports=_ports(
                "{port: 8675, targetPort: 8675}", "{name: p, port: 12345, targetPort: 12345}"
            )
        ),
        [("service-port-name", 7, 5)],
        "Service default/valid is invalid: spec.ports[0].name: Required value",
    ),
    (CREATE, "invalid port name"): (
        _svc(ports=_ports("{name: INVALID, port: 8675, targetPort: 8675}")),
        [("service-port-name", 7, 12)],
        "Service default/valid is invalid: spec.ports[0].name: Invalid value: \"INVALID\": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc')",
    ),
    (CREATE, "invalid protocol"): (
        _svc(ports=_ports("{name: p, port: 8675, protocol: INVALID, targetPort: 8675}")),
        [("schema", 7, 37)],
        'spec.ports[0].protocol: Unsupported value: "INVALID": supported values: "SCTP", "TCP", "UDP"',
    ),
    (CREATE, "invalid cluster ip"): (
        _svc("  clusterIP: invalid\n  clusterIPs: [invalid]\n"),
        [("service-ip-fields", 7, 16)],
        'Service default/valid is invalid: spec.clusterIPs[0]: Invalid value: "invalid": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)',
    ),
    (CREATE, "missing port"): (
        _svc(ports=_ports("{name: p, port: 0, targetPort: 8675}")),
        [("service-port-range", 7, 21)],
        "Service default/valid is invalid: spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive",
    ),
    (CREATE, "invalid port"): (
        _svc(ports=_ports("{name: p, port: 65536, targetPort: 8675}")),
        [("service-port-range", 7, 21)],
        "Service default/valid is invalid: spec.ports[0].port: Invalid value: 65536: must be between 1 and 65535, inclusive",
    ),
    (CREATE, "invalid TargetPort int"): (
        _svc(ports=_ports("{name: p, port: 8675, targetPort: 65536}")),
        [("service-port-range", 7, 39)],
        "Service default/valid is invalid: spec.ports[0].targetPort: Invalid value: 65536: must be between 1 and 65535, inclusive",
    ),
    (CREATE, "invalid publicIPs localhost"): (
        _svc("  externalTrafficPolicy: Cluster\n  externalIPs: [127.0.0.1]\n"),
        [("service-ip-fields", 7, 17)],
        'Service default/valid is invalid: spec.externalIPs[0]: Invalid value: "127.0.0.1": may not be in the loopback range (127.0.0.0/8, ::1/128)',
    ),
    (CREATE, "invalid publicIPs unspecified"): (
        _svc("  externalTrafficPolicy: Cluster\n  externalIPs: [0.0.0.0]\n"),
        [("service-ip-fields", 7, 17)],
        'Service default/valid is invalid: spec.externalIPs[0]: Invalid value: "0.0.0.0": may not be unspecified (0.0.0.0)',
    ),
    (CREATE, "invalid publicIPs host"): (
        _svc("  externalTrafficPolicy: Cluster\n  externalIPs: [myhost.mydomain]\n"),
        [("service-ip-fields", 7, 17)],
        'Service default/valid is invalid: spec.externalIPs[0]: Invalid value: "myhost.mydomain": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)',
    ),
    (CREATE, "dup port name"): (
        _svc(ports=_ports(PORT, "{name: p, port: 12345, targetPort: 12345}")),
        [("service-port-name", 8, 12)],
        'Service default/valid is invalid: spec.ports[1].name: Duplicate value: "p"',
    ),
    (CREATE, "duplicate nodeports"): (
        _svc(
            "  type: NodePort\n  externalTrafficPolicy: Cluster\n",
            ports=_ports(
                PORT,
                "{name: q, port: 1, nodePort: 30001, targetPort: 1}",
                "{name: r, port: 2, nodePort: 30001, targetPort: 2}",
            ),
        ),
        [("service-port-duplicate", 11, 34)],
        "Service default/valid is invalid: spec.ports[2].nodePort: Duplicate value: 30001",
    ),
    (CREATE, "invalid duplicate ports (with same protocol)"): (
        _svc(
            "  type: ClusterIP\n",
            ports=_ports(
                PORT,
                "{name: q, port: 12345, targetPort: 8080}",
                "{name: r, port: 12345, targetPort: 80}",
            ),
        ),
        [("service-port-duplicate", 10, 5)],
        'Service default/valid is invalid: spec.ports[2]: Duplicate value: {"port":12345,"protocol":"TCP"}',
    ),
    (CREATE, "invalid cluster service with NodePort"): (
        _svc(
            "  type: ClusterIP\n",
            ports=_ports(PORT, "{name: q, port: 12345, nodePort: 30045, targetPort: 12345}"),
        ),
        [("service-type-fields", 9, 28)],
        "Service default/valid is invalid: spec.ports[1].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'",
    ),
    (CREATE, "invalid LoadBalancer source range annotation (hostname)"): (
        _svc(LB, meta=f", annotations: {{{SRC}: foo.bar}}"),
        [("service-ip-fields", 3, 115)],
        'Service default/valid is invalid: metadata.annotations[service.beta.kubernetes.io/load-balancer-source-ranges]: Invalid value: "foo.bar": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)',
    ),
    (CREATE, "invalid LoadBalancer source range annotation (invalid CIDR)"): (
        _svc(LB, meta=f", annotations: {{{SRC}: 1.2.3.4/33}}"),
        [("service-ip-fields", 3, 115)],
        'Service default/valid is invalid: metadata.annotations[service.beta.kubernetes.io/load-balancer-source-ranges]: Invalid value: "1.2.3.4/33": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)',
    ),
    (CREATE, "invalid LoadBalancer source range annotation for non LoadBalancer type service"): (
        _svc(meta=f", annotations: {{{SRC}: 1.2.3.0/24}}"),
        [("service-type-fields", 3, 59)],
        "Service default/valid is invalid: metadata.annotations[service.beta.kubernetes.io/load-balancer-source-ranges]: Forbidden: may only be used when `type` is 'LoadBalancer'",
    ),
    (
        CREATE,
        "invalid empty-but-set LoadBalancer source range annotation for non LoadBalancer type service",
    ): (
        _svc(meta=f", annotations: {{{SRC}: ''}}"),
        [("service-type-fields", 3, 59)],
        "Service default/valid is invalid: metadata.annotations[service.beta.kubernetes.io/load-balancer-source-ranges]: Forbidden: may only be used when `type` is 'LoadBalancer'",
    ),
    (CREATE, "invalid empty LoadBalancer source range"): (
        _svc(LB + "  loadBalancerSourceRanges: ['   ']\n"),
        [("service-ip-fields", 9, 30)],
        'Service default/valid is invalid: spec.LoadBalancerSourceRanges[0]: Invalid value: "": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)',
    ),
    (CREATE, "invalid LoadBalancer source range (hostname)"): (
        _svc(LB + "  loadBalancerSourceRanges: [foo.bar]\n"),
        [("service-ip-fields", 9, 30)],
        'Service default/valid is invalid: spec.LoadBalancerSourceRanges[0]: Invalid value: "foo.bar": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)',
    ),
    (CREATE, "invalid LoadBalancer source range (invalid CIDR)"): (
        _svc(LB + "  loadBalancerSourceRanges: [1.2.3.4/33]\n"),
        [("service-ip-fields", 9, 30)],
        'Service default/valid is invalid: spec.LoadBalancerSourceRanges[0]: Invalid value: "1.2.3.4/33": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)',
    ),
    (CREATE, "invalid source range for non LoadBalancer type service"): (
        _svc("  loadBalancerSourceRanges: [1.2.3.0/24, 5.6.0.0/16]\n"),
        [("service-type-fields", 6, 3)],
        "Service default/valid is invalid: spec.LoadBalancerSourceRanges: Forbidden: may only be used when `type` is 'LoadBalancer'",
    ),
    (CREATE, "invalid ExternalName clusterIP (valid IP)"): (
        _ext(
            "  clusterIP: 1.2.3.4\n  clusterIPs: [1.2.3.4]\n  externalName: foo.bar.example.com\n"
        ),
        [("service-type-fields", 7, 3)],
        "Service default/valid is invalid: spec.clusterIPs: Forbidden: may not be set for ExternalName services",
    ),
    (CREATE, "invalid ExternalName clusterIP (None)"): (
        _ext("  clusterIP: None\n  clusterIPs: [None]\n  externalName: foo.bar.example.com\n"),
        [("service-type-fields", 7, 3)],
        "Service default/valid is invalid: spec.clusterIPs: Forbidden: may not be set for ExternalName services",
    ),
    (CREATE, "invalid ExternalName (not a DNS name)"): (
        _ext("  externalName: '-123'\n"),
        [("service-externalname", 6, 17)],
        "Service default/valid is invalid: spec.externalName: Invalid value: \"-123\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com')",
    ),
    (CREATE, "LoadBalancer type cannot have None ClusterIP"): (
        _svc("  clusterIP: None\n  clusterIPs: [None]\n" + LB),
        [("service-type-fields", 7, 16)],
        "Service default/valid is invalid: spec.clusterIPs[0]: Invalid value: \"None\": may not be set to 'None' for LoadBalancer services",
    ),
    (CREATE, "invalid node port with clusterIP None"): (
        _svc(
            "  type: NodePort\n  externalTrafficPolicy: Cluster\n  clusterIP: None\n  clusterIPs: [None]\n",
            ports=_ports(PORT, "{name: q, port: 1, nodePort: 30001, targetPort: 1}"),
        ),
        [("service-type-fields", 9, 16)],
        "Service default/valid is invalid: spec.clusterIPs[0]: Invalid value: \"None\": may not be set to 'None' for NodePort services",
    ),
    (CREATE, "invalid externalTraffic field"): (
        _svc(
            "  type: LoadBalancer\n  allocateLoadBalancerNodePorts: true\n  externalTrafficPolicy: invalid\n"
        ),
        [("schema", 8, 26)],
        'spec.externalTrafficPolicy: Unsupported value: "invalid": supported values: "Cluster", "Local"',
    ),
    (CREATE, "invalid internalTraffic field"): (
        _svc("  internalTrafficPolicy: invalid\n"),
        [("schema", 6, 26)],
        'spec.internalTrafficPolicy: Unsupported value: "invalid": supported values: "Cluster", "Local"',
    ),
    (CREATE, "negative healthCheckNodePort field"): (
        _svc(
            "  type: LoadBalancer\n  allocateLoadBalancerNodePorts: true\n  externalTrafficPolicy: Local\n  healthCheckNodePort: -1\n"
        ),
        [("service-nodeport-range", 9, 24)],
        "Service default/valid healthCheckNodePort -1: provided port is not in the valid range. The range of valid ports is 30000-32767",
    ),
    (CREATE, "invalid timeoutSeconds field"): (
        _svc(
            "  type: ClusterIP\n  sessionAffinity: ClientIP\n  sessionAffinityConfig: {clientIP: {timeoutSeconds: -1}}\n"
        ),
        [(8, 54)],
        "Service default/valid is invalid: spec.sessionAffinityConfig.clientIP.timeoutSeconds: Invalid value: -1: must be greater than 0 and less than 86400",
    ),
    (CREATE, "invalid, service with invalid ipFamilies"): (
        _ips("  ipFamilies: [not-a-valid-ip-family]\n"),
        [("schema", 6, 16)],
        'spec.ipFamilies[0]: Unsupported value: "not-a-valid-ip-family": supported values: "IPv4", "IPv6"',
    ),
    (CREATE, "invalid, service with invalid ipFamilies (2nd)"): (
        _ips(RDS + "  ipFamilies: [IPv4, not-a-valid-ip-family]\n"),
        [("schema", 7, 22)],
        'spec.ipFamilies[1]: Unsupported value: "not-a-valid-ip-family": supported values: "IPv4", "IPv6"',
    ),
    (CREATE, "IPFamilyPolicy(singleStack) is set for two families (refused by the registry)"): (
        _ips("  ipFamilyPolicy: SingleStack\n  ipFamilies: [IPv4, IPv6]\n"),
        [("service-ip-fields", 6, 19)],
        "Service default/valid is invalid: spec.ipFamilyPolicy: Invalid value: \"SingleStack\": must be 'RequireDualStack' or 'PreferDualStack' when multiple IP families are specified",
    ),
    (CREATE, "invalid, service with 2+ ipFamilies"): (
        _ips(RDS + "  ipFamilies: [IPv4, IPv6, IPv4]\n"),
        [("service-ip-fields", 7, 28)],
        'Service default/valid is invalid: spec.ipFamilies[2]: Duplicate value: "IPv4"',
    ),
    (CREATE, "invalid, service with same ip families"): (
        _ips(RDS + "  ipFamilies: [IPv6, IPv6]\n"),
        [("service-ip-fields", 7, 22)],
        'Service default/valid is invalid: spec.ipFamilies[1]: Duplicate value: "IPv6"',
    ),
    (CREATE, "invalid, garbage single ip"): (
        _ips("  clusterIP: garbage-ip\n  clusterIPs: [garbage-ip]\n"),
        [("service-ip-fields", 7, 16)],
        'Service default/valid is invalid: spec.clusterIPs[0]: Invalid value: "garbage-ip": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)',
    ),
    (CREATE, "invalid, garbage ips"): (
        _ips(RDS + "  clusterIP: garbage-ip\n  clusterIPs: [garbage-ip, garbage-second-ip]\n"),
        [("service-ip-fields", 8, 16), ("service-ip-fields", 8, 28)],
        'Service default/valid is invalid: spec.clusterIPs[0]: Invalid value: "garbage-ip": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)',
    ),
    (CREATE, "invalid, garbage first ip"): (
        _ips(RDS + "  clusterIP: garbage-ip\n  clusterIPs: [garbage-ip, '2001::1']\n"),
        [("service-ip-fields", 8, 16)],
        'Service default/valid is invalid: spec.clusterIPs[0]: Invalid value: "garbage-ip": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)',
    ),
    (CREATE, "invalid, garbage second ip"): (
        _ips(RDS + "  clusterIP: '2001::1'\n  clusterIPs: ['2001::1', garbage-ip]\n"),
        [("service-ip-fields", 8, 27)],
        'Service default/valid is invalid: spec.clusterIPs[1]: Invalid value: "garbage-ip": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)',
    ),
    (CREATE, "invalid, NONE + IP"): (
        _ips(RDS + "  clusterIP: None\n  clusterIPs: [None, '2001::1']\n"),
        [("service-ip-fields", 8, 15)],
        'Service default/valid is invalid: spec.clusterIPs: Invalid value: ["None","2001::1"]: \'None\' must be the first and only value',
    ),
    (CREATE, "invalid, IP + NONE"): (
        _ips(RDS + "  clusterIP: '2001::1'\n  clusterIPs: ['2001::1', None]\n"),
        [("service-ip-fields", 8, 27)],
        'Service default/valid is invalid: spec.clusterIPs[1]: Invalid value: "None": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)',
    ),
    (CREATE, "invalid, EMPTY STRING + IP"): (
        _ips(RDS + "  clusterIP: ''\n  clusterIPs: ['', '2001::1']\n"),
        [("service-ip-fields", 8, 15), ("service-ip-fields", 8, 16)],
        'Service default/valid is invalid: spec.clusterIPs: Invalid value: ["","2001::1"]: must be empty when `clusterIP` is not specified',
    ),
    (CREATE, "invalid, IP + EMPTY STRING"): (
        _ips(RDS + "  clusterIP: '2001::1'\n  clusterIPs: ['2001::1', '']\n"),
        [("service-ip-fields", 8, 27)],
        'Service default/valid is invalid: spec.clusterIPs[1]: Invalid value: "": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)',
    ),
    (CREATE, "invalid, same ip family (v6)"): (
        _ips(
            RDS
            + "  clusterIP: '2001::1'\n  clusterIPs: ['2001::1', '2001::4']\n  ipFamilies: [IPv4, IPv6]\n"
        ),
        [("service-ip-fields", 8, 15), ("service-ip-fields", 8, 16)],
        'Service default/valid is invalid: spec.clusterIPs: Invalid value: ["2001::1","2001::4"]: may specify no more than one IP for each IP family',
    ),
    (CREATE, "invalid, same ip family (v4)"): (
        _ips(
            RDS
            + "  clusterIP: 10.0.0.1\n  clusterIPs: [10.0.0.1, 10.0.0.10]\n  ipFamilies: [IPv4, IPv6]\n"
        ),
        [("service-ip-fields", 8, 15), ("service-ip-fields", 8, 26)],
        'Service default/valid is invalid: spec.clusterIPs: Invalid value: ["10.0.0.1","10.0.0.10"]: may specify no more than one IP for each IP family',
    ),
    (CREATE, "invalid, more than two ips"): (
        _ips(
            RDS
            + "  clusterIP: 10.0.0.1\n  clusterIPs: [10.0.0.1, '2001::1', 10.0.0.10]\n  ipFamilies: [IPv4, IPv6]\n"
        ),
        [("service-ip-fields", 8, 15)],
        'Service default/valid is invalid: spec.clusterIPs: Invalid value: ["10.0.0.1","2001::1","10.0.0.10"]: may only hold up to 2 values',
    ),
    (CREATE, "multi ip, dualstack not set (refused by the registry)"): (
        _ips(
            "  ipFamilyPolicy: SingleStack\n  clusterIP: 10.0.0.1\n  clusterIPs: [10.0.0.1, '2001::1']\n  ipFamilies: [IPv4, IPv6]\n"
        ),
        [("service-ip-fields", 6, 19), ("service-ip-fields", 6, 19)],
        "Service default/valid is invalid: spec.ipFamilyPolicy: Invalid value: \"SingleStack\": must be 'RequireDualStack' or 'PreferDualStack' when multiple IP families are specified",
    ),
    (CREATE, "invalid, families don't match (v4=>v6)"): (
        _ips("  clusterIP: 10.0.0.1\n  clusterIPs: [10.0.0.1]\n  ipFamilies: [IPv6]\n"),
        [("service-ip-fields", 7, 16)],
        'Service default/valid is invalid: spec.clusterIPs[0]: Invalid value: "10.0.0.1": expected an IPv6 value as indicated by `ipFamilies[0]`',
    ),
    (CREATE, "invalid, families don't match (v6=>v4)"): (
        _ips("  clusterIP: '2001::1'\n  clusterIPs: ['2001::1']\n  ipFamilies: [IPv4]\n"),
        [("service-ip-fields", 7, 16)],
        'Service default/valid is invalid: spec.clusterIPs[0]: Invalid value: "2001::1": expected an IPv4 value as indicated by `ipFamilies[0]`',
    ),
    (CREATE, "invalid appProtocol"): (
        _svc(
            ports=_ports(
                "{port: 12345, targetPort: 12345, appProtocol: 'example.com/protocol_with{invalid}[characters]'}"
            )
        ),
        [(7, 51)],
        "Service default/valid is invalid: spec.ports[0].appProtocol: Invalid value: \"example.com/protocol_with{invalid}[characters]\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character",
    ),
    (CREATE, "invalid cluster ip != clusterIP in multi ip service"): (
        _ips(RDS + "  clusterIP: 10.0.0.10\n  clusterIPs: [10.0.0.1, '2001::1']\n"),
        [("service-ip-fields", 8, 15)],
        'Service default/valid is invalid: spec.clusterIPs: Invalid value: ["10.0.0.1","2001::1"]: first value must match `clusterIP`',
    ),
    (CREATE, "invalid cluster ip != clusterIP in single ip service"): (
        _ips("  clusterIP: 10.0.0.10\n  clusterIPs: [10.0.0.1]\n"),
        [("service-ip-fields", 7, 15)],
        'Service default/valid is invalid: spec.clusterIPs: Invalid value: ["10.0.0.1"]: first value must match `clusterIP`',
    ),
    (CREATE, "Use AllocateLoadBalancerNodePorts when type is not LoadBalancer"): (
        _svc("  allocateLoadBalancerNodePorts: true\n"),
        [("service-type-fields", 6, 3)],
        "Service default/valid is invalid: spec.allocateLoadBalancerNodePorts: Forbidden: may only be used when `type` is 'LoadBalancer'",
    ),
    (CREATE, "invalid LoadBalancerClass"): (
        _svc(LB + "  loadBalancerClass: Bad/LoadBalancerClass\n"),
        [(9, 22)],
        "Service default/valid is invalid: spec.loadBalancerClass: Invalid value: \"Bad/LoadBalancerClass\": prefix part a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com')",
    ),
    (CREATE, "invalid: set LoadBalancerClass when type is not LoadBalancer"): (
        _svc("  type: ClusterIP\n  loadBalancerClass: test.com/test-load-balancer-class\n"),
        [("service-type-fields", 7, 3)],
        "Service default/valid is invalid: spec.loadBalancerClass: Forbidden: may only be used when `type` is 'LoadBalancer'",
    ),
    (CREATE, "topology annotations are mismatched"): (
        _svc(
            meta=", annotations: {service.kubernetes.io/topology-aware-hints: original, service.kubernetes.io/topology-mode: different}"
        ),
        [(3, 150)],
        'Service default/valid is invalid: metadata.annotations[service.kubernetes.io/topology-mode]: Invalid value: "different": must match annotations[service.kubernetes.io/topology-aware-hints] when both are specified',
    ),
    (CREATE, "invalid: trafficDistribution field set to Random"): (
        _svc("  trafficDistribution: Random\n"),
        [(6, 24)],
        'Service default/valid is invalid: spec.trafficDistribution: Unsupported value: "Random": supported values: "PreferClose", "PreferSameNode", "PreferSameZone"',
    ),
    (
        ETP,
        "cannot set healthCheckNodePort field on loadBalancer service with externalTrafficPolicy!=Local",
    ): (
        _svc(
            "  type: LoadBalancer\n  allocateLoadBalancerNodePorts: true\n  externalTrafficPolicy: Cluster\n  healthCheckNodePort: 32567\n"
        ),
        [("service-type-fields", 9, 24)],
        "Service default/valid is invalid: spec.healthCheckNodePort: Invalid value: 32567: may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'",
    ),
    (ETP, "cannot set healthCheckNodePort field on nodePort service"): (
        _svc("  type: NodePort\n  externalTrafficPolicy: Local\n  healthCheckNodePort: 32567\n"),
        [("service-type-fields", 8, 24)],
        "Service default/valid is invalid: spec.healthCheckNodePort: Invalid value: 32567: may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'",
    ),
    (ETP, "cannot set externalTrafficPolicy or healthCheckNodePort fields on clusterIP service"): (
        _svc("  type: ClusterIP\n  externalTrafficPolicy: Local\n  healthCheckNodePort: 32567\n"),
        [("service-type-fields", 7, 26), ("service-type-fields", 8, 24)],
        'Service default/valid is invalid: spec.externalTrafficPolicy: Invalid value: "Local": may only be set for externally-accessible services',
    ),
    (ETP, "cannot set externalTrafficPolicy field on ExternalName service"): (
        _ext(
            "  externalName: foo.bar.com\n  externalTrafficPolicy: Local\n",
        ),
        [("service-type-fields", 7, 26)],
        'Service default/valid is invalid: spec.externalTrafficPolicy: Invalid value: "Local": may only be set for externally-accessible services',
    ),
}


test_upstream_valid_cases_get_no_error, test_upstream_invalid_cases_get_an_error = upstream_tests(
    RULE, VALID, INVALID, select=SELECT
)


def test_upstream_valid_cases_get_no_finding_at_all() -> None:
    """Not even a warning from the rules of the area."""
    assert [brief(lint_text(text, select=SELECT)) for text in VALID.values()] == [[]] * len(VALID)


def test_bad_fixture() -> None:
    findings = lint_fixture(RULE, select_only=True)
    assert brief(findings) == [
        (RULE, 8, 42, "error"),
        (RULE, 11, 24, "error"),
        (RULE, 14, 32, "error"),
        (RULE, 15, 24, "error"),
        (RULE, 17, 41, "error"),
        (RULE, 25, 3, "error"),
        (RULE, 26, 22, "error"),
    ]
    prefix = (
        "prefix part a lowercase RFC 1123 subdomain must consist of lower case alphanumeric "
        "characters, '-' or '.', and must start and end with an alphanumeric character (e.g. "
        "'example.com')"
    )
    assert [(f.message, f.hint) for f in findings] == [
        (
            "Service shop/web is invalid: metadata.annotations[service.kubernetes.io/"
            'topology-mode]: Invalid value: "Auto": must match annotations[service.kubernetes.io/'
            "topology-aware-hints] when both are specified",
            "give both topology annotations the same value, or keep only topology-mode",
        ),
        (
            'Service shop/web is invalid: spec.selector: Invalid value: "tier/": name part must '
            "be non-empty",
            "selector keys are label keys ([prefix/]name, alphanumerics, '-', '_', '.'), values "
            "at most 63 such characters",
        ),
        (
            "Service shop/web is invalid: spec.sessionAffinityConfig.clientIP.timeoutSeconds: "
            "Invalid value: 86401: must be greater than 0 and less than 86400",
            "use a timeout from 1 to 86400 seconds (the default is 10800)",
        ),
        (
            'Service shop/web is invalid: spec.trafficDistribution: Unsupported value: "Nearest": '
            'supported values: "PreferClose", "PreferSameNode", "PreferSameZone"',
            "use one of the supported values, or remove the field",
        ),
        (
            'Service shop/web is invalid: spec.ports[0].appProtocol: Invalid value: "HTTP/1.1": '
            + prefix,
            "use an IANA service name (http, grpc) or a prefixed name such as example.com/proto",
        ),
        (
            "Service shop/lb is invalid: spec.ports: Required value",
            "give the Service its ports, or make it headless (`clusterIP: None`)",
        ),
        (
            "Service shop/lb is invalid: spec.loadBalancerClass: Invalid value: "
            '"Example.com/internal": ' + prefix,
            "use a prefixed name such as example.com/internal-lb",
        ),
    ]


def test_good_fixture() -> None:
    assert lint_fixture(RULE, "good.yaml") == []


def test_traffic_distribution_follows_the_kube_version() -> None:
    """PreferSameZone is accepted from 1.34 (its feature gate on by default), refused before."""
    text = (
        "apiVersion: v1\nkind: Service\nmetadata: {name: web, namespace: shop}\nspec:\n"
        "  trafficDistribution: PreferSameZone\n  ports: [{port: 80}]\n"
    )
    assert lint_text(text, select=[RULE], settings=Settings(kube_version="1.34")) == []
    findings = lint_text(text, select=[RULE], settings=Settings(kube_version="1.33"))
    assert brief(findings) == [(RULE, 5, 24, "error")]
    assert findings[0].message == (
        "Service shop/web is invalid: spec.trafficDistribution: Unsupported value: "
        '"PreferSameZone": supported values: "PreferClose"'
    )
