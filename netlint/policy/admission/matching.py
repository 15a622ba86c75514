"""Whether a policy's `matchConstraints` or a binding's `matchResources` select the CREATE of a
manifest, following k8s.io/apiserver's `admission/plugin/policy/matching` `Matcher.Matches`
(namespace selector, object selector, excluded rules, then resource rules) and
`webhook/predicates/rules` `Matcher.Matches` for one rule.

A verdict is True, False, or None when the input cannot tell: the labels of a Namespace that is
neither in the input nor under config `external.namespaces`, the apply namespace, or a rule that
matches only through `matchPolicy: Equivalent` (the API server would convert the object to
another version first, which netlint cannot do).
"""

from __future__ import annotations

from netlint.api import RuleContext
from netlint.k8s import NAMESPACE_NAME_LABEL, namespace_labels
from netlint.model.access import as_str, dig, string_map
from netlint.model.manifest import Manifest
from netlint.model.selectors import LabelSelector
from netlint.policy.admission.resources import RequestResource, equivalent_groups
from netlint.policy.admission.spec import MatchResources, ResourceRule

OPERATION = "CREATE"  # what netlint evaluates: the creation of each manifest


def _resource_ok(patterns: tuple[str, ...], resource: str) -> bool:
    # Upstream's `Matcher.resource`: a pattern is `resource[/subresource]`, each part `*` or
    # exact; a CREATE of the object itself has no subresource.
    for pattern in patterns:
        name, _, sub = pattern.partition("/")
        if (name in ("*", resource)) and (sub in ("*", "")):
            return True
    return False


def rule_verdict(rule: ResourceRule, request: RequestResource, name: str) -> bool | None:
    """True when `rule` selects the request, None when only an equivalent resource (another
    group or version serving it) does."""
    if rule.scope == "Cluster" and request.namespaced:
        return False
    if rule.scope == "Namespaced" and not request.namespaced:
        return False
    if "*" not in rule.operations and OPERATION not in rule.operations:
        return False
    if not _resource_ok(rule.resources, request.resource):
        return False
    if rule.resource_names and name not in rule.resource_names:
        return False
    group_ok = "*" in rule.api_groups or request.group in rule.api_groups
    version_ok = "*" in rule.api_versions or request.version in rule.api_versions
    if group_ok and version_ok:
        return True
    groups = equivalent_groups(request.group, request.resource)
    if "*" in rule.api_groups or groups & set(rule.api_groups):
        return None
    return False


def _rules_verdict(
    rules: tuple[ResourceRule, ...], request: RequestResource, name: str, equivalent: bool
) -> bool | None:
    found: bool | None = False
    for rule in rules:
        verdict = rule_verdict(rule, request, name)
        if verdict is True:
            return True
        if verdict is None and equivalent:
            found = None
    return found


def _selector_verdict(selector: LabelSelector | None, labels: dict[str, str] | None) -> bool | None:
    if selector is None or not (selector.match_labels or selector.match_expressions):
        return True  # nil or {}: everything
    if labels is None:
        return None
    return selector.matches(labels)


def _namespace_labels(manifest: Manifest, ctx: RuleContext) -> dict[str, str] | None:
    if manifest.kind_key == "Namespace":
        # A Namespace is matched on its own labels, with the name label its defaulting adds.
        return {**string_map(manifest.labels), NAMESPACE_NAME_LABEL: manifest.name}
    return namespace_labels(ctx, manifest.namespace)


def match_verdict(
    match: MatchResources,
    manifest: Manifest,
    request: RequestResource,
    ctx: RuleContext,
    *,
    rules_required: bool,
) -> bool | None:
    """Whether `match` selects the CREATE of `manifest`. `rules_required`: a policy's
    `matchConstraints` select nothing without resource rules; a binding's without them do not
    narrow the policy's."""
    name = as_str(dig(manifest.data, "metadata", "name")) or ""  # empty with generateName
    verdicts: list[bool | None] = []
    # Cluster-scoped objects other than Namespaces are never exempted by a namespace selector.
    if request.namespaced or manifest.kind_key == "Namespace":
        verdicts.append(
            _selector_verdict(match.namespace_selector, _namespace_labels(manifest, ctx))
        )
    verdicts.append(_selector_verdict(match.object_selector, string_map(manifest.labels)))
    excluded = _rules_verdict(
        match.exclude_resource_rules, request, name, match.match_policy == "Equivalent"
    )
    verdicts.append(None if excluded is None else not excluded)
    if match.resource_rules or rules_required:
        verdicts.append(
            _rules_verdict(match.resource_rules, request, name, match.match_policy == "Equivalent")
        )
    if False in verdicts:
        return False
    return None if None in verdicts else True
