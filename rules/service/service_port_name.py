"""`service-port-name`: Service port names and string targetPorts the API server rejects."""

from __future__ import annotations

from collections.abc import Iterator

from netlint.api import Diagnostic, Manifest, Rule, RuleContext, RuleMeta, Severity
from netlint.k8s import as_list, dns1123_label_problems, iana_port_name_problems, spec_of

from ._service import SERVICE_DOCS, ports_of


class ServicePortName(Rule):
    meta = RuleMeta(
        id="service-port-name",
        severity=Severity.ERROR,
        summary="Unnamed, duplicate or invalid Service port names; invalid named targetPorts",
        what=(
            "When a Service has more than one port, reports every port without a `name` (one "
            "finding per port, as the API server lists them). Reports port names that are not "
            "DNS-1123 labels (lowercase alphanumerics and `-`, at most 63 characters; all digits "
            "is fine), names used twice, and string `targetPort`s that are not IANA service "
            "names: at most 15 characters, `[-a-z0-9]`, at least one letter, no `--`, no leading "
            'or trailing `-`. A quoted number such as `"8080"` is a string and fails the '
            "letter check."
        ),
        why=(
            "The API server rejects the Service (`spec.ports[1].name: Required value`, "
            "`Duplicate value`, `Invalid value`), so `kubectl apply` fails. Port names are how "
            "EndpointSlices, Ingress backends and other consumers pick a port when there are "
            "several."
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
    )
    kinds = frozenset({"Service"})

    def check(self, manifest: Manifest, ctx: RuleContext) -> Iterator[Diagnostic]:
        several = len(as_list(spec_of(manifest).get("ports")) or ()) > 1
        first_with_name: dict[str, int] = {}
        for port in ports_of(manifest):
            name_path = (*port.path, "name")
            if port.name is None:
                if several and not port.has_name_node:
                    yield Diagnostic(
                        port.path,
                        f"{manifest.ref} spec.ports[{port.index}].name: Required value: a "
                        f"Service with several ports must name each of them ({port.label()} has "
                        "no name)",
                        hint='add a name, e.g. `name: http` (lowercase letters, digits and "-")',
                    )
            else:
                problems = dns1123_label_problems(port.name)
                if problems:
                    yield Diagnostic(
                        name_path,
                        f"{manifest.ref} port name {port.name!r} is invalid: {'; '.join(problems)}",
                        hint="use a lowercase DNS-1123 label such as `http` or `grpc-web`",
                    )
                elif port.name in first_with_name:
                    yield Diagnostic(
                        name_path,
                        f"{manifest.ref} spec.ports[{port.index}].name: Duplicate value: "
                        f"{port.name!r} (also the name of "
                        f"spec.ports[{first_with_name[port.name]}])",
                        hint="give each port its own name",
                    )
                else:
                    first_with_name[port.name] = port.index
            target = port.target
            if port.target_given and isinstance(target, str):
                problems = iana_port_name_problems(target)
                if problems:
                    quoted_number = target.isascii() and target.isdigit()
                    yield Diagnostic(
                        (*port.path, "targetPort"),
                        f"{manifest.ref} targetPort {target!r} is not a valid port name: "
                        f"{'; '.join(problems)}"
                        + (
                            " (a quoted number is a string, not a port number)"
                            if quoted_number
                            else ""
                        ),
                        hint=(
                            f"write targetPort: {int(target)} without quotes"
                            if quoted_number and 0 < int(target) < 65536
                            else "use a container port name of at most 15 characters "
                            "(lowercase letters, digits, single hyphens), or a number"
                        ),
                    )
