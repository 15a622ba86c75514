"""`networkpolicy-peer-no-match`: a `from` or `to` peer whose selectors match nothing the input
defines, so the rule admits no traffic."""

from __future__ import annotations

from collections.abc import Iterator

from netlint.api import (
    Diagnostic,
    Inventory,
    Manifest,
    Node,
    Path,
    PodTemplate,
    Rule,
    RuleContext,
    RuleMeta,
    Severity,
)
from netlint.k8s import (
    NAMESPACE_NAME_LABEL,
    LabelSelector,
    dig,
    items_at,
    known_namespaces,
    label_list,
    parse_label_selector,
)

from .._similar import looks_like_slip
from ._networkpolicy import (
    NETWORK_POLICY_DOCS,
    is_empty,
    is_network_policy,
    namespace_templates,
    near_misses,
    rules_of,
    selected_templates,
    selector_text,
    slips,
)

# (section, its peers' key, what a peer of it does)
_SECTIONS = (("ingress", "from", "admits traffic from"), ("egress", "to", "allows traffic to"))
_SHOWN = 3
_OPERATORS_NOTE = " (pods that an operator creates, or defined outside the input, are not seen)"


def _named_namespaces(selector: LabelSelector) -> tuple[str, ...] | None:
    """The namespaces a selector names when it reads nothing but their name label
    (`kubernetes.io/metadata.name: shop`, or `In` a list); None when it reads other labels."""
    if selector.keys() != {NAMESPACE_NAME_LABEL}:
        return None
    names: set[str] | None = None
    if NAMESPACE_NAME_LABEL in selector.match_labels:
        names = {selector.match_labels[NAMESPACE_NAME_LABEL]}
    for _, operator, values in selector.match_expressions:
        if operator != "In":
            return None
        names = set(values) if names is None else names & set(values)
    return tuple(sorted(names or ()))


def _namespaces_in_input(inventory: Inventory) -> frozenset[str]:
    """Namespaces that objects of the input live in or that Namespace objects declare."""
    found = {m.namespace for m in inventory.manifests if m.namespace}  # not the apply namespace
    found.update(m.name for m in inventory.of_kind("Namespace"))
    return frozenset(found)


class NetworkPolicyPeerNoMatch(Rule):
    meta = RuleMeta(
        id="networkpolicy-peer-no-match",
        severity=Severity.WARNING,
        summary="A NetworkPolicy peer's selectors match nothing the input defines",
        what=(
            "Reports a `from` (ingress) or `to` (egress) peer of a networking.k8s.io/v1 "
            "NetworkPolicy that can match nothing:\n"
            "- a `podSelector` alone, which selects pods of the policy's own namespace, that "
            "matches no pod template of that namespace while the input has some there;\n"
            "- a `podSelector` with a `namespaceSelector` that names its namespaces "
            "(`kubernetes.io/metadata.name`), when every named namespace has pod templates in "
            "the input and none matches;\n"
            "- a `namespaceSelector` that matches no Namespace of the input or of config "
            "`external.namespaces`, when one of them has a look-alike label value (a typo); a "
            "namespace the input says nothing of may exist in the cluster, so no look-alike "
            "means no finding.\n"
            "Empty selectors (every pod, every namespace) and `ipBlock` peers are not judged. A "
            "peer's pods are matched as `networkpolicy-selector-no-match` matches a policy's: "
            "labels that controllers add leave the verdict open. It is a warning when a "
            "look-alike value suggests a typo, and info otherwise (operators create pods that no "
            "manifest declares)."
        ),
        why=(
            "A peer admits (or, for egress, allows traffic to) only the pods its selectors "
            "match. A typo in a peer's labels admits nothing: once the policy isolates the pods, "
            "the traffic the rule was written for is dropped, and connections time out without "
            "an error anywhere."
        ),
        example=(
            "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: db\n"
            "  namespace: shop\nspec:\n  podSelector:\n    matchLabels: {app: db}\n  ingress:\n"
            "  - from:\n    - podSelector:\n        matchLabels: {app: bakend}\n---\n"
            "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: backend\n"
            "  namespace: shop\nspec:\n  selector:\n    matchLabels: {app: backend}\n"
            "  template:\n    metadata:\n      labels: {app: backend}\n    spec:\n"
            "      containers: [{name: api, image: api}]\n"
        ),
        fix="Match the labels of the pods to admit: `podSelector: {matchLabels: {app: backend}}`.",
        help_uri=NETWORK_POLICY_DOCS + "#behavior-of-to-and-from-selectors",
        tags=("networkpolicy", "reference"),
    )
    kinds = frozenset({"NetworkPolicy"})

    def check(self, manifest: Manifest, ctx: RuleContext) -> Iterator[Diagnostic]:
        if not is_network_policy(manifest):
            return
        for section, peers, verb in _SECTIONS:
            for rule_index, rule in rules_of(manifest, section):
                for peer_index, peer in items_at(rule, peers):
                    path: Path = ("spec", section, rule_index, peers, peer_index)
                    place = f"spec.{section}[{rule_index}].{peers}[{peer_index}]"
                    yield from self._peer(manifest, ctx, peer, path, f"{place} {verb}")

    def _peer(
        self, manifest: Manifest, ctx: RuleContext, peer: Node, path: Path, what: str
    ) -> Iterator[Diagnostic]:
        pods = parse_label_selector(dig(peer, "podSelector"))
        namespace_node = dig(peer, "namespaceSelector")
        if namespace_node is None:
            if pods is not None and not is_empty(pods):
                yield from self._pods_in(manifest, ctx, pods, (manifest.namespace,), path, what)
            return
        namespaces = parse_label_selector(namespace_node)
        if namespaces is None or is_empty(namespaces):
            return  # every namespace: pods anywhere in the cluster
        named = _named_namespaces(namespaces)
        if named is None:
            yield from self._namespace_labels(manifest, ctx, namespaces, path, what)
        elif pods is not None and not is_empty(pods):
            yield from self._pods_in(manifest, ctx, pods, named, path, what)
        else:
            yield from self._namespace_names(manifest, ctx, named, path, what)

    def _pods_in(
        self,
        manifest: Manifest,
        ctx: RuleContext,
        pods: LabelSelector,
        namespaces: tuple[str | None, ...],
        path: Path,
        what: str,
    ) -> Iterator[Diagnostic]:
        """A podSelector matching no template of `namespaces`, each of which has some."""
        inventory = ctx.inventory
        candidates: list[PodTemplate] = []
        for namespace in namespaces:
            in_namespace = namespace_templates(inventory, namespace)
            selection = selected_templates(pods, namespace, inventory)
            if not in_namespace or selection.templates or not selection.complete:
                return  # pods defined elsewhere, a match, or no verdict
            candidates += in_namespace
        if not candidates:
            return
        near = near_misses(pods, candidates)
        shown = [f"{t.owner.ref} has {label_list(t.labels)}" for t in near[:_SHOWN]]
        nearest = f"; nearest: {'; '.join(shown)}" if shown else ""
        typo = bool(near) and slips(pods, near[0].labels)
        where = ", ".join(str(namespace) for namespace in namespaces)
        spaces = "namespace" if len(namespaces) == 1 else "namespaces"
        yield Diagnostic(
            (*path, "podSelector"),
            f"{manifest.ref}: the peer {what} no pods: no pod template in {spaces} {where} "
            f"matches podSelector {selector_text(pods)}{nearest}{'' if typo else _OPERATORS_NOTE}",
            severity=Severity.WARNING if typo else Severity.INFO,
            on_key=True,
            hint="make the podSelector match the labels of the pod template "
            "(spec.template.metadata.labels) of the pods to admit",
        )

    def _namespace_labels(
        self, manifest: Manifest, ctx: RuleContext, selector: LabelSelector, path: Path, what: str
    ) -> Iterator[Diagnostic]:
        """A namespaceSelector on labels that no known Namespace has, one with a look-alike."""
        known = list(known_namespaces(ctx))
        if any(selector.verdict(labels) is not False for _, labels in known):
            return
        typos = [(name, labels) for name, labels in known if slips(selector, labels)]
        if not typos:
            return  # a namespace the input does not describe may carry the labels
        shown = "; ".join(
            f"Namespace {name} has {label_list(labels)}" for name, labels in typos[:_SHOWN]
        )
        yield Diagnostic(
            (*path, "namespaceSelector"),
            f"{manifest.ref}: the peer {what} no namespace: no Namespace of the input or of "
            f"external.namespaces matches namespaceSelector {selector_text(selector)}; "
            f"nearest: {shown}",
            on_key=True,
            hint="make the namespaceSelector match the labels of the Namespace to admit",
        )

    def _namespace_names(
        self,
        manifest: Manifest,
        ctx: RuleContext,
        names: tuple[str, ...],
        path: Path,
        what: str,
    ) -> Iterator[Diagnostic]:
        """A namespaceSelector naming namespaces the input does not have, each like one it has."""
        present = ctx.inventory.memo("networkpolicy:namespaces", _namespaces_in_input)
        present |= frozenset(ctx.settings.external.namespace_labels)
        if not names or any(name in present for name in names):
            return
        lookalikes = sorted(p for p in present for name in names if looks_like_slip(name, p))
        if not lookalikes:
            return  # a namespace the input says nothing of may exist in the cluster
        yield Diagnostic(
            (*path, "namespaceSelector"),
            f"{manifest.ref}: the peer {what} namespace {', '.join(names)}, which no object of "
            f"the input lives in; nearest: namespace {', '.join(lookalikes[:_SHOWN])}",
            on_key=True,
            hint=f"name the namespace to admit: {NAMESPACE_NAME_LABEL}: {lookalikes[0]}",
        )
