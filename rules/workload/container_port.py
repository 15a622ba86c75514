"""`container-port`: container ports the API server refuses (numbers, names, protocols, host
ports), and port names that two containers of a pod share."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterator

from netlint.api import Diagnostic, Fix, Manifest, Path, Rule, RuleContext, RuleMeta, Severity
from netlint.fixes import case_fix, delete_copy, safe_fix
from netlint.k8s import ErrorType, FieldError, as_str, dig, items_at, path_text

from ._core_validation import HOST_NETWORK_DETAIL, SUPPORTED_PORT_PROTOCOLS
from ._errors import location
from ._workload import CONTAINER_PORT, errors_of, pod_spec_path, refusal_of, running_containers

PORTS_DOCS = "https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/pod-v1/#ports"


def _hint(error: FieldError) -> str | None:
    field = error.path[-1]
    if field == "name":
        if error.type is ErrorType.DUPLICATE:
            return "give each port of the container its own name"
        return (
            "a container port name is an IANA service name: at most 15 characters, lowercase "
            "letters, digits and single hyphens, at least one letter"
        )
    if field == "containerPort":
        if error.type is ErrorType.REQUIRED:
            return "set containerPort to the port the container listens on"
        return "use a port number from 1 to 65535"
    if field == "protocol":
        value = error.value if isinstance(error.value, str) else ""
        if value.upper() in SUPPORTED_PORT_PROTOCOLS:
            return f"protocols are upper case: protocol: {value.upper()}"
        return "use TCP, UDP or SCTP"
    if field == "hostPort":
        if error.type is ErrorType.DUPLICATE:
            return "containers of one pod cannot take the same host port and protocol"
        if error.detail == HOST_NETWORK_DETAIL:
            return "on the host network the container port is the host port: drop hostPort"
        return "use a port number from 1 to 65535, or no hostPort"
    return None


def shared_port_names(manifest: Manifest, spec_path: Path) -> Iterator[Diagnostic]:
    """Follows the duplicate port name warning of `warningsForPodSpecAndMeta` (pkg/api/pod): a
    port name two containers (or sidecars) of a pod share is accepted with a warning, and
    Services and probes that name the port use the first one. Twice in one container is an
    error (`validate_container_ports`), not this warning."""
    containers = running_containers(manifest, spec_path)
    first: dict[str, tuple[Path, Path]] = {}  # name -> (its container, its port)
    for container_path, container in containers:
        for index, port in items_at(container, "ports"):
            name = as_str(dig(port, "name"))
            if not name:
                continue
            path = (*container_path, "ports", index)
            if name not in first:
                first[name] = (container_path, path)
                continue
            other_container, other = first[name]
            if other_container == container_path:
                continue  # twice in one container: refused (validateContainerPorts)
            yield Diagnostic(
                (*path, "name"),
                f"{manifest}: {path_text(path)}: duplicate port name {json.dumps(name)} with "
                f"{path_text(other)}, services and probes that select ports by name will use "
                f"{path_text(other)}",
                severity=Severity.WARNING,
                hint="give the port another name, or name it in one container only",
            )


class ContainerPort(Rule):
    meta = RuleMeta(
        id="container-port",
        severity=Severity.ERROR,
        summary="A container port the API server refuses, or a port name two containers share",
        what=(
            "Reports container ports (of containers and init containers) that the API server "
            "refuses: a `containerPort` missing, 0 or outside 1-65535; a `hostPort` outside "
            "1-65535; a port name that is not an IANA service name (at most 15 characters, "
            "lowercase letters, digits and single hyphens, at least one letter); a name used "
            "twice in one container; a protocol other than TCP, UDP or SCTP (an absent one is "
            "TCP); a host port, protocol and host IP taken twice in one pod; with `hostNetwork`, "
            "a `hostPort` that is not the `containerPort`. In the pods of a Deployment, "
            "ReplicaSet, DaemonSet, ReplicationController, Job, CronJob or Pod the object itself "
            "is refused; a StatefulSet, an Argo Rollout or a configured custom workload is "
            "accepted and its pods are refused. A port name that two containers of a pod share "
            "is a warning: the API server accepts it with a warning, and Services and probes "
            "that name the port use the first container's."
        ),
        why=(
            "A refused object creates no pods, and refused pods never start: the Services that "
            "select them have no endpoints. Container port names are what a Service's named "
            "`targetPort` resolves to; a shared name sends traffic to one container only."
            " Severity: the errors are rejections of the object or of its pods; a port name two containers share is accepted with a warning, and is a warning here."
        ),
        example=(
            "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n"
            "  - name: web\n    image: nginx\n    ports:\n    - name: http_web\n"
            "      containerPort: 80\n      protocol: tcp\n"
        ),
        fix=(
            "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n"
            "  - name: web\n    image: nginx\n    ports:\n    - name: http-web\n"
            "      containerPort: 80\n      protocol: TCP\n"
        ),
        help_uri=PORTS_DOCS,
        tags=("workload", "api-validation"),
        fixable="sometimes",
    )

    def check(self, manifest: Manifest, ctx: RuleContext) -> Iterator[Diagnostic]:
        for error in errors_of(manifest, ctx.settings, CONTAINER_PORT):
            yield dataclasses.replace(
                refusal_of(manifest, error, _hint(error)), fix=_fix(manifest, error)
            )
        spec_path = pod_spec_path(manifest, ctx.settings)
        if spec_path is not None:
            yield from shared_port_names(manifest, spec_path)


def _fix(manifest: Manifest, error: FieldError) -> Fix | None:
    """Safe fixes of refusals whose meaning is certain: a protocol in another case (`tcp`), and
    a port named twice because it is an exact copy of an earlier one (the copy removed)."""
    if error.supported:
        return case_fix(manifest, location(error), error.supported)
    if error.type is ErrorType.DUPLICATE and location(error)[-1:] == ("name",):
        return safe_fix("remove the copy of the port", delete_copy(manifest, location(error)))
    return None
