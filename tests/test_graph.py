"""`netlint graph`: the traffic map in Mermaid, DOT and JSON.

The golden files in `tests/graph/golden/` are the exact output for `tests/graph/map/` (an
Ingress blocked by a default-deny policy, an HTTPRoute through a configured Gateway controller
that a policy admits, an Ingress of a class no entry describes). Regenerate them with
`NETLINT_UPDATE_GOLDEN=1`. The JSON is validated against `schemas/netlint-graph.schema.json`; the
Mermaid and DOT outputs are read by real parsers from the npm registry (mermaid, with jsdom for
its DOM, and dotparser), installed once into a cache folder: skipped where node and npm are
absent, except under CI=true, where that is a failure.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import jsonschema
import pytest

from tests.helpers import run_netlint

HERE = Path(__file__).parent / "graph"
MAP = HERE / "map"
GOLDEN = HERE / "golden"
ROOT = Path(__file__).parent.parent
SCHEMA = ROOT / "schemas" / "netlint-graph.schema.json"
# What the parsers need, pinned (package.json's dependency syntax).
NPM_PACKAGES = ("mermaid@11.17.2", "jsdom@29.1.1", "dotparser@1.1.1")


def _graph(*args: str, cwd: Path = MAP) -> str:
    result = run_netlint(cwd, "graph", "--no-cache", *args)  # nothing written beside the map
    assert result.returncode == 0, result.stderr.decode()
    return result.stdout.decode()


def _check_golden(name: str, actual: str) -> None:
    path = GOLDEN / name
    if os.environ.get("NETLINT_UPDATE_GOLDEN"):
        GOLDEN.mkdir(exist_ok=True)
        path.write_text(actual, encoding="utf-8", newline="\n")
        pytest.fail(
            f"{name} rewritten: check the diff, then run again without NETLINT_UPDATE_GOLDEN"
        )
    assert path.exists(), f"{path} is missing: run with NETLINT_UPDATE_GOLDEN=1"
    assert actual == path.read_text(encoding="utf-8"), (
        f"{name} differs from its golden file (NETLINT_UPDATE_GOLDEN=1 regenerates it)"
    )


@pytest.fixture(scope="module")
def outputs() -> dict[str, str]:
    return {fmt: _graph("--format", fmt, "shop.yaml") for fmt in ("mermaid", "dot", "json")}


def test_mermaid_is_the_default_format(outputs: dict[str, str]) -> None:
    assert _graph("shop.yaml") == outputs["mermaid"]


@pytest.mark.parametrize(
    ("fmt", "name"), [("mermaid", "map.mmd"), ("dot", "map.dot"), ("json", "map.json")]
)
def test_golden(outputs: dict[str, str], fmt: str, name: str) -> None:
    _check_golden(name, outputs[fmt])


def test_json_matches_its_schema(outputs: dict[str, str]) -> None:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    data = json.loads(outputs["json"])
    jsonschema.validate(data, schema, cls=jsonschema.Draft202012Validator)
    ids = {node["id"] for node in data["nodes"]}
    assert all(edge["from"] in ids and edge["to"] in ids for edge in data["edges"])


def test_json_marks_the_blocked_edge_and_its_finding(outputs: dict[str, str]) -> None:
    data = json.loads(outputs["json"])
    blocked = [edge for edge in data["edges"] if edge["blocked"]]
    assert [(edge["label"], edge["verdicts"][0]["reasons"]) for edge in blocked] == [
        ("80 → 8080/TCP", ["ingress blocked by shop/default-deny"])
    ]
    flagged = [edge for edge in data["edges"] if edge["findings"]]
    assert [
        (e["label"], [(f["rule"], f["line"], f["column"]) for f in e["findings"]]) for e in flagged
    ] == [("defaultBackend → 80", [("traffic-blocked", 34, 13)])]


def test_an_input_without_paths_is_an_empty_map(tmp_path: Path) -> None:
    (tmp_path / "cm.yaml").write_text(
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata: {a: b}\n", encoding="utf-8"
    )
    assert _graph("cm.yaml", cwd=tmp_path) == (
        'flowchart LR\n  empty["no traffic paths in the input"]\n'
    )
    assert json.loads(_graph("--format", "json", "cm.yaml", cwd=tmp_path)) == {
        "version": 1,
        "nodes": [],
        "edges": [],
    }


def test_context_files_are_known_but_not_drawn(tmp_path: Path) -> None:
    shop = (MAP / "shop.yaml").read_text(encoding="utf-8")
    (tmp_path / "shop.yaml").write_text(shop, encoding="utf-8")
    (tmp_path / "other.yaml").write_text(
        "apiVersion: v1\nkind: Service\nmetadata: {name: other, namespace: shop}\n"
        "spec: {selector: {app: web}, ports: [{port: 81, targetPort: 8080}]}\n",
        encoding="utf-8",
    )
    data = json.loads(
        _graph("--format", "json", "--context", "shop.yaml", "other.yaml", cwd=tmp_path)
    )
    assert [node["label"] for node in data["nodes"]] == [
        "in-cluster clients",
        "Service shop/other",
        "Deployment shop/web",
    ]


def test_a_missing_path_is_a_usage_error(tmp_path: Path) -> None:
    result = run_netlint(tmp_path, "graph", "nowhere.yaml")
    assert result.returncode == 2
    assert result.stderr.decode() == "netlint: error: path does not exist: nowhere.yaml\n"


def test_output_file(tmp_path: Path, outputs: dict[str, str]) -> None:
    target = tmp_path / "map.mmd"
    assert _graph("shop.yaml", "--output-file", str(target)) == ""
    assert target.read_text(encoding="utf-8") == outputs["mermaid"]


# -- real parsers -----------------------------------------------------------------------------


def _npm_dir() -> Path:
    """A folder with the parsers installed (once: later runs reuse it)."""
    if shutil.which("node") is None or shutil.which("npm") is None:
        if os.environ.get("CI") == "true":
            pytest.fail("node and npm are needed to check the graph outputs with real parsers")
        pytest.skip("node and npm are not installed")
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    folder = (
        Path(base)
        / "netlint-tests"
        / ("npm-" + "-".join(p.replace("@", "_") for p in NPM_PACKAGES))
    )
    if not (folder / "node_modules" / ".netlint-complete").exists():
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "package.json").write_text('{"private": true}\n', encoding="utf-8")
        subprocess.run(
            ["npm", "install", "--no-audit", "--no-fund", "--loglevel=error", *NPM_PACKAGES],
            cwd=folder,
            check=True,
            capture_output=True,
        )
        (folder / "node_modules" / ".netlint-complete").write_text("", encoding="utf-8")
    for script in ("parse_mermaid.mjs", "parse_dot.cjs"):
        shutil.copyfile(HERE / script, folder / script)
    return folder


def parse_with_npm(script: str, text: str) -> subprocess.CompletedProcess[str]:
    folder = _npm_dir()
    return subprocess.run(
        ["node", str(folder / script)], input=text, capture_output=True, text=True, check=False
    )


def test_mermaid_parses_with_mermaid(outputs: dict[str, str]) -> None:
    result = parse_with_npm("parse_mermaid.mjs", outputs["mermaid"])
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["diagramType"] == "flowchart-v2"


def test_the_mermaid_parser_refuses_a_broken_diagram() -> None:
    result = parse_with_npm("parse_mermaid.mjs", "flowchart LR\n  a -->\n")
    assert result.returncode == 1
    assert "Parse error" in result.stderr


def test_an_empty_map_parses_with_mermaid(tmp_path: Path) -> None:
    (tmp_path / "cm.yaml").write_text(
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n", encoding="utf-8"
    )
    result = parse_with_npm("parse_mermaid.mjs", _graph("cm.yaml", cwd=tmp_path))
    assert result.returncode == 0, result.stderr


def test_dot_parses_with_dotparser(outputs: dict[str, str]) -> None:
    result = parse_with_npm("parse_dot.cjs", outputs["dot"])
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == ["digraph"]
    refused = parse_with_npm("parse_dot.cjs", "digraph { a -> }")
    assert refused.returncode == 1


def test_findings_of_one_rule_on_a_node_are_counted_once(tmp_path: Path) -> None:
    service = (
        "apiVersion: v1\nkind: Service\nmetadata: {name: web, namespace: shop}\n"
        "spec: {selector: {app: web}, ports: [{port: PORT}]}\n---\n"
        "apiVersion: v1\nkind: Pod\nmetadata: {name: web, namespace: shop, labels: {app: web}}\n"
        "spec: {containers: [{name: web, image: nginx}]}\n"
    )
    # Three variants of the Service: b.yaml and c.yaml each define it differently from a.yaml.
    files = ("a.yaml", "b.yaml", "c.yaml")
    for name, port in zip(files, ("80", "81", "82"), strict=True):
        (tmp_path / name).write_text(service.replace("PORT", port), encoding="utf-8")
    drawn = _graph(*files, cwd=tmp_path)
    assert '    s0[["Service shop/web<br/>warning[duplicate-object] ×2"]]\n' in drawn
    data = json.loads(_graph("--format", "json", *files, cwd=tmp_path))
    (node,) = [n for n in data["nodes"] if n["kind"] == "service"]
    assert [(f["rule"], f["path"]) for f in node["findings"]] == [
        ("duplicate-object", "b.yaml"),
        ("duplicate-object", "c.yaml"),
    ]
