"""`service-type-fields`: fields a Service type forbids (errors) or silently ignores (warnings)."""

from __future__ import annotations

from collections.abc import Iterator

from netlint.api import Diagnostic, Fix, Manifest, Node, Path, Rule, RuleContext, RuleMeta, Severity
from netlint.fixes import delete_entry, unsafe_fix
from netlint.k8s import as_list, as_str, spec_of

from ._service import (
    CLUSTER_IP,
    EXTERNAL_NAME,
    LOAD_BALANCER,
    NODE_PORT,
    NODE_PORT_TYPES,
    SERVICE_DOCS,
    externally_accessible,
    health_check_node_port,
    is_headless,
    needs_health_check,
    ports_of,
    selector_node,
    service_type,
)

SOURCE_RANGES_ANNOTATION = "service.beta.kubernetes.io/load-balancer-source-ranges"
_DEFAULTED = "; type defaults to ClusterIP"
_KNOWN_TYPES = frozenset({CLUSTER_IP, NODE_PORT, LOAD_BALANCER, EXTERNAL_NAME})


def _drop(manifest: Manifest, path: Path) -> Fix | None:
    """Remove the forbidden field: unsafe, since the type may be what is wrong."""
    return unsafe_fix(f"remove {path[-1]}", delete_entry(manifest, path))


def _is_set(node: Node) -> bool:
    """Present with a value the API server keeps (not null, "", [] or {})."""
    return node is not None and node not in ("", [], {})


class ServiceTypeFields(Rule):
    meta = RuleMeta(
        id="service-type-fields",
        severity=Severity.ERROR,
        summary="A field that the Service's type does not allow, or silently ignores",
        what=(
            "After defaulting (`type` ClusterIP when omitted), reports as errors what the API "
            "server forbids for the Service's type: a `nodePort` on ClusterIP; `clusterIP: None` "
            "with NodePort or LoadBalancer; `externalTrafficPolicy` on a Service that is not "
            "externally accessible (not NodePort or LoadBalancer, nor ClusterIP with "
            "`externalIPs`); `allocateLoadBalancerNodePorts`, `loadBalancerSourceRanges` (or its "
            "annotation) and `loadBalancerClass` on other types than LoadBalancer; a "
            "`healthCheckNodePort` without LoadBalancer and `externalTrafficPolicy: Local`; "
            "`clusterIP(s)`, `ipFamilies` or `ipFamilyPolicy` on ExternalName. As warnings, what "
            "the type silently ignores: a nodePort or a selector on ExternalName, `externalName` "
            "on other types, `loadBalancerIP` on other types than LoadBalancer, `externalIPs` and "
            "ClientIP session affinity on a headless Service."
        ),
        why=(
            "Forbidden fields make `kubectl apply` fail with `Forbidden: may only be used when "
            "`type` is 'LoadBalancer'` and similar errors. Ignored fields are worse: the object is "
            "accepted and the setting does nothing, which usually means the type is not the one "
            "the author meant."
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
        fixable="sometimes",
    )
    kinds = frozenset({"Service"})

    def check(self, manifest: Manifest, ctx: RuleContext) -> Iterator[Diagnostic]:
        kind = service_type(manifest)
        if kind not in _KNOWN_TYPES:
            return  # schema reports the unsupported value
        yield from self._forbidden(manifest, kind)
        yield from self._ignored(manifest, kind)

    @staticmethod
    def _forbidden(manifest: Manifest, kind: str) -> Iterator[Diagnostic]:
        spec = spec_of(manifest)
        if kind == CLUSTER_IP:
            for port in ports_of(manifest):
                if port.node_port is not None:
                    yield Diagnostic(
                        port.node_port_path,
                        f"{manifest.ref} spec.ports[{port.index}].nodePort: Forbidden: may not "
                        "be used when `type` is 'ClusterIP' (nodePort "
                        f"{port.node_port}{_DEFAULTED if not spec.get('type') else ''})",
                        hint="set `type: NodePort` (or LoadBalancer), or remove nodePort",
                        fix=_drop(manifest, port.node_port_path),
                    )
        if kind in NODE_PORT_TYPES and is_headless(manifest):
            path = (
                ("spec", "clusterIP")
                if as_str(spec.get("clusterIP")) == "None"
                else (
                    "spec",
                    "clusterIPs",
                    0,
                )
            )
            yield Diagnostic(
                path,
                f'{manifest.ref} clusterIPs[0]: Invalid value: "None": may not be set to '
                f"'None' for {kind} services",
                hint="remove `clusterIP: None`, or make the Service a headless ClusterIP",
            )
        policy = spec.get("externalTrafficPolicy")
        if _is_set(policy) and not externally_accessible(manifest, kind):
            yield Diagnostic(
                ("spec", "externalTrafficPolicy"),
                f"{manifest.ref} externalTrafficPolicy: may only be set for "
                "externally-accessible services (NodePort, LoadBalancer, or ClusterIP with "
                f"externalIPs), not for {kind}",
                hint="remove externalTrafficPolicy, or change the type",
                fix=_drop(manifest, ("spec", "externalTrafficPolicy")),
            )
        if kind != LOAD_BALANCER:
            lb_only = (
                "allocateLoadBalancerNodePorts",
                "loadBalancerClass",
                "loadBalancerSourceRanges",
            )
            for field in lb_only:
                value = spec.get(field)
                if value is not None and (field != "loadBalancerSourceRanges" or _is_set(value)):
                    yield Diagnostic(
                        ("spec", field),
                        f"{manifest.ref} {field}: Forbidden: may only be used when `type` is "
                        f"'LoadBalancer', not {kind}",
                        on_key=isinstance(value, (list, dict)),
                        hint=f"remove {field}, or set `type: LoadBalancer`",
                        fix=_drop(manifest, ("spec", field)),
                    )
            if not _is_set(spec.get("loadBalancerSourceRanges")) and (
                SOURCE_RANGES_ANNOTATION in manifest.annotations
            ):
                yield Diagnostic(
                    ("metadata", "annotations", SOURCE_RANGES_ANNOTATION),
                    f"{manifest.ref} annotation {SOURCE_RANGES_ANNOTATION}: Forbidden: may only "
                    f"be used when `type` is 'LoadBalancer', not {kind}",
                    on_key=True,
                    hint="remove the annotation, or set `type: LoadBalancer`",
                    fix=_drop(manifest, ("metadata", "annotations", SOURCE_RANGES_ANNOTATION)),
                )
        if health_check_node_port(manifest) is not None and not needs_health_check(manifest, kind):
            yield Diagnostic(
                ("spec", "healthCheckNodePort"),
                f"{manifest.ref} healthCheckNodePort: may only be set when `type` is "
                "'LoadBalancer' and `externalTrafficPolicy` is 'Local'",
                hint="remove it, or use LoadBalancer with externalTrafficPolicy: Local",
                fix=_drop(manifest, ("spec", "healthCheckNodePort")),
            )
        if kind == EXTERNAL_NAME:
            for field in ("clusterIP", "clusterIPs", "ipFamilies", "ipFamilyPolicy"):
                value = spec.get(field)
                if _is_set(value):
                    yield Diagnostic(
                        ("spec", field),
                        f"{manifest.ref} {field}: Forbidden: may not be set for ExternalName "
                        "services",
                        on_key=isinstance(value, (list, dict)),
                        hint=f"remove {field}: an ExternalName Service is a DNS alias, without IP",
                        fix=_drop(manifest, ("spec", field)),
                    )

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
