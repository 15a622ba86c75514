"""`endpointslice-port-mismatch`: slice port names that match no port of the Service (EPS-20)."""

from __future__ import annotations

from collections.abc import Iterator

from netlint.api import Diagnostic, Fix, Manifest, Rule, RuleContext, RuleMeta, Severity
from netlint.fixes import delete_entry, insert_entry, replace_scalar, unsafe_fix
from netlint.k8s import dig

from ..service._service import EXTERNAL_NAME, is_headless, ports_of, service_type
from ._endpointslice import SlicePort, same_namespace_service, service_port_names, slice_ports


def _names_text(names: list[tuple[str, str]]) -> str:
    return ", ".join(f'"{name}"/{protocol}' for name, protocol in names)


def _rename(manifest: Manifest, port: SlicePort, service: Manifest) -> Fix | None:
    """The slice port named like the one Service port of its protocol whose target port is its
    number, when no other slice port has that number or that name (one-to-one). Unsafe: it
    changes which Service port kube-proxy sends to these endpoints."""
    number = dig(manifest.data, *port.path, "port")
    if not isinstance(number, int) or isinstance(number, bool):
        return None
    ours = list(slice_ports(manifest))
    same_number = [p for p in ours if dig(manifest.data, *p.path, "port") == number]
    candidates = [
        p for p in ports_of(service) if p.protocol == port.protocol and p.target == number
    ]
    if len(same_number) != 1 or len(candidates) != 1:
        return None
    name = candidates[0].name or ""
    if any(p.name == name and p.protocol == port.protocol for p in ours):
        return None
    title = f'rename the port to "{name}"'
    name_path = (*port.path, "name")
    if not name:
        return unsafe_fix(title, delete_entry(manifest, name_path) if port.has_name_key else None)
    if port.has_name_key:
        return unsafe_fix(title, replace_scalar(manifest, name_path, name))
    return unsafe_fix(title, insert_entry(manifest, port.path, "name", name))


class EndpointSlicePortMismatch(Rule):
    meta = RuleMeta(
        id="endpointslice-port-mismatch",
        severity=Severity.ERROR,
        summary="An EndpointSlice port name matches no port name of its Service",
        what=(
            "kube-proxy pairs a Service port with the slice port of the same name and protocol: "
            "the slice's `ports[].name` must equal the Service's `ports[].name`, and `\"\"` (or "
            "no name) stands for the single unnamed port of a Service. Reports each slice port "
            "whose name and protocol (defaulted to TCP) match no port of the Service named by "
            "`kubernetes.io/service-name` in the same namespace. Headless and ExternalName "
            "Services are not checked: kube-proxy programs no rules for them."
        ),
        why=(
            "The API server accepts the slice, but kube-proxy programs nothing for a port it "
            "cannot pair: connections to the Service port are refused although the slice lists "
            "endpoints. The slice port's number is the target port; the name is the link."
            " Severity: an error, because traffic to that Service port cannot flow."
        ),
        example=(
            "apiVersion: v1\nkind: Service\nmetadata:\n  name: db\nspec:\n  ports:\n"
            "  - name: postgres\n    port: 5432\n---\napiVersion: discovery.k8s.io/v1\n"
            "kind: EndpointSlice\nmetadata:\n  name: db-1\n  labels:\n"
            "    kubernetes.io/service-name: db\naddressType: IPv4\nports:\n- port: 5432\n"
            'endpoints:\n- addresses: ["10.0.3.17"]\n'
        ),
        fix=(
            "apiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\nmetadata:\n  name: db-1\n"
            "  labels:\n    kubernetes.io/service-name: db\naddressType: IPv4\nports:\n"
            '- name: postgres\n  port: 5432\nendpoints:\n- addresses: ["10.0.3.17"]\n'
        ),
        help_uri="https://kubernetes.io/docs/concepts/services-networking/service/#services-without-selectors",
        tags=("endpointslice", "ports"),
        facts=("EPS-20", "EPS-15"),
        fixable="sometimes",
    )
    kinds = frozenset({"EndpointSlice"})

    def check(self, manifest: Manifest, ctx: RuleContext) -> Iterator[Diagnostic]:
        service = same_namespace_service(manifest, ctx)
        if service is None or service_type(service) == EXTERNAL_NAME or is_headless(service):
            return
        wanted = service_port_names(service)
        if not wanted:
            return
        names = list(wanted)
        by_name = dict(names)
        for port in slice_ports(manifest):
            if (port.name, port.protocol) in wanted:
                continue
            shown = f'port "{port.name}"' if port.has_name_key or port.name else "the unnamed port"
            if port.name in by_name:
                problem = (
                    f"{shown} of {manifest.ref} has protocol {port.protocol}, "
                    f"but {shown} of {service.ref} is {by_name[port.name]}"
                )
                hint = f"set protocol: {by_name[port.name]}"
                path = (*port.path, "protocol")  # the port item itself when defaulted
            else:
                problem = (
                    f"{shown} of {manifest.ref} matches no port name of "
                    f"{service.ref} ({_names_text(names)})"
                )
                unnamed_only = len(names) == 1 and names[0][0] == ""
                if unnamed_only:
                    hint = 'the Service has one unnamed port: remove the name or set name: ""'
                elif len(names) == 1:
                    hint = f'set name: "{names[0][0]}"'
                else:
                    hint = "name the slice port like the Service port it serves: " + ", ".join(
                        f'"{name}"' for name, _ in names
                    )
                path = (*port.path, "name") if port.has_name_key else port.path
            yield Diagnostic(
                path,
                f"{problem}: kube-proxy pairs ports by name and protocol and programs nothing for "
                "this one, so no Service port gets these endpoints through it",
                hint=hint,
                fix=None if port.name in by_name else _rename(manifest, port, service),
            )
