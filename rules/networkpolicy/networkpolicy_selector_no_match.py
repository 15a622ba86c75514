"""`networkpolicy-selector-no-match`: a NetworkPolicy whose `podSelector` selects no pod template
of its namespace, although the input has pod templates there."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from netlint.api import (
    Diagnostic,
    Inventory,
    Manifest,
    PodTemplate,
    Rule,
    RuleContext,
    RuleMeta,
    Severity,
)
from netlint.k8s import LabelSelector, dig, label_list, parse_label_selector

from .._similar import looks_like_slip
from .networkpolicy_format import NETWORK_POLICY_DOCS

# Candidates compared per policy: a selector of expressions alone is checked against at most this
# many templates of its namespace (the cost stays linear); past it, no verdict.
_MAX_EXAMINED = 500
_SHOWN = 3

_ByNamespace = dict[str | None, list[PodTemplate]]


def _templates_by_namespace(inventory: Inventory) -> _ByNamespace:
    index: _ByNamespace = defaultdict(list)
    for template in inventory.templates:
        index[template.namespace].append(template)
    return index


def _verdict(selector: LabelSelector, template: PodTemplate) -> bool | None:
    """Whether the template's pods are selected; None when labels the controller adds (a
    StatefulSet's pod name, a Deployment's pod-template-hash) decide it."""
    if selector.keys() & template.added_labels.keys():
        return None
    return selector.verdict(template.labels)


def _selects_some(
    selector: LabelSelector,
    namespace: str | None,
    inventory: Inventory,
    in_namespace: list[PodTemplate],
) -> bool | None:
    """Whether some template of `namespace` is selected; None when it cannot be told. The
    `matchLabels` index narrows the candidates; expressions alone are checked one by one."""
    if selector.match_labels:
        candidates = inventory.matching_templates(dict(selector.match_labels), namespace)
    else:
        candidates = in_namespace
    undecided = len(candidates) > _MAX_EXAMINED
    for template in candidates[:_MAX_EXAMINED]:
        found = _verdict(selector, template)
        if found is True:
            return True
        undecided = undecided or found is None
    return None if undecided else False


def selector_text(selector: LabelSelector) -> str:
    """`app=web, tier in (a, b), !legacy`: the selector as kubectl's `-l` syntax writes it."""
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


def _slips(selector: LabelSelector, template: PodTemplate) -> bool:
    """Whether the template has every `matchLabels` label but one, and that one with a value
    that looks like a slip (`fronted` for `frontend`): a typo, not pods defined elsewhere."""
    differing = [
        (value, template.labels.get(key))
        for key, value in selector.match_labels.items()
        if template.labels.get(key) != value
    ]
    if len(differing) != 1:
        return False
    wanted, has = differing[0]
    return has is not None and looks_like_slip(wanted, has)


def _near_misses(selector: LabelSelector, templates: list[PodTemplate]) -> list[PodTemplate]:
    """Templates of the namespace that carry a key the selector reads, slips first."""
    keys = selector.keys()
    near = [t for t in templates[:_MAX_EXAMINED] if keys & t.labels.keys()]
    return sorted(near, key=lambda template: not _slips(selector, template))


class NetworkPolicySelectorNoMatch(Rule):
    meta = RuleMeta(
        id="networkpolicy-selector-no-match",
        severity=Severity.WARNING,
        summary="The NetworkPolicy's podSelector selects no pod template in its namespace",
        what=(
            "Reports a networking.k8s.io/v1 NetworkPolicy whose `spec.podSelector` "
            "(`matchLabels` and `matchExpressions`) matches the labels of no pod template of the "
            "input in the policy's namespace, when the input has pod templates there. An empty "
            "selector selects every pod and is never reported; a namespace without pod templates "
            "in the input gives nothing to judge against (the pods may be defined elsewhere), so "
            "it is not reported either. Labels that controllers add to pods (a StatefulSet's "
            "pod name, a Deployment's `pod-template-hash`) leave the verdict open. The message "
            "names templates that carry a key the selector reads, with their labels. It is a "
            "warning when one of them has a look-alike value (`fronted` for `frontend`), and "
            "info otherwise: operators create pods that no manifest declares (the Prometheus "
            "Operator's `Prometheus` pods, Longhorn's instance managers)."
        ),
        why=(
            "A policy applies to the pods its `podSelector` selects in its own namespace, and "
            "to no others. A typo in a label (`app: fronted`) or a selector copied from the "
            "workload's own metadata labels protects nothing: the pods meant to be isolated "
            "accept and send all traffic, and nothing says so."
        ),
        example=(
            "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: web\n"
            "  namespace: shop\nspec:\n  podSelector:\n    matchLabels: {app: fronted}\n"
            "  ingress:\n  - from: [{podSelector: {matchLabels: {app: gateway}}}]\n---\n"
            "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: shop\n"
            "spec:\n  selector:\n    matchLabels: {app: frontend}\n  template:\n"
            "    metadata:\n      labels: {app: frontend}\n    spec:\n"
            "      containers: [{name: web, image: nginx}]\n"
        ),
        fix="Select the labels of the pod template (`spec.template.metadata.labels`): "
        "`podSelector: {matchLabels: {app: frontend}}`.",
        help_uri=NETWORK_POLICY_DOCS + "#networkpolicy-resource",
        tags=("networkpolicy", "reference"),
    )
    kinds = frozenset({"NetworkPolicy"})
    settles_locally = True  # more pod templates can only give the selector a match

    def check(self, manifest: Manifest, ctx: RuleContext) -> Iterator[Diagnostic]:
        if manifest.api_version != "networking.k8s.io/v1":
            return
        node = dig(manifest.data, "spec", "podSelector")
        selector = parse_label_selector(node)
        if selector is None or not (selector.match_labels or selector.match_expressions):
            return  # absent (schema) or empty: every pod of the namespace
        inventory = ctx.inventory
        namespace = manifest.namespace
        templates = inventory.memo("networkpolicy:templates", _templates_by_namespace)
        in_namespace = templates.get(namespace, [])
        if not in_namespace:
            return  # nothing to judge against
        if _selects_some(selector, namespace, inventory, in_namespace) is not False:
            return
        near = _near_misses(selector, in_namespace)
        shown = [f"{t.owner.ref} has {label_list(t.labels)}" for t in near[:_SHOWN]]
        nearest = f"; nearest: {'; '.join(shown)}" if shown else ""
        if near and _slips(selector, near[0]):
            severity, why = Severity.WARNING, ""
        else:  # no look-alike: the pods may come from an operator or from elsewhere
            severity = Severity.INFO
            why = " (pods that an operator creates, or defined outside the input, are not seen)"
        yield Diagnostic(
            ("spec", "podSelector"),
            f"{manifest.ref} selects no pods: no pod template in namespace {namespace} matches "
            f"podSelector {selector_text(selector)}{nearest}{why}",
            severity=severity,
            on_key=True,
            hint="make the podSelector match the labels of the pod template "
            "(spec.template.metadata.labels) of the workloads to isolate",
        )
