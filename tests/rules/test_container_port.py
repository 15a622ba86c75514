"""container-port (DESIGN §4 "The API server's validation, whole"): `validateContainerPorts`,
`checkHostPortConflicts` and `validatePodHostNetworkDeps`, with the upstream `validation_test.go`
cases of `TestValidatePorts`, `TestValidateContainers` and `TestValidateInitContainers` that are
about ports restated as manifests, and the API server's warning for a port name two containers
share (`pkg/api/pod/warnings.go`)."""

from __future__ import annotations

from tests.helpers import brief, lint_fixture, lint_text
from tests.rules.upstream_cases import WORKLOAD_RULES, Refused, upstream_tests

RULE = "container-port"


def _pod(ports: str, *, extra: str = "", host_network: bool = False) -> str:
    """A v1 Pod whose one container has `ports` (a YAML flow sequence) and `extra` containers."""
    network = "  hostNetwork: true\n" if host_network else ""
    return (
        "apiVersion: v1\nkind: Pod\nmetadata: {name: abc, namespace: default}\nspec:\n"
        f"{network}  containers:\n  - name: abc\n    image: image\n    ports: {ports}\n{extra}"
    )


VALID = {
    ("TestValidatePorts", "successCase"): _pod(
        "[{name: abc, containerPort: 80, hostPort: 80, protocol: TCP}, "
        "{name: easy, containerPort: 82, protocol: TCP}, {name: as, containerPort: 83, protocol: UDP}, "
        "{name: do-re-me, containerPort: 84, protocol: SCTP}, {containerPort: 85, protocol: TCP}]"
    ),
    ("TestValidatePorts", "nonCanonicalCase"): _pod("[{containerPort: 80, protocol: TCP}]"),
    ("TestValidateContainers", "same-host-port-different-protocol"): _pod(
        "[{containerPort: 80, hostPort: 80, protocol: TCP}, "
        "{containerPort: 80, hostPort: 80, protocol: UDP}]"
    ),
    ("TestValidateInitContainers", "same host ports in two init containers"): """
        apiVersion: v1
        kind: Pod
        metadata: {name: abc}
        spec:
          initContainers:
          - name: container-1
            image: image
            ports: [{containerPort: 80, hostPort: 80, protocol: TCP}, {containerPort: 80, hostPort: 80, protocol: UDP}]
          - name: container-2
            image: image
            ports: [{containerPort: 80, hostPort: 80, protocol: TCP}, {containerPort: 80, hostPort: 80, protocol: UDP}]
          containers: [{name: app, image: nginx}]
        """,
    ("netlint", "a Pod on the host network without hostPort"): _pod(
        "[{containerPort: 12345, protocol: TCP}]", host_network=True
    ),
    ("netlint", "defaulted protocol, hostPort equal on the host network"): _pod(
        "[{name: http, containerPort: 8080, hostPort: 8080}, {name: metrics, containerPort: 9090, protocol: ''}]",
        host_network=True,
    ),
    ("netlint", "host ports on different host IPs"): _pod(
        "[{containerPort: 53, hostPort: 53, hostIP: 10.0.0.1}, {containerPort: 54, hostPort: 53, hostIP: 10.0.0.2}]"
    ),
}


INVALID: dict[tuple[str, str], Refused] = {
    ("TestValidatePorts", "name > 15 characters"): (
        _pod("[{name: aaaaaaaaaaaaaaaa, containerPort: 80, protocol: TCP}]"),
        [(8, 20)],
        "Pod default/abc is invalid: spec.containers[0].ports[0].name: Invalid value: "
        '"aaaaaaaaaaaaaaaa": must be no more than 15 characters',
    ),
    ("TestValidatePorts", "name contains invalid characters"): (
        _pod("[{name: a.b.c, containerPort: 80, protocol: TCP}]"),
        [(8, 20)],
        'Pod default/abc is invalid: spec.containers[0].ports[0].name: Invalid value: "a.b.c": '
        "must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)",
    ),
    ("TestValidatePorts", "name is a number"): (
        _pod("[{name: '80', containerPort: 80, protocol: TCP}]"),
        [(8, 20)],
        'Pod default/abc is invalid: spec.containers[0].ports[0].name: Invalid value: "80": '
        "must contain at least one letter (a-z)",
    ),
    ("TestValidatePorts", "name not unique"): (
        _pod(
            "[{name: abc, containerPort: 80, protocol: TCP}, {name: abc, containerPort: 81, protocol: TCP}]"
        ),
        [(8, 67)],
        'Pod default/abc is invalid: spec.containers[0].ports[1].name: Duplicate value: "abc"',
    ),
    ("TestValidatePorts", "zero container port"): (
        _pod("[{containerPort: 0, protocol: TCP}]"),
        [(8, 29)],
        "Pod default/abc is invalid: spec.containers[0].ports[0].containerPort: Required value",
    ),
    ("TestValidatePorts", "invalid container port"): (
        _pod("[{containerPort: 65536, protocol: TCP}]"),
        [(8, 29)],
        "Pod default/abc is invalid: spec.containers[0].ports[0].containerPort: Invalid value: "
        "65536: must be between 1 and 65535, inclusive",
    ),
    ("TestValidatePorts", "invalid host port"): (
        _pod("[{containerPort: 80, hostPort: 65536, protocol: TCP}]"),
        [(8, 43)],
        "Pod default/abc is invalid: spec.containers[0].ports[0].hostPort: Invalid value: 65536: "
        "must be between 1 and 65535, inclusive",
    ),
    ("TestValidatePorts", "invalid protocol case"): (
        _pod("[{containerPort: 80, protocol: tcp}]"),
        [(8, 43)],
        'Pod default/abc is invalid: spec.containers[0].ports[0].protocol: Unsupported value: "tcp": '
        'supported values: "SCTP", "TCP", "UDP"',
    ),
    ("TestValidatePorts", "invalid protocol"): (
        _pod("[{containerPort: 80, protocol: ICMP}]"),
        [(8, 43)],
        'Pod default/abc is invalid: spec.containers[0].ports[0].protocol: Unsupported value: "ICMP"',
    ),
    ("TestValidateContainers", "host port not unique"): (
        _pod(
            "[{containerPort: 80, hostPort: 80, protocol: TCP}]",
            extra="  - name: def\n    image: image\n    ports: [{containerPort: 81, hostPort: 80, protocol: TCP}]\n",
        ),
        [(11, 43)],
        'Pod default/abc is invalid: spec.containers[1].ports[0].hostPort: Duplicate value: "TCP//80"',
    ),
    ("TestValidateInitContainers", "duplicate ports"): (
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: abc, namespace: default}
        spec:
          containers: [{name: app, image: nginx}]
          initContainers:
          - {name: other, image: image}
          - name: abc
            image: image
            ports: [{containerPort: 8080, hostPort: 8080, protocol: TCP}, {containerPort: 8080, hostPort: 8080, protocol: TCP}]
        """,
        [(11, 99)],
        "Pod default/abc is invalid: spec.initContainers[0].ports[1].hostPort: Duplicate value: "
        '"TCP//8080"',
    ),
    ("netlint", "missing containerPort"): (
        _pod("[{name: http}]"),
        [(8, 13)],
        "Pod default/abc is invalid: spec.containers[0].ports[0].containerPort: Required value",
    ),
    ("netlint", "hostPort other than containerPort on the host network"): (
        _pod("[{containerPort: 8080, hostPort: 80}]", host_network=True),
        [(9, 45)],
        "Pod default/abc is invalid: spec.containers[0].ports[0].hostPort: Invalid value: 80: "
        "must match `containerPort` when `hostNetwork` is true",
    ),
    ("netlint", "host ports of a Pod on the host network are its container ports"): (
        _pod(
            "[{containerPort: 8080}]",
            host_network=True,
            extra=("  - name: def\n    image: image\n    ports: [{containerPort: 8080}]\n"),
        ),
        [(12, 13)],
        'Pod default/abc is invalid: spec.containers[1].ports[0].hostPort: Duplicate value: "TCP//8080"',
    ),
}


test_upstream_valid_cases_get_no_error, test_upstream_invalid_cases_get_an_error = upstream_tests(
    RULE, VALID, INVALID
)


def test_protocol_hint_upper_cases():
    (finding,) = lint_text(_pod("[{containerPort: 80, protocol: udp}]"), select=[RULE])
    assert finding.hint == "protocols are upper case: protocol: UDP"


def test_stateful_set_pods_are_refused_not_the_object():
    (finding,) = lint_text(
        """
        apiVersion: apps/v1
        kind: StatefulSet
        metadata: {name: db, namespace: data}
        spec:
          selector: {matchLabels: {app: db}}
          serviceName: db
          template:
            metadata: {labels: {app: db}}
            spec:
              containers:
              - name: db
                image: postgres
                ports: [{name: postgresql-server, containerPort: 5432}]
        """,
        select=WORKLOAD_RULES,
    )
    assert brief([finding]) == [(RULE, 14, 24, "error")]
    assert finding.message == (
        "StatefulSet data/db is accepted, but the API server refuses the pods it creates: "
        'spec.containers[0].ports[0].name: Invalid value: "postgresql-server": must be no more '
        "than 15 characters"
    )


def test_custom_workload_pods_are_validated_as_pods():
    findings = lint_text(
        """
        apiVersion: argoproj.io/v1alpha1
        kind: Rollout
        metadata: {name: web}
        spec:
          selector: {matchLabels: {app: web}}
          template:
            metadata: {labels: {app: web}}
            spec:
              containers:
              - name: web
                image: nginx
                ports: [{containerPort: 0}]
        ---
        apiVersion: extensions/v1beta1
        kind: Deployment
        metadata: {name: old}
        spec:
          template:
            spec:
              containers: [{name: web, image: nginx, ports: [{containerPort: 0}]}]
        """,
        select=WORKLOAD_RULES,
    )
    assert brief(findings) == [(RULE, 13, 33, "error")]  # not the unserved Deployment
    assert "Rollout web is accepted, but the API server refuses the pods" in findings[0].message


def test_port_name_two_containers_share_is_a_warning():
    findings = lint_text(
        """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web}
        spec:
          selector: {matchLabels: {app: web}}
          template:
            metadata: {labels: {app: web}}
            spec:
              initContainers:
              - {name: proxy, image: envoy, restartPolicy: Always, ports: [{name: metrics, containerPort: 9901}]}
              - {name: setup, image: busybox, ports: [{name: http, containerPort: 1}]}
              containers:
              - {name: web, image: nginx, ports: [{name: http, containerPort: 80}, {name: metrics, containerPort: 9090}]}
        """,
        select=[RULE],
    )
    assert brief(findings) == [(RULE, 14, 83, "warning")]  # a plain init container does not count
    assert findings[0].message == (
        "Deployment web: spec.template.spec.containers[0].ports[1]: duplicate port name "
        '"metrics" with spec.template.spec.initContainers[0].ports[0], services and probes that '
        "select ports by name will use spec.template.spec.initContainers[0].ports[0]"
    )


def test_bad_fixture():
    findings = lint_fixture(RULE, select_only=True)
    assert brief(findings) == [
        (RULE, 18, 17, "error"),  # port name with an underscore
        (RULE, 19, 26, "error"),  # containerPort out of range
        (RULE, 20, 21, "error"),  # lower-case protocol
        (RULE, 24, 17, "error"),  # name twice in one container
        (RULE, 30, 17, "warning"),  # name shared with another container
    ]


def test_good_fixture():
    assert lint_fixture(RULE, "good.yaml", select_only=True) == []
