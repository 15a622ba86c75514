"""The traffic map of `netlint graph`: the paths of the input (`paths`) as nodes and edges, with
the NetworkPolicy verdicts of `reachability` and a run's findings on them.

Nodes are entry points (an ingress controller, a Gateway, clients in the cluster), routes
(Ingresses and Gateway API routes), Services and workloads; edges go entry → route → Service →
workload (entry → Service for clients in the cluster). An edge from a Service port to a workload
carries one verdict per entry point whose traffic takes it: allowed, blocked or unknown, with the
policies that isolate the pods and the rules that admit the traffic. A finding is put on the
edge of the backend it is located at (`traffic-blocked`), else on the node of its object.
Renderers (`netlint.report.graph`) only read this model.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from netlint.api import ExternalObjects, IngressController, Inventory, Manifest, Path
from netlint.findings import Finding, ObjectRef
from netlint.traffic.paths import IN_CLUSTER, TrafficPath, traffic_paths
from netlint.traffic.policy_eval import PolicyEvaluator, Verdict
from netlint.traffic.reachability import PathVerdict, judge

ENTRY = "entry"
ROUTE = "route"
SERVICE = "service"
WORKLOAD = "workload"


@dataclass(slots=True)
class GraphNode:
    id: str
    kind: str  # ENTRY, ROUTE, SERVICE or WORKLOAD
    label: str
    namespace: str | None = None  # None for entry points
    obj: ObjectRef | None = None
    detail: str = ""  # an entry point's namespace and pod labels
    findings: list[Finding] = field(default_factory=lambda: list[Finding]())


@dataclass(slots=True)
class EdgeVerdict:
    """The verdict on one entry point's traffic over a Service → workload edge."""

    entry: str  # the entry point's node id
    entry_label: str
    verdict: str  # "allowed", "blocked", "unknown"
    isolated: bool | None  # whether policies isolate the pods for ingress
    isolating: list[str]  # NetworkPolicies (`shop/default-deny`)
    admitting: list[str]  # their rules (`shop/allow ingress[0]`)
    reasons: list[str]  # why the verdict is unknown, or which side blocks


@dataclass(slots=True)
class GraphEdge:
    source: str
    target: str
    kind: str  # "entry" (entry → route/Service), "backend" (route → Service), "pods"
    label: str
    verdicts: list[EdgeVerdict] = field(default_factory=lambda: list[EdgeVerdict]())
    findings: list[Finding] = field(default_factory=lambda: list[Finding]())

    @property
    def blocked(self) -> bool:
        return any(v.verdict == Verdict.BLOCKED.value for v in self.verdicts)


@dataclass(slots=True)
class TrafficGraph:
    nodes: list[GraphNode] = field(default_factory=lambda: list[GraphNode]())
    edges: list[GraphEdge] = field(default_factory=lambda: list[GraphEdge]())

    def node(self, node_id: str) -> GraphNode:
        return next(node for node in self.nodes if node.id == node_id)


def _ref(manifest: Manifest) -> ObjectRef:
    return ObjectRef(manifest.kind, manifest.namespace, manifest.name)


class _Builder:
    def __init__(self) -> None:
        self.graph = TrafficGraph()
        self._ids: dict[tuple[object, ...], str] = {}
        self._counts: dict[str, int] = {}  # nodes of each kind so far: e0, e1, r0, s0...
        self._edges: dict[tuple[object, ...], GraphEdge] = {}
        # The backend edges of each route backend, by the route and the backend's path in it.
        self.route_edges: dict[tuple[ObjectRef, Path], list[GraphEdge]] = {}

    def node(self, key: tuple[object, ...], make: GraphNode) -> str:
        if key not in self._ids:
            number = self._counts.get(make.kind, 0)
            self._counts[make.kind] = number + 1
            make.id = f"{make.kind[0]}{number}"
            self._ids[key] = make.id
            self.graph.nodes.append(make)
        return self._ids[key]

    def edge(self, source: str, target: str, kind: str, label: str) -> GraphEdge:
        key = (source, target, kind, label)
        if key not in self._edges:
            self._edges[key] = GraphEdge(source, target, kind, label)
            self.graph.edges.append(self._edges[key])
        return self._edges[key]

    def entry(self, path: TrafficPath) -> str:
        entry = path.entry
        controller = entry.controller
        return self.node(
            ("entry", entry.key),
            GraphNode("", ENTRY, entry.name, detail=_controller_detail(entry.name, controller)),
        )

    def manifest_node(self, kind: str, manifest: Manifest) -> str:
        ref = _ref(manifest)
        return self.node(
            (kind, ref),
            GraphNode("", kind, f"{ref.kind} {_qualified(ref)}", manifest.namespace, ref),
        )


def _policy_name(policy: Manifest) -> str:
    return _qualified(_ref(policy))


def _qualified(ref: ObjectRef) -> str:
    return f"{ref.namespace}/{ref.name}" if ref.namespace else ref.name


def _controller_detail(name: str, controller: IngressController | None) -> str:
    """`namespace ingress-nginx, pods app=x`, after the controller's name when the entry point
    is named otherwise (a Gateway)."""
    if controller is None:
        return ""
    labels = ",".join(f"{key}={value}" for key, value in controller.pod_labels.items())
    which = "" if controller.name == name else f"{controller.name}: "
    return f"{which}namespace {controller.namespace}, pods {labels}"


def _pods_label(path: TrafficPath) -> str:
    port = path.service_port
    destination = path.destination
    target = destination.port if destination.port is not None else destination.port_name
    named = (
        f' ("{destination.port_name}")'
        if destination.port_name is not None and destination.port is not None
        else ""
    )
    return f"{port.port} → {target}/{destination.protocol}{named}"


def _edge_verdict(entry_id: str, verdict: PathVerdict) -> EdgeVerdict:
    isolation = verdict.isolation
    isolating = [_policy_name(policy.manifest) for policy in isolation.policies]
    connection = verdict.connection
    if connection is None:
        return EdgeVerdict(
            entry_id,
            verdict.path.entry.name,
            Verdict.UNKNOWN.value,
            isolation.isolated,
            isolating,
            [],
            [],
        )
    reasons = list(connection.reasons)
    for side in connection.blocking:
        names = ", ".join(_policy_name(policy) for policy in side.isolating)
        reasons.append(f"{side.direction.lower()} blocked by {names}")
    return EdgeVerdict(
        entry_id,
        verdict.path.entry.name,
        connection.verdict.value,
        isolation.isolated,
        list(
            dict.fromkeys(
                _policy_name(policy)
                for side in (connection.ingress, connection.egress)
                for policy in side.isolating
            )
        ),
        [
            f"{_policy_name(match.policy)} {match.rule.section}[{match.rule.index}]"
            for match in connection.admitting
        ],
        reasons,
    )


def build_graph(
    inventories: Iterable[Inventory],
    controllers: tuple[IngressController, ...],
    external: ExternalObjects,
    findings: Sequence[Finding],
) -> TrafficGraph:
    """The map of the paths whose route (or, for clients in the cluster, whose Service) is in
    the report set, over every scope's inventory; objects seen in several scopes appear once."""
    builder = _Builder()
    seen: set[tuple[object, ...]] = set()
    for inventory in inventories:
        evaluator = PolicyEvaluator(inventory, external)
        for path in traffic_paths(inventory, controllers):
            start = path.route.manifest if path.route is not None else path.service
            if not start.in_report_set:
                continue
            _add_path(builder, path, evaluator, seen)
    _attach_findings(builder.graph, findings, builder)
    return builder.graph


def _add_path(
    builder: _Builder, path: TrafficPath, evaluator: PolicyEvaluator, seen: set[tuple[object, ...]]
) -> None:
    entry = builder.entry(path)
    route = builder.manifest_node(ROUTE, path.route.manifest) if path.route is not None else None
    service = builder.manifest_node(SERVICE, path.service)
    workload = builder.manifest_node(WORKLOAD, path.destination.template.owner)
    if path.route is not None and route is not None:
        builder.edge(entry, route, "entry", "")
        port = path.service_port.port
        backend = builder.edge(route, service, "backend", f"{path.route.label} → {port}")
        builder.route_edges.setdefault((_ref(path.route.manifest), path.route.path), []).append(
            backend
        )
    elif path.entry.kind == IN_CLUSTER:
        builder.edge(entry, service, "entry", "")
    pods = builder.edge(service, workload, "pods", _pods_label(path))
    key = (entry, service, workload, path.service_port.index, id(path.destination.template))
    if key in seen or any(v.entry == entry for v in pods.verdicts):
        return
    seen.add(key)
    pods.verdicts.append(_edge_verdict(entry, judge(path, evaluator)))


def _attach_findings(graph: TrafficGraph, findings: Sequence[Finding], builder: _Builder) -> None:
    by_object = {node.obj: node for node in graph.nodes if node.obj is not None}
    for finding in findings:
        if finding.obj is None:
            continue
        edges = builder.route_edges.get((finding.obj, finding.obj_path))
        if edges:
            for edge in edges:
                if finding not in edge.findings:
                    edge.findings.append(finding)
            continue
        node = by_object.get(finding.obj)
        if node is not None:
            node.findings.append(finding)
