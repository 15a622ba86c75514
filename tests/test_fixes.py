"""`netlint check --fix`, `--diff`, `--fix-only`, `--unsafe-fixes` (issue 28, DESIGN §8a)."""

from __future__ import annotations

import codecs
import json
import os
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from netlint.cli import cli
from netlint.findings import Applicability, Edit, Finding, Fix
from netlint.input.edits import apply_fixes
from netlint.run.engine import RunOptions, run
from netlint.run.fixing import fix_run
from netlint.run.registry import load_rules
from netlint.run.renders import find_command
from tests.helpers import lint_files, lint_text, only, schemas

FIXES = Path(__file__).parent / "fixtures" / "fixes"
EXAMPLES = Path(__file__).parent.parent / "examples"
RULE_SET = load_rules()


def _piped(cwd: Path, stdin: str, *args: str) -> subprocess.CompletedProcess[bytes]:
    """`python -m netlint check ARGS -` as a process, `stdin` on its standard input."""
    environment = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    environment["NETLINT_CACHE_DIR"] = str(cwd / ".cache")
    return subprocess.run(
        [sys.executable, "-m", "netlint", "check", *args, "-"],
        cwd=cwd,
        env=environment,
        input=stdin.encode(),
        capture_output=True,
        check=False,
    )


def _fix(*edits: Edit, unsafe: bool = False) -> Fix:
    return Fix("t", Applicability.UNSAFE if unsafe else Applicability.SAFE, edits)


def _check(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["check", "--no-cache", *args])
    return result.exit_code, result.stdout, result.stderr


# -- applying edits ------------------------------------------------------------------------


def test_edits_replace_insert_delete_on_exact_spans() -> None:
    text = "a: 1\nb: 2\n"
    fixes = [
        _fix(Edit(0, 3, 0, 4, '"1"')),  # replace
        _fix(Edit(1, 0, 1, 0, "c: 3\n")),  # insert
        _fix(Edit(1, 3, 1, 4, "")),  # delete
    ]
    fixed, applied = apply_fixes(text, fixes)
    assert fixed == 'a: "1"\nc: 3\nb: \n'
    assert len(applied) == 3


def test_overlapping_fixes_wait_for_the_next_pass() -> None:
    first = _fix(Edit(0, 0, 0, 4, "x: 9"))
    second = _fix(Edit(0, 3, 0, 4, "8"))
    fixed, applied = apply_fixes("a: 1\n", [second, first])
    assert (fixed, applied) == ("x: 9\n", [first])


def test_two_insertions_at_one_place_are_not_applied_together() -> None:
    one, two = _fix(Edit(0, 0, 0, 0, "x\n")), _fix(Edit(0, 0, 0, 0, "y\n"))
    assert apply_fixes("a: 1\n", [one, two]) == ("x\na: 1\n", [one])


def test_a_fix_with_overlapping_edits_of_its_own_is_never_applied() -> None:
    broken = _fix(Edit(0, 0, 0, 3, "x"), Edit(0, 2, 0, 4, "y"))
    assert apply_fixes("a: 1\n", [broken]) == ("a: 1\n", [])


def test_new_lines_take_the_line_break_of_the_line_they_are_on() -> None:
    text = "a: 1\r\nb: 2\r\n"
    fixed, _ = apply_fixes(text, [_fix(Edit(1, 0, 1, 0, "c:\n  d: 3\n"))])
    assert fixed == "a: 1\r\nc:\r\n  d: 3\r\nb: 2\r\n"


def test_an_end_of_line_column_stops_before_the_break() -> None:
    fixed, _ = apply_fixes("a: 1  # x\nb: 2\n", [_fix(Edit(0, 1 << 23, 1, 1 << 23, ""))])
    assert fixed == "a: 1  # x\n"


# -- golden before/after per rule ---------------------------------------------------------


def _messages(findings: list[Finding], leave_out: str) -> Counter[tuple[str, str]]:
    return Counter((f.rule_id, f.message) for f in findings if f.rule_id != leave_out)


GOLDEN = sorted(path.name.removesuffix(".before.yaml") for path in FIXES.glob("*.before.yaml"))


def test_every_rule_that_fixes_has_a_golden_pair() -> None:
    fixing = sorted(r.meta.id for r in RULE_SET.rules if r.meta.fixable != "never")
    assert fixing == GOLDEN
    assert all((FIXES / f"{rule}.after.yaml").is_file() for rule in GOLDEN)


@pytest.mark.parametrize("rule", GOLDEN)
def test_golden_fix_clears_the_rule_and_changes_nothing_else(
    rule: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = (FIXES / f"{rule}.before.yaml").read_bytes()
    target = tmp_path / "input.yaml"
    target.write_bytes(before)
    monkeypatch.chdir(tmp_path)
    code, _, _ = _check("input.yaml", "--select", rule, "--fix-only", "--unsafe-fixes")
    assert code == 0
    assert target.read_bytes() == (FIXES / f"{rule}.after.yaml").read_bytes()
    left = only(lint_files([target]).active, rule)
    assert [f for f in left if f.fix is not None] == []
    # What has no fix stays as it was (in these fixtures, on the same line).
    original_findings = lint_text(before.decode(), select=[rule])
    assert all(
        any((f.message, f.location.line) == (o.message, o.location.line) for o in original_findings)
        for f in left
    )
    assert len(left) < len(original_findings)
    # Only this rule's findings went away (and those of the rules the fix also satisfies); no
    # other rule reports anything new.
    if rule != "deprecated-api":  # v1 and v1beta1 are checked differently by other rules
        original = tmp_path / "original.yaml"
        original.write_bytes(before)
        after = _messages(lint_files([target]).active, rule)
        earlier = _messages(lint_files([original]).active, rule)
        assert after - earlier == Counter()
        cleared = {other for other, _ in earlier - after}
        assert cleared == ALSO_CLEARS.get(rule, set())


# Findings of other rules that a rule's fixes in its golden file settle too.
ALSO_CLEARS = {
    "schema": {"networkpolicy-policy-types"},  # `ingress` was not an ingress policy type
    "service-port-duplicate": {"service-port-name"},  # the copy's name was a duplicate too
}


def test_deprecated_ingress_fix_gives_what_the_rule_asks_for(tmp_path: Path) -> None:
    fixed = tmp_path / "fixed.yaml"
    fixed.write_bytes((FIXES / "deprecated-api.after.yaml").read_bytes())
    report = lint_files([fixed])
    assert only(report.active, "deprecated-api") == []
    assert only(report.active, "schema") == []  # v1 fields, all of them


# -- bytes outside the edits ---------------------------------------------------------------

MIXED = (
    "# settings\r\n"
    "apiVersion: v1\r\n"
    "kind: ConfigMap\r\n"
    "metadata:\r\n"
    "  name: settings\r\n"
    "data:\r\n"
    '  mode: "fast"\r\n'
    "\r\n"
    "---\r\n"
    "apiVersion: v1\r\n"
    "kind: Service\r\n"
    "metadata:\r\n"
    "  name: web\r\n"
    "  labels: &labels {app: web, canary: yes, tier: 'web'}   # anchored\r\n"
    "  annotations:\r\n"
    "    enabled: on      # keep this comment\r\n"
    "    plain: text\r\n"
    "spec:\r\n"
    "  type: ClusterIP\r\n"
    "  selector: *labels\r\n"
    "  ports:\r\n"
    "  - {name: http, port: 80, protocol: tcp, nodePort: 30080}\r\n"
    "...\r\n"
    "---\r\n"
    "apiVersion: v1\r\n"
    "kind: Service\r\n"
    "metadata: {name: api}\r\n"
    "spec: {selector: {app: web}, ports: [{name: http, port: 81}], externalTrafficPolicy: Local}\r\n"
    "---\r\n"
    "# the old Ingress\r\n"
    "apiVersion: extensions/v1beta1   # to networking.k8s.io/v1\r\n"
    "kind: Ingress\r\n"
    "metadata:\r\n"
    "  name: web\r\n"
    "spec:\r\n"
    "  rules:\r\n"
    '  - host: "Shop.Example.com"   # keep the quotes\r\n'
    "    http:\r\n"
    "      paths:\r\n"
    "      - path: /\r\n"
    "        backend: {serviceName: web, servicePort: 80}   # flow\r\n"
)


def test_mixed_file_keeps_every_byte_outside_the_edits(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "mixed.yaml"
    target.write_bytes(codecs.BOM_UTF8 + MIXED.encode())
    monkeypatch.chdir(tmp_path)
    code, _, _ = _check("mixed.yaml", "--fix-only", "--unsafe-fixes")
    assert code == 0
    expected = (
        MIXED.replace("canary: yes,", 'canary: "yes",')  # in the anchor: the alias follows
        .replace("enabled: on ", 'enabled: "on" ')
        .replace("protocol: tcp, nodePort: 30080}", "protocol: TCP}")
        .replace("}], externalTrafficPolicy: Local}", "}]}")  # after a nested collection
        .replace("apiVersion: extensions/v1beta1 ", "apiVersion: networking.k8s.io/v1 ")
        .replace('"Shop.Example.com"', '"shop.example.com"')
        .replace(
            "        backend: {serviceName: web, servicePort: 80}",
            "        pathType: ImplementationSpecific\r\n"
            "        backend: {service: {name: web, port: {number: 80}}}",
        )
    )
    assert target.read_bytes() == codecs.BOM_UTF8 + expected.encode()
    assert _check("mixed.yaml", "--fix-only", "--unsafe-fixes")[0] == 0  # nothing left to do
    assert target.read_bytes() == codecs.BOM_UTF8 + expected.encode()


# -- the command line ----------------------------------------------------------------------

AMBIGUOUS = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  labels: {a: yes}\n"


def test_diff_prints_and_changes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "c.yaml"
    target.write_text(AMBIGUOUS)
    monkeypatch.chdir(tmp_path)
    code, out, err = _check("c.yaml", "--diff")
    assert code == 1
    assert out == (
        "--- a/c.yaml\n+++ b/c.yaml\n@@ -2,4 +2,4 @@\n kind: ConfigMap\n metadata:\n"
        '   name: c\n-  labels: {a: yes}\n+  labels: {a: "yes"}\n'
    )
    assert "would fix 1 finding in 1 file" in err
    assert target.read_text() == AMBIGUOUS
    target.write_text(AMBIGUOUS.replace("yes", "x"))
    assert _check("c.yaml", "--diff")[:2] == (0, "")


def test_fix_reports_what_is_left_and_marks_fixable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "c.yaml").write_text(AMBIGUOUS)
    monkeypatch.chdir(tmp_path)
    code, out, _ = _check("c.yaml")
    assert code == 1
    assert "c.yaml:5:15: error[yaml-ambiguous-value] [*] label a: yes" in out
    assert out.endswith("\n[*] 1 fixable with --fix\n")
    code, out, _ = _check("c.yaml", "--fix")
    assert code == 0
    assert "0 errors, 0 warnings, 0 info; 1 file linted; 1 object; 1 fixed; in " in out
    assert "[*]" not in out
    code, _, _ = _check("c.yaml", "--fix")  # idempotent
    assert code == 0
    assert (tmp_path / "c.yaml").read_text() == AMBIGUOUS.replace("yes", '"yes"')


def test_unsafe_fixes_are_counted_apart_and_applied_only_when_asked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    service = (
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: s\n  labels: {a: yes}\nspec:\n"
        "  type: ClusterIP\n  ports:\n  - {port: 80, nodePort: 30080}\n"
    )
    (tmp_path / "s.yaml").write_text(service)
    monkeypatch.chdir(tmp_path)
    out = _check("s.yaml")[1]
    assert out.endswith("[*] 1 fixable with --fix (1 more with --unsafe-fixes)\n")
    assert "[*] 2 fixable with --fix --unsafe-fixes\n" in _check("s.yaml", "--unsafe-fixes")[1]
    stats = _check("s.yaml", "--statistics", "--unsafe-fixes")[1]
    assert "1  service-type-fields   error    1 fixable  A field" in stats
    _check("s.yaml", "--fix-only")
    assert "nodePort: 30080" in (tmp_path / "s.yaml").read_text()
    _check("s.yaml", "--fix-only", "--unsafe-fixes")
    assert (tmp_path / "s.yaml").read_text() == service.replace("a: yes", 'a: "yes"').replace(
        ", nodePort: 30080", ""
    )


def test_stdin_with_fix_writes_the_fixed_stream(tmp_path: Path) -> None:
    result = _piped(tmp_path, AMBIGUOUS, "--fix")
    assert result.stdout.decode() == AMBIGUOUS.replace("yes", '"yes"')
    assert b"1 fixed" in result.stderr
    assert result.returncode == 0


def test_helm_output_on_stdin_is_never_fixed(tmp_path: Path) -> None:
    stream = "---\n# Source: web/templates/cm.yaml\n" + AMBIGUOUS
    fixed = _piped(tmp_path, stream, "--fix")
    assert fixed.stdout.decode() == stream
    assert b"the change belongs in the chart's templates" in fixed.stderr
    plain = _piped(tmp_path, stream)  # nothing offered that --fix would not do
    assert b"error[yaml-ambiguous-value] label a: yes" in plain.stdout
    assert b"fixable" not in plain.stdout
    diff = _piped(tmp_path, stream, "--diff")
    assert diff.returncode == 1
    assert b'+  labels: {a: "yes"}' in diff.stdout
    assert b"the change belongs in the chart's templates" in diff.stderr


BROKEN = AMBIGUOUS + "---\nkind: [\n"


def _broken_context_and_ok(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A file with a syntax error, a context file and a fine one, each with a fixable finding."""
    (tmp_path / "broken.yaml").write_text(BROKEN)
    (tmp_path / "context.yaml").write_text(AMBIGUOUS)
    (tmp_path / "ok.yaml").write_text(AMBIGUOUS.replace("name: c", "name: d"))
    monkeypatch.chdir(tmp_path)
    return BROKEN


def test_files_with_a_syntax_error_and_context_files_are_not_fixed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    broken = _broken_context_and_ok(tmp_path, monkeypatch)
    code, out, err = _check("broken.yaml", "ok.yaml", "--context", "context.yaml", "--diff")
    assert code == 1
    assert out.startswith("--- a/ok.yaml\n+++ b/ok.yaml\n")
    assert "broken.yaml" not in out
    assert "context.yaml" not in out
    assert "broken.yaml: not fixed: yaml-syntax at line 8" in err
    assert "would fix 1 finding in 1 file" in err
    code, _, err = _check("broken.yaml", "ok.yaml", "--context", "context.yaml", "--fix")
    assert code == 1
    assert "broken.yaml: not fixed: yaml-syntax at line 8" in err
    assert (tmp_path / "broken.yaml").read_text() == broken
    assert (tmp_path / "context.yaml").read_text() == AMBIGUOUS
    assert '"yes"' in (tmp_path / "ok.yaml").read_text()
    # The broken file alone: its finding is reported, not offered as fixable.
    code, out, err = _check("broken.yaml", "--fix")
    assert code == 1
    assert "error[yaml-ambiguous-value] label a: yes" in out  # reported, not fixed
    assert "fixable" not in out
    assert "broken.yaml: not fixed: yaml-syntax at line 8" in err
    assert (tmp_path / "broken.yaml").read_text() == broken


KUSTOMIZED_SERVICE = (
    "# the source\napiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n"
    "  selector: {app: web}\n  ports:\n  - {name: http, port: 80, protocol: tcp}\n"
)


@pytest.mark.skipif(find_command() is None, reason="neither kustomize nor kubectl is on PATH")
def test_findings_through_a_kustomize_build_offer_no_fix(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Their edits would be of the build's output: not of the files it was built from.
    app = tmp_path / "app"
    app.mkdir()
    (app / "kustomization.yaml").write_text("resources: [svc.yaml]\nnamePrefix: dev-\n")
    (app / "svc.yaml").write_text(KUSTOMIZED_SERVICE)
    monkeypatch.chdir(tmp_path)
    code, out, _ = _check(".")
    assert code == 1
    assert "app/svc.yaml:9:38: error[schema] spec.ports[0].protocol" in out
    assert "[*]" not in out
    code, out, err = _check(".", "--diff")
    assert (code, out) == (0, "")
    assert "would fix 0 findings" in err
    _check(".", "--fix", "--unsafe-fixes")
    assert (app / "svc.yaml").read_text() == KUSTOMIZED_SERVICE
    # The same file linted on its own is a plain file: fixed.
    _check("app/svc.yaml", "--fix")
    assert (app / "svc.yaml").read_text() == KUSTOMIZED_SERVICE.replace("tcp", "TCP")


def test_fix_options_that_do_not_combine(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert _check(".", "--fix", "--diff")[0] == 2
    assert _check(".", "--fix", "--staged")[0] == 2


def test_rules_and_explain_say_whether_a_rule_fixes() -> None:
    table = CliRunner().invoke(cli, ["rules"]).stdout
    header = table.splitlines()[0].split()
    assert header == ["ID", "SEVERITY", "DEFAULT", "FIX", "SUMMARY"]
    row = next(line for line in table.splitlines() if line.startswith("yaml-ambiguous-value "))
    assert row.split()[3] == "always"
    row = next(line for line in table.splitlines() if line.startswith("service-port-range "))
    assert row.split()[3] == "never"
    explained = CliRunner().invoke(cli, ["explain", "deprecated-api"]).stdout
    assert "Fix: sometimes: `netlint check --fix`" in explained
    explained = CliRunner().invoke(cli, ["explain", "yaml-ambiguous-value"]).stdout
    assert "Fix: always: `netlint check --fix`" in explained
    explained = CliRunner().invoke(cli, ["explain", "service-port-range"]).stdout
    assert "Fix: never: its findings are fixed by hand" in explained


# -- fixes survive the cache ---------------------------------------------------------------


def test_fixes_come_back_from_the_cache(tmp_path: Path) -> None:
    (tmp_path / "c.yaml").write_text(AMBIGUOUS)
    options = RunOptions(paths=["c.yaml"], cwd=tmp_path, cache_dir=tmp_path / "cache")
    first = run(options, RULE_SET, schemas())
    second = run(options, RULE_SET, schemas())
    assert second.cache_hits == 1
    assert [f.fix for f in second.active] == [f.fix for f in first.active]
    assert first.active[0].fix == Fix(
        "quote the value", Applicability.SAFE, (Edit(4, 14, 4, 17, '"yes"'),)
    )


# -- idempotence ---------------------------------------------------------------------------

_VALUES = st.sampled_from(["yes", "no", "on", "off", "1.10", "0755", "8080", "true", "web"])
_PROTOCOLS = st.sampled_from(["tcp", "Tcp", "TCP", "udp", "sctp"])
_HOSTS = st.sampled_from(["shop.example.com", "Shop.Example.com", "API.EXAMPLE.COM"])
_QUOTES = st.sampled_from(["", "'", '"'])


@st.composite
def _service(draw: st.DrawFn, index: int) -> str:
    """A ClusterIP Service with ambiguous label values, a nodePort it may not have, a protocol
    in any case and maybe an exact copy of its port, in block or flow style."""
    labels = draw(st.lists(_VALUES, min_size=1, max_size=4))
    pairs = [f"l{number}: {value}" for number, value in enumerate(labels)]
    flow = draw(st.booleans())
    shown = "{" + ", ".join(pairs) + "}" if flow else "".join(f"\n    {p}" for p in pairs)
    node_port = ", nodePort: 30080" if draw(st.booleans()) else ""
    port = f"  - {{port: 80, protocol: {draw(_PROTOCOLS)}{node_port}}}  # the port\n"
    if draw(st.booleans()):
        port += port  # an exact copy
    return (
        f"apiVersion: v1\nkind: Service\nmetadata:\n  name: s{index}\n"
        f"  labels: {shown}\nspec:\n  type: ClusterIP\n  ports:\n{port}"
    )


@st.composite
def _old_ingress(draw: st.DrawFn, index: int) -> str:
    """A v1beta1 Ingress with a host in any case and quoting, its backends in either order and
    style, with comments on their lines."""
    quote = draw(_QUOTES)
    host = f"{quote}{draw(_HOSTS)}{quote}"
    entries = ["serviceName: s0  # the name", "servicePort: 80  # the port"]
    if draw(st.booleans()):
        entries.reverse()
    if draw(st.booleans()):
        backend = "{" + ", ".join(e.split("  #")[0] for e in entries) + "}"
    else:
        backend = "".join(f"\n          {entry}" for entry in entries)
    return (
        f"apiVersion: networking.k8s.io/v1beta1\nkind: Ingress\nmetadata:\n  name: i{index}\n"
        "spec:\n  ingressClassName: nginx\n  rules:\n"
        f"  - host: {host}\n    http:\n      paths:\n      - path: /\n        backend: {backend}\n"
    )


@st.composite
def _deployment(draw: st.DrawFn, index: int) -> str:
    """A Deployment whose container port has a protocol in any case, maybe copied exactly."""
    flow = draw(st.booleans())
    protocol = draw(_PROTOCOLS)
    if flow:
        port = f"        - {{name: web, containerPort: 8080, protocol: {protocol}}}\n"
    else:
        port = (
            f"        - name: web\n          containerPort: 8080\n          protocol: {protocol}\n"
        )
    if draw(st.booleans()):
        port += port
    return (
        f"apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d{index}\nspec:\n"
        f"  selector: {{matchLabels: {{app: d{index}}}}}\n  template:\n"
        f"    metadata: {{labels: {{app: d{index}}}}}\n    spec:\n      containers:\n"
        f"      - name: c\n        image: nginx:1.27\n        ports:\n{port}"
    )


_FIXED_RULES = [
    "container-port",
    "yaml-ambiguous-value",
    "service-type-fields",
    "schema",
    "service-port-duplicate",
    "deprecated-api",
    "ingress-host-format",
]
_CLASS = "apiVersion: networking.k8s.io/v1\nkind: IngressClass\nmetadata: {name: nginx}\n"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data(), st.integers(min_value=1, max_value=4), st.booleans())
def test_fixing_twice_changes_nothing_the_second_time(
    data: st.DataObject, count: int, crlf: bool
) -> None:
    documents = [
        data.draw(st.one_of(_service(index), _old_ingress(index), _deployment(index)))
        for index in range(count)
    ]
    text = "---\n".join([*documents, _CLASS])
    if crlf:
        text = text.replace("\n", "\r\n")
    options = RunOptions(paths=["-"], stdin_text=text)
    first = fix_run(options, RULE_SET, schemas(), unsafe=True)
    fixed = first.texts.get("-", text)
    assert first.notes == []
    assert [f for f in first.report.active if f.fix is not None] == []
    again = fix_run(RunOptions(paths=["-"], stdin_text=fixed), RULE_SET, schemas(), unsafe=True)
    assert again.texts == {}
    assert lint_text(fixed, select=_FIXED_RULES) == []
    # Comments survive (but an exact copy of a port goes with its own), and quoting: no fix
    # writes or drops a single quote, and each host keeps its quote character.
    comments = Counter(line.split("#")[1] for line in fixed.splitlines() if "#" in line)
    assert comments - Counter(line.split("#")[1] for line in text.splitlines() if "#" in line) == (
        Counter()
    )
    assert comments[" the name"] == text.count("# the name")
    assert fixed.count("'") == text.count("'")

    def quotes(of: str) -> list[str]:
        return [line.split("host: ")[1][0] for line in of.splitlines() if "host: " in line]

    assert [q for q in quotes(fixed) if q in "'\""] == [q for q in quotes(text) if q in "'\""]
    if crlf:
        assert "\n" not in fixed.replace("\r\n", "")


# -- the bundled examples ------------------------------------------------------------------


def _reported(folder: str) -> list[tuple[str, str, bool]]:
    """(file, rule, has a fix) per finding of `netlint check FOLDER`, as the CLI reports them:
    with the folder's own configuration (the examples' scopes and external objects)."""
    code, out, _ = _check(folder, "--output-format", "json", "--unsafe-fixes")
    assert code in (0, 1)
    return [
        (finding["path"], finding["rule"], finding.get("fix") is not None)
        for finding in json.loads(out)["findings"]
    ]


def test_fixing_the_examples_removes_every_fixable_finding_and_adds_none(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    copy = tmp_path / "examples"
    shutil.copytree(EXAMPLES, copy)
    monkeypatch.chdir(tmp_path)
    before = _reported("examples")
    assert len({rule for _, rule, fix in before if fix}) >= 5
    assert _check("examples", "--fix", "--unsafe-fixes")[0] == 1  # what is left: errors
    after = _reported("examples")
    assert [item for item in after if item[2]] == []
    remaining = Counter((path, rule) for path, rule, _ in after)
    fixed = Counter((path, rule) for path, rule, fix in before if fix)
    assert remaining - Counter((path, rule) for path, rule, _ in before) == Counter()
    assert remaining + fixed == Counter((path, rule) for path, rule, _ in before)


# -- Python packs ----------------------------------------------------------------------------

PACK = """
from netlint.api import Diagnostic, Rule, RuleMeta, Severity
from netlint.fixes import replace_value, safe_fix, scalar_text


class TeamLowerCase(Rule):
    meta = RuleMeta(
        id="team-lower-case",
        severity=Severity.WARNING,
        summary="The team label is in lower case",
        what="Reports a team label with capitals.",
        why="Dashboards group by the exact value.",
        fixable="always",
    )

    def check(self, manifest, ctx):
        team = manifest.labels.get("team")
        if isinstance(team, str) and team != team.lower():
            path = ("metadata", "labels", "team")
            yield Diagnostic(
                path,
                f"{manifest.ref} team label {team!r} has capitals",
                fix=safe_fix("lower-case it", replace_value(manifest, path, scalar_text(team.lower()))),
            )


RULES = [TeamLowerCase()]
"""


def test_a_python_pack_fixes_through_the_same_api(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "team_pack.py").write_text(PACK)
    config_map = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  labels:\n    team: Web\n"
    (tmp_path / "c.yaml").write_text(config_map)
    monkeypatch.chdir(tmp_path)
    listed = CliRunner().invoke(cli, ["rules", "--rules", "team_pack.py"]).stdout
    assert next(line for line in listed.splitlines() if "team-lower-case" in line).split()[3] == (
        "always"
    )
    code, _, _ = _check("c.yaml", "--rules", "team_pack.py", "--fix")
    assert code == 0
    assert (tmp_path / "c.yaml").read_text() == config_map.replace("Web", "web")
