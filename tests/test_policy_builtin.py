"""The built-in rules that became declarative policies (`rules/policies/*.yaml`) report exactly
what their Python versions reported: same ids, severities, locations, messages and hints.

The Python versions are kept as test oracles in `tests/policies/legacy_*.py`; every input below
is linted by both and the findings must be identical: the rules' own fixtures, the examples, the
real-world corpus (every tier) and generated variants of the tricky cases.
"""

from __future__ import annotations

import dataclasses
import itertools
import json
import textwrap
from collections.abc import Sequence
from pathlib import Path

import pytest

from netlint.api import Rule, Settings, unwrapped
from netlint.findings import Finding
from netlint.policy import PolicyRule
from netlint.run.engine import RunOptions, run
from netlint.run.registry import RuleSet, load_rules
from netlint.run.selection import Selection
from tests.corpus import corpus_dir
from tests.helpers import schemas
from tests.policies.legacy_ingress_host_format import IngressHostFormat
from tests.policies.legacy_ingress_no_rules import IngressNoRules
from tests.policies.legacy_ingress_path_format import IngressPathFormat
from tests.policies.legacy_service_exposure import ServiceExposure
from tests.policies.legacy_service_nodeport_range import ServiceNodePortRange

REPO = Path(__file__).resolve().parent.parent
LEGACY: dict[str, Rule] = {
    "service-nodeport-range": ServiceNodePortRange(),
    "service-exposure": ServiceExposure(),
    "ingress-host-format": IngressHostFormat(),
    "ingress-no-rules": IngressNoRules(),
    "ingress-path-format": IngressPathFormat(),
}
CURRENT = load_rules()
OLD = RuleSet(tuple(LEGACY.get(rule.meta.id, rule) for rule in CURRENT.rules), dict(CURRENT.origin))
SELECT = tuple(LEGACY)


def _run(
    rule_set: RuleSet,
    paths: Sequence[str],
    stdin: str | None = None,
    settings: Settings | None = None,
) -> list[tuple[object, ...]]:
    options = RunOptions(
        paths=list(paths),
        stdin_text=stdin,
        settings=settings or Settings(),
        selection=Selection(select=SELECT),
    )
    report = run(options, rule_set, schemas())
    return [_seen(f) for f in report.findings]


def _seen(f: Finding) -> tuple[object, ...]:
    loc = f.location
    return (
        f.rule_id,
        loc.path,
        loc.line,
        loc.column,
        loc.end_line,
        loc.end_column,
        f.severity.label,
        f.message,
        f.hint,
        f.obj_path,
    )


def test_converted_rules_are_policies() -> None:
    by_id = CURRENT.by_id()
    for rule_id in SELECT:
        # Listed lazily (rules/_lazy.py): the rule itself, imported, is the policy.
        assert isinstance(unwrapped(by_id[rule_id]), PolicyRule), rule_id


@pytest.mark.parametrize("rule_id", SELECT)
def test_metadata_unchanged(rule_id: str) -> None:
    old, new = LEGACY[rule_id].meta, CURRENT.by_id()[rule_id].meta
    assert dataclasses.replace(new, fixable="never") == old  # a policy may add a fix (issue 28)


def _files(*roots: Path) -> list[str]:
    return sorted(str(p) for root in roots for p in root.rglob("*.yaml"))


def test_fixtures_and_examples_identical() -> None:
    files = _files(REPO / "tests" / "fixtures", REPO / "examples")
    old = _run(OLD, files)
    assert old, "the fixtures exercise the converted rules"
    assert _run(CURRENT, files) == old


def test_corpus_identical() -> None:
    root = corpus_dir()
    if root is None:
        pytest.skip("corpus not available")
    index = json.loads((root / "index.json").read_text(encoding="utf-8"))
    files = [str(root / entry["file"]) for entry in index]
    assert _run(CURRENT, files) == _run(OLD, files)


def test_configured_node_port_range_identical() -> None:
    files = _files(REPO / "tests" / "fixtures" / "service-nodeport-range")
    settings = Settings(node_port_range=(8000, 9000))
    assert _run(CURRENT, files, settings=settings) == _run(OLD, files, settings=settings)


_SERVICE_TYPES = [
    "",
    "type: NodePort",
    "type: LoadBalancer",
    "type: ClusterIP",
    'type: ""',
    "type: ExternalName",
    "type: 5",
    "type: null",
]
_PORTS = [
    "{port: 80, nodePort: 8080}",
    "{name: http, port: 80, nodePort: 30000, protocol: UDP}",
    "{port: 80, nodePort: 0}",
    "{port: 80, nodePort: 40000, protocol: ''}",
    "{port: 80, nodePort: '31000'}",
    "{port: 80, nodePort: true}",
    "{port: 81, nodePort: 3}",
    "{name: 7, port: 80, nodePort: 2}",
    "7",
]
_EXTRAS = [
    "",
    "externalTrafficPolicy: Local\n  healthCheckNodePort: 10256",
    "externalTrafficPolicy: Cluster\n  healthCheckNodePort: 10256",
    "externalIPs: [1.2.3.4]",
    "externalIPs: []",
    "externalIPs: x",
]


def _services() -> str:
    documents: list[str] = []
    for number, (kind, port, extra) in enumerate(
        itertools.product(_SERVICE_TYPES, _PORTS, _EXTRAS)
    ):
        documents.append(
            f"apiVersion: v1\nkind: Service\nmetadata: {{name: s{number}}}\nspec:\n  {kind}\n"
            f"  selector: {{app: a}}\n  ports: [{port}]\n  {extra}\n"
        )
    return "---\n".join(documents)


_HOSTS = [
    "shop.example.com",
    "Shop.example.com",
    "shop.example.com:443",
    "10.0.0.1",
    "::1",
    "*.example.com",
    "*.*.example.com",
    "shop.*.com",
    "http://shop.example.com/x",
    "",
    "5",
    "a" * 300,
    "exämple.com",
    "-bad-.com",
    "'it''s'",
]
_PATHS = [
    "/",
    "/api",
    "api",
    "",
    "//x",
    "/a/./b",
    "/a/../b",
    "/a%2fb",
    "/a%2Fb",
    "/a/..",
    "/a/.",
    "/api(/|$)(.*)",
    "/~user",
    "/a b",
    "5",
    "null",
    "'/it''s'",
]
_PATH_TYPES = ["Exact", "Prefix", "ImplementationSpecific", "prefix", None, "5"]


def _ingresses(api_version: str, class_line: str) -> str:
    documents: list[str] = []
    number = 0
    for host in _HOSTS:
        documents.append(
            f"apiVersion: {api_version}\nkind: Ingress\nmetadata: {{name: h{number}}}\n"
            f"spec:\n  {class_line}\n  rules:\n  - host: {host}\n    http:\n      paths:\n"
            f"      - {{path: /, pathType: Prefix}}\n  tls:\n  - hosts: [{host}]\n"
        )
        number += 1
    for path, path_type in itertools.product(_PATHS, _PATH_TYPES):
        type_field = f", pathType: {path_type}" if path_type is not None else ""
        path_field = f"path: {path}" if path != "null" else "other: 1"
        documents.append(
            f"apiVersion: {api_version}\nkind: Ingress\nmetadata: {{name: p{number}}}\n"
            f"spec:\n  {class_line}\n  rules:\n  - http:\n      paths:\n"
            f"      - {{{path_field}{type_field}}}\n"
        )
        number += 1
    specs = [
        "",
        "spec:",
        "spec: {}",
        "spec: x",
        "spec: {rules: []}",
        "spec: {rules: null}",
        "spec: {rules: x}",
        "spec: {rules: [{host: a.com}]}",
        "spec: {rules: [{}]}",
        "spec: {rules: [{host: a.com, http: null}, x]}",
        "spec: {rules: [], backend: {}}",
        "spec: {rules: [], defaultBackend: {}}",
        "spec: {defaultBackend: null}",
        "spec: {rules: [{host: a.com}], defaultBackend: {}}",
        "spec: {rules: [{host: a.com}], backend: {}}",
    ]
    for spec in specs:
        for notes in ("", "annotations: {nginx.org/mergeable-ingress-type: master}"):
            documents.append(
                f"apiVersion: {api_version}\nkind: Ingress\nmetadata:\n  name: r{number}\n"
                f"  {notes}\n{spec}\n"
            )
            number += 1
    return "---\n".join(documents)


def test_generated_services_identical() -> None:
    text = _services()
    assert _run(CURRENT, ["-"], text) == _run(OLD, ["-"], text)


@pytest.mark.parametrize(
    "api_version", ["networking.k8s.io/v1", "networking.k8s.io/v1beta1", "extensions/v1beta1"]
)
@pytest.mark.parametrize("class_line", ["ingressClassName: nginx", "ingressClassName: traefik", ""])
def test_generated_ingresses_identical(api_version: str, class_line: str) -> None:
    text = _ingresses(api_version, class_line)
    old = _run(OLD, ["-"], text)
    assert len(old) > 20
    assert _run(CURRENT, ["-"], text) == old


def test_service_exposure_selected_identical() -> None:
    text = textwrap.dedent(_services())
    assert _run(CURRENT, ["-"], text) == _run(OLD, ["-"], text)


def test_port_of_wrong_type_is_shown_as_written() -> None:
    """The one deliberate change: a port item whose `port` is not a number (a `schema` error)
    used to read `port None/TCP`; the policy shows the value as written."""
    text = (
        "apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n  type: NodePort\n"
        "  ports: [{port: x, nodePort: 1}]\n"
    )
    (found,) = [f for f in _run(CURRENT, ["-"], text) if f[0] == "service-nodeport-range"]
    assert found[7] == (
        "Service web port x/TCP: nodePort 1: provided port is not in the valid range. "
        "The range of valid ports is 30000-32767"
    )
