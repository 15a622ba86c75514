"""The parameter objects a binding gives its policy for one request, found in the input, after
k8s.io/apiserver's generic policy dispatcher (`collectParams`): no `paramKind` means one
evaluation with `params` null; a `paramRef` by name gives that object; by selector, every
object of the kind that matches, each evaluated in turn.

Offline, a parameter object that the input does not hold may still exist in the cluster, so
that case is unknown (None): the policy does not apply, rather than netlint guessing either the
object or `parameterNotFoundAction`.
"""

from __future__ import annotations

from dataclasses import dataclass

from netlint.api import RuleContext
from netlint.input.document import Node
from netlint.model.access import string_map
from netlint.model.manifest import CLUSTER_SCOPED_KINDS, Manifest, kind_key
from netlint.model.namespace import APPLY_NAMESPACE
from netlint.policy.admission.spec import AdmissionPolicy, Binding


@dataclass(frozen=True, slots=True)
class Params:
    """The parameter objects to evaluate with (None stands for `params` null), or the
    configuration error the API server reports instead (`failurePolicy` then decides)."""

    objects: tuple[Node, ...] = (None,)
    error: str | None = None


def resolve_params(
    policy: AdmissionPolicy, binding: Binding, manifest: Manifest, ctx: RuleContext
) -> Params | None:
    """The parameters of one (policy, binding, request); None when the input cannot tell."""
    if policy.param_kind is None:
        return Params()  # a paramRef without paramKind is ignored
    api_version, kind = policy.param_kind
    ref = binding.param_ref
    if ref is None:
        return Params(
            (), f"paramKind kind `{api_version}, Kind={kind}` is set but paramRef is empty"
        )
    namespace: str | None = None
    if kind not in CLUSTER_SCOPED_KINDS:
        namespace = ref.namespace or manifest.namespace
        if namespace is None:
            return Params(
                (),
                "cannot use a namespaced paramRef in a policy binding that matches "
                "cluster-scoped resources",
            )
        if namespace == APPLY_NAMESPACE:
            return None  # the namespace the object is applied to is not known
    key = kind_key(kind, api_version)
    candidates = [
        m
        for m in ctx.inventory.of_kind(key)
        if m.api_version == api_version and m.kind == kind and m.namespace == namespace
    ]
    if ref.name is not None:
        found = [m for m in candidates if m.name == ref.name]
    else:
        selector = ref.selector
        found = [
            m for m in candidates if selector is None or selector.matches(string_map(m.labels))
        ]
    if not found:
        return None
    # By name, the first copy (a second is duplicate-object's); by selector, every match.
    return Params(tuple(m.data for m in (found[:1] if ref.name is not None else found)))
