"""The parts of `pkg/apis/core/validation/validation.go` that Services rely on: container ports,
the ports of probes and lifecycle hooks, host ports, and the ReplicationController's selector
and template (`ValidateReplicationController`, `ValidatePodTemplateSpec`).

Each function follows the upstream function its docstring names and yields `FieldError`s over the
manifest's data as v1 defaulting leaves it, read without changing it: a port `protocol` that is
absent or empty is TCP (`SetDefaults_ContainerPort`); an `httpGet` path and scheme are defaulted
too (`SetDefaults_HTTPGetAction`), so only its port can be refused; a Pod with `hostNetwork`
gets each `hostPort` 0 set to its `containerPort` (`defaultHostNetworkPorts`); an empty
ReplicationController selector is the template's labels (`SetDefaults_ReplicationController`).
The rest of the pod spec (volumes, resources, security context, env...) is not networking:
netlint does not judge it. A value of the wrong type is a decoding error (the API refuses the
object before validation runs): it is skipped here.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from netlint.api import Node, Path
from netlint.k8s import (
    PORT_NUMBER_TEXT,
    FieldError,
    as_int,
    as_map,
    as_str,
    dig,
    duplicate,
    iana_port_name_problems,
    invalid,
    items_at,
    not_supported,
    port_number_problems,
    required,
)

from ._errors import placed
from ._meta_validation import selector_matches, string_labels, validate_labels

SUPPORTED_PORT_PROTOCOLS = ("SCTP", "TCP", "UDP")
# validateHandler's handler types, in the order it looks at them (handlerFromProbe and
# handlerFromLifecycle keep different ones).
PROBE_HANDLERS = ("exec", "httpGet", "tcpSocket", "grpc")
LIFECYCLE_HANDLERS = ("exec", "httpGet", "tcpSocket", "sleep")
PROBES = ("livenessProbe", "readinessProbe", "startupProbe")
HOST_NETWORK_DETAIL = "must match `containerPort` when `hostNetwork` is true"
MISMATCH_DETAIL = "`selector` does not match template `labels`"


def port_protocol(port: Node) -> str | None:
    """The defaulted protocol of a container port item; None when it is not a string."""
    protocol = dig(port, "protocol")
    if protocol is None or protocol == "":
        return "TCP"
    return as_str(protocol)


def validate_container_ports(ports: Node, fld: Path) -> Iterator[FieldError]:
    """Follows `validateContainerPorts`: a port name is an IANA service name, unique among the
    container's ports; `containerPort` is required and 1-65535; a `hostPort` other than 0 is
    1-65535; the protocol is TCP, UDP or SCTP."""
    names: set[str] = set()
    for index, port in items_at(ports):
        if as_map(port) is None:
            continue
        path = (*fld, index)
        name = dig(port, "name")
        if isinstance(name, str) and name:
            problems = iana_port_name_problems(name)
            for problem in problems:
                yield invalid((*path, "name"), name, problem)
            if not problems:
                if name in names:
                    yield duplicate((*path, "name"), name)
                names.add(name)
        container_port = dig(port, "containerPort")
        number = as_int(container_port)
        if container_port is None or number == 0:
            yield required((*path, "containerPort"))
        elif number is not None:
            for problem in port_number_problems(number):
                yield invalid((*path, "containerPort"), number, problem)
        host_port = as_int(dig(port, "hostPort"))
        if host_port:
            for problem in port_number_problems(host_port):
                yield invalid((*path, "hostPort"), host_port, problem)
        protocol = port_protocol(port)
        if protocol is not None and protocol not in SUPPORTED_PORT_PROTOCOLS:
            yield not_supported((*path, "protocol"), protocol, SUPPORTED_PORT_PROTOCOLS)


def _host_port(port: Node, host_network_pod: bool) -> int:
    """The host port after defaulting: a Pod on the host network gets its container port."""
    host_port = as_int(dig(port, "hostPort")) or 0
    if host_port == 0 and host_network_pod:
        return as_int(dig(port, "containerPort")) or 0
    return host_port


def accumulate_unique_host_ports(
    containers: Iterable[tuple[int, Node]],
    accumulator: set[str],
    fld: Path,
    host_network_pod: bool = False,
    at: Path | None = None,
) -> Iterator[FieldError]:
    """Follows `AccumulateUniqueHostPorts`: a (protocol, hostIP, hostPort) taken twice is a
    `Duplicate value: "TCP//80"`. `containers` are (index upstream prints, item); `at` is where
    they are when upstream's indexes are not theirs (see `validate_init_containers`)."""
    for c_index, container in containers:
        for p_index, port in items_at(container, "ports"):
            host_port = _host_port(port, host_network_pod)
            protocol = port_protocol(port)
            host_ip = dig(port, "hostIP")
            if not host_port or protocol is None or not isinstance(host_ip, str | None):
                continue
            key = f"{protocol}/{host_ip or ''}/{host_port}"
            path = (*fld, c_index, "ports", p_index, "hostPort")
            if key in accumulator:
                error = duplicate(path, key)
                yield error if at is None else placed(error, (*at, "ports", p_index, "hostPort"))
            else:
                accumulator.add(key)


def check_host_port_conflicts(
    containers: Iterable[tuple[int, Node]],
    fld: Path,
    host_network_pod: bool = False,
    at: Path | None = None,
) -> Iterator[FieldError]:
    """Follows `checkHostPortConflicts`: host ports unique across `containers`."""
    yield from accumulate_unique_host_ports(containers, set(), fld, host_network_pod, at)


def validate_port_num_or_name(port: Node, fld: Path) -> Iterator[FieldError]:
    """Follows `ValidatePortNumOrName`: a number is 1-65535, a string an IANA service name (a
    quoted number is a string, and has no letter). An absent port is the number 0."""
    if port is None:
        yield invalid(fld, 0, PORT_NUMBER_TEXT)
        return
    number = as_int(port)
    if number is not None:
        for problem in port_number_problems(number):
            yield invalid(fld, number, problem)
    elif isinstance(port, str):
        for problem in iana_port_name_problems(port):
            yield invalid(fld, port, problem)


def validate_http_get_action(action: Node, fld: Path) -> Iterator[FieldError]:
    """Follows `validateHTTPGetAction` for its port (`path` and `scheme` are defaulted to `/` and
    HTTP when empty; a scheme other than HTTP or HTTPS, or a bad header name, is not judged)."""
    yield from validate_port_num_or_name(dig(action, "port"), (*fld, "port"))


def validate_tcp_socket_action(action: Node, fld: Path) -> Iterator[FieldError]:
    """Follows `validateTCPSocketAction`."""
    yield from validate_port_num_or_name(dig(action, "port"), (*fld, "port"))


def validate_grpc_action(action: Node, fld: Path) -> Iterator[FieldError]:
    """Follows `validateGRPCAction`: the port is a number (int32, never a name), 0 when absent."""
    port = dig(action, "port")
    if port is None or as_int(port) is not None:
        yield from validate_port_num_or_name(port, (*fld, "port"))


_ACTIONS = {
    "httpGet": validate_http_get_action,
    "tcpSocket": validate_tcp_socket_action,
    "grpc": validate_grpc_action,
}


def validate_handler(handler: Node, fld: Path, kinds: tuple[str, ...]) -> Iterator[FieldError]:
    """Follows `validateHandler` (with `handlerFromProbe` / `handlerFromLifecycle` choosing
    `kinds`): the first handler type set is validated; a second one is Forbidden ("may not
    specify more than 1 handler type") and not looked into, as upstream; no handler at all is
    Required. Neither of those two is a port: not reported here."""
    for kind in kinds:
        action = dig(handler, kind)
        if action is not None:
            check = _ACTIONS.get(kind)
            if check is not None:
                yield from check(action, (*fld, kind))
            return


def validate_probe(probe: Node, fld: Path) -> Iterator[FieldError]:
    """Follows `validateProbe` through `validateHandler`; it stands for `validateLivenessProbe`,
    `validateReadinessProbe` and `validateStartupProbe` too, which add checks of thresholds and
    grace periods only (not networking)."""
    if as_map(probe) is not None:
        yield from validate_handler(probe, fld, PROBE_HANDLERS)


def validate_lifecycle(lifecycle: Node, fld: Path) -> Iterator[FieldError]:
    """Follows `validateLifecycle`: the postStart and preStop handlers."""
    for hook in ("postStart", "preStop"):
        handler = dig(lifecycle, hook)
        if as_map(handler) is not None:
            yield from validate_handler(handler, (*fld, hook), LIFECYCLE_HANDLERS)


def _probes_and_hooks(container: Node, path: Path) -> Iterator[FieldError]:
    for probe in PROBES:
        yield from validate_probe(dig(container, probe), (*path, probe))
    lifecycle = dig(container, "lifecycle")
    if as_map(lifecycle) is not None:
        yield from validate_lifecycle(lifecycle, (*path, "lifecycle"))


def validate_container_common(container: Node, fld: Path) -> Iterator[FieldError]:
    """Follows `validateContainerCommon` for its ports (`validateContainerPorts`); the name,
    image, env, volume mounts, resources and security context are not networking."""
    yield from validate_container_ports(dig(container, "ports"), (*fld, "ports"))


def validate_containers(
    containers: Node, fld: Path, host_network_pod: bool = False
) -> Iterator[FieldError]:
    """Follows `validateContainers`: each container's ports, probes and lifecycle hooks, then host
    ports unique across all of them (`checkHostPortConflicts`)."""
    items = [(index, item) for index, item in items_at(containers) if as_map(item) is not None]
    for index, container in items:
        path = (*fld, index)
        yield from validate_container_common(container, path)
        yield from _probes_and_hooks(container, path)
    yield from check_host_port_conflicts(items, fld, host_network_pod)


def is_sidecar(container: Node) -> bool:
    """An init container with `restartPolicy: Always` (a sidecar: it keeps running)."""
    return dig(container, "restartPolicy") == "Always"


def validate_init_containers(
    containers: Node, fld: Path, host_network_pod: bool = False
) -> Iterator[FieldError]:
    """Follows `validateInitContainers`: each init container's ports, its own host ports (init
    containers run one by one; upstream then names every one `initContainers[0]`, and the
    finding points at the real one), and the probes and lifecycle hooks of sidecars (an init
    container without `restartPolicy: Always` may not have them at all: a Forbidden that is not
    a port, not reported here)."""
    for index, container in items_at(containers):
        if as_map(container) is None:
            continue
        path = (*fld, index)
        yield from validate_container_common(container, path)
        yield from check_host_port_conflicts([(0, container)], fld, host_network_pod, at=path)
        if is_sidecar(container):
            yield from _probes_and_hooks(container, path)


def validate_pod_host_network_deps(
    spec: Node, fld: Path, resource_is_pod: bool
) -> Iterator[FieldError]:
    """Follows `validatePodHostNetworkDeps`: with `hostNetwork`, a container's `hostPort` is its
    `containerPort`. A pod template may leave it 0; a Pod's 0 is defaulted to the container port
    first, so only a different number is refused either way."""
    if dig(spec, "hostNetwork") is not True:
        return
    for c_index, container in items_at(spec, "containers"):
        for p_index, port in items_at(container, "ports"):
            host_port = _host_port(port, resource_is_pod)
            container_port = as_int(dig(port, "containerPort")) or 0
            if (resource_is_pod or host_port != 0) and host_port != container_port:
                path = (*fld, "containers", c_index, "ports", p_index, "hostPort")
                yield invalid(path, host_port, HOST_NETWORK_DETAIL)


def validate_pod_spec(spec: Node, fld: Path, resource_is_pod: bool) -> Iterator[FieldError]:
    """Follows `ValidatePodSpec` for what Services rely on: containers (`validateContainers`),
    init containers (`validateInitContainers`) and `validatePodHostNetworkDeps`."""
    if as_map(spec) is None:
        return
    host_network_pod = resource_is_pod and dig(spec, "hostNetwork") is True
    yield from validate_containers(dig(spec, "containers"), (*fld, "containers"), host_network_pod)
    yield from validate_init_containers(
        dig(spec, "initContainers"), (*fld, "initContainers"), host_network_pod
    )
    yield from validate_pod_host_network_deps(spec, fld, resource_is_pod)


def validate_pod_template_spec(template: Node, fld: Path) -> Iterator[FieldError]:
    """Follows `ValidatePodTemplateSpec`: the template's labels (upstream prints them as
    `<template>.labels`) and its pod spec."""
    yield from validate_labels(
        dig(template, "metadata", "labels"), (*fld, "labels"), (*fld, "metadata", "labels")
    )
    yield from validate_pod_spec(dig(template, "spec"), (*fld, "spec"), resource_is_pod=False)


def validate_pod_metadata_and_spec(pod: Node) -> Iterator[FieldError]:
    """Follows `validatePodMetadataAndSpec` for the pod spec (`metadata` is `name-format`'s and
    the object metadata rules')."""
    yield from validate_pod_spec(dig(pod, "spec"), ("spec",), resource_is_pod=True)


def validate_pod_create(pod: Node) -> Iterator[FieldError]:
    """Follows `ValidatePodCreate`: a Pod as it is created."""
    yield from validate_pod_metadata_and_spec(pod)


def validate_non_empty_selector(selector: Node, fld: Path) -> Iterator[FieldError]:
    """Follows `ValidateNonEmptySelector`."""
    if selector is None or selector == {}:
        yield required(fld)


def validate_pod_template_spec_for_rc(
    template: Node, selector: Node, fld: Path
) -> Iterator[FieldError]:
    """Follows `ValidatePodTemplateSpecForRC`: the template is required, its labels carry the
    selector, and it is a valid pod template (`restartPolicy` and `activeDeadlineSeconds` are not
    networking)."""
    if as_map(template) is None:
        yield required(fld)
        return
    labels = dig(template, "metadata", "labels")
    if as_map(selector) and selector_matches(_rc_selector(selector), labels) is False:
        yield invalid((*fld, "metadata", "labels"), string_labels(labels), MISMATCH_DETAIL)
    yield from validate_pod_template_spec(template, fld)


def _rc_selector(selector: Node) -> Node:
    """A ReplicationController's map selector as a LabelSelector (`labels.Set.AsSelector`)."""
    return {"matchLabels": selector}


def validate_replication_controller_spec(spec: Node, fld: Path) -> Iterator[FieldError]:
    """Follows `ValidateReplicationControllerSpec` after `SetDefaults_ReplicationController`: an
    empty selector is the template's labels; it must then select something, and the template is
    checked against it (`minReadySeconds` and `replicas` are not networking)."""
    template = dig(spec, "template")
    selector = dig(spec, "selector")
    template_labels = dig(template, "metadata", "labels")
    if not as_map(selector) and as_map(template_labels) is not None:
        selector = template_labels
    yield from validate_non_empty_selector(selector, (*fld, "selector"))
    yield from validate_pod_template_spec_for_rc(template, selector, (*fld, "template"))


def validate_replication_controller(controller: Node) -> Iterator[FieldError]:
    """Follows `ValidateReplicationController` (its metadata is the object metadata rules')."""
    yield from validate_replication_controller_spec(dig(controller, "spec"), ("spec",))


def validate_has_label(metadata: Node, fld: Path, key: str, expected: str) -> Iterator[FieldError]:
    """Follows `ValidateHasLabel` where the label is present: its value must be `expected`
    (absent, the Job's selector generation adds it)."""
    labels = as_map(dig(metadata, "labels")) or {}
    value = labels.get(key)
    if isinstance(value, str) and value != expected:
        yield invalid((*fld, "labels", key), string_labels(labels), f"must be '{expected}'")
