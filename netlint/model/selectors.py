"""metav1.LabelSelector semantics, shared by policies (`namespaceSelector`, `selector`) and the
Gateway API rules (`allowedRoutes.namespaces.selector`)."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import field

from netlint.input.document import Node
from netlint.model.access import as_map, as_str, dig, items_at, string_map
from netlint.records import record


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


@record(frozen=True, slots=True)
class LabelSelector:
    """A metav1.LabelSelector as written. An expression whose key or operator is not a string (a
    manifest's wrong shape) keeps its place: like an operator the API rejects, it leaves the
    verdict undecided unless something before it has already failed."""

    match_labels: Mapping[str, str] = field(default_factory=lambda: {})
    # (key, operator, values); None where the data holds no string
    match_expressions: tuple[tuple[str | None, str | None, tuple[str, ...]], ...] = ()

    def verdict(self, labels: Mapping[str, str]) -> bool | None:
        """Whether `labels` match, in order; None at the first expression the API rejects."""
        for key, value in self.match_labels.items():
            if labels.get(key) != value:
                return False
        for key, operator, values in self.match_expressions:
            if key is None or operator is None:
                return None
            found = expression_matches(labels, key, operator, values)
            if found is not True:
                return found
        return True

    def matches(self, labels: Mapping[str, str]) -> bool:
        """`verdict`, where undecided counts as no match (a filter must say yes or no)."""
        return self.verdict(labels) is True

    def keys(self) -> set[str]:
        """The label keys the selector reads."""
        keys = set(self.match_labels)
        keys.update(key for key, _, _ in self.match_expressions if key is not None)
        return keys


def parse_label_selector(node: Node) -> LabelSelector | None:
    """The selector at `node`, None when it is not a mapping. Values of the wrong type in
    `matchLabels` and `values` are dropped (another rule's problem): manifests are untrusted,
    policy configs are schema-checked before this runs."""
    spec = as_map(node)
    if spec is None:
        return None
    expressions = tuple(
        (
            as_str(dig(item, "key")),
            as_str(dig(item, "operator")),
            tuple(value for _, value in items_at(item, "values") if isinstance(value, str)),
        )
        for _, item in items_at(spec, "matchExpressions")
    )
    return LabelSelector(string_map(spec.get("matchLabels")), expressions)
