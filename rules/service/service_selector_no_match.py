"""`service-selector-no-match`: a Service selector that matches no pod template in its namespace."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from netlint.api import (
    Diagnostic,
    Inventory,
    Manifest,
    OrdinalValues,
    PodTemplate,
    Rule,
    RuleContext,
    RuleMeta,
    Severity,
)
from netlint.k8s import ByNamespace, capped, label_list, namespace_phrase

from .._similar import looks_like_slip
from ._service import (
    EXTERNAL_NAME,
    MAX_NAMED,
    SERVICE_DOCS,
    pairs,
    service_type,
    string_selector,
)

# Candidates examined per Service (cost stays bounded).
_MAX_EXAMINED = 500

_ByKey = dict[str, ByNamespace[PodTemplate]]
_ByLabel = dict[tuple[str, str], ByNamespace[PodTemplate]]


def _templates_by_key(inventory: Inventory) -> _ByKey:
    """label key -> templates whose pods carry that key, whatever its value, by namespace."""
    index: _ByKey = defaultdict(ByNamespace[PodTemplate])
    for template in inventory.templates:
        for key in {*template.labels, *template.added_labels}:
            index[key].add(template.namespace, template)
    return index


def _templates_by_owner_label(inventory: Inventory) -> _ByLabel:
    """(key, value) -> templates whose owning workload has that metadata label, by namespace."""
    index: _ByLabel = defaultdict(ByNamespace[PodTemplate])
    for template in inventory.templates:
        if template.owner.kind == "Pod":
            continue  # a Pod's metadata labels are its pods' labels
        for key, value in template.owner_labels.items():
            index[(key, value)].add(template.namespace, template)
    return index


def _unique(templates: list[PodTemplate]) -> list[PodTemplate]:
    """Each template once; copies of one workload in several files count once."""
    seen: set[object] = set()
    result: list[PodTemplate] = []
    for template in templates:
        key = (str(template.owner.ref), tuple(sorted(template.labels.items())))
        if id(template) not in seen and key not in seen:
            seen.update((id(template), key))
            result.append(template)
    return result


def _label_text(template: PodTemplate, key: str, has: str | None) -> str:
    """What the template's pods carry for `key`, for a near-miss message."""
    if has is not None:
        return f"has {key}={has}"
    added = template.added_labels.get(key)
    if isinstance(added, OrdinalValues):
        return f"has {key} {added.describe()}"
    return f"has no label {key}"


def _pod_labels(template: PodTemplate) -> str:
    return label_list(template.labels)


class ServiceSelectorNoMatch(Rule):
    meta = RuleMeta(
        id="service-selector-no-match",
        severity=Severity.WARNING,
        summary="The Service's selector matches no pod template in its namespace",
        what=(
            "Reports a Service whose `spec.selector` is carried by no pod template of the input in "
            "the Service's namespace: every selector label must be among the template's labels "
            "(`spec.template.metadata.labels`, plus the labels controllers add, such as a "
            "StatefulSet's `statefulset.kubernetes.io/pod-name`). Pods of Pods, Deployments, "
            "StatefulSets, DaemonSets, ReplicaSets, ReplicationControllers, Jobs, CronJobs, Argo "
            "Rollouts, OpenShift DeploymentConfigs and configured custom kinds count. The message "
            "names near misses: a workload whose own metadata labels match but whose pod template "
            "does not, a template that differs in one label, and matches in other namespaces. "
            "When the only matches are in another namespace it is an error; when nothing in the "
            "linted files matches, a warning (the pods may be defined elsewhere)."
        ),
        why=(
            "A Service only sends traffic to ready pods whose labels contain its whole selector, "
            "in its own namespace. A selector that matches nothing leaves the Service without "
            "endpoints: connections are refused or time out. The most common slip is copying "
            "the Deployment's `metadata.labels` into the selector when the pod template carries "
            "other labels."
        ),
        example=(
            "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector:\n"
            "    app: web\n    tier: frontend\n  ports:\n  - port: 80\n---\napiVersion: apps/v1\n"
            "kind: Deployment\nmetadata:\n  name: web\n  labels: {app: web, tier: frontend}\n"
            "spec:\n  selector:\n    matchLabels: {app: web}\n  template:\n    metadata:\n"
            "      labels: {app: web}\n    spec:\n      containers: [{name: web, image: nginx}]\n"
        ),
        fix=(
            "Make the selector a subset of the pod template's labels (`spec.template.metadata."
            "labels`), e.g. `selector: {app: web}`, or add the missing labels to the template."
        ),
        help_uri=SERVICE_DOCS + "#defining-a-service",
        tags=("service", "reference"),
        facts=("SVC-39",),
    )
    kinds = frozenset({"Service"})
    settles_locally = True  # more pod templates can only give the selector a match

    def check(self, manifest: Manifest, ctx: RuleContext) -> Iterator[Diagnostic]:
        kind = service_type(manifest)
        if kind is None or kind == EXTERNAL_NAME:
            return  # an ExternalName selector is ignored: service-type-fields says so
        selector = string_selector(manifest)
        if not selector:
            return
        inventory = ctx.inventory
        namespace = manifest.namespace
        if inventory.matching_templates(selector, namespace):
            return
        ref = str(manifest.ref)
        wanted = pairs(selector)

        elsewhere = self._elsewhere(inventory, selector, namespace)
        if elsewhere:
            owners = ", ".join(str(t.owner.ref) for t in elsewhere[:MAX_NAMED])
            spaces = sorted({t.namespace or "" for t in elsewhere})
            yield Diagnostic(
                ("spec", "selector"),
                f"{ref} selects no pods in namespace {namespace}: the pods with {wanted} are in "
                f"{'namespace' if len(spaces) == 1 else 'namespaces'} {capped(spaces, len(spaces))} "
                f"({owners}); a Service only selects pods in its own namespace",
                severity=Severity.ERROR,
                on_key=True,
                hint=f"put {ref} in namespace {spaces[0]}, or the pods in namespace {namespace}",
            )
            return

        misplaced = self._metadata_near_misses(inventory, selector, namespace)
        if misplaced:
            template = misplaced[0]
            owner = template.owner.ref
            yield Diagnostic(
                ("spec", "selector"),
                f"{ref} selects no pods: {owner} has {wanted} in its metadata labels, but its pod "
                f"template is labelled {_pod_labels(template)}; a selector matches the pod "
                "template's labels, not the workload's",
                on_key=True,
                hint=(
                    f"add {wanted} to spec.template.metadata.labels of {owner}, or select the "
                    "template's labels"
                ),
            )
            return

        near = self._one_label_near_misses(inventory, selector, namespace)
        if near:
            key = near[0][1]
            details = "; ".join(f"{t.owner.ref} {text}" for t, _, text in near[:MAX_NAMED])
            yield Diagnostic(
                ("spec", "selector", key),
                f"{ref} selects no pods: no pod template in {namespace_phrase(namespace)} has {wanted}; "
                f"nearest: {details}",
                hint=f"make selector label {key} match the pod template, or fix the template",
            )
            return

        yield Diagnostic(
            ("spec", "selector"),
            f"{ref} selects no pods: no pod template in {namespace_phrase(namespace)} of the linted files "
            f"has {wanted}",
            on_key=True,
            hint=(
                "if the workload is defined in other files, lint them together (or pass them "
                "with --context)"
            ),
        )

    @staticmethod
    def _elsewhere(
        inventory: Inventory, selector: dict[str, str], namespace: str | None
    ) -> list[PodTemplate]:
        return _unique(inventory.matching_templates_elsewhere(selector, namespace))

    @staticmethod
    def _metadata_near_misses(
        inventory: Inventory, selector: dict[str, str], namespace: str | None
    ) -> list[PodTemplate]:
        index = inventory.memo("service-selector.by-owner-label", _templates_by_owner_label)
        found = index.get(next(iter(selector.items())))
        return [
            t
            for t in (found.compatible_with(namespace) if found is not None else ())
            if all(t.owner_labels.get(k) == v for k, v in selector.items())
        ]

    @staticmethod
    def _one_label_near_misses(
        inventory: Inventory, selector: dict[str, str], namespace: str | None
    ) -> list[tuple[PodTemplate, str, str]]:
        """Templates matching every selector label but one: (template, that key, what it has)."""
        candidates: list[PodTemplate] = []
        if len(selector) == 1:
            by_key = inventory.memo("service-selector.by-key", _templates_by_key)
            found = by_key.get(next(iter(selector)))
            candidates = list(found.compatible_with(namespace)) if found is not None else []
        else:
            for key, value in selector.items():
                candidates.extend(inventory.candidates_with_label(namespace, key, value))
        result: list[tuple[PodTemplate, str, str]] = []
        for template in _unique(candidates)[:_MAX_EXAMINED]:
            missed = [(k, v) for k, v in selector.items() if not template.has_label(k, v)]
            if len(missed) != 1:
                continue
            key = missed[0][0]
            has = template.labels.get(key)
            if len(selector) == 1 and (has is None or not looks_like_slip(selector[key], has)):
                continue  # with one label, only a look-alike value is a near miss
            text = _label_text(template, key, has)
            result.append((template, key, text))
        # Same key with another value first: the likeliest typo.
        result.sort(key=lambda item: item[0].labels.get(item[1]) is None)
        return result
