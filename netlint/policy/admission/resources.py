"""The API resource a manifest is created through: group, version, resource name and scope, as
the admission chain sees a CREATE of it."""

from __future__ import annotations

from dataclasses import dataclass

from netlint.input.document import Node
from netlint.model.access import as_map
from netlint.model.manifest import Manifest, api_group

# Resources whose plural the guess below gets wrong (upstream's `unpluralizedSuffixes`).
_UNPLURALIZED = ("endpoints",)


def resource_of_kind(kind: str) -> str:
    """The resource name of a kind: lower case, pluralized as apimachinery's
    `meta.UnsafeGuessKindToResource` does for built-in kinds; a vowel before a final `y` takes an
    `s` (`gateways`), as the plurals of CRDs generated with kubebuilder do."""
    singular = kind.lower()
    if not singular or singular.endswith(_UNPLURALIZED):
        return singular
    if singular.endswith("s"):
        return singular + "es"
    if singular.endswith("y") and len(singular) > 1 and singular[-2] not in "aeiou":
        return singular[:-1] + "ies"
    return singular + "s"


@dataclass(frozen=True, slots=True)
class RequestResource:
    group: str
    version: str
    resource: str
    kind: str
    namespaced: bool


def request_resource(manifest: Manifest) -> RequestResource:
    return RequestResource(
        group=api_group(manifest.api_version),
        version=manifest.api_version.rpartition("/")[2],
        resource=resource_of_kind(manifest.kind),
        kind=manifest.kind,
        namespaced=manifest.namespace is not None,
    )


# Resources served under more than one group (for `matchPolicy: Equivalent`): a rule that names
# one of them also matches a request made through another, after conversion.
_EQUIVALENT_GROUPS: dict[str, frozenset[str]] = {
    "deployments": frozenset(["apps", "extensions"]),
    "daemonsets": frozenset(["apps", "extensions"]),
    "replicasets": frozenset(["apps", "extensions"]),
    "ingresses": frozenset(["networking.k8s.io", "extensions"]),
    "networkpolicies": frozenset(["networking.k8s.io", "extensions"]),
}


def equivalent_groups(group: str, resource: str) -> frozenset[str]:
    """The groups that serve the same resource as `group` does (itself included)."""
    groups = _EQUIVALENT_GROUPS.get(resource)
    return groups if groups is not None and group in groups else frozenset([group])


def object_at_admission(manifest: Manifest) -> dict[str, Node]:
    """The object as admission sees it: with `metadata.namespace` set when netlint knows the
    namespace (the API server fills it in from the request before admission)."""
    data = dict(manifest.data)
    metadata = as_map(data.get("metadata"))
    if manifest.namespace and metadata is not None and "namespace" not in metadata:
        data["metadata"] = {**metadata, "namespace": manifest.namespace}
    return data
