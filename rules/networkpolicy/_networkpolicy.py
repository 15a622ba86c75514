"""What the NetworkPolicy rules share beyond the policy engine (`netlint.traffic.policy_eval`,
which reads policies, selects pods and evaluates traffic): near misses and selectors as messages
write them."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from netlint.api import PodTemplate
from netlint.k8s import LabelSelector
from netlint.traffic.policy_eval import MAX_EXAMINED, is_empty

from .._similar import looks_like_slip

NETWORK_POLICY_DOCS = "https://kubernetes.io/docs/concepts/services-networking/network-policies/"


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
