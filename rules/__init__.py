"""netlint's built-in rule pack.

Loaded through the `netlint.rules` entry point like any installed pack (DESIGN §6): this module
lists its rules explicitly in `RULES`; nothing registers itself on import. Rules that are a pure
single-object condition are declarative policies in `policies/`, loaded with the same public
`netlint.policy` functions a user's pack would use.
"""

from __future__ import annotations

from netlint.api import Rule

from ._policies import builtin_policy
from .endpointslice.endpoints_format import EndpointsFormat
from .endpointslice.endpoints_limits import EndpointsLimits
from .endpointslice.endpointslice_address import EndpointSliceAddress
from .endpointslice.endpointslice_format import EndpointSliceFormat
from .endpointslice.endpointslice_limits import EndpointSliceLimits
from .endpointslice.endpointslice_managed_by import EndpointSliceManagedBy
from .endpointslice.endpointslice_port_mismatch import EndpointSlicePortMismatch
from .endpointslice.endpointslice_service import EndpointSliceService
from .gateway.gateway_tls_secret import GatewayTlsSecret
from .gateway.route_backend_missing import RouteBackendMissing
from .gateway.route_backend_port import RouteBackendPort
from .gateway.route_externalname_backend import RouteExternalNameBackend
from .gateway.route_not_allowed import RouteNotAllowed
from .gateway.route_parent_missing import RouteParentMissing
from .gateway.route_path_conflict import RoutePathConflict
from .gateway.route_reference_grant import RouteReferenceGrant
from .ingress.ingress_backend_format import IngressBackendFormat
from .ingress.ingress_backend_port_mismatch import IngressBackendPortMismatch
from .ingress.ingress_backend_service_missing import IngressBackendServiceMissing
from .ingress.ingress_class_missing import IngressClassMissing
from .ingress.ingress_class_unknown import IngressClassUnknown
from .ingress.ingress_format import IngressFormat
from .ingress.ingress_path_conflict import IngressPathConflict
from .ingress.ingress_path_format import IngressPathFormat
from .ingress.ingress_rewrite_target import IngressRewriteTarget
from .ingress.ingress_snippet_annotation import IngressSnippetAnnotation
from .ingress.ingress_tls_host import IngressTlsHost
from .ingress.ingress_tls_secret import IngressTlsSecret
from .ingress.ingressclass_default_multiple import IngressClassDefaultMultiple
from .ingress.ingressclass_format import IngressClassFormat
from .input.deprecated_api import DeprecatedApi
from .input.duplicate_object import DuplicateObject
from .input.engine_rules import (
    FILE_UNREADABLE,
    HELM_TEMPLATE,
    INPUT_LIMIT,
    INTERNAL_ERROR,
    MANIFEST_SHAPE,
    UNKNOWN_SUPPRESSION,
    UNUSED_SUPPRESSION,
    YAML_DUPLICATE_KEY,
    YAML_SYNTAX,
)
from .input.metadata_format import MetadataFormat
from .input.name_format import NameFormat
from .input.schema import Schema
from .input.unknown_kind import UnknownKind
from .input.yaml_ambiguous_value import YamlAmbiguousValue
from .monitoring.podmonitor_port import PodMonitorPort
from .monitoring.podmonitor_selector_no_match import PodMonitorSelectorNoMatch
from .monitoring.servicemonitor_port import ServiceMonitorPort
from .monitoring.servicemonitor_selector_no_match import ServiceMonitorSelectorNoMatch
from .networkpolicy.networkpolicy_egress_dns import NetworkPolicyEgressDns
from .networkpolicy.networkpolicy_format import NetworkPolicyFormat
from .networkpolicy.networkpolicy_peer_no_match import NetworkPolicyPeerNoMatch
from .networkpolicy.networkpolicy_policy_types import NetworkPolicyPolicyTypes
from .networkpolicy.networkpolicy_port_unresolved import NetworkPolicyPortUnresolved
from .networkpolicy.networkpolicy_selector_no_match import NetworkPolicySelectorNoMatch
from .networkpolicy.pod_not_isolated import PodNotIsolated
from .service.service_externalname import ServiceExternalName
from .service.service_format import ServiceFormat
from .service.service_ip_fields import ServiceIpFields
from .service.service_no_endpoints import ServiceNoEndpoints
from .service.service_nodeport_conflict import ServiceNodePortConflict
from .service.service_port_duplicate import ServicePortDuplicate
from .service.service_port_name import ServicePortName
from .service.service_port_range import ServicePortRange
from .service.service_selector_no_match import ServiceSelectorNoMatch
from .service.service_target_port_unresolved import ServiceTargetPortUnresolved
from .service.service_type_fields import ServiceTypeFields
from .workload.container_port import ContainerPort
from .workload.probe_port import ProbePort
from .workload.workload_selector import WorkloadSelector

RULES: tuple[Rule, ...] = (
    # Input and structure
    YAML_SYNTAX,
    YAML_DUPLICATE_KEY,
    MANIFEST_SHAPE,
    FILE_UNREADABLE,
    HELM_TEMPLATE,
    INPUT_LIMIT,
    INTERNAL_ERROR,
    UNKNOWN_SUPPRESSION,
    UNUSED_SUPPRESSION,
    DuplicateObject(),
    Schema(),
    # Service
    ServiceSelectorNoMatch(),
    ServiceNoEndpoints(),
    ServiceTargetPortUnresolved(),
    ServicePortName(),
    ServicePortDuplicate(),
    builtin_policy("service-nodeport-range"),
    ServiceNodePortConflict(),
    ServiceTypeFields(),
    ServiceExternalName(),
    ServicePortRange(),
    ServiceIpFields(),
    ServiceFormat(),
    builtin_policy("service-exposure"),
    # Input and names; EndpointSlice and Endpoints
    YamlAmbiguousValue(),
    DeprecatedApi(),
    UnknownKind(),
    NameFormat(),
    MetadataFormat(),
    EndpointSliceAddress(),
    EndpointSliceLimits(),
    EndpointSliceFormat(),
    EndpointSliceService(),
    EndpointSlicePortMismatch(),
    EndpointSliceManagedBy(),
    EndpointsFormat(),
    EndpointsLimits(),
    # Ingress and IngressClass
    IngressClassMissing(),
    IngressClassUnknown(),
    IngressBackendServiceMissing(),
    IngressBackendPortMismatch(),
    IngressTlsSecret(),
    IngressTlsHost(),
    builtin_policy("ingress-host-format"),
    IngressPathFormat(),
    IngressPathConflict(),
    builtin_policy("ingress-no-rules"),
    builtin_policy("ingress-tls-required"),
    IngressBackendFormat(),
    IngressFormat(),
    IngressRewriteTarget(),
    IngressSnippetAnnotation(),
    IngressClassDefaultMultiple(),
    IngressClassFormat(),
    # Gateway API
    RouteBackendMissing(),
    RouteBackendPort(),
    RouteReferenceGrant(),
    RouteParentMissing(),
    RouteNotAllowed(),
    GatewayTlsSecret(),
    RoutePathConflict(),
    RouteExternalNameBackend(),
    # Workloads: what Services rely on
    WorkloadSelector(),
    ContainerPort(),
    ProbePort(),
    builtin_policy("container-host-port"),
    builtin_policy("container-privileged-port"),
    # NetworkPolicy
    NetworkPolicyFormat(),
    NetworkPolicyPolicyTypes(),
    NetworkPolicySelectorNoMatch(),
    NetworkPolicyPeerNoMatch(),
    NetworkPolicyPortUnresolved(),
    NetworkPolicyEgressDns(),
    PodNotIsolated(),
    # Prometheus Operator
    ServiceMonitorSelectorNoMatch(),
    ServiceMonitorPort(),
    PodMonitorSelectorNoMatch(),
    PodMonitorPort(),
)
