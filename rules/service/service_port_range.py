"""`service-port-range`: a Service port number the API server refuses when it is created."""

from __future__ import annotations

from collections.abc import Iterator

from netlint.api import Diagnostic, Manifest, Rule, RuleContext, RuleMeta, Severity
from netlint.k8s import FieldError

from ..workload._workload import refusal_of
from ._service import SERVICE_DOCS
from ._service_validation import PORT_RANGE_RULE, service_refusals


def _hint(error: FieldError) -> str:
    if error.path[-1] == "targetPort":
        return (
            "use the container's port number, from 1 to 65535 (or its port name); omit "
            "targetPort when it equals port"
        )
    return "use a port number from 1 to 65535: the port clients connect to on the Service"


class ServicePortRange(Rule):
    meta = RuleMeta(
        id=PORT_RANGE_RULE,
        severity=Severity.ERROR,
        summary="A Service port or numeric targetPort outside 1-65535",
        what=(
            "Reports what `validateServicePort` refuses in the numbers of a v1 Service's "
            "ports: a `port` that is 0, negative or above 65535, and a numeric `targetPort` "
            "outside 1-65535. A `targetPort` that is absent, 0 or empty is `port` after "
            "defaulting, so its range is reported once, at `port`. Named target ports are "
            "`service-port-name`'s, node ports `service-nodeport-range`'s. The message is the "
            "API server's own."
        ),
        why=(
            "`kubectl apply` fails (`spec.ports[0].port: Invalid value: 65536: must be "
            "between 1 and 65535, inclusive`): the whole Service is refused, so nothing that "
            "routes to it works. TCP, UDP and SCTP ports are 16-bit numbers; 0 means no port."
            " Severity: every finding is that rejection."
        ),
        example=(
            "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  namespace: shop\nspec:\n"
            "  selector: {app: web}\n  ports:\n  - name: http\n    port: 80\n"
            "    targetPort: 80800\n"
        ),
        fix=(
            "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  namespace: shop\nspec:\n"
            "  selector: {app: web}\n  ports:\n  - name: http\n    port: 80\n"
            "    targetPort: 8080\n"
        ),
        help_uri=SERVICE_DOCS + "#defining-a-service",
        tags=("service", "api-validation"),
        facts=("SVC-07", "SVC-10"),
    )
    kinds = frozenset({"Service"})

    def check(self, manifest: Manifest, ctx: RuleContext) -> Iterator[Diagnostic]:
        for error in service_refusals(manifest, PORT_RANGE_RULE, ctx.settings.kube_version):
            yield refusal_of(manifest, error, _hint(error))
