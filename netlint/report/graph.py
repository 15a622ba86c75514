"""`netlint graph` output: the traffic map (`netlint.traffic.graph`) as Mermaid, DOT or JSON.

Mermaid is a `flowchart LR` that GitHub renders in Markdown and job summaries: one subgraph per
namespace, entry points outside them; a blocked edge is drawn `--x` in red, an edge or node with
findings has a red outline and names them. DOT is the same map for Graphviz. JSON is the model
itself, in the shape of `schemas/netlint-graph.schema.json`.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from netlint.findings import Finding, Severity
from netlint.traffic.graph import (
    ENTRY,
    ROUTE,
    SERVICE,
    EdgeVerdict,
    GraphEdge,
    GraphNode,
    TrafficGraph,
)

GRAPH_FORMAT_VERSION = 1
_BLOCKED = "blocked"
_ALLOWED = "allowed"


def _verdict_text(verdict: EdgeVerdict, several: bool) -> str:
    """`ingress blocked by shop/default-deny`, `allowed by shop/allow ingress[0]`, `not
    isolated`, `isolated by shop/default-deny`."""
    who = f"{verdict.entry_label}: " if several else ""
    if verdict.verdict == _BLOCKED:
        return f"{who}{'; '.join(verdict.reasons)}"
    if verdict.verdict == _ALLOWED:
        if verdict.admitting:
            return f"{who}allowed by {', '.join(verdict.admitting)}"
        return f"{who}allowed (not isolated)"
    if verdict.isolated is False:
        return f"{who}not isolated"
    if verdict.isolating:
        return f"{who}isolated by {', '.join(verdict.isolating)}"
    return f"{who}unknown"


def _edge_lines(edge: GraphEdge) -> list[str]:
    lines = [edge.label] if edge.label else []
    several = len(edge.verdicts) > 1
    lines += [_verdict_text(verdict, several) for verdict in edge.verdicts]
    lines += _findings_text(edge.findings)
    return lines


def _flagged(findings: Sequence[Finding]) -> bool:
    """Whether findings make a node or an edge drawn in red: a warning or an error."""
    return any(finding.severity >= Severity.WARNING for finding in findings)


def _findings_text(findings: Sequence[Finding]) -> list[str]:
    """`error[traffic-blocked]`, `warning[duplicate-object] ×3`: one line per rule, most severe
    first (the JSON format lists each finding)."""
    counts: dict[tuple[Severity, str], int] = {}
    for finding in findings:
        key = (finding.severity, finding.rule_id)
        counts[key] = counts.get(key, 0) + 1
    ordered = sorted(counts.items(), key=lambda item: (-item[0][0], item[0][1]))
    return [
        f"{severity.label}[{rule}]" + (f" ×{count}" if count > 1 else "")
        for (severity, rule), count in ordered
    ]


def _node_lines(node: GraphNode) -> list[str]:
    lines = [node.label]
    if node.detail:
        lines.append(node.detail)
    lines += _findings_text(node.findings)
    return lines


def _namespaces(graph: TrafficGraph) -> list[str | None]:
    seen: dict[str | None, None] = {}
    for node in graph.nodes:
        if node.kind != ENTRY:
            seen.setdefault(node.namespace, None)
    return list(seen)


def _namespace_title(namespace: str | None) -> str:
    return f"namespace {namespace}" if namespace else "the apply namespace"


# -- Mermaid --------------------------------------------------------------------------------------


def _mermaid_text(lines: Sequence[str]) -> str:
    """A quoted Mermaid label: entity codes for what would end the string or start markup."""
    escaped = [
        line.replace("&", "#amp;")
        .replace('"', "#quot;")
        .replace("<", "#lt;")
        .replace(">", "#gt;")
        .replace("`", "#96;")  # would end the Markdown code block that holds the diagram
        for line in lines
    ]
    return '"' + "<br/>".join(escaped) + '"'


def _mermaid_shape(node: GraphNode) -> str:
    text = _mermaid_text(_node_lines(node))
    if node.kind == ENTRY:
        return f"([{text}])"
    if node.kind == ROUTE:
        return f">{text}]"
    if node.kind == SERVICE:
        return f"[[{text}]]"
    return f"[{text}]"


def render_mermaid(graph: TrafficGraph) -> str:
    if not graph.nodes:
        return 'flowchart LR\n  empty["no traffic paths in the input"]\n'
    out = ["flowchart LR"]
    for node in graph.nodes:
        if node.kind == ENTRY:
            out.append(f"  {node.id}{_mermaid_shape(node)}")
    for index, namespace in enumerate(_namespaces(graph)):
        out.append(f"  subgraph ns{index}[{_mermaid_text([_namespace_title(namespace)])}]")
        for node in graph.nodes:
            if node.kind != ENTRY and node.namespace == namespace:
                out.append(f"    {node.id}{_mermaid_shape(node)}")
        out.append("  end")
    blocked: list[int] = []
    for index, edge in enumerate(graph.edges):
        arrow = "--x" if edge.blocked else "-->"
        lines = _edge_lines(edge)
        label = f"|{_mermaid_text(lines)}|" if lines else ""
        out.append(f"  {edge.source} {arrow}{label} {edge.target}")
        if edge.blocked or _flagged(edge.findings):
            blocked.append(index)
    out.append("  classDef finding stroke:#d32f2f,stroke-width:3px")
    flagged = [node.id for node in graph.nodes if _flagged(node.findings)]
    if flagged:
        out.append(f"  class {','.join(flagged)} finding")
    if blocked:
        out.append(
            f"  linkStyle {','.join(str(i) for i in blocked)} stroke:#d32f2f,stroke-width:3px"
        )
    return "\n".join(out) + "\n"


# -- DOT ------------------------------------------------------------------------------------------


def _dot_text(lines: Sequence[str]) -> str:
    escaped = [line.replace("\\", "\\\\").replace('"', '\\"') for line in lines]
    return '"' + "\\n".join(escaped) + '"'


_DOT_SHAPES = {ENTRY: "oval", ROUTE: "cds", SERVICE: "box3d"}


def _dot_node(node: GraphNode) -> str:
    attributes = [
        f"label={_dot_text(_node_lines(node))}",
        f"shape={_DOT_SHAPES.get(node.kind, 'box')}",
    ]
    if _flagged(node.findings):
        attributes += ['color="#d32f2f"', "penwidth=3"]
    return f"{node.id} [{', '.join(attributes)}];"


def render_dot(graph: TrafficGraph) -> str:
    out = ["digraph traffic {", "  rankdir=LR;", '  node [fontname="sans-serif"];']
    out.append('  edge [fontname="sans-serif", fontsize=10];')
    for node in graph.nodes:
        if node.kind == ENTRY:
            out.append(f"  {_dot_node(node)}")
    for index, namespace in enumerate(_namespaces(graph)):
        out.append(f"  subgraph cluster_ns{index} {{")
        out.append(f"    label={_dot_text([_namespace_title(namespace)])};")
        for node in graph.nodes:
            if node.kind != ENTRY and node.namespace == namespace:
                out.append(f"    {_dot_node(node)}")
        out.append("  }")
    for edge in graph.edges:
        attributes: list[str] = []
        lines = _edge_lines(edge)
        if lines:
            attributes.append(f"label={_dot_text(lines)}")
        if edge.blocked:
            attributes += ['color="#d32f2f"', "style=dashed", "arrowhead=tee", "penwidth=3"]
        elif _flagged(edge.findings):
            attributes += ['color="#d32f2f"', "penwidth=3"]
        suffix = f" [{', '.join(attributes)}]" if attributes else ""
        out.append(f"  {edge.source} -> {edge.target}{suffix};")
    out.append("}")
    return "\n".join(out) + "\n"


# -- JSON -----------------------------------------------------------------------------------------


def _finding_json(finding: Finding) -> dict[str, object]:
    location = finding.location
    return {
        "rule": finding.rule_id,
        "severity": finding.severity.label,
        "message": finding.message,
        "path": location.path,
        "line": location.line,
        "column": location.column,
    }


def _object_json(node: GraphNode) -> dict[str, object] | None:
    if node.obj is None:
        return None
    return {"kind": node.obj.kind, "namespace": node.obj.namespace, "name": node.obj.name}


def graph_json(graph: TrafficGraph) -> dict[str, object]:
    return {
        "version": GRAPH_FORMAT_VERSION,
        "nodes": [
            {
                "id": node.id,
                "kind": node.kind,
                "label": node.label,
                "namespace": node.namespace,
                "object": _object_json(node),
                "detail": node.detail,
                "findings": [_finding_json(f) for f in node.findings],
            }
            for node in graph.nodes
        ],
        "edges": [
            {
                "from": edge.source,
                "to": edge.target,
                "kind": edge.kind,
                "label": edge.label,
                "blocked": edge.blocked,
                "verdicts": [
                    {
                        "entry": verdict.entry,
                        "verdict": verdict.verdict,
                        "isolated": verdict.isolated,
                        "isolating": verdict.isolating,
                        "admitting": verdict.admitting,
                        "reasons": verdict.reasons,
                    }
                    for verdict in edge.verdicts
                ],
                "findings": [_finding_json(f) for f in edge.findings],
            }
            for edge in graph.edges
        ],
    }


def render_graph_json(graph: TrafficGraph) -> str:
    return json.dumps(graph_json(graph), indent=2, ensure_ascii=False) + "\n"


RENDERERS = {"mermaid": render_mermaid, "dot": render_dot, "json": render_graph_json}
