"""The NetworkPolicy engine (`netlint.traffic.policy_eval`), table-driven: each case is the
policies of a small cluster, a connection, and the verdict Kubernetes gives it, with the
policies that isolate the pod and the rules that admit the traffic."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from netlint.api import ExternalObjects, Inventory, PodTemplate
from netlint.traffic.policy_eval import (
    EGRESS,
    INGRESS,
    Connection,
    Endpoint,
    IpBlock,
    PolicyEvaluator,
    Verdict,
    parse_policy,
    policies_in,
)
from tests.helpers import inventory_of
from tests.netpol_cluster import ALLOW_DNS, DENY_SHOP, FROM_CLIENT, policy
from tests.netpol_cluster import CLUSTER as SHARED_CLUSTER

# The shared cluster, a StatefulSet, whose pods carry labels their controller sets, and a pod in
# its node's network namespace.
CLUSTER = (
    SHARED_CLUSTER
    + """\
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: cache, namespace: shop}
spec:
  serviceName: cache
  selector: {matchLabels: {app: cache}}
  template:
    metadata: {labels: {app: cache}}
    spec: {containers: [{name: c, image: redis, ports: [{containerPort: 6379}]}]}
---
apiVersion: v1
kind: Pod
metadata: {name: agent, namespace: other, labels: {app: agent}}
spec:
  hostNetwork: true
  containers: [{name: a, image: agent, ports: [{containerPort: 9100}]}]
"""
)


def _template(inventory: Inventory, namespace: str, name: str) -> PodTemplate:
    for template in inventory.templates:
        if template.namespace == namespace and template.owner.name == name:
            return template
    raise AssertionError(f"no template {namespace}/{name}")


@dataclass(frozen=True)
class Case:
    id: str
    policies: list[str]
    source: str  # "ns/name" of a template, "ip:1.2.3.4", or "pods:ns:key=value"
    destination: str
    port: int | str
    expected: Verdict
    protocol: str = "TCP"
    isolating: tuple[str, ...] = ()  # policies isolating the side that decides
    admitting: tuple[str, ...] = ()  # "ns/name spec.ingress[0]"
    side: str = INGRESS  # the side `isolating` and `admitting` are read from
    reason: str = ""  # a fragment of the reasons when the verdict is UNKNOWN
    external: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = ()


FROM_OTHER = policy(
    "from-other",
    "shop",
    """
    podSelector: {matchLabels: {app: web}}
    ingress:
    - from: [{namespaceSelector: {matchLabels: {team: other}}}]
      ports: [{port: http}]
    """,
)

IPS_EXCEPT = policy(
    "ips",
    "shop",
    "podSelector: {}\ningress: [{from: [{ipBlock: {cidr: 10.0.0.0/8, except: [10.1.0.0/16]}}]}]",
)
ALL_IPS = policy(
    "ips", "shop", "podSelector: {}\ningress: [{from: [{ipBlock: {cidr: 0.0.0.0/0}}]}]"
)
RANGE = policy(
    "range", "shop", "podSelector: {}\ningress: [{ports: [{port: 8000, endPort: 8100}]}]"
)
NO_EGRESS = policy("no-egress", "other", "podSelector: {}\npolicyTypes: [Egress]")

CASES = [
    Case("no policy: allowed", [], "other/client", "shop/web", 8080, Verdict.ALLOWED),
    Case(
        "default deny: blocked",
        [DENY_SHOP],
        "other/client",
        "shop/web",
        8080,
        Verdict.BLOCKED,
        isolating=("shop/deny",),
    ),
    Case(
        "a policy of another namespace does not isolate",
        [DENY_SHOP.replace("shop", "other")],
        "shop/db",
        "shop/web",
        8080,
        Verdict.ALLOWED,
    ),
    Case(
        "allow from a namespace on a named port",
        [DENY_SHOP, FROM_OTHER],
        "other/client",
        "shop/web",
        8080,
        Verdict.ALLOWED,
        isolating=("shop/deny", "shop/from-other"),
        admitting=("NetworkPolicy shop/from-other spec.ingress[0]",),
    ),
    Case(
        "the named port resolves to one port only",
        [DENY_SHOP, FROM_OTHER],
        "other/client",
        "shop/web",
        9090,
        Verdict.BLOCKED,
        isolating=("shop/deny", "shop/from-other"),
    ),
    Case(
        "asked by name: the destination's port",
        [DENY_SHOP, FROM_OTHER],
        "other/client",
        "shop/web",
        "http",
        Verdict.ALLOWED,
        isolating=("shop/deny", "shop/from-other"),
        admitting=("NetworkPolicy shop/from-other spec.ingress[0]",),
    ),
    Case(
        "asked by a name the destination does not declare",
        [DENY_SHOP, FROM_OTHER],
        "other/client",
        "shop/web",
        "grpc",
        Verdict.UNKNOWN,
        reason="declares no container port named grpc for TCP",
    ),
    Case(
        "the namespace does not match",
        [DENY_SHOP, FROM_OTHER],
        "shop/db",
        "shop/web",
        8080,
        Verdict.BLOCKED,
        isolating=("shop/deny", "shop/from-other"),
    ),
    Case(
        "a podSelector alone is of the policy's namespace",
        [
            policy(
                "from-client",
                "shop",
                """
                podSelector: {}
                ingress: [{from: [{podSelector: {matchLabels: {app: client}}}]}]
                """,
            )
        ],
        "other/client",
        "shop/web",
        8080,
        Verdict.BLOCKED,
        isolating=("shop/from-client",),
    ),
    Case(
        "namespace and pod selectors together: both",
        [FROM_CLIENT],
        "other/client",
        "shop/web",
        8080,
        Verdict.ALLOWED,
        isolating=("shop/from-client",),
        admitting=("NetworkPolicy shop/from-client spec.ingress[0]",),
    ),
    Case(
        "namespace and pod selectors together: the pods differ",
        [
            policy(
                "both",
                "shop",
                """
                podSelector: {}
                ingress:
                - from:
                  - namespaceSelector: {matchLabels: {team: other}}
                    podSelector: {matchLabels: {app: server}}
                """,
            )
        ],
        "other/client",
        "shop/web",
        8080,
        Verdict.BLOCKED,
        isolating=("shop/both",),
    ),
    Case(
        "namespace labels nobody knows: unknown",
        [DENY_SHOP, FROM_OTHER],
        "pods:ingress-nginx:app.kubernetes.io/name=ingress-nginx",
        "shop/web",
        8080,
        Verdict.UNKNOWN,
        isolating=("shop/deny", "shop/from-other"),
        reason="the labels of namespace ingress-nginx are not known",
    ),
    Case(
        "namespace labels from external.namespaces",
        [DENY_SHOP, FROM_OTHER],
        "pods:ingress-nginx:app.kubernetes.io/name=ingress-nginx",
        "shop/web",
        8080,
        Verdict.ALLOWED,
        isolating=("shop/deny", "shop/from-other"),
        admitting=("NetworkPolicy shop/from-other spec.ingress[0]",),
        external=(("ingress-nginx", (("team", "other"),)),),
    ),
    Case(
        "a namespace without labels is still known by its name",
        [
            DENY_SHOP,
            policy(
                "by-name",
                "shop",
                """
                podSelector: {}
                ingress:
                - from:
                  - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: ingress-nginx}}
                """,
            ),
        ],
        "pods:ingress-nginx:app=x",
        "shop/web",
        8080,
        Verdict.ALLOWED,
        isolating=("shop/deny", "shop/by-name"),
        admitting=("NetworkPolicy shop/by-name spec.ingress[0]",),
    ),
    Case(
        "a namespace without labels fails a requirement on its name",
        [
            DENY_SHOP,
            policy(
                "by-name",
                "shop",
                """
                podSelector: {}
                ingress:
                - from:
                  - namespaceSelector:
                      matchLabels: {kubernetes.io/metadata.name: kube-system, team: ops}
                """,
            ),
        ],
        "pods:ingress-nginx:app=x",
        "shop/web",
        8080,
        Verdict.BLOCKED,
        isolating=("shop/deny", "shop/by-name"),
    ),
    Case(
        "an empty namespaceSelector: every namespace, labels or not",
        [
            policy(
                "any-ns",
                "shop",
                "podSelector: {}\ningress: [{from: [{namespaceSelector: {}}]}]",
            )
        ],
        "pods:ingress-nginx:app=x",
        "shop/web",
        8080,
        Verdict.ALLOWED,
        isolating=("shop/any-ns",),
        admitting=("NetworkPolicy shop/any-ns spec.ingress[0]",),
    ),
    Case(
        "endPort: inside the range",
        [RANGE],
        "other/client",
        "shop/web",
        8080,
        Verdict.ALLOWED,
        isolating=("shop/range",),
        admitting=("NetworkPolicy shop/range spec.ingress[0]",),
    ),
    Case(
        "endPort: past the range",
        [RANGE],
        "other/client",
        "shop/web",
        9090,
        Verdict.BLOCKED,
        isolating=("shop/range",),
    ),
    Case(
        "protocol defaults to TCP: UDP is not admitted",
        [policy("tcp", "shop", "podSelector: {}\ningress: [{ports: [{port: 8080}]}]")],
        "other/client",
        "shop/web",
        8080,
        Verdict.BLOCKED,
        protocol="UDP",
        isolating=("shop/tcp",),
    ),
    Case(
        "a port without a number: every port of its protocol",
        [policy("udp", "shop", "podSelector: {}\ningress: [{ports: [{protocol: UDP}]}]")],
        "other/client",
        "shop/web",
        5000,
        Verdict.ALLOWED,
        protocol="UDP",
        isolating=("shop/udp",),
        admitting=("NetworkPolicy shop/udp spec.ingress[0]",),
    ),
    Case(
        "empty from and ports: everything",
        [policy("all", "shop", "podSelector: {}\ningress: [{from: [], ports: []}]")],
        "other/client",
        "shop/db",
        5432,
        Verdict.ALLOWED,
        isolating=("shop/all",),
        admitting=("NetworkPolicy shop/all spec.ingress[0]",),
    ),
    Case(
        "a named port the destination does not declare admits nothing",
        [policy("named", "shop", "podSelector: {}\ningress: [{ports: [{port: http}]}]")],
        "other/client",
        "shop/db",
        5432,
        Verdict.BLOCKED,
        isolating=("shop/named",),
    ),
    Case(
        "the union of policies: one admits",
        [
            DENY_SHOP,
            policy(
                "db",
                "shop",
                """
                podSelector: {matchLabels: {app: db}}
                ingress: [{from: [{podSelector: {matchLabels: {app: web}}}]}]
                """,
            ),
        ],
        "shop/web",
        "shop/db",
        5432,
        Verdict.ALLOWED,
        isolating=("shop/deny", "shop/db"),
        admitting=("NetworkPolicy shop/db spec.ingress[0]",),
    ),
    Case(
        "egress default deny blocks at the source",
        [NO_EGRESS],
        "other/client",
        "shop/web",
        8080,
        Verdict.BLOCKED,
        isolating=("other/no-egress",),
        side=EGRESS,
    ),
    Case(
        "egress to DNS: UDP 53 to kube-dns",
        [ALLOW_DNS],
        "other/client",
        "kube-system/coredns",
        53,
        Verdict.ALLOWED,
        protocol="UDP",
        isolating=("other/dns",),
        admitting=("NetworkPolicy other/dns spec.egress[0]",),
        side=EGRESS,
    ),
    Case(
        "egress to DNS: TCP 53 was not allowed",
        [
            policy(
                "dns",
                "other",
                """
                podSelector: {}
                policyTypes: [Egress]
                egress: [{ports: [{protocol: UDP, port: 53}]}]
                """,
            )
        ],
        "other/client",
        "kube-system/coredns",
        53,
        Verdict.BLOCKED,
        isolating=("other/dns",),
        side=EGRESS,
    ),
    Case(
        "egress rules without Egress in policyTypes are ignored",
        [
            policy(
                "ingress-only",
                "other",
                "podSelector: {}\npolicyTypes: [Ingress]\negress: [{ports: [{port: 1}]}]",
            )
        ],
        "other/client",
        "shop/web",
        8080,
        Verdict.ALLOWED,
        side=EGRESS,
    ),
    Case(
        "egress rules imply Egress when policyTypes is absent",
        [policy("implied", "other", "podSelector: {}\negress: [{ports: [{port: 1}]}]")],
        "other/client",
        "shop/web",
        8080,
        Verdict.BLOCKED,
        isolating=("other/implied",),
        side=EGRESS,
    ),
    Case(
        "ipBlock: an address inside",
        [IPS_EXCEPT],
        "ip:10.2.3.4",
        "shop/web",
        8080,
        Verdict.ALLOWED,
        isolating=("shop/ips",),
        admitting=("NetworkPolicy shop/ips spec.ingress[0]",),
    ),
    Case(
        "ipBlock: an address in except",
        [IPS_EXCEPT],
        "ip:10.1.2.3",
        "shop/web",
        8080,
        Verdict.BLOCKED,
        isolating=("shop/ips",),
    ),
    Case(
        "ipBlock: an address of the other family",
        [ALL_IPS],
        "ip:2001:db8::1",
        "shop/web",
        8080,
        Verdict.BLOCKED,
        isolating=("shop/ips",),
    ),
    Case(
        "ipBlock and a pod: depends on the pod network",
        [ALL_IPS],
        "other/client",
        "shop/web",
        8080,
        Verdict.UNKNOWN,
        isolating=("shop/ips",),
        reason="is an ipBlock",
    ),
    Case(
        "an address is no pod of a podSelector",
        [DENY_SHOP, FROM_OTHER],
        "ip:192.0.2.1",
        "shop/web",
        8080,
        Verdict.BLOCKED,
        isolating=("shop/deny", "shop/from-other"),
    ),
    Case(
        "egress to an ipBlock",
        [
            policy(
                "out",
                "shop",
                "podSelector: {}\npolicyTypes: [Egress]\negress: [{to: [{ipBlock: {cidr: 192.0.2.0/24}}]}]",
            )
        ],
        "shop/web",
        "ip:192.0.2.9",
        443,
        Verdict.ALLOWED,
        isolating=("shop/out",),
        admitting=("NetworkPolicy shop/out spec.egress[0]",),
        side=EGRESS,
    ),
    Case(
        "a selector on a label the controller sets: unknown",
        [
            policy(
                "one-pod",
                "shop",
                "podSelector: {matchLabels: {statefulset.kubernetes.io/pod-name: cache-0}}",
            )
        ],
        "shop/web",
        "shop/cache",
        6379,
        Verdict.UNKNOWN,
        reason="depends on labels its controller sets",
    ),
    Case(
        "a selector whose own labels fail decides",
        [
            policy(
                "other-pod",
                "shop",
                "podSelector: {matchLabels: {app: db, statefulset.kubernetes.io/pod-name: cache-0}}",
            )
        ],
        "shop/web",
        "shop/cache",
        6379,
        Verdict.ALLOWED,
    ),
    Case(
        "a known block wins over an unknown side",
        [
            DENY_SHOP,
            NO_EGRESS,
            ALL_IPS,
        ],
        "other/client",
        "shop/web",
        8080,
        Verdict.BLOCKED,
        isolating=("other/no-egress",),
        side=EGRESS,
    ),
    Case(
        "a hostNetwork pod admitted by its labels: unknown",
        [
            policy(
                "from-agent",
                "shop",
                """
                podSelector: {}
                ingress: [{from: [{namespaceSelector: {}, podSelector: {matchLabels: {app: agent}}}]}]
                """,
            )
        ],
        "other/agent",
        "shop/web",
        8080,
        Verdict.UNKNOWN,
        isolating=("shop/from-agent",),
        reason="network plugins differ on hostNetwork pods",
    ),
    Case(
        "a hostNetwork pod that no peer matches stays blocked",
        [DENY_SHOP, FROM_OTHER],
        "other/agent",
        "shop/db",
        5432,
        Verdict.BLOCKED,
        isolating=("shop/deny",),
    ),
    Case(
        "a hostNetwork pod's own policies may not apply",
        [policy("deny-other", "other", "podSelector: {}")],
        "other/client",
        "other/agent",
        9100,
        Verdict.UNKNOWN,
        isolating=("other/deny-other",),
        reason="network plugins differ on hostNetwork pods",
    ),
    Case(
        "a policy without a namespace may not be the pods'",
        [DENY_SHOP.replace("{name: deny, namespace: shop}", "{name: deny}")],
        "other/client",
        "shop/web",
        8080,
        Verdict.UNKNOWN,
        reason="may or may not be in one namespace once applied",
    ),
    Case(
        "a peer without a namespace may not be of the policy's",
        [
            policy(
                "from-loose",
                "shop",
                "podSelector: {}\ningress: [{from: [{podSelector: {matchLabels: {app: loose}}}]}]",
            )
        ],
        "pods::app=loose",
        "shop/web",
        8080,
        Verdict.UNKNOWN,
        isolating=("shop/from-loose",),
        reason="may or may not be in it once applied",
    ),
    Case(
        "a malformed podSelector: unknown",
        [policy("bad", "shop", "podSelector: [app]")],
        "other/client",
        "shop/web",
        8080,
        Verdict.UNKNOWN,
        reason="not a label selector",
    ),
]


def _endpoint(inventory: Inventory, text: str) -> Endpoint:
    if text.startswith("ip:"):
        return Endpoint.address(text[3:])
    if text.startswith("pods:"):
        _, namespace, label = text.split(":", 2)
        key, _, value = label.partition("=")
        return Endpoint.pods(namespace, {key: value})
    namespace, _, name = text.partition("/")
    return Endpoint.of_template(_template(inventory, namespace, name))


def _evaluate(case: Case) -> Connection:
    inventory = inventory_of(CLUSTER + "".join(case.policies))
    external = ExternalObjects(
        namespace_labels={name: dict(labels) for name, labels in case.external}
    )
    evaluator = PolicyEvaluator(inventory, external)
    return evaluator.connection(
        _endpoint(inventory, case.source),
        _endpoint(inventory, case.destination),
        case.port,
        case.protocol,
    )


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_verdicts(case: Case) -> None:
    connection = _evaluate(case)
    assert connection.verdict is case.expected, connection.reasons
    side = connection.ingress if case.side == INGRESS else connection.egress
    assert tuple(str(p.ref).partition(" ")[2] for p in side.isolating) == case.isolating
    assert tuple(str(m) for m in side.admitting) == case.admitting
    if case.expected is Verdict.UNKNOWN:
        assert any(case.reason in reason for reason in connection.reasons), connection.reasons
    else:
        assert connection.reasons == ()


def test_both_sides_are_reported() -> None:
    case = next(c for c in CASES if c.id == "egress default deny blocks at the source")
    connection = _evaluate(case)
    assert connection.egress.verdict is Verdict.BLOCKED
    assert connection.ingress.verdict is Verdict.ALLOWED
    assert connection.ingress.isolated is False
    assert connection.blocking == (connection.egress,)


def test_an_address_has_no_policies() -> None:
    inventory = inventory_of(CLUSTER + DENY_SHOP)
    evaluator = PolicyEvaluator(inventory)
    web = Endpoint.of_template(_template(inventory, "shop", "web"))
    connection = evaluator.connection(web, Endpoint.address("192.0.2.1"), 443)
    assert connection.verdict is Verdict.ALLOWED
    assert connection.ingress.applies is False
    assert connection.egress.applies is True
    assert connection.egress.isolated is False


def test_isolation_per_direction() -> None:
    inventory = inventory_of(
        CLUSTER
        + policy("egress", "shop", "podSelector: {matchLabels: {app: web}}\npolicyTypes: [Egress]")
        + policy(
            "cache",
            "shop",
            "podSelector: {matchExpressions: [{key: apps.kubernetes.io/pod-index, operator: In, values: ['0']}]}",
        )
    )
    evaluator = PolicyEvaluator(inventory)
    web = _template(inventory, "shop", "web")
    assert evaluator.isolation(web, INGRESS).isolated is False
    egress = evaluator.isolation(web, EGRESS)
    assert egress.isolated is True
    assert [p.manifest.name for p in egress.policies] == ["egress"]
    cache = evaluator.isolation(_template(inventory, "shop", "cache"), INGRESS)
    assert cache.isolated is None
    assert [p.manifest.name for p in cache.undecided] == ["cache"]


def test_one_side_alone() -> None:
    inventory = inventory_of(CLUSTER + DENY_SHOP + FROM_OTHER)
    evaluator = PolicyEvaluator(inventory)
    web = Endpoint.of_template(_template(inventory, "shop", "web"))
    client = Endpoint.of_template(_template(inventory, "other", "client"))
    side = evaluator.direction(web, client, INGRESS, "http")
    assert side.verdict is Verdict.ALLOWED
    assert [str(m) for m in side.admitting] == ["NetworkPolicy shop/from-other spec.ingress[0]"]


def test_a_policy_is_read_once_with_its_defaults() -> None:
    inventory = inventory_of(
        policy(
            "p",
            "shop",
            """
            podSelector: {matchLabels: {app: web}}
            egress:
            - to: [{ipBlock: {cidr: 10.0.0.0/8, except: [10.1.0.0/16, nonsense]}}]
              ports: [{port: 80, endPort: 90}, {protocol: UDP, port: dns}]
            """,
        )
    )
    (parsed,) = policies_in(inventory, "shop")
    assert parsed is policies_in(inventory, "shop")[0]
    assert parsed.types == frozenset({INGRESS, EGRESS})
    assert parsed.ingress == ()
    (rule,) = parsed.egress
    assert rule.path == ("spec", "egress", 0)
    assert [(p.protocol, p.port, p.end_port) for p in rule.ports or ()] == [
        ("TCP", 80, 90),
        ("UDP", "dns", None),
    ]
    (peer,) = rule.peers or ()
    assert peer.ip_block is not None
    assert peer.ip_block.excepts[1] is None
    inside, excepted = Endpoint.address("10.2.0.1").ip, Endpoint.address("10.1.0.1").ip
    assert inside is not None and excepted is not None
    assert peer.ip_block.contains(excepted) is False
    assert peer.ip_block.contains(inside) is None  # `nonsense` might have held it
    assert IpBlock(peer.ip_block.cidr).contains(inside) is True
    assert parse_policy(parsed.manifest) == parsed


def test_an_address_must_be_an_address() -> None:
    with pytest.raises(ValueError, match="not an IP address: web"):
        Endpoint.address("web")
