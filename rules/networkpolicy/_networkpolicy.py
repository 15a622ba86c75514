"""What the NetworkPolicy rules share: which pod templates a policy selects, the directions it
isolates, and its rules' ports, read the way the API server defaults them."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass

from netlint.api import Inventory, Manifest, Node, PodTemplate
from netlint.k8s import (
    ByNamespace,
    LabelSelector,
    as_int,
    as_list,
    as_map,
    as_str,
    dig,
    parse_label_selector,
)

from .._similar import looks_like_slip

NETWORK_POLICY_DOCS = "https://kubernetes.io/docs/concepts/services-networking/network-policies/"

# Templates compared per selector: past this many in a namespace, no verdict (the cost stays linear).
MAX_EXAMINED = 500


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


def is_network_policy(manifest: Manifest) -> bool:
    return manifest.api_version == "networking.k8s.io/v1" and manifest.kind == "NetworkPolicy"


def pod_selector(manifest: Manifest) -> LabelSelector | None:
    """`spec.podSelector`; None when it is absent or not a mapping (`schema` says so)."""
    return parse_label_selector(dig(manifest.data, "spec", "podSelector"))


def is_empty(selector: LabelSelector) -> bool:
    """An empty selector: every pod of the namespace (for a podSelector), every namespace (for a
    namespaceSelector)."""
    return not (selector.match_labels or selector.match_expressions)


def selects(selector: LabelSelector, template: PodTemplate) -> bool | None:
    """Whether the template's pods are selected; None when labels the controller adds (a
    StatefulSet's pod name, a Deployment's pod-template-hash) decide it, or the selector holds
    an expression the API server rejects."""
    if selector.keys() & template.added_labels.keys():
        return None
    return selector.verdict(template.labels)


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


def slips(selector: LabelSelector, labels: Mapping[str, str]) -> bool:
    """Whether `labels` have every `matchLabels` label but one, and that one with a value that
    looks like a slip (`fronted` for `frontend`): a typo, not pods defined elsewhere."""
    differing = [
        (value, labels.get(key))
        for key, value in selector.match_labels.items()
        if labels.get(key) != value
    ]
    if len(differing) != 1:
        return False
    wanted, has = differing[0]
    return has is not None and looks_like_slip(wanted, has)


def near_misses(selector: LabelSelector, templates: Sequence[PodTemplate]) -> list[PodTemplate]:
    """Templates that carry a key the selector reads, slips first; copies of one workload in
    several files count once."""
    keys = selector.keys()
    seen: set[tuple[str, tuple[tuple[str, str], ...]]] = set()
    near: list[PodTemplate] = []
    for template in templates[:MAX_EXAMINED]:
        copy = (str(template.owner.ref), tuple(sorted(template.labels.items())))
        if keys & template.labels.keys() and copy not in seen:
            seen.add(copy)
            near.append(template)
    return sorted(near, key=lambda template: not slips(selector, template.labels))


def selector_text(selector: LabelSelector) -> str:
    """`app=web, tier in (a, b), !legacy`: the selector as kubectl's `-l` syntax writes it."""
    if is_empty(selector):
        return "{} (all pods)"
    parts = [f"{key}={value}" for key, value in selector.match_labels.items()]
    for key, operator, values in selector.match_expressions:
        listed = ", ".join(values)
        parts.append(
            {
                "In": f"{key} in ({listed})",
                "NotIn": f"{key} notin ({listed})",
                "Exists": f"{key}",
                "DoesNotExist": f"!{key}",
            }.get(operator or "", f"{key} {operator} ({listed})")
        )
    return ", ".join(parts)


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
        return frozenset({"Ingress", "Egress"})
    return frozenset({"Ingress"})


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


def _policies_by_namespace(inventory: Inventory) -> ByNamespace[Manifest]:
    index = ByNamespace[Manifest]()
    for manifest in inventory.of_kind("NetworkPolicy"):
        if is_network_policy(manifest):
            index.add(manifest.namespace, manifest)
    return index


def namespace_policies(inventory: Inventory, namespace: str | None) -> Sequence[Manifest]:
    """The networking.k8s.io/v1 NetworkPolicies that may be in `namespace` once applied (an
    `Inventory.memo` index)."""
    index = inventory.memo("networkpolicy:policies", _policies_by_namespace)
    return index.compatible_with(namespace)
