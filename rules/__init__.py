"""netlint's built-in rule pack.

Loaded through the `netlint.rules` entry point like any installed pack (DESIGN §6): this module
lists its rules explicitly in `CATALOGUE`; nothing registers itself on import. Rules that are a
pure single-object condition are declarative policies in `policies/`, loaded with the same public
`netlint.policy` functions a user's pack would use.

`RULES` holds them as `LazyRule`s: each rule's module is imported only when the run meets an
object of its kinds (issue 31: a run on one Service file does not import the Gateway API rules or
the policy engine's admission evaluator). What the engine needs of every rule before that, its
metadata, kinds and `settles_locally`, is in `_registry.py`, generated from the rules themselves
(`python -m netlint._builtin.rules._lazy`) and kept in step by tests/test_rule_registry.py.
"""

from __future__ import annotations

from netlint.api import Rule

from ._lazy import Entry, lazy_rules
from ._registry import REGISTRY

# Every rule, in catalogue order, by where it is defined: (module below this package, the
# name of its class, `Rule` or factory there, the factory's arguments).
CATALOGUE: tuple[Entry, ...] = (
    # Input and structure
    ("input.engine_rules", "YAML_SYNTAX"),
    ("input.engine_rules", "YAML_DUPLICATE_KEY"),
    ("input.engine_rules", "MANIFEST_SHAPE"),
    ("input.engine_rules", "FILE_UNREADABLE"),
    ("input.engine_rules", "HELM_TEMPLATE"),
    ("input.engine_rules", "KUSTOMIZE_BUILD"),
    ("input.engine_rules", "INPUT_LIMIT"),
    ("input.engine_rules", "INTERNAL_ERROR"),
    ("input.engine_rules", "UNKNOWN_SUPPRESSION"),
    ("input.engine_rules", "UNUSED_SUPPRESSION"),
    ("input.duplicate_object", "DuplicateObject"),
    ("input.schema", "Schema"),
    # Service
    ("service.service_selector_no_match", "ServiceSelectorNoMatch"),
    ("service.service_no_endpoints", "ServiceNoEndpoints"),
    ("service.service_target_port_unresolved", "ServiceTargetPortUnresolved"),
    ("service.service_port_name", "ServicePortName"),
    ("service.service_port_duplicate", "ServicePortDuplicate"),
    ("_policies", "builtin_policy", "service-nodeport-range"),
    ("service.service_nodeport_conflict", "ServiceNodePortConflict"),
    ("service.service_type_fields", "ServiceTypeFields"),
    ("service.service_externalname", "ServiceExternalName"),
    ("service.service_port_range", "ServicePortRange"),
    ("service.service_ip_fields", "ServiceIpFields"),
    ("service.service_format", "ServiceFormat"),
    ("_policies", "builtin_policy", "service-exposure"),
    # Input and names; EndpointSlice and Endpoints
    ("input.yaml_ambiguous_value", "YamlAmbiguousValue"),
    ("input.deprecated_api", "DeprecatedApi"),
    ("input.unknown_kind", "UnknownKind"),
    ("input.name_format", "NameFormat"),
    ("input.metadata_format", "MetadataFormat"),
    ("endpointslice.endpointslice_address", "EndpointSliceAddress"),
    ("endpointslice.endpointslice_limits", "EndpointSliceLimits"),
    ("endpointslice.endpointslice_format", "EndpointSliceFormat"),
    ("endpointslice.endpointslice_service", "EndpointSliceService"),
    ("endpointslice.endpointslice_port_mismatch", "EndpointSlicePortMismatch"),
    ("endpointslice.endpointslice_managed_by", "EndpointSliceManagedBy"),
    ("endpointslice.endpoints_format", "EndpointsFormat"),
    ("endpointslice.endpoints_limits", "EndpointsLimits"),
    # Ingress and IngressClass
    ("ingress.ingress_class_missing", "IngressClassMissing"),
    ("ingress.ingress_class_unknown", "IngressClassUnknown"),
    ("ingress.ingress_backend_service_missing", "IngressBackendServiceMissing"),
    ("ingress.ingress_backend_port_mismatch", "IngressBackendPortMismatch"),
    ("ingress.ingress_tls_secret", "IngressTlsSecret"),
    ("ingress.ingress_tls_host", "IngressTlsHost"),
    ("_policies", "builtin_policy", "ingress-host-format"),
    ("ingress.ingress_path_format", "IngressPathFormat"),
    ("ingress.ingress_path_conflict", "IngressPathConflict"),
    ("_policies", "builtin_policy", "ingress-no-rules"),
    ("_policies", "builtin_policy", "ingress-tls-required"),
    ("ingress.ingress_backend_format", "IngressBackendFormat"),
    ("ingress.ingress_format", "IngressFormat"),
    ("ingress.ingress_rewrite_target", "IngressRewriteTarget"),
    ("ingress.ingress_snippet_annotation", "IngressSnippetAnnotation"),
    ("ingress.ingressclass_default_multiple", "IngressClassDefaultMultiple"),
    ("ingress.ingressclass_format", "IngressClassFormat"),
    # Gateway API
    ("gateway.route_backend_missing", "RouteBackendMissing"),
    ("gateway.route_backend_port", "RouteBackendPort"),
    ("gateway.route_reference_grant", "RouteReferenceGrant"),
    ("gateway.route_parent_missing", "RouteParentMissing"),
    ("gateway.route_not_allowed", "RouteNotAllowed"),
    ("gateway.gateway_tls_secret", "GatewayTlsSecret"),
    ("gateway.route_path_conflict", "RoutePathConflict"),
    ("gateway.route_externalname_backend", "RouteExternalNameBackend"),
    # Workloads: what Services rely on
    ("workload.workload_selector", "WorkloadSelector"),
    ("workload.container_port", "ContainerPort"),
    ("workload.probe_port", "ProbePort"),
    ("workload.statefulset_service", "StatefulSetService"),
    ("workload.service_readiness_probe", "ServiceReadinessProbe"),
    ("_policies", "builtin_policy", "container-host-port"),
    ("_policies", "builtin_policy", "container-privileged-port"),
    # NetworkPolicy
    ("networkpolicy.networkpolicy_format", "NetworkPolicyFormat"),
    ("networkpolicy.networkpolicy_policy_types", "NetworkPolicyPolicyTypes"),
    ("networkpolicy.networkpolicy_selector_no_match", "NetworkPolicySelectorNoMatch"),
    ("networkpolicy.networkpolicy_peer_no_match", "NetworkPolicyPeerNoMatch"),
    ("networkpolicy.networkpolicy_port_unresolved", "NetworkPolicyPortUnresolved"),
    ("networkpolicy.networkpolicy_egress_dns", "NetworkPolicyEgressDns"),
    ("networkpolicy.pod_not_isolated", "PodNotIsolated"),
    # Prometheus Operator
    ("monitoring.servicemonitor_selector_no_match", "ServiceMonitorSelectorNoMatch"),
    ("monitoring.servicemonitor_port", "ServiceMonitorPort"),
    ("monitoring.podmonitor_selector_no_match", "PodMonitorSelectorNoMatch"),
    ("monitoring.podmonitor_port", "PodMonitorPort"),
    ("networkpolicy.traffic_blocked", "TrafficBlocked"),
)

RULES: tuple[Rule, ...] = lazy_rules(__name__, CATALOGUE, REGISTRY)
