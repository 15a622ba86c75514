"""A differential oracle for the NetworkPolicy engine (issue 26, item 5): IBM's
network-config-analyzer (NCA, `nca` from PyPI, a dev dependency) computes the connectivity of
the same manifests, and netlint's pod-to-pod (and address-to-pod) verdicts must agree with it.

Each scenario is a small cluster: Namespaces, Pods (NCA needs concrete pods) and
NetworkPolicies. `nca --connectivity --resource_list FILE -o txt_no_fw_rules` lists every
allowed connection as `SRC => DST : CONNECTIONS`; netlint's `PolicyEvaluator.connection` is asked
about every ordered pair of distinct pods, and every probe address to and from each pod, on each
probe port. A verdict netlint decides must be NCA's. Where netlint answers unknown, each of its
reasons must be one of the documented differences below, where NCA assumes what the manifests do
not say:

- `ipBlock` and pods: NCA takes an ipBlock to hold only addresses outside the cluster, never a
  pod's. Kubernetes leaves it to the network plugin (pod IPs fall in some CIDR; Cilium, for one,
  never matches cluster pods by CIDR), so netlint does not decide it.
- Namespaces the input has no object for: NCA takes them to have no labels but
  `kubernetes.io/metadata.name`; the cluster may give them others, so netlint decides only
  selectors on the name (config `external.namespaces` declares the rest).

A policy with `egress` rules but without `Egress` in its `policyTypes` is not in a scenario: NCA
refuses the file, while the API server accepts it and ignores the rules (netlint's
`networkpolicy-policy-types` reports it; `tests/test_policy_eval.py` covers the verdicts).

Pods' traffic to themselves is not compared (NCA does not list it; a pod's own traffic is not
subject to its policies on most plugins). Only IPv4 probe addresses are used: NCA prints IPv6
ranges only with `--print_ipv6`.

The test skips when NCA is not installed (`pip install -e '.[dev]'` installs it), and fails
instead under CI=true, where the oracle must run.
"""

from __future__ import annotations

import ipaddress
import os
import re
import shutil
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from netlint.traffic.policy_eval import Endpoint, PolicyEvaluator, Verdict
from tests.helpers import inventory_of
from tests.netpol_cluster import ALLOW_DNS, CLUSTER, DENY_SHOP, FROM_CLIENT, policy

DOCUMENTED = {
    "is an ipBlock": "NCA: an ipBlock never holds a pod's address",
    "are not known": "NCA: a namespace without an object has only its name label",
}

# Workloads whose pods NCA derives from their templates, as netlint does.
WORKLOADS = """\
---
apiVersion: v1
kind: Namespace
metadata: {name: apps, labels: {team: apps}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: api, namespace: apps}
spec:
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api}}
    spec: {containers: [{name: api, image: api, ports: [{name: http, containerPort: 8080}]}]}
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: store, namespace: apps}
spec:
  serviceName: store
  selector: {matchLabels: {app: store}}
  template:
    metadata: {labels: {app: store}}
    spec: {containers: [{name: s, image: redis, ports: [{name: redis, containerPort: 6379}]}]}
---
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: probe, namespace: apps}
spec:
  selector: {matchLabels: {app: probe}}
  template:
    metadata: {labels: {app: probe}}
    spec: {containers: [{name: p, image: probe}]}
"""

# A namespace the input has no object for, and a pod in it.
STRAY = """\
---
apiVersion: v1
kind: Pod
metadata: {name: job, namespace: batch, labels: {app: job}}
spec:
  containers: [{name: j, image: busybox}]
"""

PROBES = (
    ("TCP", 53),
    ("UDP", 53),
    ("TCP", 80),
    ("TCP", 5432),
    ("TCP", 6379),
    ("TCP", 8080),
    ("UDP", 8080),
    ("TCP", 8099),
    ("TCP", 8100),
    ("TCP", 8101),
    ("TCP", 9090),
    ("SCTP", 9090),
)
ADDRESSES = ("10.1.2.3", "10.2.3.4", "192.0.2.9", "203.0.113.5")


@dataclass(frozen=True)
class Scenario:
    id: str
    manifests: str
    # (both allow, both block, netlint unknown): the figures of this scenario, fixed here so
    # that a change in either tool shows
    expected: tuple[int, int, int]
    extra: str = field(default="")


SCENARIOS = [
    Scenario("no policies", "", (528, 0, 0)),
    Scenario("default deny ingress", DENY_SHOP, (360, 168, 0)),
    Scenario(
        "default deny both directions",
        policy("deny-all", "shop", "podSelector: {}\npolicyTypes: [Ingress, Egress]"),
        (216, 312, 0),
    ),
    Scenario(
        "allow from a namespace",
        DENY_SHOP
        + policy(
            "from-other",
            "shop",
            """
podSelector: {matchLabels: {app: web}}
ingress:
- from: [{namespaceSelector: {matchLabels: {team: other}}}]
""",
        ),
        (372, 156, 0),
    ),
    Scenario(
        "allow from pods of a namespace named by its label",
        DENY_SHOP + FROM_CLIENT,
        (364, 164, 0),
    ),
    Scenario(
        "named ports",
        DENY_SHOP
        + policy(
            "named",
            "shop",
            """
podSelector: {}
ingress:
- from: [{namespaceSelector: {}}]
  ports: [{port: http}, {port: sql}]
- from: [{podSelector: {matchLabels: {app: db}}}]
  ports: [{port: metrics}]
""",
        ),
        (367, 161, 0),
    ),
    Scenario(
        "endPort ranges",
        policy(
            "range",
            "shop",
            """
podSelector: {matchLabels: {app: web}}
ingress:
- ports: [{port: 8000, endPort: 8100}, {protocol: UDP, port: 53}]
""",
        ),
        (472, 56, 0),
    ),
    Scenario(
        "egress to DNS",
        ALLOW_DNS
        + policy(
            "to-web",
            "other",
            """
podSelector: {}
policyTypes: [Egress]
egress:
- to: [{namespaceSelector: {matchLabels: {team: shop}}, podSelector: {matchLabels: {app: web}}}]
  ports: [{port: http}]
""",
        ),
        (447, 81, 0),
    ),
    Scenario(
        "ipBlock",
        policy(
            "from-ips",
            "shop",
            """
podSelector: {matchLabels: {app: web}}
ingress:
- from: [{ipBlock: {cidr: 10.0.0.0/8, except: [10.1.0.0/16]}}]
  ports: [{port: 8080}]
""",
        )
        + policy(
            "to-ips",
            "shop",
            """
podSelector: {matchLabels: {app: db}}
policyTypes: [Egress]
egress:
- to: [{ipBlock: {cidr: 192.0.2.0/24}}]
""",
        ),
        (385, 116, 27),
    ),
    Scenario(
        "union of policies and expressions",
        policy(
            "front",
            "shop",
            """
podSelector: {matchExpressions: [{key: tier, operator: In, values: [front]}]}
policyTypes: [Ingress]
ingress:
- from: [{namespaceSelector: {matchExpressions: [{key: env, operator: NotIn, values: [prod]}]}}]
  ports: [{port: 8080}]
""",
        )
        + policy(
            "front-metrics",
            "shop",
            """
podSelector: {matchLabels: {app: web}}
ingress:
- from: [{podSelector: {matchExpressions: [{key: tier, operator: Exists}]}}]
  ports: [{port: 9000, endPort: 9100}]
""",
        )
        + policy(
            "back",
            "shop",
            """
podSelector: {matchExpressions: [{key: tier, operator: NotIn, values: [front]}]}
policyTypes: [Ingress, Egress]
ingress:
- from: [{podSelector: {matchLabels: {tier: front}}}]
egress:
- to: [{podSelector: {}}]
""",
        ),
        (303, 225, 0),
    ),
    Scenario(
        "workloads in a namespace denying all, with DNS and two paths",
        policy("deny-all", "apps", "podSelector: {}\npolicyTypes: [Ingress, Egress]")
        + ALLOW_DNS.replace("namespace: other", "namespace: apps")
        + policy(
            "api",
            "apps",
            """
podSelector: {matchLabels: {app: api}}
policyTypes: [Ingress, Egress]
ingress:
- from: [{namespaceSelector: {matchLabels: {team: other}}}]
  ports: [{port: http}]
egress:
- to: [{podSelector: {matchLabels: {app: store}}}]
  ports: [{port: redis}]
""",
        )
        + policy(
            "store",
            "apps",
            """
podSelector: {matchLabels: {app: store}}
ingress:
- from: [{podSelector: {matchExpressions: [{key: app, operator: In, values: [api, probe]}]}}]
  ports: [{port: 6000, endPort: 7000}]
""",
        ),
        (536, 640, 0),
        extra=WORKLOADS,
    ),
    Scenario(
        "a namespace the input has no object for",
        DENY_SHOP
        + policy(
            "by-name",
            "shop",
            """
podSelector: {matchLabels: {app: web}}
ingress:
- from: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: batch}}}]
  ports: [{port: 8080}]
- from: [{namespaceSelector: {matchLabels: {env: dev}}}]
  ports: [{port: 9090}]
""",
        ),
        (530, 189, 1),
        extra=STRAY,
    ),
]


def _nca() -> str:
    beside = Path(sys.executable).with_name("nca")
    found = str(beside) if beside.exists() else shutil.which("nca")
    if found is None:
        if os.environ.get("CI") == "true":
            pytest.fail(
                "network-config-analyzer (`nca`) is not installed; the oracle must run in CI"
            )
        pytest.skip("network-config-analyzer (`nca`) is not installed: pip install -e '.[dev]'")
    return found


# `{protocols:TCP, UDP,dst_ports:53,80,8000-8100}`, or `{protocols:SCTP}` for every port
_GROUP = re.compile(r"\{protocols:([A-Z0-9, ]+?)(?:,dst_ports:([0-9,\-]+))?\}")
_LINE = re.compile(r"(\S+) => (\S+) : (.+)")


@dataclass(frozen=True)
class _Allowed:
    protocols: frozenset[str] | None  # None: all connections
    ports: tuple[tuple[int, int], ...] | None  # None: every port

    def admits(self, protocol: str, port: int) -> bool:
        if self.protocols is None:
            return True
        if protocol not in self.protocols:
            return False
        return self.ports is None or any(low <= port <= high for low, high in self.ports)


def _groups(text: str) -> list[_Allowed]:
    if text == "All connections":
        return [_Allowed(None, None)]
    if text == "No connections":
        return []
    groups: list[_Allowed] = []
    position = 0
    for match in _GROUP.finditer(text):
        assert text[position : match.start()].strip(", ") == "", (
            f"NCA output not understood: {text}"
        )
        position = match.end()
        ports = None
        if match.group(2):
            ports = tuple(
                (int(low), int(high or low))
                for low, _, high in (item.partition("-") for item in match.group(2).split(","))
            )
        groups.append(_Allowed(frozenset(p.strip() for p in match.group(1).split(",")), ports))
    assert groups and text[position:].strip(", ") == "", f"NCA output not understood: {text}"
    return groups


def _nca_connectivity(path: Path) -> list[tuple[str, str, list[_Allowed]]]:
    """(source, destination, allowed) per line of NCA's connectivity report."""
    done = subprocess.run(
        [_nca(), "--connectivity", "--resource_list", str(path), "-o", "txt_no_fw_rules"],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    lines: list[tuple[str, str, list[_Allowed]]] = []
    for line in done.stdout.splitlines():
        match = _LINE.fullmatch(line.strip())
        if match is not None:
            lines.append((match.group(1), match.group(2), _groups(match.group(3))))
    return lines


def _holds(text: str, name: str) -> bool:
    """Whether NCA's endpoint text (`shop/web[Pod]`, `10.0.0.0-10.0.255.255`) is `name` (a
    workload's pods are named by the workload)."""
    if text.endswith("]"):  # `shop/web[Pod]`, `apps/api[Deployment]`
        return text.partition("[")[0] == name
    if "/" in name:
        return False
    low, _, high = text.partition("-")
    address = ipaddress.ip_address(name)
    first, last = ipaddress.ip_address(low), ipaddress.ip_address(high or low)
    return address.version == first.version and first <= address <= last


def _nca_allows(
    report: list[tuple[str, str, list[_Allowed]]],
    source: str,
    destination: str,
    protocol: str,
    port: int,
) -> bool:
    return any(
        _holds(src, source) and _holds(dst, destination) and group.admits(protocol, port)
        for src, dst, groups in report
        for group in groups
    )


@dataclass
class _Tally:
    allowed: int = 0  # both allow
    blocked: int = 0  # both block
    unknown: int = 0  # netlint unknown, for documented reasons
    unknown_reasons: Counter[str] = field(default_factory=lambda: Counter[str]())
    disagree: list[str] = field(default_factory=lambda: list[str]())


def _compare(scenario: Scenario, tmp_path: Path) -> _Tally:
    text = CLUSTER + scenario.extra + scenario.manifests
    path = tmp_path / "cluster.yaml"
    path.write_text(text, encoding="utf-8")
    report = _nca_connectivity(path)
    inventory = inventory_of(text)
    evaluator = PolicyEvaluator(inventory)
    pods = {f"{t.namespace}/{t.owner.name}": Endpoint.of_template(t) for t in inventory.templates}
    pairs: list[tuple[str, str, Endpoint, Endpoint]] = [
        (a, b, pods[a], pods[b]) for a in pods for b in pods if a != b
    ]
    for address in ADDRESSES:
        for name, pod in pods.items():
            ip = Endpoint.address(address)
            pairs += [(address, name, ip, pod), (name, address, pod, ip)]
    tally = _Tally()
    for source_name, destination_name, source, destination in pairs:
        for protocol, port in PROBES:
            connection = evaluator.connection(source, destination, port, protocol)
            nca = _nca_allows(report, source_name, destination_name, protocol, port)
            if connection.verdict is Verdict.UNKNOWN:
                tally.unknown += 1
                for reason in connection.reasons:
                    documented = [d for d in DOCUMENTED if d in reason]
                    if not documented:
                        tally.disagree.append(f"undocumented unknown: {reason}")
                    tally.unknown_reasons.update(documented)
            elif connection.verdict is Verdict.ALLOWED and nca:
                tally.allowed += 1
            elif connection.verdict is Verdict.BLOCKED and not nca:
                tally.blocked += 1
            else:
                tally.disagree.append(
                    f"{source_name} -> {destination_name} {protocol} {port}: netlint "
                    f"{connection.verdict.value}, NCA {'allowed' if nca else 'blocked'}"
                )
    return tally


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s.id for s in SCENARIOS])
def test_netlint_agrees_with_nca(scenario: Scenario, tmp_path: Path) -> None:
    tally = _compare(scenario, tmp_path)
    assert tally.disagree == []
    assert (tally.allowed, tally.blocked, tally.unknown) == scenario.expected
