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
    ]


def test_good_fixture():
    assert lint_fixture(RULE, "good.yaml", select_only=True) == []
