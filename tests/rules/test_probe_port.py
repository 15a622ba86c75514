"""probe-port (DESIGN §4 "The API server's validation, whole"): `validateHandler`'s port checks
(`validateHTTPGetAction`, `validateTCPSocketAction`, `validateGRPCAction`, `ValidatePortNumOrName`)
for probes and lifecycle hooks, with the upstream `TestValidateContainers` and
`TestValidateInitContainers` cases about them restated as manifests."""

from __future__ import annotations

import textwrap

from tests.helpers import brief, lint_fixture, lint_text
from tests.rules.upstream_cases import Refused, upstream_tests

RULE = "probe-port"


def _pod(container: str, *, init: bool = False) -> str:
    """A v1 Pod with one container whose fields after name and image are `container`."""
    group = "initContainers" if init else "containers"
    body = textwrap.indent(textwrap.dedent(container).strip(), "    ")
    pod = (
        "apiVersion: v1\nkind: Pod\nmetadata: {name: abc, namespace: default}\nspec:\n"
        f"  {group}:\n  - name: life-123\n    image: image\n{body}\n"
    )
    return pod + ("  containers: [{name: app, image: nginx}]\n" if init else "")


VALID = {
    ("TestValidateContainers", "live-123"): _pod("livenessProbe: {tcpSocket: {port: 80}}"),
    ("TestValidateContainers", "startup-123"): _pod("startupProbe: {tcpSocket: {port: 80}}"),
    ("TestValidateContainers", "life-123 exec"): _pod(
        "lifecycle: {preStop: {exec: {command: [ls, -l]}}}"
    ),
    ("TestValidateContainers", "invalid lifecycle, no http path. (v1 defaulting fills it)"): _pod(
        "lifecycle: {preStop: {httpGet: {port: 80, scheme: HTTP}}}"
    ),
    ("TestValidateContainers", "invalid lifecycle, no http scheme. (v1 defaulting fills it)"): _pod(
        "lifecycle: {preStop: {httpGet: {path: /, port: 80}}}"
    ),
    ("TestValidateInitContainers", "restart-always-with-lifecycle-hook-and-probes"): _pod(
        """
        restartPolicy: Always
        lifecycle: {postStart: {exec: {command: [echo, post start]}}, preStop: {exec: {command: [echo, pre stop]}}}
        livenessProbe: {tcpSocket: {port: 80}}
        readinessProbe: {tcpSocket: {port: 80}}
        startupProbe: {tcpSocket: {port: 80}}
        """,
        init=True,
    ),
    ("netlint", "named ports and a grpc probe"): _pod(
        """
        ports: [{name: http, containerPort: 8080}]
        readinessProbe: {httpGet: {path: /healthz, port: http}}
        livenessProbe: {grpc: {port: 9090}}
        """
    ),
    ("netlint", "a second handler type is Forbidden, not looked into"): _pod(
        "readinessProbe: {exec: {command: [true]}, tcpSocket: {port: 0}}"
    ),
}


INVALID: dict[tuple[str, str], Refused] = {
    ("TestValidateContainers", "invalid lifecycle, no http port."): (
        _pod("lifecycle: {preStop: {httpGet: {path: /, scheme: HTTP}}}"),
        [(8, 36)],
        "Pod default/abc is invalid: spec.containers[0].lifecycle.preStop.httpGet.port: Invalid "
        "value: 0: must be between 1 and 65535, inclusive",
    ),
    ("TestValidateContainers", "invalid lifecycle, no tcp socket port."): (
        _pod("lifecycle: {preStop: {tcpSocket: {}}}"),
        [(8, 38)],
        "Pod default/abc is invalid: spec.containers[0].lifecycle.preStop.tcpSocket.port: "
        "Invalid value: 0",
    ),
    ("TestValidateContainers", "invalid lifecycle, zero tcp socket port."): (
        _pod("lifecycle: {preStop: {tcpSocket: {port: 0}}}"),
        [(8, 45)],
        "Pod default/abc is invalid: spec.containers[0].lifecycle.preStop.tcpSocket.port: "
        "Invalid value: 0",
    ),
    ("TestValidateContainers", "invalid liveness probe, no tcp socket port."): (
        _pod("livenessProbe: {tcpSocket: {}, successThreshold: 1}"),
        [(8, 32)],
        "Pod default/abc is invalid: spec.containers[0].livenessProbe.tcpSocket.port: Invalid "
        "value: 0",
    ),
    ("TestValidateInitContainers", "invalid lifecycle, no http port."): (
        _pod(
            "restartPolicy: Always\nlifecycle: {preStop: {httpGet: {path: /, scheme: HTTP}}}",
            init=True,
        ),
        [(9, 36)],
        "Pod default/abc is invalid: spec.initContainers[0].lifecycle.preStop.httpGet.port: "
        "Invalid value: 0",
    ),
    ("TestValidateInitContainers", "invalid lifecycle, no tcp socket port."): (
        _pod("restartPolicy: Always\nlifecycle: {preStop: {tcpSocket: {}}}", init=True),
        [(9, 38)],
        "Pod default/abc is invalid: spec.initContainers[0].lifecycle.preStop.tcpSocket.port",
    ),
    ("TestValidateInitContainers", "invalid lifecycle, zero tcp socket port."): (
        _pod("restartPolicy: Always\nlifecycle: {preStop: {tcpSocket: {port: 0}}}", init=True),
        [(9, 45)],
        "Pod default/abc is invalid: spec.initContainers[0].lifecycle.preStop.tcpSocket.port",
    ),
    ("netlint", "a quoted number is a port name"): (
        _pod('readinessProbe: {httpGet: {path: /, port: "8080"}}'),
        [(8, 47)],
        "Pod default/abc is invalid: spec.containers[0].readinessProbe.httpGet.port: Invalid "
        'value: "8080": must contain at least one letter (a-z)',
    ),
    ("netlint", "port out of range"): (
        _pod("startupProbe: {httpGet: {path: /, port: 80800}}"),
        [(8, 45)],
        "Pod default/abc is invalid: spec.containers[0].startupProbe.httpGet.port: Invalid "
        "value: 80800: must be between 1 and 65535, inclusive",
    ),
    ("netlint", "grpc without a port"): (
        _pod("livenessProbe: {grpc: {service: health}}"),
        [(8, 27)],
        "Pod default/abc is invalid: spec.containers[0].livenessProbe.grpc.port: Invalid value: 0",
    ),
    ("netlint", "port name longer than 15 characters"): (
        _pod("readinessProbe: {tcpSocket: {port: health-check-port}}"),
        [(8, 40)],
        "Pod default/abc is invalid: spec.containers[0].readinessProbe.tcpSocket.port: Invalid "
        'value: "health-check-port": must be no more than 15 characters',
    ),
}


test_upstream_valid_cases_get_no_error, test_upstream_invalid_cases_get_an_error = upstream_tests(
    RULE, VALID, INVALID
)


def test_plain_init_container_probes_are_not_port_checked():
    # Without restartPolicy: Always the probe itself is Forbidden (not a port problem).
    assert lint_text(_pod("livenessProbe: {tcpSocket: {}}", init=True), select=[RULE]) == []


def test_quoted_number_hint():
    (finding,) = lint_text(_pod('livenessProbe: {tcpSocket: {port: "8080"}}'), select=[RULE])
    assert finding.hint == "write port: 8080 without quotes (a quoted number is a port name)"


def test_bad_fixture():
    findings = lint_fixture(RULE, select_only=True)
    assert brief(findings) == [
        (RULE, 21, 19, "error"),  # quoted number
        (RULE, 24, 22, "error"),  # tcpSocket without a port
        (RULE, 28, 21, "error"),  # preStop hook port out of range
        (RULE, 52, 41, "error"),  # readiness probe on a name the container does not declare
        (RULE, 54, 29, "warning"),  # liveness: another container's name
        (RULE, 56, 43, "warning"),  # a number no container of the pod declares
    ]
    assert [(f.message, f.hint) for f in findings[3:]] == [
        (
            "Deployment shop/web container 'web': readinessProbe.httpGet.port 'healthz' names no "
            "port of the container (declared: http=8080); the kubelet cannot resolve it, so the "
            "probe never runs and the container never becomes ready: the pod's Services send "
            "it no traffic",
            "declare a port named 'healthz' in container 'web', name one it declares, or use "
            "the port number",
        ),
        (
            "Deployment shop/web container 'web': livenessProbe.tcpSocket.port 'metrics' names "
            "no port of the container (declared: http=8080); container 'exporter' declares it, "
            "but a probe's port name is looked up in the probed container's own ports only; the "
            "kubelet cannot resolve it, so the probe never runs: the kubelet records an error "
            "event every period and never restarts the container, whatever state it is in",
            "declare a port named 'metrics' in container 'web', name one it declares, or use "
            "the number 9100",
        ),
        (
            "Deployment shop/web container 'web': startupProbe.httpGet.port 8081 is not a "
            "containerPort of the pod (container 'web' declares http=8080)",
            "check that the container listens on this port, or probe a port it declares (by "
            "number or name)",
        ),
    ]


def test_unresolved_startup_probe_name_is_an_error():
    (finding,) = lint_text(
        _pod("ports: [{name: http, containerPort: 80}]\nstartupProbe: {tcpSocket: {port: web}}"),
        select=[RULE],
    )
    assert brief([finding]) == [(RULE, 9, 38, "error")]
    assert finding.message.endswith(
        "the kubelet cannot resolve it, so the probe never runs and the container never counts "
        "as started: its readiness probe never runs and the pod never becomes ready, so its "
        "Services send it no traffic"
    )


def test_a_name_is_resolved_in_the_container_without_ports_too():
    # No ports at all: a name still resolves to nothing; a number cannot be compared.
    text = _pod("readinessProbe: {httpGet: {port: http}}\nlivenessProbe: {tcpSocket: {port: 81}}")
    assert brief(lint_text(text, select=[RULE])) == [(RULE, 8, 38, "error")]


def test_sidecar_probes_are_resolved_in_the_sidecar():
    text = _pod(
        "restartPolicy: Always\nports: [{name: admin, containerPort: 9901}]\n"
        "readinessProbe: {httpGet: {port: admin}}\nlivenessProbe: {httpGet: {port: stats}}",
        init=True,
    )
    assert brief(lint_text(text, select=[RULE])) == [(RULE, 11, 37, "warning")]


def test_plain_init_container_probes_are_not_resolved():
    text = _pod("ports: [{containerPort: 1}]\nreadinessProbe: {httpGet: {port: web}}", init=True)
    assert lint_text(text, select=[RULE]) == []


def test_two_handlers_are_forbidden_not_resolved():
    text = _pod("readinessProbe: {exec: {command: [true]}, httpGet: {port: web}}")
    assert lint_text(text, select=[RULE]) == []


def test_a_grpc_port_is_a_number_only():
    text = _pod("ports: [{name: grpc, containerPort: 9090}]\nlivenessProbe: {grpc: {port: 9090}}")
    assert lint_text(text, select=[RULE]) == []


def test_good_fixture():
    assert lint_fixture(RULE, "good.yaml", select_only=True) == []
