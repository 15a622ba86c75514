"""What the input and the configuration tell of Namespaces: their labels, for the rules that
evaluate a `namespaceSelector` (Gateway listeners' `allowedRoutes`, NetworkPolicy peers)."""

from __future__ import annotations

from collections.abc import Iterator

from netlint.api import RuleContext
from netlint.traffic import policy_eval
from netlint.traffic.policy_eval import NAMESPACE_NAME_LABEL

__all__ = ["NAMESPACE_NAME_LABEL", "known_namespaces", "namespace_labels"]


def namespace_labels(ctx: RuleContext, namespace: str | None) -> dict[str, str] | None:
    """Labels of `namespace`: from a Namespace in the input, else config `external.namespaces`;
    None when neither knows them (`netlint.traffic.policy_eval.namespace_labels`)."""
    return policy_eval.namespace_labels(ctx.inventory, ctx.settings.external, namespace)


def known_namespaces(ctx: RuleContext) -> Iterator[tuple[str, dict[str, str]]]:
    """(name, labels) of every Namespace whose labels are known: the input's Namespace objects,
    then config `external.namespaces`, each once."""
    names = [m.name for m in ctx.inventory.of_kind("Namespace")]
    names += ctx.settings.external.namespace_labels
    for name in dict.fromkeys(names):
        labels = namespace_labels(ctx, name)
        if labels is not None:
            yield name, labels
