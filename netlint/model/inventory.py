"""Every object of the run, indexed once; rules ask it and never rescan the input (DESIGN §3).

Besides (kind, namespace, name), the inventory knows the pod templates of workloads, with the
labels their controllers add to every pod, and indexes them by label so that matching a selector
costs what its candidates cost, not what the whole input costs.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import field
from typing import TypeVar, cast

from netlint.findings import Path
from netlint.input.document import Node, unloading_afterwards
from netlint.model.access import as_int, as_map, as_str, dig, items_at, string_map
from netlint.model.label_values import LabelValues, OrdinalValues, split_ordinal
from netlint.model.manifest import Manifest
from netlint.model.namespace import APPLY_NAMESPACE, compatible
from netlint.model.shared_paths import shared, shared_strings, shared_text
from netlint.pickling import tuple_pickled
from netlint.records import record

T = TypeVar("T")


@tuple_pickled
@record(frozen=True, slots=True)
class WorkloadKind:
    """A kind whose objects hold a pod template, and where (DESIGN §3; config `workloads:`)."""

    kind: str
    template_path: Path  # () when the object is the pod itself
    group: str | None = None  # None: any API group


BUILTIN_WORKLOADS: tuple[WorkloadKind, ...] = (
    WorkloadKind("Pod", ()),
    WorkloadKind("Deployment", ("spec", "template")),
    WorkloadKind("StatefulSet", ("spec", "template")),
    WorkloadKind("DaemonSet", ("spec", "template")),
    WorkloadKind("ReplicaSet", ("spec", "template")),
    WorkloadKind("ReplicationController", ("spec", "template")),
    WorkloadKind("Job", ("spec", "template")),
    WorkloadKind("CronJob", ("spec", "jobTemplate", "spec", "template")),
    WorkloadKind("Rollout", ("spec", "template"), "argoproj.io"),
    WorkloadKind("DeploymentConfig", ("spec", "template"), "apps.openshift.io"),
)

# Labels whose values a controller computes (hashes, generated Job names): a selector on them
# matches whatever value it names.
ANY_VALUE = None
_HASH_LABELS = {
    "Deployment": ("pod-template-hash",),
    "ReplicaSet": ("pod-template-hash",),
    "StatefulSet": ("controller-revision-hash",),
    "DaemonSet": ("controller-revision-hash", "pod-template-generation"),
    "Rollout": ("rollouts-pod-template-hash",),
    "DeploymentConfig": ("deployment", "deploymentconfig", "deploymentconfig.openshift.io/name"),
}


@tuple_pickled
@record(frozen=True, slots=True)
class ContainerPort:
    container: str
    name: str | None
    number: int | None
    protocol: str
    path: Path  # of the port item inside the workload object


@tuple_pickled
@record(slots=True)
class PodTemplate:
    """The pods a workload creates, as far as selectors and ports are concerned."""

    owner: Manifest
    workload: WorkloadKind  # what the owner is, and where it holds the template
    # These three are never mutated: templates share them (`pod_templates`).
    labels: dict[str, str]  # template metadata.labels
    owner_labels: dict[str, str]  # the owner's own metadata.labels
    # Labels the controller adds: key -> the values it can take (None: any value).
    added_labels: dict[str, LabelValues] = field(default_factory=lambda: {})
    ports: list[ContainerPort] = field(default_factory=lambda: list[ContainerPort]())

    @property
    def namespace(self) -> str | None:
        return self.owner.namespace

    @property
    def path(self) -> Path:
        """Where the template is inside the owner (`()` for a Pod)."""
        return self.workload.template_path

    def has_label(self, key: str, value: str) -> bool:
        if self.labels.get(key) == value:
            return True
        if key in self.added_labels:
            values = self.added_labels[key]
            return values is None or value in values
        return False

    def matches(self, selector: Mapping[str, str]) -> bool:
        """Whether every selector label is among the pods' labels (an empty selector: none)."""
        return bool(selector) and all(self.has_label(k, v) for k, v in selector.items())

    def declares_ports(self) -> bool:
        return bool(self.ports)


def _is_workload(manifest: Manifest, workload: WorkloadKind) -> bool:
    return workload.kind == manifest.kind_key and (
        workload.group is None or manifest.group == workload.group
    )


def _template_node(manifest: Manifest, workload: WorkloadKind) -> Node:
    return dig(manifest.data, *workload.template_path) if workload.template_path else manifest.data


def template_path(manifest: Manifest, workloads: Iterable[WorkloadKind]) -> Path | None:
    """Where `manifest` holds its pod template (`()` for a Pod), or None if it holds none.

    Needs nothing but the object, so single-object checks can ask it without the inventory.
    """
    kind = manifest.kind_key
    for workload in workloads:
        # `_is_workload`, inlined: this runs for every object under several rules.
        if workload.kind != kind or (
            workload.group is not None and manifest.group != workload.group
        ):
            continue
        if as_map(_template_node(manifest, workload)):
            return workload.template_path
    return None


def pod_templates(manifest: Manifest, workloads: Iterable[WorkloadKind]) -> list[PodTemplate]:
    """The pod template of `manifest` for each workload kind it is (one, or none)."""
    found: list[PodTemplate] = []
    for workload in workloads:
        if not _is_workload(manifest, workload):
            continue
        template = _template_node(manifest, workload)
        if as_map(template) is not None:
            labels = shared_strings(string_map(dig(template, "metadata", "labels")))
            owner_labels = shared_strings(string_map(manifest.labels))
            found.append(
                PodTemplate(
                    manifest,
                    workload,
                    labels,
                    # Kept for the whole run, and most often the same labels: then one dict.
                    labels if owner_labels == labels else owner_labels,
                    _added_labels(manifest),
                    _container_ports(manifest, workload.template_path),
                )
            )
    return found


# The labels the controller of each kind adds when they are only hash labels (any value): one
# dict per kind, shared by its templates for the whole run (never mutated).
_HASH_ONLY: dict[str, dict[str, LabelValues]] = {
    kind: dict.fromkeys(keys, ANY_VALUE) for kind, keys in _HASH_LABELS.items()
}
_NO_LABELS: dict[str, LabelValues] = {}


def _added_labels(manifest: Manifest) -> dict[str, LabelValues]:
    shared_labels = _HASH_ONLY.get(manifest.kind, _NO_LABELS)
    own = _object_labels(manifest)
    return {**shared_labels, **own} if own else shared_labels


def _object_labels(manifest: Manifest) -> dict[str, LabelValues]:
    """The labels the controller adds that depend on the object (its name, its replicas)."""
    if manifest.kind == "StatefulSet":
        # apps/v1 defaults replicas to 1; ordinals run from spec.ordinals.start (default 0).
        replicas = as_int(dig(manifest.data, "spec", "replicas"))
        count = 1 if replicas is None else max(replicas, 0)
        start = max(as_int(dig(manifest.data, "spec", "ordinals", "start")) or 0, 0)
        return {
            "statefulset.kubernetes.io/pod-name": OrdinalValues(f"{manifest.name}-", start, count),
            "apps.kubernetes.io/pod-index": OrdinalValues("", start, count),
        }
    if manifest.kind == "Job":
        return {
            "batch.kubernetes.io/job-name": frozenset([manifest.name]),
            "job-name": frozenset([manifest.name]),
            "batch.kubernetes.io/controller-uid": ANY_VALUE,
            "controller-uid": ANY_VALUE,
        }
    if manifest.kind == "CronJob":
        # Jobs of a CronJob are named <cronjob>-<scheduled time>: any value.
        keys = ("batch.kubernetes.io/job-name", "job-name")
        return dict.fromkeys(
            (*keys, "batch.kubernetes.io/controller-uid", "controller-uid"), ANY_VALUE
        )
    return {}


def _container_ports(manifest: Manifest, template_path: Path) -> list[ContainerPort]:
    ports: list[ContainerPort] = []
    spec_path = (*template_path, "spec")
    spec = dig(manifest.data, *spec_path)
    for group in ("containers", "initContainers"):
        for c_index, container in items_at(spec, group):
            container_name = shared_text(as_str(dig(container, "name"))) or f"#{c_index}"
            for p_index, port in items_at(container, "ports"):
                if as_map(port) is None:
                    continue
                ports.append(
                    ContainerPort(
                        container_name,
                        shared_text(as_str(dig(port, "name"))),
                        as_int(dig(port, "containerPort")),
                        shared_text(as_str(dig(port, "protocol"))) or "TCP",
                        shared((*spec_path, group, c_index, "ports", p_index)),
                    )
                )
    return ports


class _LabelIndex:
    """Pod templates by (group, label key, value), where the group is a namespace or one group
    for all: a lookup costs what its candidates cost. Values a controller adds are indexed by
    what they are: listed values one by one, an ordinal pattern by its prefix, any value by key."""

    def __init__(self) -> None:
        self._exact: dict[tuple[str | None, str, str], list[PodTemplate]] = defaultdict(list)
        self._ordinal: dict[tuple[str | None, str, str], list[PodTemplate]] = defaultdict(list)
        self._any_value: dict[tuple[str | None, str], list[PodTemplate]] = defaultdict(list)

    def add(self, group: str | None, template: PodTemplate) -> None:
        for key, value in template.labels.items():
            self._exact[(group, key, value)].append(template)
        for key, values in template.added_labels.items():
            if values is None:  # ANY_VALUE
                self._any_value[(group, key)].append(template)
            elif isinstance(values, OrdinalValues):
                self._ordinal[(group, key, values.prefix)].append(template)
            else:
                for one in values:
                    self._exact[(group, key, one)].append(template)

    def exact(self, group: str | None, key: str, value: str) -> list[PodTemplate]:
        """Templates with `key=value` in their labels or a listed controller value."""
        return self._exact.get((group, key, value), [])

    def candidates(self, group: str | None, key: str, value: str) -> list[PodTemplate]:
        """Templates whose pods may carry `key=value` (each at most once per way it may)."""
        prefix, _ = split_ordinal(value)
        return (
            self.exact(group, key, value)
            + self._ordinal.get((group, key, prefix), [])
            + self._any_value.get((group, key), [])
        )


def _matching(candidates: Iterable[PodTemplate], selector: Mapping[str, str]) -> list[PodTemplate]:
    seen: set[int] = set()
    result: list[PodTemplate] = []
    for template in candidates:
        if id(template) not in seen and template.matches(selector):
            seen.add(id(template))
            result.append(template)
    return result


class TemplateIndex:
    """Pod templates by the labels of their pods, so that matching a selector costs what its
    candidates cost, not what all templates cost."""

    def __init__(self, templates: Iterable[PodTemplate]) -> None:
        self._templates = list(templates)
        self._by_namespace = _LabelIndex()
        for template in self._templates:
            self._by_namespace.add(template.namespace, template)
        self._everywhere: _LabelIndex | None = None  # built on the first cross-namespace query

    def _everywhere_index(self) -> _LabelIndex:
        if self._everywhere is None:
            self._everywhere = _LabelIndex()
            for template in self._templates:
                self._everywhere.add(None, template)
        return self._everywhere

    def _candidates(self, namespace: str | None, key: str, value: str) -> list[PodTemplate]:
        """Templates in namespaces `compatible` with `namespace` whose pods may carry key=value:
        the apply namespace may be any, and is a possible home of any explicit namespace."""
        if namespace == APPLY_NAMESPACE:
            return [
                t
                for t in self._everywhere_index().candidates(None, key, value)
                if t.namespace is not None
            ]
        found = self._by_namespace.candidates(namespace, key, value)
        if namespace is not None:
            found = found + self._by_namespace.candidates(APPLY_NAMESPACE, key, value)
        return found

    def matching(self, selector: Mapping[str, str], namespace: str | None) -> list[PodTemplate]:
        """Templates in `namespace` (or possibly there once applied) whose pods carry every
        selector label."""
        if not selector:
            return []
        key, value = next(iter(selector.items()))
        return _matching(self._candidates(namespace, key, value), selector)

    def matching_elsewhere(
        self, selector: Mapping[str, str], namespace: str | None
    ) -> list[PodTemplate]:
        """Templates that cannot be in `namespace` whose pods carry every selector label."""
        if not selector or namespace == APPLY_NAMESPACE:
            return []
        key, value = next(iter(selector.items()))
        candidates = self._everywhere_index().candidates(None, key, value)
        return [
            t for t in _matching(candidates, selector) if not compatible(t.namespace, namespace)
        ]

    def with_label(self, namespace: str | None, key: str, value: str) -> list[PodTemplate]:
        """Templates in `namespace` (or possibly there once applied) whose pods may carry
        `key=value`."""
        return self._candidates(namespace, key, value)


# A slot of `ObjectIndex`: the one manifest of its key, or the copies when there are several.
_Copies = Manifest | list[Manifest]


def _listed(found: _Copies | None) -> list[Manifest]:
    if found is None:
        return []
    return found if type(found) is list else [cast("Manifest", found)]


class ObjectIndex:
    """Manifests by (kind, namespace, name), answering with the namespace `compatible` copies:
    an object in the apply namespace may be in any namespace once applied (issue 23).

    A key held by one manifest, as nearly every key is, keeps the manifest itself rather than a
    list of one: a list each was 1.7 MiB of the run's inventory at 10k objects (two keys per
    object). The lists answered are new ones then, never to be kept by the caller."""

    def __init__(self, manifests: Iterable[Manifest] = ()) -> None:
        self._by_key: dict[tuple[str, str | None, str], _Copies] = {}
        self._by_kind_name: dict[tuple[str, str], _Copies] = {}
        for manifest in manifests:
            self.add(manifest)

    def add(self, manifest: Manifest) -> None:
        key = manifest.kind_key
        _put(self._by_key, (key, manifest.namespace, manifest.name), manifest)
        _put(self._by_kind_name, (key, manifest.name), manifest)

    def exact(self, kind: str, namespace: str | None, name: str) -> list[Manifest]:
        """The copies whose namespace is exactly `namespace` (the apply namespace is one)."""
        return _listed(self._by_key.get((kind, namespace, name)))

    def compatible_copies(self, kind: str, namespace: str | None, name: str) -> list[Manifest]:
        """The copies that may be kind/namespace/name once applied, exact ones first."""
        exact = self.exact(kind, namespace, name)
        if namespace is None:
            return exact
        if namespace == APPLY_NAMESPACE:
            others = [
                m
                for m in _listed(self._by_kind_name.get((kind, name)))
                if m.namespace is not None and m.namespace != APPLY_NAMESPACE
            ]
        else:
            others = self.exact(kind, APPLY_NAMESPACE, name)
        return exact + others if others else exact

    def named_anywhere(self, kind: str, name: str) -> list[Manifest]:
        return _listed(self._by_kind_name.get((kind, name)))


_Key = TypeVar("_Key")


def _put(index: dict[_Key, _Copies], key: _Key, manifest: Manifest) -> None:
    found = index.get(key)
    if found is None:
        index[key] = manifest
    elif type(found) is list:
        found.append(manifest)
    else:
        index[key] = [cast("Manifest", found), manifest]


class Inventory:
    """All manifests of the run (report set and context), indexed."""

    def __init__(
        self,
        manifests: Iterable[Manifest],
        workloads: Iterable[WorkloadKind] = BUILTIN_WORKLOADS,
        templates: Mapping[Manifest, Sequence[PodTemplate]] | None = None,
    ) -> None:
        """`templates`: the pod templates of the workloads among `manifests` when the per-file
        stage already found them (`pod_templates`), so that their data need not be read again."""
        self.manifests: list[Manifest] = list(manifests)
        self._objects = ObjectIndex()
        self._by_kind: dict[str, list[Manifest]] = defaultdict(list)
        for manifest in self.manifests:
            self._objects.add(manifest)
            self._by_kind[manifest.kind_key].append(manifest)
        workload_list = list(workloads)
        self.templates: list[PodTemplate] = []
        for workload in workload_list:
            for manifest in self._by_kind.get(workload.kind, ()):
                known = (
                    templates.get(manifest, ())
                    if templates is not None
                    else pod_templates(manifest, [workload])
                )
                self.templates.extend(t for t in known if t.workload == workload)
        self._pods = TemplateIndex(self.templates)
        self._memo: dict[str, object] = {}

    # -- objects ---------------------------------------------------------------------------

    def get(self, kind: str, namespace: str | None, name: str) -> Manifest | None:
        """The first copy of kind/namespace/name, where an object in the apply namespace may be
        in any namespace and one in an explicit namespace may be in the apply namespace."""
        found = self._objects.compatible_copies(kind, namespace, name)
        return found[0] if found else None

    def all_named(self, kind: str, namespace: str | None, name: str) -> list[Manifest]:
        """Every copy that may be kind/namespace/name once applied (as `get`), exact ones first."""
        return self._objects.compatible_copies(kind, namespace, name)

    def copies(self, kind: str, namespace: str | None, name: str) -> list[Manifest]:
        """Every copy of exactly kind/namespace/name (more than one is `duplicate-object`)."""
        return self._objects.exact(kind, namespace, name)

    def of_kind(self, kind: str) -> list[Manifest]:
        return self._by_kind.get(kind, [])

    def named_anywhere(self, kind: str, name: str) -> list[Manifest]:
        """Objects of `kind` called `name` in any namespace."""
        return self._objects.named_anywhere(kind, name)

    def named_elsewhere(self, kind: str, namespace: str | None, name: str) -> list[Manifest]:
        """Objects of `kind` called `name` that cannot be in `namespace` once applied (for
        "exists only in another namespace", an error: so never the apply namespace)."""
        return [
            m
            for m in self._objects.named_anywhere(kind, name)
            if not compatible(m.namespace, namespace)
        ]

    # -- pods ------------------------------------------------------------------------------

    def matching_templates(
        self, selector: Mapping[str, str], namespace: str | None
    ) -> list[PodTemplate]:
        """Pod templates in `namespace` (or possibly there once applied) whose pods carry every
        selector label."""
        return self._pods.matching(selector, namespace)

    def matching_templates_elsewhere(
        self, selector: Mapping[str, str], namespace: str | None
    ) -> list[PodTemplate]:
        """Pod templates that cannot be in `namespace` whose pods carry every selector label."""
        return self._pods.matching_elsewhere(selector, namespace)

    def candidates_with_label(
        self, namespace: str | None, key: str, value: str
    ) -> list[PodTemplate]:
        """Pod templates in `namespace` whose pods may carry `key=value`."""
        return self._pods.with_label(namespace, key, value)

    # -- rule-specific indexes -------------------------------------------------------------

    def memo(self, key: str, build: Callable[[Inventory], T]) -> T:
        """An index a rule builds once per run (e.g. nodePort -> Services), shared by its checks.
        It keeps what `build` returns, never the data of the objects it scanned: a scan of every
        object of a kind must not hold all of them at once (DESIGN §9)."""
        if key not in self._memo:
            with unloading_afterwards():
                self._memo[key] = build(self)
        return cast("T", self._memo[key])


def label_list(labels: Mapping[str, str]) -> str:
    """`app=web,tier=frontend`, as kubectl prints selectors."""
    return ",".join(f"{key}={value}" for key, value in sorted(labels.items())) or "<none>"


__all__ = [
    "ANY_VALUE",
    "BUILTIN_WORKLOADS",
    "ContainerPort",
    "Inventory",
    "ObjectIndex",
    "PodTemplate",
    "TemplateIndex",
    "WorkloadKind",
    "label_list",
    "pod_templates",
    "template_path",
]
