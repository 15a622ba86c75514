"""A policy's `match`: which objects it checks (kinds, namespaces, names, label selectors) and
which of those it excludes."""

from __future__ import annotations

import fnmatch
from collections.abc import Mapping
from dataclasses import field
from typing import NamedTuple, cast

from netlint.api import RuleContext
from netlint.input.document import Node
from netlint.k8s import namespace_labels
from netlint.model.access import string_map
from netlint.model.manifest import Manifest
from netlint.model.selectors import LabelSelector, parse_label_selector
from netlint.records import record


class KindMatch(NamedTuple):
    kind: str  # a `Manifest.kind_key` ("Service"; "Ingress")
    api_version: str | None  # a glob; None: any


@record(frozen=True, slots=True)
class Filter:
    """One side of `match`: what an object must be (match) or must not be (exclude)."""

    kinds: tuple[KindMatch, ...] = ()
    namespaces: tuple[str, ...] = ()
    names: tuple[str, ...] = ()
    selector: LabelSelector | None = None
    namespace_selector: LabelSelector | None = None
    # The label-selector parameters that stand for them (`"{{ params.NAME }}"`), bound per run.
    selector_param: str | None = None
    namespace_selector_param: str | None = None
    # `kinds` split for `kind_ok`, which every object of a policy's kinds meets twice.
    _kind_keys: frozenset[str] = field(init=False, repr=False, compare=False)
    _versioned: tuple[tuple[str, str], ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        keys = frozenset(k.kind for k in self.kinds if k.api_version is None)
        object.__setattr__(self, "_kind_keys", keys)  # frozen: set once, here
        versioned = tuple((k.kind, k.api_version) for k in self.kinds if k.api_version is not None)
        object.__setattr__(self, "_versioned", versioned)

    def kind_ok(self, manifest: Manifest) -> bool:
        # Without an apiVersion, a known kind name means its own group ("Service" is the core
        # Service, not Knative's); with one, the policy says which group it means.
        return (
            not self.kinds
            or manifest.kind_key in self._kind_keys
            or any(
                kind == manifest.kind and fnmatch.fnmatchcase(manifest.api_version, api_version)
                for kind, api_version in self._versioned
            )
        )

    def verdict(
        self, manifest: Manifest, ctx: RuleContext, params: Mapping[str, object] | None = None
    ) -> bool | None:
        """Whether `manifest` passes every condition; None when a namespace's labels are unknown.
        `params`: the policy's parameters bound for the run (for selectors given as one)."""
        if not self.kind_ok(manifest):
            return False
        namespace = manifest.namespace
        if self.namespaces and (
            namespace is None or not any(fnmatch.fnmatchcase(namespace, p) for p in self.namespaces)
        ):
            return False
        if self.names and not any(fnmatch.fnmatchcase(manifest.name, p) for p in self.names):
            return False
        selector = _bound(self.selector, self.selector_param, params)
        if selector is not None and not selector.matches(string_map(manifest.labels)):
            return False
        namespace_selector = _bound(self.namespace_selector, self.namespace_selector_param, params)
        if namespace_selector is not None:
            if namespace is None:
                return False
            if not (namespace_selector.match_labels or namespace_selector.match_expressions):
                return True  # `{}` selects every namespace, whatever its labels
            labels = namespace_labels(ctx, namespace)
            if labels is None:
                return None
            if not namespace_selector.matches(labels):
                return False
        return True


def _bound(
    fixed: LabelSelector | None, param: str | None, params: Mapping[str, object] | None
) -> LabelSelector | None:
    """The selector as written, or the value of the parameter that stands for it."""
    if param is None or params is None:
        return fixed
    return parse_label_selector(cast("Node", params.get(param)))


class Match(NamedTuple):
    include: Filter
    exclude: Filter | None = None

    def selects(
        self, manifest: Manifest, ctx: RuleContext, params: Mapping[str, object] | None = None
    ) -> bool:
        if self.include.verdict(manifest, ctx, params) is not True:
            return False
        if self.exclude is None:
            return True
        # An exclusion that cannot be decided excludes: no finding rather than a false one.
        return self.exclude.verdict(manifest, ctx, params) is False
