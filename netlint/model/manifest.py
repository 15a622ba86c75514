"""Documents -> Kubernetes objects (DESIGN §3, "Manifest").

`kind: List` and other `*List` wrappers are flattened into their items, each keeping its own
position. A file in which no document has a `kind` is not Kubernetes input (CI workflows, compose
files, Helm values...) and is skipped; so are kustomize build files, which are never applied.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import field, fields
from sys import intern
from typing import TYPE_CHECKING, TypeVar, cast

from netlint.findings import ObjectRef, Path
from netlint.input.document import Document, Node, Span, Unloadable, loaded
from netlint.model.access import EMPTY_MAP, as_map, as_str, dig
from netlint.model.namespace import APPLY_NAMESPACE
from netlint.pickling import slot_state
from netlint.records import record

T = TypeVar("T")

# Kinds without a namespace. Unknown kinds (CRDs) are treated as namespaced: the inventory only
# needs the same answer for every copy of an object, and namespaced is the common case.
CLUSTER_SCOPED_KINDS = frozenset(
    [
        "APIService",
        "CertificateSigningRequest",
        "ClusterIssuer",
        "ClusterRole",
        "ClusterRoleBinding",
        "ComponentStatus",
        "CSIDriver",
        "CSINode",
        "CustomResourceDefinition",
        "FlowSchema",
        "GatewayClass",
        "IngressClass",
        "IPAddress",
        "MutatingAdmissionPolicy",
        "MutatingAdmissionPolicyBinding",
        "MutatingWebhookConfiguration",
        "Namespace",
        "Node",
        "PersistentVolume",
        "PodSecurityPolicy",
        "PriorityClass",
        "PriorityLevelConfiguration",
        "RuntimeClass",
        "ServiceCIDR",
        "StorageClass",
        "ValidatingAdmissionPolicy",
        "ValidatingAdmissionPolicyBinding",
        "ValidatingWebhookConfiguration",
        "VolumeAttachment",
    ]
)
_KUSTOMIZE_GROUP = "kustomize.config.k8s.io"

# The API groups of the kinds netlint knows. Other groups reuse these kind names (Knative's
# serving.knative.dev Service, Istio's networking.istio.io Gateway): such objects get a
# group-qualified `kind_key` ("Gateway.networking.istio.io"), so rules and inventory lookups for
# "Service" or "Gateway" never see them.
_CORE = frozenset([""])
_APPS = frozenset(["apps", "extensions"])
_GATEWAY = frozenset(["gateway.networking.k8s.io"])
KIND_GROUPS: dict[str, frozenset[str]] = {
    "Service": _CORE,
    "Endpoints": _CORE,
    "Pod": _CORE,
    "Secret": _CORE,
    "ConfigMap": _CORE,
    "Namespace": _CORE,
    "ReplicationController": _CORE,
    "Deployment": _APPS,
    "StatefulSet": frozenset(["apps"]),
    "DaemonSet": _APPS,
    "ReplicaSet": _APPS,
    "Job": frozenset(["batch"]),
    "CronJob": frozenset(["batch"]),
    "Ingress": frozenset(["networking.k8s.io", "extensions"]),
    "IngressClass": frozenset(["networking.k8s.io"]),
    "NetworkPolicy": frozenset(["networking.k8s.io", "extensions"]),
    "EndpointSlice": frozenset(["discovery.k8s.io"]),
    "Rollout": frozenset(["argoproj.io"]),
    "DeploymentConfig": frozenset(["apps.openshift.io"]),
    "Certificate": frozenset(["cert-manager.io"]),
    "ServiceMonitor": frozenset(["monitoring.coreos.com"]),
    "PodMonitor": frozenset(["monitoring.coreos.com"]),
    "GatewayClass": _GATEWAY,
    "Gateway": _GATEWAY,
    "HTTPRoute": _GATEWAY,
    "GRPCRoute": _GATEWAY,
    "TLSRoute": _GATEWAY,
    "TCPRoute": _GATEWAY,
    "UDPRoute": _GATEWAY,
    "ReferenceGrant": _GATEWAY,
    "ListenerSet": _GATEWAY,
    "BackendTLSPolicy": _GATEWAY,
}


def api_group(api_version: str) -> str:
    """`apps` for `apps/v1`, `` for the core group's `v1`."""
    return api_version.rpartition("/")[0]


def kind_key(kind: str, api_version: str) -> str:
    """`kind`, or `kind.group` when a known kind name comes from a group that is not its own."""
    groups = KIND_GROUPS.get(kind)
    group = api_group(api_version)
    if groups is None or group in groups:
        return kind
    return f"{kind}.{group}"


# While set, called with every manifest whose positions are asked for (`Manifest.span_of`): the
# cross-file stage cache notes whose positions each check read (`run.facts`).
_span_observer: list[Callable[[Manifest], None]] = []


def observe_spans(observer: Callable[[Manifest], None] | None) -> None:
    """Call `observer` with each manifest asked for a position from now on (None: stop)."""
    _span_observer.clear()
    if observer is not None:
        _span_observer.append(observer)


@record(slots=True, eq=False)
class Manifest(Unloadable):
    """One Kubernetes object of the input.

    Its `data` is part of its document's: when the document is packed, the manifest lets go of
    it too (`unload`), and the first read takes it from the document again.
    """

    api_version: str
    kind: str
    name: str
    namespace: str | None  # defaulted; None for cluster-scoped kinds
    data: dict[str, Node]
    document: Document
    base: Path = ()  # where the object sits in its document: () or ("items", i) in a List
    in_report_set: bool = True
    # `kind`, qualified with the group when the group is not the known kind's own (see KIND_GROUPS).
    kind_key: str = ""
    _memo: dict[str, object] | None = field(default=None, init=False, repr=False)
    # Facts that hold no part of the data (`fact`): kept when the data is let go of, pickled.
    _facts: dict[str, object] | None = field(default=None, init=False, repr=False)

    def __post_init__(self) -> None:
        if not self.kind_key:
            self.kind_key = kind_key(self.kind, self.api_version)
        self._intern()

    def _intern(self) -> None:
        # A run holds these few strings for every object, long after its data is let go of.
        self.api_version, self.kind, self.kind_key = (
            intern(self.api_version),
            intern(self.kind),
            intern(self.kind_key),
        )
        self.namespace = _interned(self.namespace)

    def unload(self) -> None:
        if self.document.packed is not None:
            try:  # noqa: SIM105 (no suppress(): runs for every object a cross-file check reads)
                del self.data
            except AttributeError:  # not loaded (hasattr would load it)
                pass
            self._memo = None  # facts hold parts of the data; whoever needs them derives them

    if not TYPE_CHECKING:  # for the type checker, `data` is always there

        def __getattr__(self, name: str) -> object:
            # Only called when normal lookup fails: `data` after `unload`.
            if name != "data":
                raise AttributeError(name)
            node = self.document.data
            for step in self.base:  # () or ("items", index): see objects_of
                node = node[step]
            self.data = node
            loaded(self)
            return node

    def __getstate__(self) -> tuple[object, ...]:
        # Without `data`, which the document carries, and without the memo (facts are derived
        # again by whoever needs them).
        return _state_of(self)

    def __setstate__(self, state: tuple[object, ...]) -> None:
        _put_state(self, state)
        self._memo = None
        self._intern()  # pickle keeps one copy of each string per pickle, not per run

    @classmethod
    def restore(
        cls,
        api_version: str,
        kind: str,
        name: str,
        namespace: str | None,
        document: Document,
        base: Path,
        in_report_set: bool,
        kind_key: str,
    ) -> Manifest:
        """A manifest of a packed `document` without its data, which the first read takes from
        the document (as after `unload`): how the cache rebuilds one."""
        manifest = cls.__new__(cls)
        manifest.__setstate__(
            (api_version, kind, name, namespace, document, base, in_report_set, kind_key, None)
        )
        return manifest

    def memo(self, key: str, build: Callable[[Manifest], T]) -> T:
        """A fact derived from this object alone (parsed ports, paths...), built once and shared
        by every rule that asks for it. `build` reads nothing but the manifest (never the
        inventory or the settings): the data never changes after loading, so the fact never
        does."""
        memo = self._memo
        if memo is None:
            memo = self._memo = {}
        return _derived(memo, key, build, self)

    def fact(self, key: str, build: Callable[[Manifest], T]) -> T:
        """As `memo`, for a fact that holds no part of the data: only scalars, and tuples and
        frozen records of them (a Service's parsed ports, an Ingress's paths). It outlives
        `unload` and crosses the workers' pipe with the manifest, so the cross-file checks,
        which read the objects again after the per-file stage let go of their data, do not
        derive it again: at 10k objects they rebuilt such facts 10k times, 0.18 s of their
        0.4 s, in the one process that runs them."""
        facts = self._facts
        if facts is None:
            facts = self._facts = {}
        return _derived(facts, key, build, self)

    @property
    def source_path(self) -> str:
        return self.document.source_path

    @property
    def ref(self) -> ObjectRef:
        return ObjectRef(self.kind, self.namespace, self.name)

    @property
    def group(self) -> str:
        return api_group(self.api_version)

    def span_of(self, path: Path, *, on_key: bool = False) -> Span:
        if _span_observer:
            _span_observer[0](self)
        return self.document.span_of(self.base + path, on_key=on_key)

    @property
    def labels(self) -> dict[str, Node]:
        found = as_map(dig(self.data, "metadata", "labels"))
        return found if found is not None else {}

    @property
    def annotations(self) -> dict[str, Node]:
        found = as_map(dig(self.data, "metadata", "annotations"))
        return found if found is not None else {}

    def __str__(self) -> str:
        return str(self.ref)


def _derived(
    table: dict[str, object], key: str, build: Callable[[Manifest], T], manifest: Manifest
) -> T:
    """`table[key]`, built from `manifest` by `build` on the first ask (`Manifest.memo`)."""
    if key in table:
        return cast("T", table[key])
    value = table[key] = build(manifest)
    return value


# What a manifest pickles: every field but `data` (its document carries it) and the memo (its
# facts, which hold none of the data, included).
_state_of, _put_state = slot_state(
    Manifest, [f.name for f in fields(Manifest) if f.name not in ("data", "_memo")]
)


@record(frozen=True, slots=True)
class ShapeProblem:
    """A document of a Kubernetes file that is not a complete object (`manifest-shape`)."""

    document: Document
    path: Path
    message: str


@record(slots=True)
class FileObjects:
    manifests: list[Manifest] = field(default_factory=lambda: list[Manifest]())
    problems: list[ShapeProblem] = field(default_factory=lambda: list[ShapeProblem]())
    # False when no document has a `kind`: the file is not Kubernetes input and is skipped.
    is_kubernetes: bool = False


def _has_kind(node: Node) -> bool:
    return isinstance(node, dict) and "kind" in node


def _is_kustomize(node: Node) -> bool:
    api_version = as_str(dig(node, "apiVersion"))
    return api_version is not None and api_version.startswith(_KUSTOMIZE_GROUP)


def _is_list_wrapper(node: dict[str, Node]) -> bool:
    kind = node.get("kind")
    return isinstance(kind, str) and kind.endswith("List") and isinstance(node.get("items"), list)


def objects_of(documents: list[Document], default_namespace: str | None = None) -> FileObjects:
    """The objects of one file's documents. A namespaced object without `metadata.namespace`
    is in `default_namespace` when config names one, else in the apply namespace."""
    result = FileObjects()
    relevant = [doc for doc in documents if not _is_kustomize(doc.data)]
    if not any(_has_kind(doc.data) for doc in relevant):
        return result
    result.is_kubernetes = True
    for doc in relevant:
        data = doc.data
        if data is None:
            continue  # an empty document (`---` twice) is nothing
        if not isinstance(data, dict):
            result.problems.append(
                ShapeProblem(doc, (), f"document is a {_type_name(data)}, not a Kubernetes object")
            )
            continue
        if _is_list_wrapper(data):
            items = data["items"]
            assert isinstance(items, list)
            for index, item in enumerate(items):
                _add(result, doc, item, ("items", index), default_namespace)
            continue
        _add(result, doc, data, (), default_namespace)
    return result


def _type_name(node: Node) -> str:
    if isinstance(node, list):
        return "list"
    if isinstance(node, bool):
        return "boolean"
    if isinstance(node, (int, float)):
        return "number"
    return "string" if isinstance(node, str) else "mapping"


def _add(
    result: FileObjects, doc: Document, node: Node, base: Path, default_namespace: str | None
) -> None:
    if not isinstance(node, dict):
        result.problems.append(
            ShapeProblem(doc, base, f"list item is a {_type_name(node)}, not a Kubernetes object")
        )
        return
    missing: list[str] = []
    api_version = node.get("apiVersion")
    kind = node.get("kind")
    metadata = node.get("metadata")
    if not isinstance(api_version, str) or not api_version:
        missing.append("apiVersion")
    if not isinstance(kind, str) or not kind:
        missing.append("kind")
    name = as_str(dig(metadata, "name")) or as_str(dig(metadata, "generateName"))
    if not name:
        missing.append("metadata.name (or generateName)")
    if missing or not isinstance(api_version, str) or not isinstance(kind, str) or not name:
        result.problems.append(
            ShapeProblem(
                doc,
                base,
                f"object has no {', '.join(missing)}: the API server needs apiVersion, kind and "
                "metadata.name",
            )
        )
        return
    namespace: str | None = None
    if kind not in CLUSTER_SCOPED_KINDS:
        namespace = as_str(dig(metadata, "namespace")) or default_namespace or APPLY_NAMESPACE
    result.manifests.append(Manifest(api_version, kind, name, namespace, node, doc, base))


def _interned(text: str | None) -> str | None:
    return None if text is None else intern(text)


def spec_of(manifest: Manifest) -> dict[str, Node]:
    """The object's `spec`, or an empty mapping (never mutate the result): `map_at(data, "spec")`
    for the hot paths, where most rules start."""
    spec = manifest.data.get("spec")
    return spec if isinstance(spec, dict) else EMPTY_MAP
