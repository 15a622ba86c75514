"""Hostile and broken input (issue 9, DESIGN §10): never crash, never hang, never run anything,
lose nothing.

The acceptance test builds one folder holding every kind of bad input beside a valid file with a
finding and runs the real CLI on it in a subprocess. The other tests pin each behaviour on its own:
caps, encodings, the file system, internal errors and exit codes. Files that cannot live in git
(FIFOs, sockets, symlink loops, non-UTF-8 names, unreadable modes) are made in `tmp_path`.
"""

from __future__ import annotations

import codecs
import contextlib
import json
import os
import re
import socket
import subprocess
import sys
import threading
from collections.abc import Generator, Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from jsonschema.validators import validator_for

from netlint import cli as cli_module
from netlint.cli import check_command, cli
from netlint.input.display_paths import display_path
from netlint.input.limits import Limits
from netlint.input.loader import load_yaml
from netlint.input.reading import DEFAULT_MAX_FILE_SIZE, Source, Unreadable, read_source
from netlint.input.sizes import parse_size
from netlint.input.sources import PathMatcher
from netlint.model.access import dig
from netlint.report.github import render_github
from netlint.report.json_report import render_json
from netlint.report.sarif import render_sarif
from netlint.report.text import render_text
from netlint.run.results import Report
from tests.helpers import brief, lint_files, lint_text, only, read_sources

REPO = Path(__file__).resolve().parent.parent
PACK = REPO / "tests" / "fixtures" / "hostile" / "raising_pack.py"
SARIF_SCHEMA_CANDIDATES = (
    REPO.parent / "shared" / "schemas-ref" / "sarif-schema-2.1.0.json",
    Path("/work/shared/schemas-ref/sarif-schema-2.1.0.json"),
)
FINDING = re.compile(
    r"^(?P<path>.+?):(?P<line>\d+):(?P<col>\d+): (?P<sev>error|warning|info)\[(?P<rule>[a-z0-9-]+)\] (?P<message>.*)$"
)

# A Service that selects nothing: one warning (service-selector-no-match) at line 7, column 3.
VALID = """\
apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: shop
spec:
  selector:
    app: nothing-has-this
  ports:
  - port: 80
"""


def _service(name: str, selector: str = "nothing") -> str:
    return (
        f"apiVersion: v1\nkind: Service\nmetadata:\n  name: {name}\nspec:\n"
        f"  selector:\n    app: {selector}\n  ports:\n  - port: 80\n"
    )


def billion_laughs(levels: int = 9, prefix: str = "") -> str:
    lines = ["apiVersion: v1", "kind: ConfigMap", "metadata:", "  name: lol", "data:"]
    lines.append('  a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]')
    for level in range(1, levels):
        refs = ", ".join([f"*a{level - 1}"] * 9)
        lines.append(f"  a{level}: &a{level} [{refs}]")
    return prefix + "\n".join(lines) + "\n"


def _fifo_possible() -> bool:
    return hasattr(os, "mkfifo")


@contextlib.contextmanager
def _unix_socket(path: Path) -> Generator[None]:
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        server.bind(str(path))
        yield
    finally:
        server.close()


@pytest.fixture
def hostile_tree(tmp_path: Path) -> Iterator[dict[str, Any]]:
    """Every kind of bad input of issue 9 beside `valid.yaml`; the expected finding per file."""
    root = tmp_path / "tree"
    root.mkdir()
    marker = tmp_path / "PWNED"
    expected: dict[str, tuple[str, str]] = {}  # display path -> (rule id, reason fragment)

    def write(name: str, content: str | bytes, rule: str = "", reason: str = "") -> None:
        path = root / name
        if isinstance(content, str):
            path.write_bytes(content.encode("utf-8"))
        else:
            path.write_bytes(content)
        if rule:
            expected[f"tree/{name}"] = (rule, reason)

    write("valid.yaml", VALID)
    write("big.yaml", "# padding\n" * 10_000, "input-limit", "above the limit of 65536 bytes")
    write("bomb.yaml", billion_laughs(), "input-limit", "billion-laughs")
    write("deep.yaml", "[" * 20_000 + "]" * 20_000 + "\n", "input-limit", "nesting deeper")
    write("many-docs.yaml", "---\n" * 10_001, "input-limit", "more than 10000")
    write("broken-docs.yaml", "---\nkind: A\nx: [\n" * 500, "input-limit", "100 YAML syntax errors")
    write(
        "latin1.yaml",
        _service("caf\u00e9").encode("latin-1"),
        "file-unreadable",
        "not UTF-8: invalid byte 0xe9",
    )
    write("nul.yaml", b"kind: Service\x00\x00\n", "file-unreadable", "NUL byte")
    write(
        "binary.yaml",
        bytes(range(256)) * 4,
        "file-unreadable",
        "binary content",
    )
    write("utf32.yaml", _service("u32").encode("utf-32"), "file-unreadable", "UTF-32")
    write(
        "utf16-nobom.yaml",
        _service("u16").encode("utf-16-le"),
        "file-unreadable",
        "UTF-16 text without a byte-order mark",
    )
    # UTF-16 with a BOM is what Kubernetes reads: it is linted (the selector finding, line 6).
    write("utf16.yaml", _service("u16").encode("utf-16"), "service-selector-no-match", "u16")
    # Mixed line endings: CRLF, LF and a lone CR all end a line, as libyaml counts them.
    write(
        "mixed-eol.yaml",
        _service("eol")
        .replace("kind: Service\n", "kind: Service\r\n")
        .replace("name: eol\n", "name: eol\r"),
        "service-selector-no-match",
        "eol",
    )
    write(
        "tabs.yaml",
        "apiVersion: v1\nkind: Service\nmetadata:\n\tname: tabs\n",
        "yaml-syntax",
        "a tab character indents this line",
    )
    write(
        "pytag.yaml",
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: pwn\ndata:\n"
        f"  x: !!python/object/apply:os.system ['touch {marker}']\n"
        f"  y: !!python/object/new:subprocess.check_call [['touch', '{marker}']]\n",
        "yaml-syntax",
        "never constructs it",
    )
    write("with space.yaml", _service("spaced"), "service-selector-no-match", "spaced")
    write("boom.yaml", _service("boom"), "internal-error", "rule test-raises failed")
    write("boom-late.yaml", _service("boom-late"), "internal-error", "rule test-raises-late")
    (root / "loop.yaml").symlink_to("loop.yaml")
    expected["tree/loop.yaml"] = ("file-unreadable", "symlink loop")
    (root / "sub").mkdir()
    (root / "sub" / "up").symlink_to("..")
    expected["tree/sub/up"] = ("file-unreadable", "symlink loop")
    if _fifo_possible():
        os.mkfifo(root / "fifo.yaml")
        expected["tree/fifo.yaml"] = ("file-unreadable", "a FIFO (named pipe) is never read")
    non_utf8: str | None = None
    with contextlib.suppress(OSError, UnicodeError):
        raw = os.fsencode(root) + b"/bad-\xff-name.yaml"
        with open(raw, "wb") as handle:
            handle.write(_service("nonutf8").encode())
        non_utf8 = "tree/bad-\\xff-name.yaml"
        expected[non_utf8] = ("service-selector-no-match", "nonutf8")
    if os.geteuid() != 0:  # root reads everything: covered by monkeypatched tests below
        write("noperm.yaml", _service("noperm"), "file-unreadable", "permission denied")
        (root / "noperm.yaml").chmod(0)
        (root / "closed").mkdir()
        (root / "closed" / "x.yaml").write_text(_service("closed"))
        (root / "closed").chmod(0)
        expected["tree/closed"] = ("file-unreadable", "cannot read folder: permission denied")
    sock_path = root / "s.yaml"
    # AF_UNIX paths are limited to about 100 bytes; skip the socket where tmp is deeper.
    use_socket = hasattr(socket, "AF_UNIX") and len(os.fsencode(sock_path)) < 100
    with _unix_socket(sock_path) if use_socket else contextlib.nullcontext():
        if use_socket:
            expected["tree/s.yaml"] = ("file-unreadable", "a socket is never read")
        yield {"root": root, "tmp": tmp_path, "marker": marker, "expected": expected}
    if os.geteuid() != 0:
        (root / "closed").chmod(0o755)


def _run_cli(cwd: Path, *args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_COLOR": "1", "PYTHONDONTWRITEBYTECODE": "1"}
    return subprocess.run(
        [sys.executable, "-m", "netlint", *args],
        cwd=cwd,
        input=stdin.decode("latin-1") if stdin is not None else None,
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="strict",  # every byte netlint prints must be valid UTF-8
        timeout=30,  # the acceptance bound: a hang fails here, not in a timing assertion
        env=env,
        check=False,
    )


def _sarif_validator() -> Any:
    for candidate in SARIF_SCHEMA_CANDIDATES:
        if candidate.is_file():
            schema = json.loads(candidate.read_text(encoding="utf-8"))
            validator_class: Any = validator_for(schema)  # the file's own $schema (draft-04)
            return validator_class(schema)
    return None


def test_acceptance_hostile_tree_is_reported_and_the_valid_file_still_linted(
    hostile_tree: dict[str, Any],
) -> None:
    tmp: Path = hostile_tree["tmp"]
    root = "tree"
    sarif = tmp / "out.sarif"
    arguments = [
        "check",
        f"{root}/",  # a folder with a trailing slash...
        root,  # ...the same folder again...
        f"{root}/valid.yaml",  # ...and a file in it: each file is read once
        "--rules",
        str(PACK),
        "--max-file-size",
        "64K",
        "--no-color",
        "--jobs",
        "2",  # worker processes parse the files
    ]
    result = _run_cli(tmp, *arguments, "--sarif-file", str(sarif))
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert "Traceback" not in output
    finding_lines = [line for line in result.stdout.splitlines() if FINDING.match(line)]
    findings = [m.groupdict() for line in finding_lines if (m := FINDING.match(line))]
    # A second run, from the per-file cache, and in one process, reports the same.
    again = _run_cli(tmp, *arguments[:-2], "--jobs", "1")
    assert again.returncode == 1
    assert [line for line in again.stdout.splitlines() if FINDING.match(line)] == finding_lines
    by_path: dict[str, list[dict[str, str]]] = {}
    for finding in findings:
        by_path.setdefault(finding["path"], []).append(finding)

    # The valid file's finding, exactly once although the file was named three times.
    (valid,) = by_path["tree/valid.yaml"]
    assert (valid["rule"], valid["line"], valid["col"]) == ("service-selector-no-match", "7", "3")
    # Every bad file is named with a clear reason.
    for path, (rule, reason) in hostile_tree["expected"].items():
        assert path in by_path, f"{path} not reported:\n{result.stdout}"
        messages = [f"{f['rule']}: {f['message']}" for f in by_path[path]]
        assert any(f["rule"] == rule and reason in f["message"] for f in by_path[path]), (
            path,
            messages,
        )
    # Nothing was executed: the python tags would have created the marker.
    assert not hostile_tree["marker"].exists()
    # One rule's failure on one object names the rule, the object and the file, asks for a
    # report, and the other rules still ran on that object (the selector finding of boom.yaml).
    (boom,) = only_rule(by_path["tree/boom.yaml"], "internal-error")
    assert "Service boom" in boom["message"]
    assert "tree/boom.yaml" in boom["message"]
    assert "please report" in boom["message"]
    assert only_rule(by_path["tree/boom.yaml"], "service-selector-no-match")
    assert only_rule(by_path["tree/boom-late.yaml"], "service-selector-no-match")
    # Mixed line endings are counted as libyaml counts them: the selector is on line 6.
    (eol,) = only_rule(by_path["tree/mixed-eol.yaml"], "service-selector-no-match")
    assert (eol["line"], eol["col"]) == ("6", "3")
    # The folder loop is reported once, though the folder was named twice.
    assert len(by_path["tree/sub/up"]) == 1
    # SARIF: valid against the official schema, and a non-UTF-8 name is percent-encoded.
    document = json.loads(sarif.read_text(encoding="utf-8"))
    validator = _sarif_validator()
    if validator is not None:
        errors: list[str] = [error.message for error in validator.iter_errors(document)]
        assert errors == []
    uris = {
        location["physicalLocation"]["artifactLocation"]["uri"]
        for run_result in document["runs"][0]["results"]
        for location in run_result["locations"]
    }
    assert "tree/with%20space.yaml" in uris
    if "tree/bad-\\xff-name.yaml" in hostile_tree["expected"]:
        assert "tree/bad-%FF-name.yaml" in uris


def only_rule(findings: list[dict[str, str]], rule: str) -> list[dict[str, str]]:
    return [f for f in findings if f["rule"] == rule]


def test_every_output_format_survives_the_hostile_tree(hostile_tree: dict[str, Any]) -> None:
    tmp: Path = hostile_tree["tmp"]
    result = _run_cli(
        tmp,
        "check",
        "tree",
        "--max-file-size",
        "64K",
        "--output-format",
        "github",
        "--json-file",
        "out.json",
        "--output-file",
        "out.github",
    )
    assert result.returncode == 1, result.stderr
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    annotations = (tmp / "out.github").read_text(encoding="utf-8").splitlines()
    assert annotations
    assert all(line.startswith(("::error ", "::warning ", "::notice ")) for line in annotations)
    findings = json.loads((tmp / "out.json").read_text(encoding="utf-8"))["findings"]
    assert len(findings) == len(annotations)
    assert {f["path"] for f in findings} >= set(hostile_tree["expected"])
    assert not hostile_tree["marker"].exists()


# --- caps ----------------------------------------------------------------------------------------


def test_a_file_above_the_default_cap_is_reported_and_not_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    big = tmp_path / "big.yaml"
    with big.open("wb") as handle:  # sparse: 10 MiB + 1 byte without writing them
        handle.truncate(DEFAULT_MAX_FILE_SIZE + 1)
    opened: list[object] = []
    real_open = os.open

    def spying_open(path: Any, flags: int, *args: Any) -> int:
        opened.append(path)
        return real_open(path, flags, *args)

    monkeypatch.setattr(os, "open", spying_open)
    (item,) = read_sources([str(big)], PathMatcher((), tmp_path), tmp_path)
    assert isinstance(item, Unreadable)
    assert item.rule_id == "input-limit"
    assert f"above the limit of {DEFAULT_MAX_FILE_SIZE} bytes" in item.reason
    assert opened == []  # decided from the size alone


def test_max_file_size_flag_and_its_errors(tmp_path: Path) -> None:
    (tmp_path / "svc.yaml").write_text(_service("web") + "# " + "x" * 2000 + "\n")
    runner = CliRunner()
    result = runner.invoke(cli, ["check", str(tmp_path), "--max-file-size", "1K", "-q"])
    assert result.exit_code == 1
    assert "input-limit" in result.output and "above the limit of 1024 bytes" in result.output
    result = runner.invoke(cli, ["check", str(tmp_path), "--max-file-size", "1M", "-q"])
    assert "input-limit" not in result.output
    result = runner.invoke(cli, ["check", str(tmp_path), "--max-file-size", "ten"])
    assert result.exit_code == 2
    assert "--max-file-size: invalid file size 'ten'" in result.output
    assert [parse_size(t) for t in ("1", "2k", "10M", "10MiB", "1G")] == [
        1,
        2048,
        10 << 20,
        10 << 20,
        1 << 30,
    ]


def test_config_max_file_size_is_used_without_the_flag(tmp_path: Path) -> None:
    (tmp_path / ".netlint.yaml").write_text("max-file-size: 100\n")
    (tmp_path / "svc.yaml").write_text(_service("web"))
    result = CliRunner().invoke(
        cli,
        ["check", str(tmp_path / "svc.yaml"), "--config", str(tmp_path / ".netlint.yaml"), "-q"],
    )
    assert "above the limit of 100 bytes" in result.output


def test_stdin_is_capped_too(tmp_path: Path) -> None:
    result = _run_cli(tmp_path, "check", "-", "--max-file-size", "1K", stdin=b"# x\n" * 1000)
    assert result.returncode == 1
    assert "-:1:1: error[input-limit]" in result.stdout
    assert "stdin holds more than 1024 bytes" in result.stdout


def test_billion_laughs_is_reported_at_the_alias_and_nothing_expands() -> None:
    findings = lint_text(billion_laughs())
    assert brief(findings) == [("input-limit", 9, 12, "error")]  # the alias crossing the cap
    assert "billion-laughs" in findings[0].message


def test_excessive_aliasing_is_refused_as_kubernetes_refuses_it() -> None:
    # With enough text around it, the file's alias budget is large; go-yaml's alias ratio (what
    # kubectl and the API server decode with) still refuses the document.
    padding = "# " + "x" * 200_000 + "\n"
    (finding,) = lint_text(padding + billion_laughs())
    assert (finding.rule_id, finding.location.line) == ("input-limit", 10)
    assert "excessive aliasing" in finding.message
    assert "Kubernetes' YAML decoder refuses such a document too" in finding.message


def _expanded_nodes(node: object, bound: int) -> int:
    """Nodes a naive walk visits (aliases expanded), counting up to `bound`."""
    count = 0
    stack = [node]
    while stack and count <= bound:
        current = stack.pop()
        count += 1
        if isinstance(current, dict):
            stack.extend(current.values())  # pyright: ignore[reportUnknownArgumentType]
        elif isinstance(current, list):
            stack.extend(current)  # pyright: ignore[reportUnknownArgumentType]
    return count


def test_aliases_are_capped_per_file_so_every_walk_stays_linear() -> None:
    # Each document is 99% aliases, as much as Kubernetes' decoder allows: about 180,000 nodes
    # from 2,000 written ones. Many of them would still cost every walk over the data (rules,
    # schema validation, position tables, reporters) millions of steps; the file's alias budget,
    # two nodes per character of text, stops that.
    scalars = ", ".join(["x"] * 2000)
    aliases = ", ".join(["*a0"] * 90)
    one = f"kind: ConfigMap\nmetadata: {{name: c{{n}}}}\ndata:\n  a0: &a0 [{scalars}]\n  a1: [{aliases}]\n"
    text = "".join("---\n" + one.replace("{n}", str(n)) for n in range(20))
    limits = Limits()
    result = load_yaml(text, "lol.yaml", limits)
    assert [p.rule_id for p in result.problems] == ["input-limit"]
    budget = 2 * len(text)
    assert f"aliases in this file expand to more than {budget} nodes" in result.problems[0].message
    assert len(result.documents) == 1  # the documents before the cap are kept and linted
    walked = sum(_expanded_nodes(d.data, 10 * budget) for d in result.documents)
    assert walked <= len(text) + budget


def test_nested_anchors_in_a_mapping_with_a_duplicate_key_are_no_billion_laughs() -> None:
    # When a mapping with a duplicate key is put back in data order, the anchors inside it keep
    # their positions in one copy of the mapping's part of the table, counted once, however
    # deeply they nest: 90 anchored levels and no alias used to be refused as aliasing.
    inner = ""
    for level in reversed(range(90)):
        inner = f"{{x: {level}{', k: &a' + str(level) + ' ' + inner if inner else ''}}}"
    text = f"apiVersion: v1\nkind: ConfigMap\nkind: ConfigMap\ndata: {inner}\nz: *a85\n"
    result = load_yaml(text, "nested.yaml")
    assert [p.rule_id for p in result.problems] == ["yaml-duplicate-key"]
    (document,) = result.documents
    deep: tuple[str, ...] = ("data", *("k",) * 86)  # &a85 anchors the mapping of level 86
    assert dig(document.data, *deep, "x") == 86
    assert dig(document.data, "z", "x") == 86
    # The alias is located where its anchored node is written.
    assert document.span_of(("z", "x")) == document.span_of((*deep, "x"))


def test_anchors_as_people_use_them_are_loaded() -> None:
    # Shared labels and a container template merged into many workloads of one List, the DRY
    # style of hand-written YAML (the linkerd golden files of the corpus use anchors too).
    env = ", ".join(f"{{name: V{i}, value: v{i}}}" for i in range(12))
    head = (
        "apiVersion: v1\nkind: List\nx-defaults: &defaults\n  image: nginx:1.27\n"
        f"  imagePullPolicy: IfNotPresent\n  env: [{env}]\n"
        "  ports: [{name: http, containerPort: 8080}]\n"
        "x-labels: &labels {app.kubernetes.io/part-of: shop, tier: backend}\nitems:\n"
    )
    items = "".join(
        f"- apiVersion: apps/v1\n  kind: Deployment\n  metadata:\n    name: svc{n}\n"
        "    labels: *labels\n  spec:\n    selector: {matchLabels: *labels}\n    template:\n"
        "      metadata: {labels: *labels}\n      spec:\n        containers:\n"
        f"        - <<: *defaults\n          name: svc{n}\n"
        for n in range(30)
    )
    result = load_yaml(head + items, "dry.yaml")
    assert result.problems == []
    (document,) = result.documents
    assert isinstance(document.data, dict) and len(document.data["items"]) == 30  # pyright: ignore[reportArgumentType]


def test_deep_nesting_is_a_finding_at_the_cap_and_real_depths_pass() -> None:
    (finding,) = lint_text("[" * 20_000 + "]" * 20_000 + "\n")
    assert (finding.rule_id, finding.location.line, finding.location.column) == (
        "input-limit",
        1,
        101,
    )
    assert "nesting deeper than 100 levels" in finding.message
    # 60 levels (more than the deepest CRD schema of the corpus, about 40) load fine.
    deep_ok = "a: " + "{b: " * 59 + "1" + "}" * 59 + "\n"
    assert load_yaml(deep_ok, "ok.yaml").problems == []


def test_a_loaded_document_survives_pickling_at_the_depth_cap() -> None:
    # Worker processes pickle documents and manifests; pickle recurses in C, so the depth cap
    # must leave room under Python's recursion limit.
    import pickle

    from netlint.model.manifest import objects_of

    text = (
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: deep}\ndata:\n  x: "
        + "{a: " * 95
        + "1"
        + "}" * 95
        + "\n"
    )
    result = load_yaml(text, "deep.yaml")
    assert result.problems == []
    objects = objects_of(result.documents, "default")
    documents, manifests = pickle.loads(pickle.dumps((result.documents, objects.manifests)))
    assert [document.data for document in documents] == [result.documents[0].data]
    assert [manifest.ref for manifest in manifests] == [objects.manifests[0].ref]


def test_many_broken_documents_are_capped_at_100_syntax_errors() -> None:
    text = "---\nkind: A\nx: [\n" * 20_000
    result = load_yaml(text, "broken.yaml")
    rules = [p.rule_id for p in result.problems]
    assert rules.count("yaml-syntax") == 100
    assert rules[-1] == "input-limit"
    assert "from line 301, is not read" in result.problems[-1].message


def test_documents_per_file_cap() -> None:
    result = load_yaml("---\na: 1\n" * 10_001, "many.yaml")
    assert len(result.documents) == 10_000
    assert [p.rule_id for p in result.problems] == ["input-limit"]
    assert result.problems[0].span[0] == 20_000  # the 10,001st `---`


# --- encodings and YAML oddities ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        ("a: \u00e9\n".encode("latin-1"), "not UTF-8: invalid byte 0xe9 at offset 3"),
        (b"kind: A\x00\n", "NUL byte at offset 7"),
        ("kind: A\n".encode("utf-32"), "UTF-32 text"),
        ("kind: A\n".encode("utf-16-le"), "UTF-16 text without a byte-order mark"),
        ("kind: A\n".encode("utf-16-be"), "UTF-16 text without a byte-order mark"),
        (codecs.BOM_UTF16_LE + b"k\x00\x00\xd8", "invalid UTF-16"),
    ],
)
def test_encodings_kubernetes_cannot_read_are_unreadable(
    tmp_path: Path, data: bytes, reason: str
) -> None:
    (tmp_path / "x.yaml").write_bytes(data)
    (tmp_path / "ok.yaml").write_text(_service("ok"))
    report = lint_files([tmp_path], cwd=tmp_path)
    assert [
        (f.rule_id, f.location.path)
        for f in report.findings
        if f.rule_id != "service-selector-no-match"
    ] == [("file-unreadable", "x.yaml")]
    assert reason in report.findings[-1].message or any(
        reason in f.message for f in report.findings
    )
    assert only(report.findings, "service-selector-no-match")  # ok.yaml is still linted


def test_utf16_with_bom_is_decoded_and_linted_at_true_positions(tmp_path: Path) -> None:
    for name, encoding in (("le.yaml", "utf-16-le"), ("be.yaml", "utf-16-be")):
        bom = codecs.BOM_UTF16_LE if encoding.endswith("le") else codecs.BOM_UTF16_BE
        (tmp_path / name).write_bytes(bom + _service(name[:2]).encode(encoding))
    report = lint_files([tmp_path], cwd=tmp_path, select=["service-selector-no-match"])
    assert brief(report.findings) == [
        ("service-selector-no-match", 6, 3, "warning"),
        ("service-selector-no-match", 6, 3, "warning"),
    ]


def test_mixed_line_endings_keep_line_numbers_and_error_recovery() -> None:
    text = "a: 1\r\n---\rb: [1\r\n---\nc: {x: 1\r---\r\napiVersion: v1\rkind: Service\r\nmetadata: {name: web}\n"
    result = load_yaml(text, "eol.yaml")
    assert result.documents[0].data == {"a": 1}
    assert [p.span[0] for p in result.problems] == [3, 5]
    last = result.documents[-1]
    assert last.span_of(("metadata", "name"))[:2] == (8, 17)


def test_tabs_used_for_indentation_have_a_clear_message() -> None:
    (finding,) = lint_text("apiVersion: v1\nkind: Service\nmetadata:\n\tname: web\n")
    assert (finding.rule_id, finding.location.line, finding.location.column) == (
        "yaml-syntax",
        4,
        1,
    )
    assert "a tab character indents this line" in finding.message
    # A tab after a colon is not indentation and stays legal.
    assert load_yaml("a:\t1\n", "x.yaml").problems == []


def test_control_characters_are_located_where_they_are() -> None:
    result = load_yaml("a: b\nc: d \x01\n---\ne: 1\n", "x.yaml")
    (problem,) = result.problems
    assert problem.span[:2] == (1, 5)
    assert problem.message == (
        "YAML syntax error: unacceptable character #x0001: control characters are not allowed"
    )
    assert [d.data for d in result.documents] == [{"e": 1}]


def test_python_tags_are_reported_and_never_constructed(tmp_path: Path) -> None:
    marker = tmp_path / "PWNED"
    text = (
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: pwn\ndata:\n"
        f"  a: !!python/object/apply:os.system ['touch {marker}']\n"
        f"  b: !!python/object/new:subprocess.check_call [['touch', '{marker}']]\n"
        f"  c: !<tag:yaml.org,2002:python/name:os.system> x\n"
        "  d: !custom {x: 1}\n"
    )
    findings = only(lint_text(text), "yaml-syntax")
    assert [(f.location.line, f.location.column) for f in findings] == [
        (6, 6),
        (7, 6),
        (8, 6),
        (9, 6),
    ]
    assert all("never constructs it" in f.message for f in findings)
    assert not marker.exists()


def test_a_loader_bug_is_an_internal_error_not_an_exception(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from netlint.input.tree_builder import Builder

    def broken(*args: object) -> None:
        raise AssertionError("simulated loader bug")

    monkeypatch.setattr(Builder, "run", broken)
    result = load_yaml("kind: A\n", "x.yaml")
    (problem,) = result.problems
    assert problem.rule_id == "internal-error"
    assert "simulated loader bug" in problem.message and "please report" in problem.message


# --- the file system -------------------------------------------------------------------------------


@pytest.mark.skipif(not _fifo_possible(), reason="no FIFOs on this platform")
def test_a_fifo_is_never_opened_even_when_swapped_in_after_the_stat(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    (tmp_path / "plain.yaml").write_text("kind: A\n")
    real_stat = Path.stat
    regular = real_stat(tmp_path / "plain.yaml")

    def lying_stat(self: Path, **kwargs: Any) -> os.stat_result:
        # What a race would look like: a regular file at stat time, a FIFO when opened.
        return regular if self == fifo else real_stat(self, **kwargs)

    monkeypatch.setattr(Path, "stat", lying_stat)
    outcome: list[Source | Unreadable] = []
    worker = threading.Thread(
        target=lambda: outcome.append(read_source(fifo, tmp_path, 1000)), daemon=True
    )
    worker.start()
    worker.join(timeout=10)
    assert not worker.is_alive(), "reading a FIFO blocked"
    (item,) = outcome
    assert isinstance(item, Unreadable)
    assert "a FIFO (named pipe) is never read" in item.reason


def test_permission_errors_are_findings_and_the_rest_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "a.yaml").write_text(_service("a"))
    (tmp_path / "locked.yaml").write_text(_service("locked"))
    (tmp_path / "closed").mkdir()
    (tmp_path / "closed" / "c.yaml").write_text(_service("c"))
    real_open, real_scandir = os.open, os.scandir

    def guarded_open(path: Any, *args: Any, **kwargs: Any) -> int:
        if str(path).endswith("locked.yaml"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, *args, **kwargs)

    def guarded_scandir(path: Any) -> Any:
        if str(path).endswith("closed"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "open", guarded_open)
    monkeypatch.setattr(os, "scandir", guarded_scandir)
    items = read_sources([str(tmp_path)], PathMatcher((), tmp_path), tmp_path)
    shown = {item.path: item for item in items}
    assert isinstance(shown["a.yaml"], Source)
    locked, closed = shown["locked.yaml"], shown["closed"]
    assert isinstance(locked, Unreadable) and locked.reason == "cannot read: permission denied"
    assert isinstance(closed, Unreadable)
    assert closed.reason == "cannot read folder: permission denied"


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
def test_real_unreadable_file_and_folder(tmp_path: Path) -> None:
    (tmp_path / "ok.yaml").write_text(_service("ok"))
    locked = tmp_path / "locked.yaml"
    locked.write_text(_service("locked"))
    locked.chmod(0)
    closed = tmp_path / "closed"
    closed.mkdir()
    (closed / "c.yaml").write_text(_service("c"))
    closed.chmod(0)
    try:
        report = lint_files([tmp_path], cwd=tmp_path)
    finally:
        closed.chmod(0o755)
        locked.chmod(0o644)
    unreadable = {f.location.path: f.message for f in only(report.findings, "file-unreadable")}
    assert "permission denied" in unreadable["locked.yaml"]
    assert "permission denied" in unreadable["closed"]
    assert only(report.findings, "service-selector-no-match")


def test_symlinks_loops_are_reported_once_and_a_second_name_is_walked_once(
    tmp_path: Path,
) -> None:
    (tmp_path / "real").mkdir()
    (tmp_path / "real" / "svc.yaml").write_text(_service("web"))
    (tmp_path / "alias").symlink_to("real")  # the same folder under a second name: no finding
    (tmp_path / "real" / "again").symlink_to("..")  # a loop
    (tmp_path / "a.yaml").symlink_to("b.yaml")
    (tmp_path / "b.yaml").symlink_to("a.yaml")  # a two-link loop
    report = lint_files([tmp_path, f"{tmp_path}/", tmp_path / "real"], cwd=tmp_path)
    assert sorted((f.rule_id, f.location.path) for f in report.findings) == [
        ("file-unreadable", "a.yaml"),
        ("file-unreadable", "b.yaml"),
        ("file-unreadable", "real/again"),
        ("service-selector-no-match", "real/svc.yaml"),
    ]


def test_symlink_loops_with_excludes_configured(tmp_path: Path) -> None:
    # PathMatcher resolves paths: a loop used to raise RuntimeError("Symlink loop") there.
    (tmp_path / "loop.yaml").symlink_to("loop.yaml")
    items = read_sources([str(tmp_path)], PathMatcher(["vendor"], tmp_path), tmp_path)
    assert [(type(i).__name__, i.path) for i in items] == [("Unreadable", "loop.yaml")]


def test_a_file_named_twice_in_many_spellings_is_reported_once(tmp_path: Path) -> None:
    (tmp_path / "k8s").mkdir()
    (tmp_path / "k8s" / "svc.yaml").write_text(_service("web"))
    report = lint_files(
        ["k8s", "k8s/", "./k8s/svc.yaml", tmp_path / "k8s" / "svc.yaml", "k8s/../k8s/svc.yaml"],
        cwd=tmp_path,
    )
    assert brief(report.findings) == [("service-selector-no-match", 6, 3, "warning")]


def test_non_utf8_and_control_characters_in_names_are_shown_printable(tmp_path: Path) -> None:
    try:
        raw = os.fsencode(tmp_path) + b"/caf\xe9 \x1b[31m.yaml"
        with open(raw, "wb") as handle:
            handle.write(_service("odd").encode())
    except (OSError, UnicodeError):
        pytest.skip("this file system refuses names that are not UTF-8")
    report = lint_files([tmp_path], cwd=tmp_path)
    (finding,) = report.findings
    assert finding.location.path == "caf\\xe9 \\x1b[31m.yaml"
    assert finding.location.path.isprintable()
    for rendered in (
        render_text(report, color=False),
        render_json(report),
        render_github(report),
        render_sarif(report, cwd=tmp_path, tool_version="0"),
    ):
        rendered.encode("utf-8")  # no lone surrogates: every output is valid UTF-8
    sarif = json.loads(render_sarif(report, cwd=tmp_path, tool_version="0"))
    (result,) = sarif["runs"][0]["results"]
    uri = result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert uri == "caf%E9%20%1B%5B31m.yaml"
    assert display_path(Path(os.fsdecode(raw)), tmp_path) == finding.location.path


def test_a_path_that_does_not_exist_is_the_only_usage_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["check", str(tmp_path / "nope.yaml")])
    assert result.exit_code == 2
    assert "path does not exist" in result.output
    (tmp_path / "dangling.yaml").symlink_to("gone.yaml")
    result = CliRunner().invoke(cli, ["check", str(tmp_path / "dangling.yaml"), "-q"])
    assert result.exit_code == 1
    assert "file-unreadable" in result.output


# --- internal errors and exit codes --------------------------------------------------------------


def test_a_raising_rule_is_an_internal_error_and_the_rest_runs(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(_service("boom") + "---\n" + _service("fine"))
    (tmp_path / "b.yaml").write_text(_service("boom-late"))
    runner = CliRunner()
    result = runner.invoke(
        cli,
        ["check", str(tmp_path), "--rules", str(PACK), "-q", "--no-color"],
        catch_exceptions=False,
    )
    assert result.exit_code == 1
    lines = [m.groupdict() for line in result.output.splitlines() if (m := FINDING.match(line))]
    errors = [(f["path"], f["line"], f["message"]) for f in lines if f["rule"] == "internal-error"]
    assert len(errors) == 2
    early = next(message for _, _, message in errors if "boom-late" not in message)
    assert "rule test-raises failed on Service boom" in early
    assert "ZeroDivisionError" in early and "please report" in early
    late = next(message for _, _, message in errors if "boom-late" in message)
    assert "rule test-raises-late failed on Service boom-late" in late
    assert "KeyError" in late
    # Every other rule still ran on every object, the failing ones included.
    selected = sorted(
        (f["path"].rsplit("/", 1)[-1], f["line"])
        for f in lines
        if f["rule"] == "service-selector-no-match"
    )
    assert selected == [("a.yaml", "16"), ("a.yaml", "6"), ("b.yaml", "6")]
    # --exit-zero turns the 1 into 0; an internal error is never a usage error (2).
    result = runner.invoke(cli, ["check", str(tmp_path), "--rules", str(PACK), "--exit-zero"])
    assert result.exit_code == 0


def test_an_unexpected_crash_prints_no_traceback_and_does_not_exit_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "svc.yaml").write_text(_service("web"))

    def crash(*args: object, **kwargs: object) -> Report:
        raise RuntimeError("simulated engine bug")

    monkeypatch.setattr(check_command, "run", crash)
    monkeypatch.setattr(sys, "argv", ["netlint", "check", str(tmp_path)])
    with pytest.raises(SystemExit) as exit_info:
        cli_module.main()
    assert exit_info.value.code == 1
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    assert "netlint: internal error: RuntimeError: simulated engine bug" in captured.err
    assert "please report it" in captured.err


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    runner = CliRunner()
    assert runner.invoke(cli, ["check", "--no-such-flag"]).exit_code == 2
    assert runner.invoke(cli, ["check", str(tmp_path), "--kube-version", "1.2"]).exit_code == 2
    bad_config = tmp_path / "bad.yaml"
    bad_config.write_text("no-such-key: 1\n")
    assert runner.invoke(cli, ["check", str(tmp_path), "--config", str(bad_config)]).exit_code == 2


def test_an_unreadable_file_is_a_finding_with_exit_1_not_a_usage_error(tmp_path: Path) -> None:
    (tmp_path / "x.yaml").write_bytes(b"kind: \xff\n")
    (tmp_path / "ok.yaml").write_text("name: not kubernetes\n")  # skipped: not Kubernetes input
    result = CliRunner().invoke(cli, ["check", str(tmp_path), "-q", "--no-color"])
    assert result.exit_code == 1
    (line,) = [m.groupdict() for row in result.output.splitlines() if (m := FINDING.match(row))]
    assert (line["rule"], line["line"], line["col"]) == ("file-unreadable", "1", "1")
    assert "not UTF-8: invalid byte 0xff at offset 6" in line["message"]
