"""What the input and the configuration tell of Namespaces: their labels, for the rules that
evaluate a `namespaceSelector` (Gateway listeners' `allowedRoutes`, NetworkPolicy peers)."""

from __future__ import annotations

from collections.abc import Iterator

from netlint.api import RuleContext
from netlint.k8s import dig, string_map

# The label the API server sets on every Namespace (since 1.21): its name.
NAMESPACE_NAME_LABEL = "kubernetes.io/metadata.name"


def namespace_labels(ctx: RuleContext, namespace: str | None) -> dict[str, str] | None:
    """Labels of `namespace`: from a Namespace in the input, else config `external.namespaces`;
    None when neither knows them. Kubernetes adds `kubernetes.io/metadata.name` to every one."""
    if namespace is None:
        return None
    labels: dict[str, str] | None = None
    for found in ctx.inventory.all_named("Namespace", None, namespace):
        labels = string_map(dig(found.data, "metadata", "labels"))
        break
    if labels is None:
        external = ctx.settings.external.namespace_labels.get(namespace)
        if external is not None:
            labels = dict(external)
    if labels is None:
        return None
    return {**labels, NAMESPACE_NAME_LABEL: namespace}


def known_namespaces(ctx: RuleContext) -> Iterator[tuple[str, dict[str, str]]]:
    """(name, labels) of every Namespace whose labels are known: the input's Namespace objects,
    then config `external.namespaces`, each once."""
    names = [m.name for m in ctx.inventory.of_kind("Namespace")]
    names += ctx.settings.external.namespace_labels
    for name in dict.fromkeys(names):
        labels = namespace_labels(ctx, name)
        if labels is not None:
            yield name, labels
