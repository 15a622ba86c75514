"""`probe-port`: the port of a probe or lifecycle hook that the API server refuses, and a probe
port the kubelet cannot resolve in (or does not find among) the container's own ports."""

from __future__ import annotations

from collections.abc import Iterator

from netlint.api import Diagnostic, Manifest, Node, Path, Rule, RuleContext, RuleMeta, Severity
from netlint.k8s import (
    FieldError,
    as_int,
    as_str,
    dig,
    iana_port_name_problems,
    items_at,
    path_text,
    port_number_problems,
)

from ._core_validation import PROBE_HANDLERS, PROBES
from ._workload import PROBE_PORT, errors_of, pod_spec_path, refusal_of, running_containers

PROBES_DOCS = (
    "https://kubernetes.io/docs/tasks/configure-pod-container/"
    "configure-liveness-readiness-startup-probes/"
)


def _hint(error: FieldError) -> str:
    value = error.value
    if isinstance(value, str) and value.isascii() and value.isdigit() and 0 < int(value) < 65536:
        return f"write port: {int(value)} without quotes (a quoted number is a port name)"
    if isinstance(value, str):
        return (
            "name a port the container declares (an IANA service name: at most 15 characters, "
            "lowercase letters, digits and single hyphens, at least one letter), or use a number"
        )
    return "use the port number the container listens on (1-65535), or a container port name"


# What a probe the kubelet cannot run does to the pod (pkg/kubelet/prober: `worker.doProbe`
# throws the result of a probe that errors away, so the probe keeps its initial result).
_NEVER_RUNS = {
    "readinessProbe": "the probe never runs and the container never becomes ready: the pod's "
    "Services send it no traffic",
    "startupProbe": "the probe never runs and the container never counts as started: its "
    "readiness probe never runs and the pod never becomes ready, so its Services send it no "
    "traffic",
    "livenessProbe": "the probe never runs: the kubelet records an error event every period "
    "and never restarts the container, whatever state it is in",
}


def _declared(container: Node) -> list[tuple[str | None, int | None]]:
    """(name, containerPort) of each port item of `container`."""
    return [
        (as_str(dig(port, "name")) or None, as_int(dig(port, "containerPort")))
        for _, port in items_at(container, "ports")
        if isinstance(port, dict)
    ]


def _listing(ports: list[tuple[str | None, int | None]]) -> str:
    shown = [f"{name}={number}" if name else str(number) for name, number in ports if number]
    return ", ".join(shown) if shown else "none"


def _probe_action(probe: Node) -> tuple[str, Node] | None:
    """The one handler of `probe` and its action, as the kubelet picks it (`runProbe`); None
    without a handler, or with several (the API server refuses that: Forbidden, not a port)."""
    set_handlers = [kind for kind in PROBE_HANDLERS if dig(probe, kind) is not None]
    if len(set_handlers) != 1:
        return None
    return set_handlers[0], dig(probe, set_handlers[0])


def _container_name(path: Path, container: Node) -> str:
    return as_str(dig(container, "name")) or path_text(path)


def _unresolved_name(
    manifest: Manifest,
    path: Path,
    probe: str,
    kind: str,
    port: str,
    containers: list[tuple[Path, Node]],
) -> Diagnostic:
    """The finding for a probe port name that the probed container (at `path`) does not
    declare."""
    own = dict(containers)[path]
    name = _container_name(path, own)
    # The other containers of the pod that declare the name: (container, its number).
    others = [
        (_container_name(other_path, other), number)
        for other_path, other in containers
        if other_path != path
        for declared_name, number in _declared(other)
        if declared_name == port
    ]
    elsewhere, use = "", "or use the port number"
    if others:
        other, number = others[0]
        elsewhere = (
            f"; container {other!r} declares it, but a probe's port name is looked up in the "
            "probed container's own ports only"
        )
        if number:
            use = f"or use the number {number}"
    return Diagnostic(
        (*path, probe, kind, "port"),
        f"{manifest} container {name!r}: {probe}.{kind}.port {port!r} names no port of the "
        f"container (declared: {_listing(_declared(own))}){elsewhere}; the kubelet cannot "
        f"resolve it, so {_NEVER_RUNS[probe]}",
        severity=Severity.WARNING if probe == "livenessProbe" else Severity.ERROR,
        hint=f"declare a port named {port!r} in container {name!r}, name one it declares, {use}",
    )


def unresolved_probe_ports(manifest: Manifest, spec_path: Path) -> Iterator[Diagnostic]:
    """Follows the kubelet's `probe.ResolveContainerPort` (pkg/probe/util.go), which looks a named
    port up in the probed container's own `ports` (`findPortByName`, by name only, whatever the
    protocol): a name it does not find makes the probe error on every run, and `worker.doProbe`
    throws such results away. The API server does not check it (`validateProbe` and
    `ValidatePortNumOrName` judge the syntax only). A number is used as it is; one that no
    container of the pod declares, when the probed container declares ports, is a warning, as the
    issue on the traffic path asks and kube-linter's `liveness-port`/`readiness-port` report it:
    the probe runs and may well succeed (declaring ports is optional and does not restrict
    traffic; ingress-nginx probes its undeclared 10254), but a port list that leaves out the one
    the probe checks is usually a typo or a stale list."""
    containers = running_containers(manifest, spec_path)
    pod_numbers = {number for _, c in containers for _, number in _declared(c) if number}
    for container_path, container in containers:
        container_name = _container_name(container_path, container)
        declared = _declared(container)
        for probe in PROBES:
            picked = _probe_action(dig(container, probe))
            if picked is None:
                continue
            kind, action = picked
            port = dig(action, "port")
            at: Path = (*container_path, probe, kind, "port")
            field = f"{probe}.{kind}.port"
            if isinstance(port, str) and kind != "grpc":
                if not iana_port_name_problems(port) and all(n != port for n, _ in declared):
                    # (A name the API server refuses is reported above.)
                    yield _unresolved_name(manifest, container_path, probe, kind, port, containers)
                continue
            number = as_int(port)
            if number is None or port_number_problems(number):
                continue  # absent, out of range (reported above) or not a number (schema)
            if kind == "httpGet" and as_str(dig(action, "host")):
                continue  # probes another host: its ports are not the pod's
            if not any(n for _, n in declared) or number in pod_numbers:
                continue
            yield Diagnostic(
                at,
                f"{manifest} container {container_name!r}: {field} {number} is not a "
                f"containerPort of the pod (container {container_name!r} declares "
                f"{_listing(declared)})",
                severity=Severity.WARNING,
                hint=(
                    "check that the container listens on this port, or probe a port it "
                    "declares (by number or name)"
                ),
            )


class ProbePort(Rule):
    meta = RuleMeta(
        id="probe-port",
        severity=Severity.ERROR,
        summary=(
            "A probe or lifecycle hook port the API server refuses, or a probe port the "
            "container does not declare"
        ),
        what=(
            "Reports the port of a liveness, readiness or startup probe (`httpGet`, `tcpSocket`, "
            "`grpc`) or of a `postStart`/`preStop` hook (`httpGet`, `tcpSocket`) that the API "
            "server refuses: a number outside 1-65535 (an absent port is 0), or a name that is "
            'not an IANA service name, such as a quoted number (`port: "8080"` is a name). '
            "Regular containers and sidecars (init containers with `restartPolicy: Always`) "
            "are checked; as for `container-port`, the pods of a StatefulSet or a custom "
            "workload are refused rather than the object. The API server accepts a probe "
            "port *name* that the container does not declare (it checks only its syntax); the "
            "kubelet looks the name up in the probed container's own `ports` and, not finding "
            "it, cannot run the probe at all: an error for a readiness or startup probe (the "
            "pod never becomes ready), a warning for a liveness probe (it never restarts "
            "anything). A probe port *number* that no container of the pod declares, when the "
            "probed container declares ports, is a warning: the probe runs, and may succeed "
            "(declaring ports is optional and does not restrict traffic; ingress-nginx probes "
            "its undeclared 10254), but a port list that leaves out the probed port is usually "
            "a typo or stale; declare the port to silence it. An `httpGet` probe with a `host` "
            "is not compared."
        ),
        why=(
            "A refused object (or its pods) never runs, and the Services selecting the pods "
            "have no endpoints. A readiness probe is what puts a pod behind its Services: "
            "one whose port name resolves to nothing keeps the pod out of them for good, "
            "with nothing but a probe error event to say why."
            " Severity: the API refusals are errors, as is a readiness or startup probe on a "
            "port name the kubelet cannot resolve (the pod never serves traffic); a liveness "
            "probe on such a name, or a number the pod does not declare, is a warning."
        ),
        example=(
            "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n"
            "  - name: web\n    image: nginx\n    readinessProbe:\n      httpGet:\n"
            '        path: /healthz\n        port: "8080"\n'
        ),
        fix=(
            "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n"
            "  - name: web\n    image: nginx\n    readinessProbe:\n      httpGet:\n"
            "        path: /healthz\n        port: 8080\n"
        ),
        help_uri=PROBES_DOCS,
        tags=("workload", "api-validation"),
    )

    def check(self, manifest: Manifest, ctx: RuleContext) -> Iterator[Diagnostic]:
        for error in errors_of(manifest, ctx.settings, PROBE_PORT):
            yield refusal_of(manifest, error, _hint(error))
        spec_path = pod_spec_path(manifest, ctx.settings)
        if spec_path is not None:
            yield from unresolved_probe_ports(manifest, spec_path)
