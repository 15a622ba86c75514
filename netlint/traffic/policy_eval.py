"""NetworkPolicy evaluation: may traffic go from a source to a destination on a port?

Public for rule packs, as `netlint.k8s` is (DESIGN §6): every name in `__all__` is typed,
documented and kept stable. The NetworkPolicy rules, the reachability rule and `netlint graph`
are written against it.

- Reading policies: `is_network_policy`, `pod_selector`, `is_empty`, `listed_policy_types`,
  `policy_types` (after the API server's `SetDefaults_NetworkPolicy`), `rules_of`, `rule_ports`
  and `PolicyPort` (after `SetDefaults_NetworkPolicyPort`), `parse_policy` into a `Policy` of
  `PolicyRule`s, `PolicyPeer`s and `IpBlock`s; `namespace_policies` / `policies_in` list the
  policies of a namespace.
- Selecting pods: `selects` (a selector against a pod template, with the labels its controller
  adds), `selected_templates` (`Selection`), `namespace_templates`.
- Namespaces: `namespace_labels` (a Namespace of the input, else config `external.namespaces`,
  plus the `kubernetes.io/metadata.name` label the API server sets on every Namespace).
- Evaluating: an `Endpoint` is one end of a connection (the pods of a template, pods described by
  namespace and labels, or an IP address); `PolicyEvaluator.connection` answers a `Connection`
  (a `Verdict` and, per direction, a `DirectionVerdict` naming the policies that isolate the pod
  and the rules that admit the traffic); `PolicyEvaluator.isolation` answers `Isolation`.

The semantics are Kubernetes' (the `networking.k8s.io/v1` API reference and the network plugin
conformance tests, `test/e2e/network/netpol`):

- A pod is isolated for a direction iff some policy of its namespace selects it and lists that
  direction in its (defaulted) `policyTypes`; traffic from or to a pod that is not isolated is
  allowed in that direction. Isolated, it is allowed iff some rule of one of those policies
  admits it (the union; there is no deny and no order).
- A connection needs both: the source's egress (when the source is a pod) and the destination's
  ingress (when the destination is a pod).
- A rule admits a peer when its `from`/`to` is absent or empty (every peer) or one of its peers
  matches, and its `ports` are absent or empty (every port) or one of them matches.
- A peer's `podSelector` alone selects pods of the policy's namespace; a `namespaceSelector` alone
  every pod of the namespaces it selects (by their labels); both: pods of those namespaces that
  the `podSelector` selects. An `ipBlock` matches addresses in `cidr` and in none of `except`.
- A port matches the protocol (default TCP) and the number, or the range `port`..`endPort`; a
  named port is resolved against the destination pod's container ports (name and protocol); no
  port: every port of the protocol.

Unknown is an answer, never a guess: a verdict is `Verdict.UNKNOWN` when it depends on what the
input does not say: labels of a namespace that neither the input nor `external.namespaces`
describes (a selector on its `kubernetes.io/metadata.name` alone is decided), a `hostNetwork` pod
that a policy would block or admit by its labels (Kubernetes leaves undefined whether plugins
tell its traffic from its node's), a selector on labels that a controller sets (`pod-template-hash`, a StatefulSet pod's
name), whether an `ipBlock` holds a pod's address (that depends on the cluster's pod CIDR and
network plugin: Kubernetes meant ipBlock for addresses outside the cluster), a named port of a
destination whose container ports are not known, a malformed policy. Three-valued (Kleene) logic
combines the parts, so a part that is unknown decides only when the others leave it open.

Namespaces: objects without `metadata.namespace` are in the apply namespace, which may be any
namespace once applied (`netlint.k8s.compatible`). A policy there, for pods of a named namespace
(or the reverse), may or may not be theirs: it leaves their verdict open where it would decide
it. Objects that both name no namespace share it.
"""

from __future__ import annotations

import enum
import ipaddress
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field

from netlint.api import ExternalObjects, Inventory, Manifest, Node, PodTemplate, RuleContext
from netlint.k8s import (
    APPLY_NAMESPACE,
    ByNamespace,
    LabelSelector,
    as_int,
    as_list,
    as_map,
    as_str,
    compatible,
    dig,
    label_list,
    namespace_phrase,
    parse_cidr,
    parse_ip,
    parse_label_selector,
    string_map,
)

__all__ = [
    "EGRESS",
    "INGRESS",
    "MAX_EXAMINED",
    "NAMESPACE_NAME_LABEL",
    "Connection",
    "DirectionVerdict",
    "Endpoint",
    "IPAddress",
    "IPNetwork",
    "IpBlock",
    "Isolation",
    "Policy",
    "PolicyEvaluator",
    "PolicyPeer",
    "PolicyPort",
    "PolicyRule",
    "RuleMatch",
    "Selection",
    "Verdict",
    "is_empty",
    "is_network_policy",
    "listed_policy_types",
    "namespace_labels",
    "namespace_policies",
    "namespace_templates",
    "parse_policy",
    "pod_selector",
    "policies_in",
    "policy_types",
    "rule_ports",
    "rules_of",
    "selected_templates",
    "selects",
    "templates_by_namespace",
]

INGRESS = "Ingress"
EGRESS = "Egress"
_SECTIONS = {INGRESS: ("ingress", "from"), EGRESS: ("egress", "to")}

# The label the API server sets on every Namespace (since 1.21): its name.
NAMESPACE_NAME_LABEL = "kubernetes.io/metadata.name"

# Templates compared per selector: past this many in a namespace, no verdict (the cost stays linear).
MAX_EXAMINED = 500

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

# ---------------------------------------------------------------------------------------------
# Reading policies


def is_network_policy(manifest: Manifest) -> bool:
    return manifest.api_version == "networking.k8s.io/v1" and manifest.kind == "NetworkPolicy"


def pod_selector(manifest: Manifest) -> LabelSelector | None:
    """`spec.podSelector`; None when it is absent or not a mapping (`schema` says so)."""
    return parse_label_selector(dig(manifest.data, "spec", "podSelector"))


def is_empty(selector: LabelSelector) -> bool:
    """An empty selector: every pod of the namespace (for a podSelector), every namespace (for a
    namespaceSelector)."""
    return not (selector.match_labels or selector.match_expressions)


def listed_policy_types(manifest: Manifest) -> list[str] | None:
    """`spec.policyTypes` as written, or None when it is absent or empty (then the API server's
    `SetDefaults_NetworkPolicy` derives it from the sections present)."""
    listed = as_list(dig(manifest.data, "spec", "policyTypes"))
    if not listed:
        return None
    return [value for value in (as_str(item) for item in listed) if value is not None]


def policy_types(manifest: Manifest) -> frozenset[str]:
    """The directions the policy isolates, after `SetDefaults_NetworkPolicy`: as listed, or
    Ingress always and Egress when `spec.egress` has rules."""
    listed = listed_policy_types(manifest)
    if listed is not None:
        return frozenset(listed)
    if as_list(dig(manifest.data, "spec", "egress")):
        return frozenset({INGRESS, EGRESS})
    return frozenset({INGRESS})


@dataclass(frozen=True, slots=True)
class PolicyPort:
    """One `ports` item of a rule, defaulted (`SetDefaults_NetworkPolicyPort`: protocol TCP).
    `port` None: every port of the protocol; a string: a named container port."""

    protocol: str
    port: int | str | None
    end_port: int | None
    index: int  # in the rule's `ports`

    def admits(self, number: int, protocol: str) -> bool:
        """Whether traffic to port `number` over `protocol` matches (a named port never does:
        resolve it against the destination's container ports first)."""
        if protocol != self.protocol:
            return False
        if self.port is None:
            return True
        if not isinstance(self.port, int):
            return False
        return self.port <= number <= (self.end_port if self.end_port is not None else self.port)

    def text(self) -> str:
        """`TCP 8080`, `TCP 8000-8100`, `TCP http`, `all TCP ports`."""
        if self.port is None:
            return f"all {self.protocol} ports"
        if self.end_port is not None:
            return f"{self.protocol} {self.port}-{self.end_port}"
        return f"{self.protocol} {self.port}"


def rule_ports(rule: Node) -> list[PolicyPort] | None:
    """The ports of an ingress or egress rule; None when the rule has none (all ports). Items of
    the wrong shape are skipped (`schema` reports them)."""
    items = as_list(dig(rule, "ports"))
    if not items:
        return None
    ports: list[PolicyPort] = []
    for index, item in enumerate(items):
        if as_map(item) is None:
            continue
        node = dig(item, "port")
        port: int | str | None = as_int(node)
        if port is None:
            port = as_str(node)
        ports.append(
            PolicyPort(
                as_str(dig(item, "protocol")) or "TCP", port, as_int(dig(item, "endPort")), index
            )
        )
    return ports


def rules_of(manifest: Manifest, section: str) -> Iterator[tuple[int, dict[str, Node]]]:
    """(index, rule) of `spec.ingress` or `spec.egress`, mappings only."""
    for index, rule in enumerate(as_list(dig(manifest.data, "spec", section)) or []):
        mapping = as_map(rule)
        if mapping is not None:
            yield index, mapping


@dataclass(frozen=True, slots=True)
class IpBlock:
    """A peer's `ipBlock`; `cidr` None, or an `except` entry None, when the text is no CIDR."""

    cidr: IPNetwork | None
    excepts: tuple[IPNetwork | None, ...] = ()

    def contains(self, address: IPAddress) -> bool | None:
        """Whether `address` is in `cidr` and in none of `except`; None when a CIDR is invalid."""
        if self.cidr is None:
            return None
        if address.version != self.cidr.version or address not in self.cidr:
            return False
        for excluded in self.excepts:
            if excluded is None:
                return None
            if address.version == excluded.version and address in excluded:
                return False
        return True


@dataclass(frozen=True, slots=True)
class PolicyPeer:
    """One item of a rule's `from` or `to`. A selector is None when it is absent; `malformed`
    when a field has the wrong shape or the peer names nothing (the API server refuses both)."""

    index: int
    pods: LabelSelector | None = None
    namespaces: LabelSelector | None = None
    ip_block: IpBlock | None = None
    malformed: bool = False


@dataclass(frozen=True, slots=True)
class PolicyRule:
    """One ingress or egress rule. `peers` None: every peer (`from`/`to` absent or empty);
    `ports` None: every port."""

    direction: str  # INGRESS or EGRESS
    index: int  # in `spec.ingress` / `spec.egress`
    peers: tuple[PolicyPeer, ...] | None
    ports: tuple[PolicyPort, ...] | None

    @property
    def section(self) -> str:
        return _SECTIONS[self.direction][0]

    @property
    def path(self) -> tuple[str | int, ...]:
        """`("spec", "ingress", 0)`: where the rule is in its policy."""
        return ("spec", self.section, self.index)


@dataclass(frozen=True, slots=True)
class Policy:
    """A networking.k8s.io/v1 NetworkPolicy, read once: `selector` None when `spec.podSelector`
    is absent or malformed (then whether it selects a pod is unknown)."""

    manifest: Manifest
    selector: LabelSelector | None
    types: frozenset[str]
    ingress: tuple[PolicyRule, ...]
    egress: tuple[PolicyRule, ...]

    def rules(self, direction: str) -> tuple[PolicyRule, ...]:
        return self.ingress if direction == INGRESS else self.egress


def _selector_at(peer: Mapping[str, Node], key: str) -> tuple[LabelSelector | None, bool]:
    """(selector, malformed) of a peer's `podSelector` or `namespaceSelector`."""
    node = peer.get(key)
    if node is None:
        return None, False
    selector = parse_label_selector(node)
    return selector, selector is None


def _ip_block(node: Node) -> tuple[IpBlock | None, bool]:
    block = as_map(node)
    if block is None:
        return None, node is not None
    cidr_text = as_str(block.get("cidr"))
    excepts = tuple(
        parse_cidr(text) if text is not None else None
        for text in (as_str(item) for item in as_list(block.get("except")) or [])
    )
    return IpBlock(parse_cidr(cidr_text) if cidr_text is not None else None, excepts), False


def _peer(index: int, node: Node) -> PolicyPeer:
    peer = as_map(node)
    if peer is None:
        return PolicyPeer(index, malformed=True)
    pods, bad_pods = _selector_at(peer, "podSelector")
    namespaces, bad_namespaces = _selector_at(peer, "namespaceSelector")
    ip_block, bad_block = _ip_block(peer.get("ipBlock"))
    named = pods is not None or namespaces is not None
    malformed = (
        bad_pods or bad_namespaces or bad_block or (ip_block is not None and named)
    ) or not (named or ip_block is not None)
    return PolicyPeer(index, pods, namespaces, ip_block, malformed)


def parse_policy(manifest: Manifest) -> Policy:
    """The policy's selector, defaulted `policyTypes` and rules."""
    directions: dict[str, list[PolicyRule]] = {INGRESS: [], EGRESS: []}
    for direction, (section, key) in _SECTIONS.items():
        for index, rule in rules_of(manifest, section):
            items = as_list(rule.get(key))
            peers = tuple(_peer(i, item) for i, item in enumerate(items)) if items else None
            ports = rule_ports(rule)
            directions[direction].append(
                PolicyRule(direction, index, peers, tuple(ports) if ports is not None else None)
            )
    return Policy(
        manifest,
        pod_selector(manifest),
        policy_types(manifest),
        tuple(directions[INGRESS]),
        tuple(directions[EGRESS]),
    )


def _parsed_by_namespace(inventory: Inventory) -> ByNamespace[Policy]:
    index = ByNamespace[Policy]()
    for manifest in inventory.of_kind("NetworkPolicy"):
        if is_network_policy(manifest):
            index.add(manifest.namespace, parse_policy(manifest))
    return index


def policies_in(inventory: Inventory, namespace: str | None) -> Sequence[Policy]:
    """The networking.k8s.io/v1 NetworkPolicies that may be in `namespace` once applied, read
    (an `Inventory.memo` index: each policy is read once)."""
    index = inventory.memo("traffic:policies", _parsed_by_namespace)
    return index.compatible_with(namespace)


def namespace_policies(inventory: Inventory, namespace: str | None) -> list[Manifest]:
    """The manifests of `policies_in`."""
    return [policy.manifest for policy in policies_in(inventory, namespace)]


# ---------------------------------------------------------------------------------------------
# Selecting pods


def templates_by_namespace(inventory: Inventory) -> ByNamespace[PodTemplate]:
    """Pod templates of the input by namespace (an `Inventory.memo` index)."""
    index = ByNamespace[PodTemplate]()
    for template in inventory.templates:
        index.add(template.namespace, template)
    return index


def namespace_templates(inventory: Inventory, namespace: str | None) -> Sequence[PodTemplate]:
    """The pod templates that may be in `namespace` once applied."""
    index = inventory.memo("networkpolicy:templates", templates_by_namespace)
    return index.compatible_with(namespace)


def selects(selector: LabelSelector, template: PodTemplate) -> bool | None:
    """Whether the template's pods are selected; None when labels the controller adds (a
    StatefulSet's pod name, a Deployment's pod-template-hash) decide it, or the selector holds
    an expression the API server rejects. A requirement on the template's own labels that fails
    decides (False) whatever the added labels are."""
    added = template.added_labels.keys()
    if not selector.keys() & added:
        return selector.verdict(template.labels)
    own = LabelSelector(
        {k: v for k, v in selector.match_labels.items() if k not in added},
        tuple(e for e in selector.match_expressions if e[0] not in added),
    )
    return False if own.verdict(template.labels) is False else None


@dataclass(frozen=True, slots=True)
class Selection:
    """The templates of a namespace a selector selects; `complete` is False when some template
    could not be judged (then `templates` may miss some)."""

    templates: list[PodTemplate]
    complete: bool


def selected_templates(
    selector: LabelSelector, namespace: str | None, inventory: Inventory
) -> Selection:
    """The pod templates of `namespace` that `selector` selects. The `matchLabels` index narrows
    the candidates; expressions alone are checked one by one, up to `MAX_EXAMINED`."""
    if selector.match_labels:
        candidates = inventory.matching_templates(dict(selector.match_labels), namespace)
    else:
        candidates = namespace_templates(inventory, namespace)
    complete = len(candidates) <= MAX_EXAMINED
    selected: list[PodTemplate] = []
    for template in candidates[:MAX_EXAMINED]:
        verdict = selects(selector, template)
        if verdict is None:
            complete = False
        elif verdict:
            selected.append(template)
    return Selection(selected, complete)


def namespace_labels(
    inventory: Inventory, external: ExternalObjects, namespace: str | None
) -> dict[str, str] | None:
    """Labels of `namespace`: from a Namespace in the input, else config `external.namespaces`;
    None when neither knows them (and for the apply namespace, which has no name yet).
    Kubernetes adds `kubernetes.io/metadata.name` to every one."""
    if namespace is None or namespace == APPLY_NAMESPACE:
        return None
    labels: dict[str, str] | None = None
    for found in inventory.all_named("Namespace", None, namespace):
        labels = string_map(dig(found.data, "metadata", "labels"))
        break
    if labels is None:
        declared = external.namespace_labels.get(namespace)
        if declared is not None:
            labels = dict(declared)
    if labels is None:
        return None
    return {**labels, NAMESPACE_NAME_LABEL: namespace}


# ---------------------------------------------------------------------------------------------
# Evaluating


class Verdict(enum.Enum):
    ALLOWED = "allowed"
    BLOCKED = "blocked"
    UNKNOWN = "unknown"

    @staticmethod
    def of(value: bool | None) -> Verdict:
        if value is None:
            return Verdict.UNKNOWN
        return Verdict.ALLOWED if value else Verdict.BLOCKED


@dataclass(frozen=True, slots=True, eq=False)
class Endpoint:
    """One end of a connection: the pods of a template of the input (`of_template`), pods that
    the input does not define, described by namespace and labels (`pods`: an ingress
    controller), or an address outside the cluster (`address`). `namespace_labels`, when given,
    are the namespace's labels (else the input and `external.namespaces` are asked)."""

    namespace: str | None = None
    labels: Mapping[str, str] = field(default_factory=lambda: {})
    template: PodTemplate | None = None
    ip: IPAddress | None = None
    namespace_labels: Mapping[str, str] | None = None
    host_network: bool = False  # pods in the node's network namespace (`hostNetwork: true`)

    @staticmethod
    def of_template(template: PodTemplate) -> Endpoint:
        host_network = dig(template.owner.data, *template.path, "spec", "hostNetwork") is True
        return Endpoint(template.namespace, template.labels, template, host_network=host_network)

    @staticmethod
    def pods(
        namespace: str,
        labels: Mapping[str, str],
        namespace_labels: Mapping[str, str] | None = None,
        *,
        host_network: bool = False,
    ) -> Endpoint:
        return Endpoint(namespace, dict(labels), None, None, namespace_labels, host_network)

    @staticmethod
    def address(ip: str | IPAddress) -> Endpoint:
        """An address outside the cluster; ValueError when the text is no IP."""
        parsed = parse_ip(ip) if isinstance(ip, str) else ip
        if parsed is None:
            raise ValueError(f"not an IP address: {ip}")
        return Endpoint(ip=parsed)

    @property
    def is_pod(self) -> bool:
        return self.ip is None

    def __str__(self) -> str:
        """`Deployment shop/web`, `pods app=nginx in namespace ingress-nginx`, `10.0.0.1`."""
        if self.ip is not None:
            return str(self.ip)
        if self.template is not None:
            return str(self.template.owner.ref)
        return f"pods {label_list(self.labels)} in {namespace_phrase(self.namespace)}"


@dataclass(frozen=True, slots=True)
class RuleMatch:
    """A rule that admits the traffic."""

    policy: Manifest
    rule: PolicyRule

    @property
    def path(self) -> tuple[str | int, ...]:
        return self.rule.path

    def __str__(self) -> str:
        return f"{self.policy.ref} spec.{self.rule.section}[{self.rule.index}]"


@dataclass(frozen=True, slots=True)
class Isolation:
    """Whether a pod is isolated for a direction: `isolated` None when a policy's selector leaves
    it open. `policies` select it for the direction; `undecided` may."""

    direction: str
    isolated: bool | None
    policies: tuple[Policy, ...]
    undecided: tuple[Policy, ...]


@dataclass(frozen=True, slots=True)
class DirectionVerdict:
    """One side of a connection: the destination's ingress or the source's egress.

    `applies` is False when that end is no pod (an address): then nothing isolates it and the
    verdict is ALLOWED. `isolating` are the policies that select the pod for the direction
    (`undecided` those that may); `admitting` the rules of isolating policies that admit the
    traffic; `reasons` say why the verdict is UNKNOWN."""

    direction: str
    verdict: Verdict
    applies: bool = True
    isolated: bool | None = False
    isolating: tuple[Manifest, ...] = ()
    undecided: tuple[Manifest, ...] = ()
    admitting: tuple[RuleMatch, ...] = ()
    reasons: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Connection:
    """The verdict on traffic from `source` to `destination` on `port`/`protocol`: ALLOWED when
    both the source's egress and the destination's ingress allow it, BLOCKED when either blocks
    it, else UNKNOWN, and then `reasons` say why. `number` is the port after a name is resolved
    against the destination's container ports (None when it cannot be)."""

    source: Endpoint
    destination: Endpoint
    port: int | str
    protocol: str
    number: int | None
    egress: DirectionVerdict
    ingress: DirectionVerdict
    verdict: Verdict
    reasons: tuple[str, ...] = ()

    @property
    def admitting(self) -> tuple[RuleMatch, ...]:
        return self.egress.admitting + self.ingress.admitting

    @property
    def blocking(self) -> tuple[DirectionVerdict, ...]:
        """The sides that block the traffic."""
        return tuple(
            side for side in (self.egress, self.ingress) if side.verdict is Verdict.BLOCKED
        )


def _any(values: Iterable[bool | None]) -> bool | None:
    """Kleene OR: True if one is, else None if one is unknown, else False."""
    unknown = False
    for value in values:
        if value is True:
            return True
        if value is None:
            unknown = True
    return None if unknown else False


def _both(first: bool | None, second: bool | None) -> bool | None:
    """Kleene AND."""
    if first is False or second is False:
        return False
    if first is None or second is None:
        return None
    return True


@dataclass(frozen=True, slots=True)
class _Port:
    """The port of a connection: as asked, and its number once resolved."""

    asked: int | str
    number: int | None
    protocol: str
    unresolved: str | None = None  # why a name has no number


class _Reasons:
    def __init__(self) -> None:
        self.items: dict[str, None] = {}

    def add(self, text: str) -> None:
        self.items[text] = None


class PolicyEvaluator:
    """Evaluates connections against the NetworkPolicies of an inventory. Cheap to build: the
    parsed policies are an `Inventory.memo` index."""

    def __init__(self, inventory: Inventory, external: ExternalObjects | None = None) -> None:
        self.inventory = inventory
        self.external = external if external is not None else ExternalObjects()

    @staticmethod
    def of(ctx: RuleContext) -> PolicyEvaluator:
        return PolicyEvaluator(ctx.inventory, ctx.settings.external)

    # -- isolation ---------------------------------------------------------------------------

    def isolation(self, pod: Endpoint | PodTemplate, direction: str) -> Isolation:
        """Which policies of the pod's namespace select it for `direction`."""
        endpoint = pod if isinstance(pod, Endpoint) else Endpoint.of_template(pod)
        policies: list[Policy] = []
        undecided: list[Policy] = []
        if endpoint.is_pod:
            for policy in policies_in(self.inventory, endpoint.namespace):
                if direction not in policy.types:
                    continue
                chosen = self._selects(policy.selector, endpoint)
                if policy.manifest.namespace != endpoint.namespace:
                    chosen = _both(chosen, None)  # the apply namespace: maybe theirs
                if chosen is True:
                    policies.append(policy)
                elif chosen is None:
                    undecided.append(policy)
        isolated = True if policies else (None if undecided else False)
        return Isolation(direction, isolated, tuple(policies), tuple(undecided))

    def _selects(self, selector: LabelSelector | None, pod: Endpoint) -> bool | None:
        if selector is None:
            return None
        if pod.template is not None:
            return selects(selector, pod.template)
        return selector.verdict(pod.labels)

    # -- connections -------------------------------------------------------------------------

    def connection(
        self, source: Endpoint, destination: Endpoint, port: int | str, protocol: str = "TCP"
    ) -> Connection:
        """The verdict on traffic from `source` to `destination` on `port` (a number, or a name
        resolved against the destination's container ports) over `protocol`."""
        asked = self._port(destination, port, protocol)
        egress = self._side(source, destination, EGRESS, asked)
        ingress = self._side(destination, source, INGRESS, asked)
        verdict = Verdict.of(_both(_allowed(egress), _allowed(ingress)))
        reasons = (
            tuple(dict.fromkeys([*egress.reasons, *ingress.reasons]))
            if verdict is Verdict.UNKNOWN
            else ()
        )
        return Connection(
            source, destination, port, protocol, asked.number, egress, ingress, verdict, reasons
        )

    def direction(
        self, pod: Endpoint, peer: Endpoint, direction: str, port: int | str, protocol: str = "TCP"
    ) -> DirectionVerdict:
        """One side only: whether `pod`'s policies allow `direction` traffic with `peer` (for
        INGRESS, `pod` is the destination; for EGRESS, the source)."""
        destination = pod if direction == INGRESS else peer
        return self._side(pod, peer, direction, self._port(destination, port, protocol))

    @staticmethod
    def _port(destination: Endpoint, port: int | str, protocol: str) -> _Port:
        """The port, its name resolved against the destination's container ports: a
        destination of the input that declares no such port has nothing listening on it, and
        no verdict is given."""
        if isinstance(port, int):
            return _Port(port, port, protocol)
        if destination.template is None:
            return _Port(port, None, protocol)
        for declared in destination.template.ports:
            if declared.name == port and declared.protocol == protocol:
                return _Port(port, declared.number, protocol)
        return _Port(
            port,
            None,
            protocol,
            f"{destination} declares no container port named {port} for {protocol}",
        )

    def _side(self, pod: Endpoint, peer: Endpoint, direction: str, port: _Port) -> DirectionVerdict:
        if not pod.is_pod:
            return DirectionVerdict(direction, Verdict.ALLOWED, applies=False)
        if port.unresolved is not None:
            return DirectionVerdict(direction, Verdict.UNKNOWN, reasons=(port.unresolved,))
        reasons = _Reasons()
        destination = pod if direction == INGRESS else peer
        isolation = self.isolation(pod, direction)
        for policy in isolation.undecided:
            reasons.add(_undecided_selection(policy, pod))
        admitted_terms: list[bool | None] = []
        admitting: list[RuleMatch] = []
        selecting = [(policy, True) for policy in isolation.policies]
        selecting += [(policy, None) for policy in isolation.undecided]
        for policy, chosen in selecting:
            rule_terms: list[bool | None] = []
            for rule in policy.rules(direction):
                admits = self._rule_admits(policy, rule, peer, destination, port, reasons)
                if admits is True and chosen is True:
                    admitting.append(RuleMatch(policy.manifest, rule))
                rule_terms.append(admits)
            admitted_terms.append(_both(chosen, _any(rule_terms)))
        isolated = isolation.isolated
        admitted = _any(admitted_terms)
        allowed = _any([None if isolated is None else not isolated, admitted])
        if allowed is False and pod.host_network:
            # Plugins may not tell a hostNetwork pod's traffic from its node's, which no policy
            # isolates: blocked only if they do.
            reasons.add(f"{_HOST_NETWORK} ({pod})")
            allowed = None
        verdict = Verdict.of(allowed)
        return DirectionVerdict(
            direction,
            verdict,
            True,
            isolated,
            tuple(policy.manifest for policy in isolation.policies),
            tuple(policy.manifest for policy in isolation.undecided),
            tuple(admitting),
            tuple(reasons.items) if verdict is Verdict.UNKNOWN else (),
        )

    def _rule_admits(
        self,
        policy: Policy,
        rule: PolicyRule,
        peer: Endpoint,
        destination: Endpoint,
        port: _Port,
        reasons: _Reasons,
    ) -> bool | None:
        if rule.ports is None:
            ports: bool | None = True
        else:
            ports = _any(self._port_matches(p, destination, port) for p in rule.ports)
            if ports is None:
                reasons.add(
                    f"{policy.manifest.ref} spec.{rule.section}[{rule.index}] names a port that "
                    f"{destination} does not declare in the input"
                )
        if ports is False:
            return False
        if rule.peers is None:
            return ports
        peers = _any(self._peer_matches(policy, rule, p, peer, reasons) for p in rule.peers)
        return _both(ports, peers)

    @staticmethod
    def _port_matches(policy_port: PolicyPort, destination: Endpoint, port: _Port) -> bool | None:
        if policy_port.protocol != port.protocol:
            return False
        if policy_port.port is None:
            return True
        if isinstance(policy_port.port, int):
            if port.number is None:
                return None
            return policy_port.admits(port.number, port.protocol)
        # A named port: the destination pod's container port of that name and protocol.
        if destination.template is not None:
            if port.number is None:
                return None
            return any(
                declared.name == policy_port.port
                and declared.protocol == port.protocol
                and declared.number == port.number
                for declared in destination.template.ports
            )
        if isinstance(port.asked, str) and port.asked == policy_port.port:
            return True
        return None

    def _peer_matches(
        self, policy: Policy, rule: PolicyRule, peer: PolicyPeer, other: Endpoint, reasons: _Reasons
    ) -> bool | None:
        place = f"{policy.manifest.ref} spec.{rule.section}[{rule.index}].{_SECTIONS[rule.direction][1]}[{peer.index}]"
        if peer.malformed:
            reasons.add(f"{place} is malformed")
            return None
        if peer.ip_block is not None:
            if other.ip is None:
                reasons.add(
                    f"{place} is an ipBlock: whether it holds the address of {other} depends "
                    "on the cluster's pod network"
                )
                return None
            inside = peer.ip_block.contains(other.ip)
            if inside is None:
                reasons.add(f"{place} holds a CIDR that is not valid")
            return inside
        if other.ip is not None:
            return False  # an address outside the cluster is no pod
        namespace = policy.manifest.namespace
        if peer.namespaces is None:
            in_namespace = _same_namespace(other.namespace, namespace)
            if in_namespace is None:
                reasons.add(
                    f"{place} selects pods of its own namespace, and {other} may or may not be "
                    "in it once applied (one of them names no namespace)"
                )
        elif is_empty(peer.namespaces):
            in_namespace: bool | None = True
        else:
            labels = self._namespace_labels(other)
            in_namespace = (
                _by_name(peer.namespaces, other.namespace)
                if labels is None
                else peer.namespaces.verdict(labels)
            )
            if in_namespace is None:
                reasons.add(
                    f"{place} selects namespaces by label, and the labels of "
                    f"{namespace_phrase(other.namespace)} are not known (declare them under "
                    "external.namespaces, or add the Namespace to the input)"
                )
        if in_namespace is False or peer.pods is None:
            return in_namespace
        chosen = self._selects(peer.pods, other)
        if chosen is None:
            reasons.add(f"{place} selects pods by labels that the controller of {other} sets")
        matched = _both(in_namespace, chosen)
        if matched is True and other.host_network:
            reasons.add(f"{_HOST_NETWORK} ({other}), which {place} may not match")
            return None
        return matched

    def _namespace_labels(self, endpoint: Endpoint) -> Mapping[str, str] | None:
        if endpoint.namespace_labels is not None:
            if endpoint.namespace is None or endpoint.namespace == APPLY_NAMESPACE:
                return endpoint.namespace_labels
            return {**endpoint.namespace_labels, NAMESPACE_NAME_LABEL: endpoint.namespace}
        return namespace_labels(self.inventory, self.external, endpoint.namespace)


_HOST_NETWORK = (
    "network plugins differ on hostNetwork pods: some treat their traffic as the node's, which "
    "no policy selects"
)


def _same_namespace(first: str | None, second: str | None) -> bool | None:
    """Whether two namespaces are one: None when one is the apply namespace and the other not."""
    if first == second:
        return True
    return None if compatible(first, second) else False


def _by_name(selector: LabelSelector, namespace: str | None) -> bool | None:
    """A namespaceSelector against a namespace whose labels are not known but its name label
    (the API server sets it on every Namespace): decided when the requirements on that label
    fail or are all there is."""
    if namespace is None or namespace == APPLY_NAMESPACE:
        return None
    on_name = LabelSelector(
        {k: v for k, v in selector.match_labels.items() if k == NAMESPACE_NAME_LABEL},
        tuple(e for e in selector.match_expressions if e[0] in (NAMESPACE_NAME_LABEL, None)),
    )
    verdict = on_name.verdict({NAMESPACE_NAME_LABEL: namespace})
    if verdict is False or selector.keys() <= {NAMESPACE_NAME_LABEL}:
        return verdict
    return None


def _allowed(side: DirectionVerdict) -> bool | None:
    if side.verdict is Verdict.UNKNOWN:
        return None
    return side.verdict is Verdict.ALLOWED


def _undecided_selection(policy: Policy, pod: Endpoint) -> str:
    if policy.manifest.namespace != pod.namespace:
        return (
            f"{policy.manifest.ref} and {pod} may or may not be in one namespace once applied "
            "(one of them names no namespace)"
        )
    if policy.selector is None:
        return f"{policy.manifest.ref} has a podSelector that is not a label selector"
    return f"whether {policy.manifest.ref} selects {pod} depends on labels its controller sets"
