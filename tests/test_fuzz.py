"""Fuzzing the whole pipeline (issue 9): Hypothesis-generated YAML text, raw bytes and
Kubernetes-shaped objects through `netlint.run.engine.run` and every reporter.

Properties, for every generated input:

- no exception escapes the engine or any reporter, and no rule fails (`internal-error`);
- every finding has a valid location inside its file: 1 <= line <= number of lines (as libyaml
  counts them), 1 <= column <= length of that line + 1, the end not before the start and inside
  the file too; a file that could not be read is located at 1:1;
- the SARIF log validates against the official SARIF 2.1.0 schema (skipped where the schema is
  absent) and its URIs are valid; the JSON report validates against netlint's report schema;
  every GitHub annotation is one workflow command;
- the order of the input files does not change the findings.

The example counts are bounded and the runs derandomized (a fixed seed derived from each test),
so CI runs the same examples every time: `FUZZ_SETTINGS` below. Set NETLINT_FUZZ_EXAMPLES to run
more locally (for example 2000), and NETLINT_FUZZ_RANDOM=1 to explore new examples.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from jsonschema.validators import validator_for

from netlint.bench.shapes import SHAPES, Shape
from netlint.filters.suppression import inline_suppression_filter
from netlint.findings import Finding
from netlint.input.lines import split_lines
from netlint.report.github import render_github
from netlint.report.json_report import render_json
from netlint.report.sarif import render_sarif
from netlint.report.text import render_text
from netlint.run.engine import RunOptions, run
from netlint.run.results import Report
from tests.helpers import _RULES as RULES  # pyright: ignore[reportPrivateUsage]
from tests.helpers import schemas

REPO = Path(__file__).resolve().parent.parent
SARIF_SCHEMA_CANDIDATES = (
    REPO.parent / "shared" / "schemas-ref" / "sarif-schema-2.1.0.json",
    Path("/work/shared/schemas-ref/sarif-schema-2.1.0.json"),
)
REPORT_SCHEMA = REPO / "schemas" / "netlint-report.schema.json"
# RFC 3986 characters: what a SARIF `uri` may hold once percent-encoded.
URI = re.compile(r"[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]+")

FUZZ_SETTINGS = settings(
    max_examples=int(os.environ.get("NETLINT_FUZZ_EXAMPLES", "60")),
    deadline=None,
    derandomize=not os.environ.get("NETLINT_FUZZ_RANDOM"),
    database=None,  # nothing written into the checkout
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    print_blob=True,
)


def _validator(path: Path | None) -> Any:
    if path is None or not path.is_file():
        return None
    schema = json.loads(path.read_text(encoding="utf-8"))
    validator_class: Any = validator_for(schema)  # each file's own $schema dialect
    return validator_class(schema)


SARIF_VALIDATOR = _validator(next((p for p in SARIF_SCHEMA_CANDIDATES if p.is_file()), None))
REPORT_VALIDATOR = _validator(REPORT_SCHEMA)


# --- running and checking ------------------------------------------------------------------------


def lint(root: Path, names: Sequence[str]) -> Report:
    options = RunOptions(paths=list(names), cwd=root, filters=[inline_suppression_filter()])
    return run(options, RULES, schemas())


def _key(finding: Finding) -> tuple[object, ...]:
    return (
        finding.location,
        finding.rule_id,
        finding.severity,
        finding.message,
        finding.obj,
        finding.obj_path,
        finding.hint,
        finding.suppression,
    )


def check_locations(report: Report, names: Sequence[str]) -> None:
    lines_of = {path: split_lines(text) for path, text in report.data.sources.items()}
    for finding in report.findings:
        loc = finding.location
        assert loc.path in names, (loc.path, names)
        lines = lines_of.get(loc.path)
        if lines is None:  # not read: a file-level finding
            assert (loc.line, loc.column) == (1, 1), finding
            continue
        assert 1 <= loc.line <= len(lines), (finding, len(lines))
        assert 1 <= loc.column <= len(lines[loc.line - 1]) + 1, (finding, lines[loc.line - 1])
        assert (loc.end_line, loc.end_column) > (loc.line, loc.column), finding
        assert loc.end_line <= len(lines), (finding, len(lines))
        assert loc.end_column <= len(lines[loc.end_line - 1]) + 2, finding
        assert finding.rule_id != "internal-error", finding.message


def check_reporters(report: Report, root: Path) -> None:
    render_text(report, color=False)
    render_text(report, color=True, quiet=True)
    render_text(report, color=False, statistics=True)
    document = json.loads(render_json(report))
    if REPORT_VALIDATOR is not None:
        assert [e.message for e in REPORT_VALIDATOR.iter_errors(document)] == []
    sarif = json.loads(render_sarif(report, cwd=root, tool_version="0.0.0"))
    if SARIF_VALIDATOR is not None:
        assert [e.message for e in SARIF_VALIDATOR.iter_errors(sarif)] == []
    for result in sarif["runs"][0]["results"]:
        for location in result["locations"]:
            uri = location["physicalLocation"]["artifactLocation"]["uri"]
            assert URI.fullmatch(uri), uri
    github = render_github(report)
    # The runner reads one command per line (LF); other breaks (\f, \x85...) stay inside one.
    for line in github.rstrip("\n").split("\n") if github else ():
        assert line.startswith(("::error ", "::warning ", "::notice ")), line
    # Everything a reporter prints is valid UTF-8.
    for rendered in (render_text(report, color=False), render_json(report), github):
        rendered.encode("utf-8")


def check_files(files: dict[str, bytes]) -> Report:
    """Lint `files` in two orders; check every property; return the first report."""
    with tempfile.TemporaryDirectory() as directory:
        root = Path(directory)
        for name, content in files.items():
            (root / name).write_bytes(content)
        names = sorted(files)
        report = lint(root, names)
        check_locations(report, names)
        check_reporters(report, root)
        if len(names) > 1:
            again = lint(root, list(reversed(names)))
            assert [_key(f) for f in again.findings] == [_key(f) for f in report.findings]
        return report


# --- generated YAML text -------------------------------------------------------------------------

FRAGMENTS = [
    "apiVersion: v1",
    "apiVersion: networking.k8s.io/v1",
    "apiVersion: discovery.k8s.io/v1",
    "apiVersion: apps/v1",
    "kind: Service",
    "kind: Ingress",
    "kind: EndpointSlice",
    "kind: Deployment",
    "kind: List",
    "items:",
    "metadata:",
    "  name: web",
    "  namespace: shop",
    "  labels:",
    "    app: web",
    "  annotations:",
    "    netlint.io/ignore: schema",
    "spec:",
    "  type: NodePort",
    "  selector:",
    "  ports:",
    "  - port: 80",
    "    targetPort: http",
    "    nodePort: 30080",
    "  - {name: http, port: 8080}",
    "  rules:",
    "  - host: example.com",
    "    http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}]}",
    "---",
    "...",
    "&a {app: web}",
    "*a",
    "<<: *a",
    "x: &b [1, 2]",
    "y: [*b, *b]",
    "!!python/object/apply:os.system ['true']",
    "!custom x",
    "%YAML 1.1",
    "%TAG ! tag:example.com,2000:",
    "? complex",
    ": value",
    "- item",
    "key: yes",
    "key: 0755",
    "key: 1:20",
    "key: ~",
    "key: 'quoted'",
    'key: "dq \\u00e9 \\x41"',
    "key: |",
    "key: >-",
    "  block text",
    "# comment  # netlint: ignore[schema]",
    "\tname: tab",
    "{a: 1,}",
    "[",
    "]",
    "{",
    "}",
    "é: ü",
    "名前: 値",
    "emoji: 😀",
    "\ufeff",
]
BREAKS = ["\n", "\r\n", "\r", "\x85", "\u2028"]
YAML_ALPHABET = st.characters(
    codec="utf-8",
    categories=("L", "N", "P", "S", "Zs", "Cc"),
    exclude_characters="\x00",
)


@st.composite
def yaml_text(draw: st.DrawFn) -> str:
    parts: list[str] = []
    for _ in range(draw(st.integers(0, 30))):
        if draw(st.booleans()):
            parts.append(draw(st.sampled_from(FRAGMENTS)))
        else:
            indent = " " * draw(st.integers(0, 6))
            parts.append(indent + draw(st.text(YAML_ALPHABET, max_size=12)))
        parts.append(draw(st.sampled_from(BREAKS)) if draw(st.integers(0, 9)) == 0 else "\n")
    return "".join(parts)


ENCODINGS = ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-32", "latin-1"]


@st.composite
def encoded(draw: st.DrawFn, text: st.SearchStrategy[str]) -> bytes:
    value = draw(text)
    encoding = draw(st.sampled_from(ENCODINGS)) if draw(st.integers(0, 4)) == 0 else "utf-8"
    return value.encode(encoding, errors="replace")


@FUZZ_SETTINGS
@given(st.lists(encoded(yaml_text()), min_size=1, max_size=3))
def test_generated_yaml_text(contents: list[bytes]) -> None:
    check_files({f"f{index}.yaml": content for index, content in enumerate(contents)})


@FUZZ_SETTINGS
@given(st.lists(st.binary(max_size=600), min_size=1, max_size=3))
def test_raw_bytes(contents: list[bytes]) -> None:
    check_files({f"b{index}.yaml": content for index, content in enumerate(contents)})


# --- Kubernetes-shaped objects ---------------------------------------------------------------------

NAMES = st.sampled_from(["web", "api", "db", "web-v2", "Web", "a" * 70, "x.y", ""])
NAMESPACES = st.sampled_from([None, "default", "shop", "prod", "Bad_NS"])
LABEL_KEYS = st.one_of(
    st.sampled_from(["app", "tier", "app.kubernetes.io/name", "version", "a/b/c", "-x"]),
    st.text(YAML_ALPHABET, max_size=8),
)
LABEL_VALUES = st.one_of(
    st.sampled_from(["web", "api", "front", "yes", "on", "0755", "1:20", "", "true"]),
    st.integers(-5, 5),
    st.booleans(),
    st.none(),
    st.text(YAML_ALPHABET, max_size=8),
)
LABELS = st.dictionaries(LABEL_KEYS, LABEL_VALUES, max_size=3)
PORT_NUMBERS = st.one_of(
    st.sampled_from([80, 443, 8080, 0, 65535, 65536, 30080, 32767, -1]),
    st.integers(-10, 70_000),
    st.sampled_from(["80", "http", "", "x" * 16]),
)
PORT_NAMES = st.one_of(
    st.sampled_from(["http", "https", "grpc", "metrics", "HTTP", "a-", "x" * 16]),
    st.none(),
    st.integers(0, 3),
)
PROTOCOLS = st.sampled_from([None, "TCP", "UDP", "SCTP", "tcp", "HTTP"])


def _without_none(mapping: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in mapping.items() if value is not None}


@st.composite
def metadata(draw: st.DrawFn) -> dict[str, Any]:
    return _without_none(
        {
            "name": draw(NAMES),
            "namespace": draw(NAMESPACES),
            "labels": draw(st.one_of(st.none(), LABELS)),
            "annotations": draw(
                st.one_of(
                    st.none(),
                    st.dictionaries(
                        st.sampled_from(
                            [
                                "netlint.io/ignore",
                                "nginx.ingress.kubernetes.io/rewrite-target",
                                "nginx.ingress.kubernetes.io/configuration-snippet",
                                "kubernetes.io/ingress.class",
                            ]
                        ),
                        st.one_of(st.sampled_from(["all", "schema", "nginx", "/$2"]), LABEL_VALUES),
                        max_size=2,
                    ),
                )
            ),
        }
    )


@st.composite
def service_port(draw: st.DrawFn) -> dict[str, Any]:
    return _without_none(
        {
            "name": draw(PORT_NAMES),
            "port": draw(PORT_NUMBERS),
            "targetPort": draw(st.one_of(st.none(), PORT_NUMBERS)),
            "nodePort": draw(st.one_of(st.none(), st.integers(29_990, 32_800))),
            "protocol": draw(PROTOCOLS),
        }
    )


@st.composite
def service(draw: st.DrawFn) -> dict[str, Any]:
    spec = _without_none(
        {
            "type": draw(
                st.sampled_from(
                    [None, "ClusterIP", "NodePort", "LoadBalancer", "ExternalName", "Weird"]
                )
            ),
            "selector": draw(st.one_of(st.none(), LABELS)),
            "ports": draw(st.lists(service_port(), max_size=4)),
            "clusterIP": draw(st.sampled_from([None, "None", "10.0.0.1", "bogus"])),
            "externalName": draw(st.sampled_from([None, "example.com", "bad name"])),
        }
    )
    return {"apiVersion": "v1", "kind": "Service", "metadata": draw(metadata()), "spec": spec}


@st.composite
def ingress_backend(draw: st.DrawFn) -> dict[str, Any]:
    port = draw(PORT_NUMBERS)
    key = "number" if isinstance(port, int) else "name"
    return {"service": {"name": draw(NAMES), "port": {key: port}}}


@st.composite
def ingress_path(draw: st.DrawFn) -> dict[str, Any]:
    return _without_none(
        {
            "path": draw(st.sampled_from(["/", "/api", "/api(/|$)(.*)", "", "no-slash", "/a//b"])),
            "pathType": draw(
                st.sampled_from([None, "Prefix", "Exact", "ImplementationSpecific", "Regex"])
            ),
            "backend": draw(ingress_backend()),
        }
    )


@st.composite
def ingress_rule(draw: st.DrawFn) -> dict[str, Any]:
    host = draw(
        st.sampled_from([None, "example.com", "*.example.com", "Bad_Host", "a..b", "1.2.3.4"])
    )
    return _without_none(
        {"host": host, "http": {"paths": draw(st.lists(ingress_path(), max_size=3))}}
    )


@st.composite
def ingress_tls(draw: st.DrawFn) -> dict[str, Any]:
    hosts = draw(st.lists(st.sampled_from(["example.com", "other.org"]), max_size=2))
    return {"hosts": hosts, "secretName": draw(NAMES)}


@st.composite
def ingress(draw: st.DrawFn) -> dict[str, Any]:
    spec = _without_none(
        {
            "ingressClassName": draw(st.sampled_from([None, "nginx", "missing"])),
            "rules": draw(st.lists(ingress_rule(), max_size=3)),
            "tls": draw(st.one_of(st.none(), st.lists(ingress_tls(), max_size=2))),
            "defaultBackend": draw(st.one_of(st.none(), ingress_backend())),
        }
    )
    return {
        "apiVersion": "networking.k8s.io/v1",
        "kind": "Ingress",
        "metadata": draw(metadata()),
        "spec": spec,
    }


ADDRESSES = st.sampled_from(
    ["10.0.0.1", "127.0.0.1", "::1", "fe80::1", "2001:db8::1", "example.com", "bad", "0.0.0.0"]
)


@st.composite
def named_port(draw: st.DrawFn, number_key: str) -> dict[str, Any]:
    return _without_none(
        {"name": draw(PORT_NAMES), number_key: draw(PORT_NUMBERS), "protocol": draw(PROTOCOLS)}
    )


@st.composite
def endpoint_slice(draw: st.DrawFn) -> dict[str, Any]:
    meta = draw(metadata())
    labels = dict(meta.get("labels") or {})
    if draw(st.booleans()):
        labels["kubernetes.io/service-name"] = draw(NAMES)
    if draw(st.booleans()):
        labels["endpointslice.kubernetes.io/managed-by"] = draw(
            st.sampled_from(["endpointslice-controller.k8s.io", "someone"])
        )
    meta["labels"] = labels
    endpoints = [
        {"addresses": draw(st.lists(ADDRESSES, max_size=3))} for _ in range(draw(st.integers(0, 3)))
    ]
    return {
        "apiVersion": "discovery.k8s.io/v1",
        "kind": "EndpointSlice",
        "metadata": meta,
        "addressType": draw(st.sampled_from(["IPv4", "IPv6", "FQDN", "Other"])),
        "endpoints": endpoints,
        "ports": draw(st.lists(named_port("port"), max_size=3)),
    }


WORKLOAD_KINDS = {
    "Deployment": "apps/v1",
    "StatefulSet": "apps/v1",
    "DaemonSet": "apps/v1",
    "ReplicaSet": "apps/v1",
    "Job": "batch/v1",
    "CronJob": "batch/v1",
    "Pod": "v1",
}


@st.composite
def container(draw: st.DrawFn) -> dict[str, Any]:
    ports = draw(st.lists(named_port("containerPort"), max_size=3))
    return {"name": draw(NAMES), "image": "nginx", "ports": ports}


@st.composite
def workload(draw: st.DrawFn) -> dict[str, Any]:
    kind = draw(st.sampled_from(sorted(WORKLOAD_KINDS)))
    labels = draw(LABELS)
    pod_spec: dict[str, Any] = {"containers": draw(st.lists(container(), max_size=2))}
    meta = draw(metadata())
    if kind == "Pod":
        meta["labels"] = labels
        return {"apiVersion": "v1", "kind": kind, "metadata": meta, "spec": pod_spec}
    template = {"metadata": {"labels": labels}, "spec": pod_spec}
    spec: dict[str, Any] = {"selector": {"matchLabels": draw(LABELS)}, "template": template}
    if kind == "StatefulSet":
        spec["serviceName"] = draw(NAMES)
    if kind == "CronJob":
        spec = {"schedule": "* * * * *", "jobTemplate": {"spec": {"template": template}}}
    if kind == "Job":
        spec = {"template": template}
    return {"apiVersion": WORKLOAD_KINDS[kind], "kind": kind, "metadata": meta, "spec": spec}


KUBE_OBJECTS = st.one_of(service(), ingress(), endpoint_slice(), workload())


def _mutations() -> list[Callable[[str, int], str]]:
    def drop_line(text: str, at: int) -> str:
        lines = text.split("\n")
        del lines[at % len(lines)]
        return "\n".join(lines)

    def duplicate_line(text: str, at: int) -> str:
        lines = text.split("\n")
        index = at % len(lines)
        return "\n".join([*lines[: index + 1], lines[index], *lines[index + 1 :]])

    def unquote(text: str, at: int) -> str:
        return text.replace("'", "")

    def tabs(text: str, at: int) -> str:
        return text.replace("  ", "\t", 1 + at % 3)

    def crlf(text: str, at: int) -> str:
        return text.replace("\n", "\r\n" if at % 2 else "\r")

    def truncate(text: str, at: int) -> str:
        return text[: at % (len(text) + 1)]

    def insert(text: str, at: int) -> str:
        index = at % (len(text) + 1)
        return text[:index] + "[{&*!|>#:-\t'\""[at % 14] + text[index:]

    return [drop_line, duplicate_line, unquote, tabs, crlf, truncate, insert]


MUTATIONS = _mutations()


@st.composite
def manifest_files(draw: st.DrawFn) -> dict[str, bytes]:
    objects = draw(st.lists(KUBE_OBJECTS, min_size=1, max_size=8))
    count = draw(st.integers(1, 3))
    files: dict[str, bytes] = {}
    for index in range(count):
        mine = objects[index::count]
        if not mine:
            continue
        flow = draw(st.booleans())
        text = yaml.safe_dump_all(
            mine, default_flow_style=flow, sort_keys=draw(st.booleans()), allow_unicode=True
        )
        if draw(st.integers(0, 3)) == 0:
            mutation = draw(st.sampled_from(MUTATIONS))
            text = mutation(text, draw(st.integers(0, 10_000)))
        encoding = "utf-16" if draw(st.integers(0, 9)) == 0 else "utf-8"
        files[f"k{index}.yaml"] = text.encode(encoding, errors="replace")
    return files


# The hardening issues' input shapes that once grew faster than the input (the same object as N
# documents or list items, one Ingress with N identical paths...), at a small size: seeds that
# every run checks, whatever Hypothesis generates.
SEED_SIZE = 24


def _with_hardening_seeds(test: Callable[..., None]) -> Callable[..., None]:
    for shape in SHAPES:
        test = example(files={f"{shape.name}.yaml": shape.text(SEED_SIZE).encode()})(test)
    return example(  # the same object in two files, besides twice in each
        files={
            "a.yaml": SHAPES[0].text(3).encode(),
            "b.yaml": SHAPES[1].text(3).encode(),
        }
    )(test)


@FUZZ_SETTINGS
@given(manifest_files())
@_with_hardening_seeds
# Found by a long run: a label key "\f" (form feed) in a UTF-16 file. str.splitlines() splits
# on it; the Actions runner, like the loader, does not.
@example(
    files={
        "k0.yaml": (
            "kind: Service\nmetadata:\n  name: web\nspec:\n  ports: []\n---\napiVersion: v1\n"
            'kind: Service\nmetadata:\n  name: web\n  labels:\n    "\\f": 0\nspec:\n  ports: []\n'
        ).encode("utf-16")
    }
)
def test_kubernetes_shaped_objects(files: dict[str, bytes]) -> None:
    check_files(files)


@FUZZ_SETTINGS
@given(st.lists(KUBE_OBJECTS, min_size=2, max_size=6), st.randoms(use_true_random=False))
def test_the_order_of_input_files_does_not_change_the_findings(
    objects: list[dict[str, Any]], shuffler: Any
) -> None:
    # One object per file, so that every cross-file rule (duplicates, selectors, backends,
    # conflicts) sees the same objects in another order.
    files = {
        f"o{index}.yaml": yaml.safe_dump(obj, sort_keys=False).encode()
        for index, obj in enumerate(objects)
    }
    with tempfile.TemporaryDirectory() as directory:
        root = Path(directory)
        for name, content in files.items():
            (root / name).write_bytes(content)
        names = sorted(files)
        shuffled = list(names)
        shuffler.shuffle(shuffled)
        first, second = lint(root, names), lint(root, shuffled)
        assert [_key(f) for f in second.findings] == [_key(f) for f in first.findings]


# Per shape: (rule, findings it reports at any size). One problem is one finding, however
# many times the input repeats it; the per-port names are one finding per duplicate, as the
# API server reports them.
ONE_FINDING_PER_PROBLEM = {
    "documents": ("duplicate-object", lambda size: 1),
    "configmap-list": ("duplicate-object", lambda size: 1),
    "ingress-paths": ("ingress-path-conflict", lambda size: 1),
    "route-matches": ("route-path-conflict", lambda size: 0),
    "service-list": ("duplicate-object", lambda size: 0),
    "duplicate-keys": ("yaml-duplicate-key", lambda size: size - 1),
    "port-names": ("service-port-name", lambda size: size - 1),
    "statefulsets": ("duplicate-object", lambda size: 0),
}


@pytest.mark.parametrize("shape", SHAPES, ids=lambda shape: shape.name)
def test_hardening_shapes_report_each_problem_once(shape: Shape) -> None:
    rule_id, expected = ONE_FINDING_PER_PROBLEM[shape.name]
    report = check_files({f"{shape.name}.yaml": shape.text(SEED_SIZE).encode()})
    assert len([f for f in report.findings if f.rule_id == rule_id]) == expected(SEED_SIZE)


@pytest.mark.skipif(SARIF_VALIDATOR is None, reason="the official SARIF schema is not available")
def test_the_sarif_schema_is_the_official_one() -> None:
    assert SARIF_VALIDATOR is not None
    schema = SARIF_VALIDATOR.schema
    assert schema["id"] == (
        "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
    )
    assert schema["properties"]["version"]["enum"] == ["2.1.0"]
