"""`service-type-fields`: fields a Service type forbids (errors) or silently ignores (warnings)."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

from netlint.api import (
    Diagnostic,
    Fix,
    Manifest,
    Node,
    Path,
    Rule,
    RuleContext,
    RuleMeta,
    Severity,
)
from netlint.fixes import delete_entry, unsafe_fix
from netlint.k8s import ErrorType, FieldError, as_list, as_str, spec_of

from ..workload._workload import refusal_of
from ._service import (
    CLUSTER_IP,
    EXTERNAL_NAME,
    LOAD_BALANCER,
    NODE_PORT,
    SERVICE_DOCS,
    is_headless,
    ports_of,
    selector_node,
    service_type,
)
from ._service_validation import SOURCE_RANGES_ANNOTATION, TYPE_FIELDS_RULE, service_refusals

_KNOWN_TYPES = frozenset({CLUSTER_IP, NODE_PORT, LOAD_BALANCER, EXTERNAL_NAME})


def _drop(manifest: Manifest, path: Path) -> Fix | None:
    """Remove the forbidden field: unsafe, since the type may be what is wrong."""
    return unsafe_fix(f"remove {path[-1]}", delete_entry(manifest, path))


def _droppable(error: FieldError, kind: str) -> bool:
    """A field the type forbids, which removing fixes; not a headless Service's `clusterIP:
    None` on a type that needs a cluster IP (the type may be what is wrong: no guess)."""
    if error.type is ErrorType.INVALID:
        # The only Invalid errors on these two fields are "may only be set" for the type
        # (`validate_service_external_traffic_policy`): their values are the schema's.
        return error.path[-1] in ("externalTrafficPolicy", "healthCheckNodePort")
    if error.type is not ErrorType.FORBIDDEN:
        return False
    return kind == EXTERNAL_NAME or error.path[-1] not in ("clusterIP", "clusterIPs")


def _hint(manifest: Manifest, error: FieldError, kind: str) -> str:
    field = error.path[-1]
    if field == "nodePort":
        defaulted = " (`type` defaults to ClusterIP)" if not spec_of(manifest).get("type") else ""
        return f"set `type: NodePort` (or LoadBalancer), or remove nodePort{defaulted}"
    if error.value == "None":
        return "remove `clusterIP: None`, or make the Service a headless ClusterIP"
    if field == "externalTrafficPolicy":
        return (
            "remove externalTrafficPolicy (it applies to NodePort, LoadBalancer, or ClusterIP "
            f"with externalIPs), or change the type (it is {kind})"
        )
    if field == "healthCheckNodePort":
        return "remove it, or use LoadBalancer with externalTrafficPolicy: Local"
    if kind == EXTERNAL_NAME:
        field = "clusterIP and clusterIPs" if field == "clusterIPs" else field
        return f"remove {field}: an ExternalName Service is a DNS alias, without IP"
    if field == SOURCE_RANGES_ANNOTATION:
        return f"remove the annotation, or set `type: LoadBalancer` (it is {kind})"
    name = "loadBalancerSourceRanges" if field == "LoadBalancerSourceRanges" else field
    return f"remove {name}, or set `type: LoadBalancer` (it is {kind})"


def _is_set(node: Node) -> bool:
    """Present with a value the API server keeps (not null, "", [] or {})."""
    return node is not None and node not in ("", [], {})


class ServiceTypeFields(Rule):
    meta = RuleMeta(
        id=TYPE_FIELDS_RULE,
        severity=Severity.ERROR,
        summary="A field that the Service's type does not allow, or silently ignores",
        what=(
            "After defaulting (`type` ClusterIP when omitted), reports as errors what "
            "`ValidateService` refuses for a v1 Service's type, in the API server's words: a "
            "`nodePort` on ClusterIP; `clusterIP: None` with NodePort or LoadBalancer; "
            "`externalTrafficPolicy` on a Service that is not externally accessible (not "
            "NodePort or LoadBalancer, nor ClusterIP with `externalIPs`); "
            "`allocateLoadBalancerNodePorts`, `loadBalancerSourceRanges` (or its annotation) and "
            "`loadBalancerClass` on other types than LoadBalancer; a `healthCheckNodePort` "
            "without LoadBalancer and `externalTrafficPolicy: Local`; cluster IPs (a `clusterIP` "
            "counts: it becomes `clusterIPs`), `ipFamilies` or `ipFamilyPolicy` on ExternalName. "
            "As warnings, what the type silently ignores: a nodePort or a selector on "
            "ExternalName, `externalName` on other types, `loadBalancerIP` on other types than "
            "LoadBalancer, `externalIPs` and ClientIP session affinity on a headless Service."
        ),
        why=(
            "Forbidden fields make `kubectl apply` fail with `Forbidden: may only be used when "
            "`type` is 'LoadBalancer'` and similar errors. Ignored fields are worse: the object is "
            "accepted and the setting does nothing, which usually means the type is not the one "
            "the author meant. Severity: the errors are the API server's rejections; what is "
            "accepted and ignored is a warning, since the object is created."
        ),
        example=(
            "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector: {app: web}\n"
            "  externalTrafficPolicy: Local\n  ports:\n  - port: 80\n    nodePort: 30080\n"
        ),
        fix=(
            "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  type: NodePort\n"
            "  selector: {app: web}\n  externalTrafficPolicy: Local\n  ports:\n  - port: 80\n"
            "    nodePort: 30080\n"
        ),
        help_uri=SERVICE_DOCS + "#publishing-services-service-types",
        tags=("service", "api-validation"),
        fixable="sometimes",
        facts=(
            "SVC-14",
            "SVC-15",
            "SVC-19",
            "SVC-20",
            "SVC-22",
            "SVC-31",
            "SVC-36",
            "SVC-37",
            "SVC-38",
            "SVC-41",
            "SVC-42",
            "SVC-43",
            "SVC-44",
        ),
    )
    kinds = frozenset({"Service"})

    def check(self, manifest: Manifest, ctx: RuleContext) -> Iterator[Diagnostic]:
        kind = service_type(manifest)
        if kind not in _KNOWN_TYPES or manifest.api_version != "v1":
            return  # schema reports the unsupported value; another group's Service kind
        for error in service_refusals(manifest, TYPE_FIELDS_RULE, ctx.settings.kube_version):
            diagnostic = refusal_of(manifest, error, _hint(manifest, error, kind))
            if _droppable(error, kind):
                diagnostic = dataclasses.replace(diagnostic, fix=_drop(manifest, diagnostic.path))
            yield diagnostic
        yield from self._ignored(manifest, kind)

    @staticmethod
    def _ignored(manifest: Manifest, kind: str) -> Iterator[Diagnostic]:
        spec = spec_of(manifest)
        warning = Severity.WARNING
        if kind == EXTERNAL_NAME:
            for port in ports_of(manifest):
                if port.node_port is not None:
                    yield Diagnostic(
                        port.node_port_path,
                        f"{manifest.ref} nodePort {port.node_port} is ignored: an ExternalName "
                        "Service never gets node ports",
                        severity=warning,
                        hint="remove nodePort",
                    )
            if selector_node(manifest):
                yield Diagnostic(
                    ("spec", "selector"),
                    f"{manifest.ref} selector is ignored: ExternalName Services get no "
                    "endpoints, so no pods are selected",
                    severity=warning,
                    on_key=True,
                    hint="remove the selector, or use a ClusterIP Service to reach pods",
                )
        else:
            external_name = as_str(spec.get("externalName"))
            if external_name:
                yield Diagnostic(
                    ("spec", "externalName"),
                    f"{manifest.ref} spec.externalName is ignored when spec.type is not "
                    f'"ExternalName" (it is {kind})',
                    severity=warning,
                    hint="set `type: ExternalName`, or remove externalName",
                )
        if kind != LOAD_BALANCER and _is_set(spec.get("loadBalancerIP")):
            yield Diagnostic(
                ("spec", "loadBalancerIP"),
                f"{manifest.ref} loadBalancerIP is ignored: the Service is {kind}, "
                "not LoadBalancer",
                severity=warning,
                hint="remove loadBalancerIP, or set `type: LoadBalancer`",
            )
        if kind == CLUSTER_IP and is_headless(manifest):
            if as_list(spec.get("externalIPs")):
                yield Diagnostic(
                    ("spec", "externalIPs"),
                    f"{manifest.ref} spec.externalIPs is ignored for headless services",
                    severity=warning,
                    on_key=True,
                    hint="remove externalIPs, or give the Service a cluster IP",
                )
            if as_str(spec.get("sessionAffinity")) == "ClientIP":
                yield Diagnostic(
                    ("spec", "sessionAffinity"),
                    f"{manifest.ref} spec.sessionAffinity is ignored for headless services: "
                    "clients resolve pod IPs directly",
                    severity=warning,
                    hint="remove sessionAffinity, or give the Service a cluster IP",
                )
