"""`service-target-port-unresolved`: a targetPort that no selected container declares."""

from __future__ import annotations

from collections.abc import Iterator

from netlint.api import (
    ContainerPort,
    Diagnostic,
    Fix,
    Manifest,
    PodTemplate,
    Rule,
    RuleContext,
    RuleMeta,
    Severity,
)
from netlint.fixes import replace_scalar, unsafe_fix
from netlint.k8s import iana_port_name_problems, port_number_problems

from .._similar import looks_like_slip
from ._service import (
    EXTERNAL_NAME,
    MAX_NAMED,
    SERVICE_DOCS,
    ServicePort,
    ports_of,
    service_type,
    string_selector,
)


def _near_miss(manifest: Manifest, port: ServicePort, declared: list[ContainerPort]) -> Fix | None:
    """targetPort renamed to the one declared name of its protocol that looks like a slip for
    it; unsafe: the Service then sends traffic to that port."""
    target = port.target
    assert isinstance(target, str)
    names = {
        p.name
        for p in declared
        if p.name is not None and p.protocol == port.protocol and looks_like_slip(target, p.name)
    }
    if len(names) != 1:
        return None
    name = names.pop()
    return unsafe_fix(f"use port name {name}", replace_scalar(manifest, port.target_path, name))


def _owners(templates: list[PodTemplate]) -> str:
    refs = list(dict.fromkeys(str(t.owner.ref) for t in templates))
    names = refs[:MAX_NAMED]
    more = len(refs) - len(names)
    return ", ".join(names) + (f" and {more} more" if more > 0 else "")


def _declared(ports: list[ContainerPort], named: bool) -> str:
    if named:
        values = sorted({f"{p.name}/{p.protocol}" for p in ports if p.name})
        return ", ".join(values) if values else "no named ports"
    numbers = sorted({p.number for p in ports if p.number is not None})
    return ", ".join(str(n) for n in numbers)


class ServiceTargetPortUnresolved(Rule):
    meta = RuleMeta(
        id="service-target-port-unresolved",
        severity=Severity.ERROR,
        summary="A targetPort that no container of the selected pods declares",
        what=(
            "For a Service whose selector matches pod templates of the input, reports a named "
            "`targetPort` that no container of those templates declares as a port name with the "
            "same protocol (error), and a numeric `targetPort` that none of their declared "
            "`containerPort`s equals, when every selected template declares ports at all "
            "(warning). An absent or 0 targetPort means `port`."
        ),
        why=(
            "A named targetPort is looked up in each pod's container ports by name and protocol; "
            "where it is not found, the pod gets no endpoint for that port and traffic to it is "
            "dropped. Declaring `containerPort` is optional and does not restrict traffic, so a "
            "number nobody declares is only suspicious when the containers do list their ports."
            " Severity: an unresolved name is an error, because traffic to that port cannot flow; an undeclared number is a warning, because the container may listen on it all the same."
        ),
        example=(
            "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector: {app: web}\n"
            "  ports:\n  - port: 80\n    targetPort: http\n---\napiVersion: v1\nkind: Pod\n"
            "metadata:\n  name: web\n  labels: {app: web}\nspec:\n  containers:\n  - name: web\n"
            "    image: nginx\n    ports:\n    - name: web\n      containerPort: 8080\n"
        ),
        fix=(
            "Use a port name that a container declares (`targetPort: web`), or name the "
            "container port as the Service expects (`- name: http`)."
        ),
        help_uri=SERVICE_DOCS + "#field-spec-ports",
        tags=("service", "reference"),
        facts=("SVC-10", "SVC-11"),
        fixable="sometimes",
    )
    kinds = frozenset({"Service"})
    # More matching pod templates can only declare more ports (and make a numeric targetPort
    # unverifiable, which is no finding).
    settles_locally = True

    def check(self, manifest: Manifest, ctx: RuleContext) -> Iterator[Diagnostic]:
        kind = service_type(manifest)
        if kind is None or kind == EXTERNAL_NAME:
            return
        selector = string_selector(manifest)
        if not selector:
            return
        templates = ctx.inventory.matching_templates(selector, manifest.namespace)
        if not templates:
            return  # service-selector-no-match
        declared = [port for template in templates for port in template.ports]
        for port in ports_of(manifest):
            target = port.target
            if isinstance(target, str):
                if iana_port_name_problems(target) or port.protocol is None:
                    continue  # service-port-name / schema
                if any(p.name == target and p.protocol == port.protocol for p in declared):
                    continue
                other_protocol = sorted({p.protocol for p in declared if p.name == target})
                if other_protocol:
                    detail = (
                        f"the containers of {_owners(templates)} declare {target!r} only for "
                        f"{', '.join(other_protocol)}, not {port.protocol}"
                    )
                else:
                    detail = (
                        f"no container of {_owners(templates)} declares a port named {target!r} "
                        f"(declared: {_declared(declared, named=True)})"
                    )
                yield Diagnostic(
                    port.target_path,
                    f"{manifest.ref} {port.label()}: targetPort {target!r} resolves to nothing: "
                    f"{detail}; the pods get no endpoint for this port",
                    severity=Severity.ERROR,
                    hint=(
                        f"name a container port {target!r} ({port.protocol}), or use a declared "
                        "name or number"
                    ),
                    fix=_near_miss(manifest, port, declared),
                )
            elif isinstance(target, int):
                if port_number_problems(target):
                    continue  # not a port number: service-port-range
                if not all(template.declares_ports() for template in templates):
                    continue  # declaring ports is optional: nothing to compare with
                if any(p.number == target for p in declared):
                    continue
                yield Diagnostic(
                    port.target_path,
                    f"{manifest.ref} {port.label()}: targetPort {target} is not a containerPort "
                    f"of {_owners(templates)} (declared: {_declared(declared, named=False)})",
                    severity=Severity.WARNING,
                    hint="check that the container listens on this port, or fix targetPort",
                )
