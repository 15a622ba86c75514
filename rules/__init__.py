"""netlint's built-in rule pack.

Loaded through the `netlint.rules` entry point like any installed pack (DESIGN §6): this module
lists its rules explicitly in `RULES`; nothing registers itself on import. Rules that are a pure
single-object condition are declarative policies in `policies/`, loaded with the same public
`netlint.policy` functions a user's pack would use.
"""

from __future__ import annotations

from netlint.api import Rule

from ._policies import builtin_policy
from .deprecated_api import DeprecatedApi
from .duplicate_object import DuplicateObject
from .endpoints_limits import EndpointsLimits
from .endpointslice_address import EndpointSliceAddress
from .endpointslice_limits import EndpointSliceLimits
from .endpointslice_managed_by import EndpointSliceManagedBy
from .endpointslice_port_mismatch import EndpointSlicePortMismatch
from .endpointslice_service import EndpointSliceService
from .engine_rules import (
    FILE_UNREADABLE,
    INPUT_LIMIT,
    INTERNAL_ERROR,
    MANIFEST_SHAPE,
    YAML_DUPLICATE_KEY,
    YAML_SYNTAX,
)
from .gateway_tls_secret import GatewayTlsSecret
from .ingress_backend_port_mismatch import IngressBackendPortMismatch
from .ingress_backend_service_missing import IngressBackendServiceMissing
from .ingress_class_missing import IngressClassMissing
from .ingress_class_unknown import IngressClassUnknown
from .ingress_path_conflict import IngressPathConflict
from .ingress_path_format import IngressPathFormat
from .ingress_rewrite_target import IngressRewriteTarget
from .ingress_snippet_annotation import IngressSnippetAnnotation
from .ingress_tls_host import IngressTlsHost
from .ingress_tls_secret import IngressTlsSecret
from .ingressclass_default_multiple import IngressClassDefaultMultiple
from .name_format import NameFormat
from .route_backend_missing import RouteBackendMissing
from .route_backend_port import RouteBackendPort
from .route_externalname_backend import RouteExternalNameBackend
from .route_not_allowed import RouteNotAllowed
from .route_parent_missing import RouteParentMissing
from .route_path_conflict import RoutePathConflict
from .route_reference_grant import RouteReferenceGrant
from .schema import Schema
from .service_externalname import ServiceExternalName
from .service_no_endpoints import ServiceNoEndpoints
from .service_nodeport_conflict import ServiceNodePortConflict
from .service_port_duplicate import ServicePortDuplicate
from .service_port_name import ServicePortName
from .service_selector_no_match import ServiceSelectorNoMatch
from .service_target_port_unresolved import ServiceTargetPortUnresolved
from .service_type_fields import ServiceTypeFields
from .yaml_ambiguous_value import YamlAmbiguousValue

RULES: tuple[Rule, ...] = (
    # Input and structure
    YAML_SYNTAX,
    YAML_DUPLICATE_KEY,
    MANIFEST_SHAPE,
    FILE_UNREADABLE,
    INPUT_LIMIT,
    INTERNAL_ERROR,
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
    builtin_policy("service-exposure"),
    # Input and names; EndpointSlice and Endpoints
    YamlAmbiguousValue(),
    DeprecatedApi(),
    NameFormat(),
    EndpointSliceAddress(),
    EndpointSliceLimits(),
    EndpointSliceService(),
    EndpointSlicePortMismatch(),
    EndpointSliceManagedBy(),
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
    IngressRewriteTarget(),
    IngressSnippetAnnotation(),
    IngressClassDefaultMultiple(),
    # Gateway API
    RouteBackendMissing(),
    RouteBackendPort(),
    RouteReferenceGrant(),
    RouteParentMissing(),
    RouteNotAllowed(),
    GatewayTlsSecret(),
    RoutePathConflict(),
    RouteExternalNameBackend(),
)
