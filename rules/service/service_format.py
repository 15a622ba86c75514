"""`service-format`: a Service the API server refuses when it is created, for a reason no other
Service rule owns: no ports, its selector, appProtocol, affinity timeout, load-balancer class,
traffic distribution or topology annotations."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

from netlint.api import Diagnostic, Manifest, Rule, RuleContext, RuleMeta, Severity
from netlint.fixes import case_fix
from netlint.k8s import FieldError

from ..workload._errors import location
from ..workload._workload import refusal_of
from ._service import SERVICE_DOCS
from ._service_validation import FORMAT_RULE, service_refusals


def _hint(error: FieldError) -> str | None:
    path = error.path
    field = path[-1]
    if path == ("spec", "ports"):
        return "give the Service its ports, or make it headless (`clusterIP: None`)"
    if "selector" in path:
        return (
            "selector keys are label keys ([prefix/]name, alphanumerics, '-', '_', '.'), "
            "values at most 63 such characters"
        )
    if field == "appProtocol":
        return "use an IANA service name (http, grpc) or a prefixed name such as example.com/proto"
    if field == "timeoutSeconds":
        return "use a timeout from 1 to 86400 seconds (the default is 10800)"
    if field == "loadBalancerClass":
        return "use a prefixed name such as example.com/internal-lb"
    if field == "trafficDistribution":
        return "use one of the supported values, or remove the field"
    if "annotations" in path:
        return "give both topology annotations the same value, or keep only topology-mode"
    return None


class ServiceFormat(Rule):
    meta = RuleMeta(
        id=FORMAT_RULE,
        severity=Severity.ERROR,
        summary="A Service the API server refuses: no ports, a bad selector, appProtocol, class or timeout",
        what=(
            "Reports what `ValidateServiceCreate` refuses in a v1 Service that no other "
            "Service rule owns: no `ports` on a Service that is neither headless nor "
            "ExternalName; a selector key that is not a label key or a value that is not a "
            "label value; an `appProtocol` or a LoadBalancer's `loadBalancerClass` that is not "
            "a qualified name; a ClientIP `timeoutSeconds` outside 1-86400; a "
            "`trafficDistribution` the target Kubernetes version does not support "
            "(`--kube-version`: PreferClose, and PreferSameZone and PreferSameNode from 1.34); "
            "`service.kubernetes.io/topology-mode` and the deprecated "
            "`service.kubernetes.io/topology-aware-hints` annotation set to different values. "
            "Port names are `service-port-name`'s, port numbers `service-port-range`'s, IP "
            "fields `service-ip-fields`', fields the type forbids `service-type-fields`', "
            "enums the schema's. The message is the API server's own."
        ),
        why=(
            "`kubectl apply` fails: the API server refuses the whole Service, so nothing "
            "reaches the pods behind it. A Service without ports has nothing to forward, and "
            "a selector that is not a label map can never match a pod."
            " Severity: every finding is that rejection."
        ),
        example=(
            "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  namespace: shop\nspec:\n"
            "  selector: {app: web}\n  sessionAffinity: ClientIP\n  sessionAffinityConfig:\n"
            "    clientIP: {timeoutSeconds: 0}\n  ports:\n"
            "  - {name: http, port: 80, appProtocol: HTTP/1.1}\n"
        ),
        fix=(
            "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  namespace: shop\nspec:\n"
            "  selector: {app: web}\n  sessionAffinity: ClientIP\n  sessionAffinityConfig:\n"
            "    clientIP: {timeoutSeconds: 3600}\n  ports:\n"
            "  - {name: http, port: 80, appProtocol: http}\n"
        ),
        help_uri=SERVICE_DOCS,
        tags=("service", "api-validation"),
        facts=("SVC-03", "SVC-13", "SVC-26", "SVC-39", "SVC-42", "SVC-45", "SVC-46"),
        fixable="sometimes",
    )
    kinds = frozenset({"Service"})

    def check(self, manifest: Manifest, ctx: RuleContext) -> Iterator[Diagnostic]:
        for error in service_refusals(manifest, FORMAT_RULE, ctx.settings.kube_version):
            # A value outside the supported ones in another case only: safe to write it right.
            fix = case_fix(manifest, location(error), error.supported) if error.supported else None
            yield dataclasses.replace(refusal_of(manifest, error, _hint(error)), fix=fix)
