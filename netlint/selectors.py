"""metav1.LabelSelector semantics, shared by policies (`namespaceSelector`, `selector`) and the
Gateway API rules (`allowedRoutes.namespaces.selector`)."""

from __future__ import annotations

from collections.abc import Collection, Mapping


def expression_matches(
    labels: Mapping[str, str], key: str, operator: str, values: Collection[str]
) -> bool | None:
    """One `matchExpressions` entry against `labels`; None for an operator the API rejects."""
    present = key in labels
    if operator == "In":
        return present and labels[key] in values
    if operator == "NotIn":
        return not (present and labels[key] in values)
    if operator == "Exists":
        return present
    if operator == "DoesNotExist":
        return not present
    return None
