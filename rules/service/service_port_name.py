"""`service-port-name`: Service port names and string targetPorts the API server rejects."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

from netlint.api import Diagnostic, Fix, Manifest, Rule, RuleContext, RuleMeta, Severity
from netlint.fixes import replace_string, unsafe_fix
from netlint.k8s import ErrorType, FieldError, dns1123_label_problems

from .._renames import may_be_referred_to
from ..workload._workload import refusal_of
from ._service import SERVICE_DOCS, ports_of
from ._service_validation import PORT_NAME_RULE, service_refusals


class ServicePortName(Rule):
    meta = RuleMeta(
        id=PORT_NAME_RULE,
        severity=Severity.ERROR,
        summary="Unnamed, duplicate or invalid Service port names; invalid named targetPorts",
        what=(
            "Reports what `validateServicePort` refuses in a v1 Service's port names, in the API "
            "server's words: when a Service has more than one port, every port without a `name` "
            "(one finding per port, as the API server lists them); names that are not DNS-1123 "
            "labels (lowercase alphanumerics and `-`, at most 63 characters; all digits is "
            "fine); names used twice; string `targetPort`s that are not IANA service names "
            "(`ValidatePortNumOrName`: at most 15 characters, `[-a-z0-9]`, at least one letter, "
            'no `--`, no leading or trailing `-`). A quoted number such as `"8080"` is a string '
            "and fails the letter check."
        ),
        why=(
            "The API server rejects the Service (`spec.ports[1].name: Required value`, "
            "`Duplicate value`, `Invalid value`), so `kubectl apply` fails. Severity: every "
            "finding is that rejection. Port names are how EndpointSlices, Ingress backends and "
            "other consumers pick a port when there are several."
        ),
        example=(
            "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector: {app: web}\n"
            '  ports:\n  - port: 80\n    targetPort: "8080"\n  - port: 443\n'
        ),
        fix=(
            "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector: {app: web}\n"
            "  ports:\n  - name: http\n    port: 80\n    targetPort: 8080\n  - name: https\n"
            "    port: 443\n"
        ),
        help_uri=SERVICE_DOCS + "#multi-port-services",
        tags=("service", "api-validation"),
        facts=("SVC-04", "SVC-05", "SVC-06", "SVC-11"),
        fixable="sometimes",
    )
    kinds = frozenset({"Service"})

    def check(self, manifest: Manifest, ctx: RuleContext) -> Iterator[Diagnostic]:
        for error in service_refusals(manifest, PORT_NAME_RULE, ctx.settings.kube_version):
            yield dataclasses.replace(
                refusal_of(manifest, error, _hint(manifest, error)),
                fix=_lower_case(manifest, ctx, error),
            )


def _lower_case(manifest: Manifest, ctx: RuleContext, error: FieldError) -> Fix | None:
    """A port name in lower case, when that is all that is wrong with it, no other port has that
    name and no other object of the input may refer to the port by its written name (an Ingress
    backend, an EndpointSlice, a ServiceMonitor: `may_be_referred_to`). Unsafe: what refers to
    it from outside the input must follow."""
    name = error.value
    if error.path[-1] != "name" or error.type is not ErrorType.INVALID or not isinstance(name, str):
        return None
    lower = name.lower()
    if lower == name or dns1123_label_problems(lower):
        return None
    if any(port.name == lower for port in ports_of(manifest)):
        return None
    if may_be_referred_to(ctx.inventory, manifest, name):
        return None
    return unsafe_fix(f"rename the port to {lower}", replace_string(manifest, error.path, lower))


def _hint(manifest: Manifest, error: FieldError) -> str:
    if error.path[-1] == "targetPort":
        target = str(error.value)
        if target.isascii() and target.isdigit():
            if 0 < int(target) < 65536:
                return (
                    f"a quoted number is a string: write targetPort: {int(target)} without quotes"
                )
            return "a quoted number is a string; a port number is 1-65535, unquoted"
        return (
            "use a container port name of at most 15 characters (lowercase letters, digits, "
            "single hyphens), or a number"
        )
    if error.type is ErrorType.REQUIRED:
        return "a Service with several ports names each of them: add e.g. `name: http`"
    if error.type is ErrorType.DUPLICATE:
        first = next((port.index for port in ports_of(manifest) if port.name == error.value), None)
        also = f" (spec.ports[{first}] has it already)" if first is not None else ""
        return f"give each port its own name{also}"
    return "use a lowercase DNS-1123 label such as `http` or `grpc-web`"
