"""The apply namespace (DESIGN §3, "Manifest"; issue 23).

An object without `metadata.namespace` lives in the namespace chosen when it is applied
(`kubectl apply -n`, kustomize's `namespace:`, a Helm release, OLM), unless config or
`--default-namespace` names one. netlint cannot know that namespace, only that the
namespace-less objects of one scope share it. Such objects carry `APPLY_NAMESPACE` as their
namespace, and a reference between it and an explicit namespace is never "another namespace":
after apply they may well be the same one.

Cluster-scoped objects have no namespace at all (`None`), which is compatible only with itself.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Generic, TypeVar

T = TypeVar("T")

APPLY_NAMESPACE = ""  # falsy, so `ObjectRef` prints such objects without a made-up `default/`


def compatible(first: str | None, second: str | None) -> bool:
    """Whether objects in these namespaces may end up in the same one once applied."""
    if first is None or second is None:
        return first is second
    return first == second or APPLY_NAMESPACE in (first, second)


class ByNamespace(Generic[T]):
    """Members (objects, pod templates) indexed by their namespace, read by compatibility: what
    may be in a namespace once applied is its own members, then those of the apply namespace;
    what may be in the apply namespace is the members of every namespace."""

    def __init__(self) -> None:
        self._members: dict[str | None, list[T]] = {}
        self._namespaced: list[T] | None = None  # every namespace's, on first use

    def add(self, namespace: str | None, member: T) -> None:
        self._members.setdefault(namespace, []).append(member)
        self._namespaced = None

    def exactly_in(self, namespace: str | None) -> Sequence[T]:
        return self._members.get(namespace, ())

    def compatible_with(self, namespace: str | None) -> Sequence[T]:
        if namespace is None:
            return self.exactly_in(None)
        if namespace == APPLY_NAMESPACE:
            if self._namespaced is None:
                self._namespaced = [
                    member
                    for space, members in self._members.items()
                    if space is not None
                    for member in members
                ]
            return self._namespaced
        own, applied = self.exactly_in(namespace), self.exactly_in(APPLY_NAMESPACE)
        return [*own, *applied] if own and applied else (own or applied)


def qualified(namespace: str | None, name: str) -> str:
    """`shop/web`, or `web` for an object in the apply namespace or a cluster-scoped one."""
    return f"{namespace}/{name}" if namespace else name


def namespace_phrase(namespace: str | None) -> str:
    """`namespace shop`, or `the apply namespace` for objects that name none."""
    return f"namespace {namespace}" if namespace else "the apply namespace"


__all__ = [
    "APPLY_NAMESPACE",
    "ByNamespace",
    "compatible",
    "namespace_phrase",
    "qualified",
]
