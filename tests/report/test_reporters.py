"""Reporters (DESIGN §8): text, JSON, SARIF and GitHub annotations.

The golden files in `tests/report/golden/` are the exact output of each reporter for one fixed
`Report` built below (findings constructed directly, elapsed fixed). After an intended change of
an output format, regenerate them and review the diff:

    NETLINT_UPDATE_GOLDEN=1 /tmp/v/bin/pytest tests/report

A real run (`tests.helpers.lint_files` on `tests/report/fixtures/`) checks that the SARIF
validates against the official SARIF 2.1.0 schema and the JSON against
`schemas/netlint-report.schema.json`.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any, cast

import jsonschema
import pytest
from jsonschema.validators import validator_for

from netlint.api import RuleMeta
from netlint.filters.fingerprint import fingerprint
from netlint.findings import Finding, Location, ObjectRef, Severity
from netlint.report import json_report
from netlint.report.github import annotation, escape_data, escape_property, render_github
from netlint.report.json_report import render_json
from netlint.report.sarif import pascal_case, render_sarif, rule_descriptor, sarif_log
from netlint.report.text import render_text
from netlint.run.engine import RunOptions, run
from netlint.run.fixing import fix_run
from netlint.run.registry import load_rules
from netlint.run.results import Report, RunData
from tests.helpers import lint_files, schemas

HERE = Path(__file__).parent
GOLDEN = HERE / "golden"
FIXTURES = HERE / "fixtures"
REPO = HERE.parent.parent
SARIF_SCHEMA = Path("/work/shared/schemas-ref/sarif-schema-2.1.0.json")
REPORT_SCHEMA = REPO / "schemas" / "netlint-report.schema.json"
# A root that holds no `.git` anywhere above it, so SARIF URIs are relative to the cwd given.
FAKE_ROOT = Path("/nonexistent-netlint-root/repo")

WEB = """\
apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: shop
  labels: {app: wéb, tier: front}
spec:
  selector:
    app: web
  ports:
  - name: HTTP_port
    port: 80
    targetPort: http
"""

INGRESS = (
    "apiVersion: networking.k8s.io/v1\r\n"
    "kind: Ingress\r\n"
    "metadata:\r\n"
    "  name: shop\r\n"
    "spec:\r\n"
    "  tls:\r\n"
    "  - secretName: shop-tls\r\n"
    "  rules:\r\n"
    "  - http:\r\n"
    "      paths:\r\n"
    "      - path: /\r\n"
    "        backend: {service: {name: web, port: {number: 80}}}\r\n"
)

BROKEN = "apiVersion: v1\nkind: Service\nmetadata: {name: x\n"

SHOP_WEB = ObjectRef("Service", "shop", "web")
SHOP_INGRESS = ObjectRef("Ingress", "default", "shop")


def _meta(rule_id: str, severity: Severity, summary: str, **extra: Any) -> RuleMeta:
    return RuleMeta(
        id=rule_id,
        severity=severity,
        summary=summary,
        what=f"Reports {summary.lower()}.",
        why="Traffic cannot flow.",
        example="apiVersion: v1\nkind: Service\n",
        fix="Fix the manifest.",
        **extra,
    )


RULES = [
    _meta("yaml-syntax", Severity.ERROR, "A document is not valid YAML", tags=("input",)),
    _meta(
        "duplicate-object",
        Severity.ERROR,
        "The same kind/namespace/name appears twice",
        help_uri="https://kubernetes.io/docs/concepts/overview/working-with-objects/names/",
        tags=("input",),
    ),
    _meta(
        "service-port-name",
        Severity.ERROR,
        "A Service port name is not an IANA service name",
        help_uri="https://kubernetes.io/docs/concepts/services-networking/service/",
        tags=("service",),
        facts=("SVC-05",),
    ),
    _meta(
        "service-selector-no-match",
        Severity.WARNING,
        "A Service selects no pods",
        tags=("service",),
    ),
    _meta(
        "service-exposure",
        Severity.INFO,
        "A Service is exposed outside the cluster",
        tags=("service", "security"),
        security_severity=5.3,
        enabled_by_default=False,
    ),
    _meta("ingress-tls-secret-missing", Severity.WARNING, "A TLS secret is not in the input"),
]


def _finding(
    rule_id: str,
    severity: Severity,
    message: str,
    loc: tuple[str, int, int, int, int],
    *,
    obj: ObjectRef | None = None,
    obj_path: tuple[str | int, ...] = (),
    hint: str | None = None,
    suppression: str | None = None,
) -> Finding:
    return Finding(rule_id, severity, message, Location(*loc), obj, obj_path, hint, suppression)


def fixed_report() -> Report:
    findings = [
        _finding(
            "yaml-syntax",
            Severity.ERROR,
            "flow mapping not closed: expected ',' or '}'",
            ("k8s/broken.yaml", 4, 1, 4, 2),
        ),
        _finding(
            "ingress-tls-secret-missing",
            Severity.INFO,
            "Secret default/shop-tls is not in the linted files",
            ("k8s/ingress.yaml", 7, 17, 7, 25),
            obj=SHOP_INGRESS,
            obj_path=("spec", "tls", 0, "secretName"),
            hint="declare it under external.secrets if it is managed elsewhere",
        ),
        _finding(
            "duplicate-object",
            Severity.WARNING,
            "Ingress default/shop is also defined in k8s/other.yaml",
            ("k8s/ingress.yaml", 4, 9, 4, 13),
            obj=SHOP_INGRESS,
            obj_path=("metadata", "name"),
            suppression="baseline: k8s/.netlint-baseline.json",
        ),
        _finding(
            "service-exposure",
            Severity.INFO,
            "Service shop/web is reachable from outside: 100% open",
            ("k8s/web.yaml", 6, 11, 6, 34),
            obj=SHOP_WEB,
            obj_path=("metadata", "labels"),
            suppression="inline comment: # netlint: ignore[service-exposure] public by design",
        ),
        _finding(
            "service-selector-no-match",
            Severity.WARNING,
            "Service shop/web selects app=web, but no pod template in shop has it; "
            "Deployment shop/web has app=wéb",
            ("k8s/web.yaml", 6, 30, 6, 35),
            obj=SHOP_WEB,
            obj_path=("metadata", "labels", "tier"),
            hint="set spec.selector.app to wéb",
        ),
        _finding(
            "service-selector-no-match",
            Severity.WARNING,
            "Service shop/web: selector app=web matches nothing\nsee the pods' labels",
            ("k8s/web.yaml", 9, 10, 9, 13),
            obj=SHOP_WEB,
            obj_path=("spec", "selector", "app"),
        ),
        _finding(
            "service-port-name",
            Severity.ERROR,
            'Service shop/web port name "HTTP_port" must be an IANA service name '
            "(lowercase, digits and '-')",
            ("k8s/web.yaml", 11, 11, 11, 20),
            obj=SHOP_WEB,
            obj_path=("spec", "ports", 0, "name"),
            hint="rename it to http-port",
        ),
        _finding(
            "duplicate-object",
            Severity.ERROR,
            "Service shop/web spans lines 1 to 13",
            ("k8s/web.yaml", 12, 5, 13, 21),
            obj=SHOP_WEB,
            obj_path=("spec", "ports", 0),
        ),
    ]
    findings.sort(key=Finding.sort_key)
    data = RunData(
        sources={"k8s/web.yaml": WEB, "k8s/ingress.yaml": INGRESS, "k8s/broken.yaml": BROKEN},
        real_paths={
            "k8s/web.yaml": str(FAKE_ROOT / "k8s/web.yaml"),
            "k8s/ingress.yaml": str(FAKE_ROOT / "k8s/ingress.yaml"),
            "k8s/broken.yaml": str(FAKE_ROOT / "k8s/broken.yaml"),
        },
    )
    return Report(
        findings, RULES, data, files=4, skipped_files=1, objects=2, context_files=3, elapsed=0.123
    )


def check_golden(name: str, actual: str) -> None:
    path = GOLDEN / name
    if os.environ.get("NETLINT_UPDATE_GOLDEN"):
        GOLDEN.mkdir(exist_ok=True)
        path.write_text(actual, encoding="utf-8", newline="\n")
        pytest.fail(
            f"{name} rewritten: check the diff, then run again without NETLINT_UPDATE_GOLDEN"
        )
    assert path.exists(), f"{path} is missing: run with NETLINT_UPDATE_GOLDEN=1"
    expected = path.read_text(encoding="utf-8")
    assert actual == expected, (
        f"{name} differs from its golden file (NETLINT_UPDATE_GOLDEN=1 regenerates it)"
    )


@pytest.fixture(autouse=True)
def _fixed_version(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(json_report, "tool_version", lambda: "0.0.0-test")


def _sarif_validator() -> Any:
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    cls: Any = validator_for(schema)  # the file's own $schema (draft-04)
    cls.check_schema(schema)
    return cls(schema)


def _report_validator() -> Any:
    schema = json.loads(REPORT_SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def _errors(validator: Any, document: object) -> list[str]:
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(document)]


# --- golden files -----------------------------------------------------------------------------


def test_text_golden() -> None:
    check_golden("report.txt", render_text(fixed_report(), color=False))


def test_text_color_golden() -> None:
    check_golden("report-color.txt", render_text(fixed_report(), color=True))


def test_text_quiet_golden() -> None:
    check_golden("report-quiet.txt", render_text(fixed_report(), color=False, quiet=True))


def test_text_statistics_golden() -> None:
    check_golden("report-statistics.txt", render_text(fixed_report(), color=False, statistics=True))


def test_json_golden() -> None:
    check_golden("report.json", render_json(fixed_report()))


def test_sarif_golden() -> None:
    check_golden(
        "report.sarif", render_sarif(fixed_report(), cwd=FAKE_ROOT, tool_version="0.0.0-test")
    )


def test_github_golden() -> None:
    check_golden("report.github", render_github(fixed_report()))


# --- text -------------------------------------------------------------------------------------


def _single(source: str, loc: tuple[int, int, int, int], path: str = "a.yaml") -> Report:
    finding = _finding("service-port-name", Severity.ERROR, "bad", (path, *loc), obj=SHOP_WEB)
    return Report([finding], RULES, RunData(sources={path: source}), files=1, objects=1)


def _snippet_lines(text: str) -> tuple[str, str]:
    lines = text.split("\n")
    return lines[1], lines[2]


def test_text_caret_after_non_ascii_counts_code_points() -> None:
    # "é" is one code point: "tier" starts at column 22, its 22nd character.
    source = "metadata:\n  labels: {app: wéb, tier: front}\n"
    column = 22
    assert source.splitlines()[1][column - 1 :].startswith("tier")
    text = render_text(_single(source, (2, column, 2, column + 4)), color=False)
    shown, carets = _snippet_lines(text)
    assert shown == "  2 |   labels: {app: wéb, tier: front}"
    assert carets.index("^") == shown.index("tier")
    assert carets.endswith("^^^^") and carets.count("^") == 4


def test_text_caret_under_wide_characters_and_tabs() -> None:
    source = "a:\n\tx: 名前, y: 1\n"
    column = source.splitlines()[1].index("y") + 1
    _, carets = _snippet_lines(
        render_text(_single(source, (2, column, 2, column + 1)), color=False)
    )
    # The tab is copied, each wide character takes two cells, the comma and space one each.
    assert carets == "    | \t" + "   " + "    " + "  " + "^"


def test_text_crlf_source_shows_line_without_carriage_return() -> None:
    report = _single(INGRESS, (7, 17, 7, 25), path="k8s/ingress.yaml")
    text = render_text(report, color=False)
    assert "\r" not in text
    shown, carets = _snippet_lines(text)
    assert shown == "  7 |   - secretName: shop-tls"
    assert carets == "    |                 ^^^^^^^^"


def test_text_lines_counted_like_the_yaml_parser() -> None:
    # libyaml breaks lines at CR, NEL, LS and PS too, but not at form feed or vertical tab
    # (which is shown as `?`, one cell, as every control character of a source line is).
    source = "a: 1\rb: 2\u2028c: \x0c3\nd: 4\n"
    text = render_text(_single(source, (3, 4, 3, 6)), color=False)
    shown, carets = _snippet_lines(text)
    assert shown == "  3 | c: ?3"
    assert carets == "    |    ^^"


def test_text_finding_lines_and_summary() -> None:
    text = render_text(fixed_report(), color=False)
    lines = text.splitlines()
    assert (
        lines[0]
        == "k8s/broken.yaml:4:1: error[yaml-syntax] flow mapping not closed: expected ',' or '}'"
    )
    assert "  help: rename it to http-port" in lines
    assert lines[-1] == (
        "3 errors, 2 warnings, 1 info; 3 files linted, 1 skipped (not Kubernetes input), "
        "3 context files; 2 objects; 2 suppressed; in 0.12s"
    )
    # Suppressed findings are counted, never shown.
    assert "service-exposure" not in text
    assert "\x1b[" not in text


def test_text_multiline_node_gets_one_caret() -> None:
    text = render_text(fixed_report(), color=False)
    block = text.split("k8s/web.yaml:12:5: error[duplicate-object]")[1].splitlines()
    assert block[1] == "  12 |     port: 80"
    assert block[2] == "     |     ^"


def test_text_quiet_keeps_diagnostics_but_drops_the_summary() -> None:
    full = render_text(fixed_report(), color=False)
    quiet = render_text(fixed_report(), color=False, quiet=True)
    assert full.startswith(quiet)
    assert " in 0.12s" not in quiet
    assert "^" in quiet and "help:" in quiet


def test_text_quiet_clean_run_prints_nothing() -> None:
    report = Report([], RULES, RunData(), files=2, objects=3, elapsed=0.5)
    assert render_text(report, color=False, quiet=True) == ""
    assert (
        render_text(report, color=False)
        == "0 errors, 0 warnings, 0 info; 2 files linted; 3 objects; in 0.50s\n"
    )


def test_text_no_kubernetes_input_says_so() -> None:
    report = Report([], RULES, RunData(), files=2, skipped_files=2, objects=0)
    text = render_text(report, color=False)
    assert text.startswith("No Kubernetes objects found in the input.\n")
    assert "0 files linted, 2 skipped (not Kubernetes input)" in text


def test_text_statistics_counts_per_rule() -> None:
    lines = render_text(fixed_report(), color=False, statistics=True).splitlines()
    assert lines[0].split() == [
        "2",
        "service-selector-no-match",
        "warning",
        "A",
        "Service",
        "selects",
        "no",
        "pods",
    ]
    assert lines[1].split()[:3] == ["1", "duplicate-object", "error"]
    assert len(lines) == 5  # suppressed findings are not counted
    assert not any("service-exposure" in line for line in lines)


def test_text_color_only_when_asked() -> None:
    colored = render_text(fixed_report(), color=True)
    assert "\x1b[1;31merror[service-port-name]\x1b[0m" in colored
    assert "\x1b[" not in render_text(fixed_report(), color=False, statistics=True)


def test_text_long_line_is_windowed_around_the_node() -> None:
    source = '{"a": "' + "x" * 300 + '", "spec": {"type": "Bogus"}, "b": "' + "y" * 300 + '"}\n'
    column = source.index("Bogus") + 1
    shown, carets = _snippet_lines(
        render_text(_single(source, (1, column, 1, column + 5)), color=False)
    )
    assert len(shown) < 200
    assert shown.startswith("  1 | …") and shown.endswith("…")
    assert carets.index("^") == shown.index("Bogus")
    assert carets.count("^") == 5


# --- json -------------------------------------------------------------------------------------


def test_json_shape() -> None:
    document = json.loads(render_json(fixed_report()))
    assert document["version"] == 1
    assert document["tool"] == {"name": "netlint", "version": "0.0.0-test"}
    assert document["summary"] == {
        "errors": 3,
        "warnings": 2,
        "info": 1,
        "suppressed": 2,
        "staleBaselineEntries": 0,
        "files": 4,
        "skippedFiles": 1,
        "contextFiles": 3,
        "objects": 2,
        "elapsedSeconds": 0.123,
    }
    port = next(f for f in document["findings"] if f["rule"] == "service-port-name")
    assert port == {
        "rule": "service-port-name",
        "severity": "error",
        "message": 'Service shop/web port name "HTTP_port" must be an IANA service name '
        "(lowercase, digits and '-')",
        "path": "k8s/web.yaml",
        "line": 11,
        "column": 11,
        "endLine": 11,
        "endColumn": 20,
        "object": {"kind": "Service", "namespace": "shop", "name": "web"},
        "objectPath": "spec.ports[0].name",
        "hint": "rename it to http-port",
        "fingerprint": port["fingerprint"],
        "suppressed": None,
        "fix": None,
    }
    assert port["fingerprint"] == fingerprint(
        next(f for f in fixed_report().findings if f.rule_id == "service-port-name")
    )
    syntax = document["findings"][0]
    assert syntax["object"] is None and syntax["objectPath"] == ""
    suppressed = [f["suppressed"] for f in document["findings"] if f["suppressed"]]
    assert suppressed == [
        "baseline: k8s/.netlint-baseline.json",
        "inline comment: # netlint: ignore[service-exposure] public by design",
    ]
    paths = [f["objectPath"] for f in document["findings"]]
    assert "metadata.labels.tier" in paths and "spec.tls[0].secretName" in paths


def test_json_object_path_brackets_keys_that_are_not_field_names() -> None:
    finding = _finding(
        "x",
        Severity.ERROR,
        "m",
        ("a", 1, 1, 1, 2),
        obj=SHOP_WEB,
        obj_path=("spec", "selector", "app.kubernetes.io/name"),
    )
    report = Report([finding], [], RunData())
    document = json.loads(render_json(report))
    assert document["findings"][0]["objectPath"] == "spec.selector[app.kubernetes.io/name]"


def test_json_validates_against_its_schema() -> None:
    validator = _report_validator()
    assert _errors(validator, json.loads(render_json(fixed_report()))) == []
    empty = json.loads(render_json(Report([], [], RunData())))
    assert _errors(validator, empty) == []


def test_json_schema_rejects_a_wrong_shape() -> None:
    document = json.loads(render_json(fixed_report()))
    document["findings"][0]["severity"] = "fatal"
    del document["summary"]["objects"]
    assert len(_errors(_report_validator(), document)) == 2


# --- sarif ------------------------------------------------------------------------------------


def _sarif(report: Report, cwd: Path = FAKE_ROOT) -> dict[str, Any]:
    return json.loads(render_sarif(report, cwd=cwd, tool_version="1.2.3"))


def test_sarif_validates_against_the_official_schema() -> None:
    assert _errors(_sarif_validator(), _sarif(fixed_report())) == []
    empty = _sarif(Report([], [], RunData()))
    assert _errors(_sarif_validator(), empty) == []
    assert empty["runs"][0]["results"] == []


def test_sarif_puts_one_result_on_each_line() -> None:
    text = render_sarif(fixed_report(), cwd=FAKE_ROOT, tool_version="1.2.3")
    lines = [line for line in text.splitlines() if line.lstrip().startswith('{"ruleId"')]
    assert len(lines) == len(fixed_report().findings)
    assert [json.loads(line.rstrip(","))["ruleId"] for line in lines] == [
        finding.rule_id for finding in fixed_report().findings
    ]


def _sarif_built_whole(report: Report) -> str:
    """The SARIF text as `render_sarif` wrote it when it built every result first."""
    log = sarif_log(report, cwd=FAKE_ROOT, tool_version="1.2.3")
    runs = cast("list[dict[str, object]]", log["runs"])
    results = cast("list[dict[str, object]]", runs[0].pop("results"))
    envelope = json.dumps(log, indent=2, ensure_ascii=False)
    end = "\n    }\n  ]\n}"
    lines = ",\n".join("        " + json.dumps(r, ensure_ascii=False) for r in results)
    listed = f'"results": [\n{lines}\n      ]' if results else '"results": []'
    return f"{envelope[: -len(end)]},\n      {listed}{end}\n"


def test_sarif_streamed_result_by_result_is_the_sarif_built_whole() -> None:
    for report in (fixed_report(), Report([], [], RunData())):
        text = render_sarif(report, cwd=FAKE_ROOT, tool_version="1.2.3")
        assert text == _sarif_built_whole(report)
        assert json.loads(text) == sarif_log(report, cwd=FAKE_ROOT, tool_version="1.2.3")


RULE_DOCS = "https://github.com/netlint-k8s/netlint/blob/main/docs/rules/"


def test_a_pack_rule_links_its_own_docs_or_none() -> None:
    own = _meta("platform-owner-label", Severity.WARNING, "x", help_uri="https://example.com/r")
    assert rule_descriptor(own)["helpUri"] == "https://example.com/r"
    assert "helpUri" not in rule_descriptor(_meta("platform-owner-label", Severity.INFO, "x"))


def test_sarif_rules_and_results() -> None:
    run = _sarif(fixed_report())["runs"][0]
    driver = run["tool"]["driver"]
    assert driver["name"] == "netlint" and driver["version"] == "1.2.3"
    rules = driver["rules"]
    assert [r["id"] for r in rules] == [m.id for m in RULES]
    port_rule = rules[2]
    assert port_rule["name"] == "ServicePortName"
    assert port_rule["shortDescription"] == {
        "text": "A Service port name is not an IANA service name"
    }
    assert port_rule["fullDescription"]["text"].startswith("Reports")
    # A built-in rule's help is netlint's page, then the Kubernetes docs; no internal fact ids.
    assert port_rule["helpUri"] == f"{RULE_DOCS}service-port-name.md"
    assert port_rule["defaultConfiguration"] == {"level": "error"}
    assert port_rule["properties"] == {"tags": ["service"]}
    assert "## What it does" in port_rule["help"]["markdown"]
    assert "## Use instead" in port_rule["help"]["markdown"]
    assert port_rule["help"]["markdown"].endswith(
        f"## References\n- [{RULE_DOCS}service-port-name.md]({RULE_DOCS}service-port-name.md)\n"
        "- [https://kubernetes.io/docs/concepts/services-networking/service/]"
        "(https://kubernetes.io/docs/concepts/services-networking/service/)"
    )
    assert "SVC-05" not in port_rule["help"]["markdown"] + port_rule["help"]["text"]
    assert "Why is this bad?" in port_rule["help"]["text"]
    assert rules[0]["helpUri"] == f"{RULE_DOCS}yaml-syntax.md"  # input rules have a page too
    exposure = rules[4]
    assert exposure["properties"]["security-severity"] == "5.3"
    assert exposure["defaultConfiguration"] == {"level": "note"}
    assert run["columnKind"] == "unicodeCodePoints"
    assert run["originalUriBaseIds"] == {
        "%SRCROOT%": {"uri": "file:///nonexistent-netlint-root/repo/"}
    }
    results = run["results"]
    assert len(results) == len(fixed_report().findings)
    for result in results:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
    port = next(r for r in results if r["ruleId"] == "service-port-name")
    assert port["level"] == "error"
    assert port["locations"][0]["physicalLocation"] == {
        "artifactLocation": {"uri": "k8s/web.yaml", "uriBaseId": "%SRCROOT%"},
        "region": {"startLine": 11, "startColumn": 11, "endLine": 11, "endColumn": 20},
    }
    assert set(port["partialFingerprints"]) == {"netlint/v1"}
    assert "suppressions" not in port
    info = next(r for r in results if r["ruleId"] == "ingress-tls-secret-missing")
    assert info["level"] == "note"


def test_sarif_suppressions() -> None:
    results = _sarif(fixed_report())["runs"][0]["results"]
    by_rule = {r["ruleId"]: r for r in results if "suppressions" in r}
    assert by_rule["duplicate-object"]["suppressions"] == [
        {"kind": "external", "justification": "baseline: k8s/.netlint-baseline.json"}
    ]
    assert by_rule["service-exposure"]["suppressions"] == [
        {
            "kind": "inSource",
            "justification": "inline comment: # netlint: ignore[service-exposure] public by design",
        }
    ]


def test_sarif_stdin_uri() -> None:
    finding = _finding("yaml-syntax", Severity.ERROR, "bad", ("-", 1, 1, 1, 2))
    document = _sarif(Report([finding], RULES, RunData(sources={"-": "a: ["})))
    assert _errors(_sarif_validator(), document) == []
    location = document["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
    assert location["artifactLocation"] == {"uri": "stdin"}


def test_sarif_uri_relative_to_git_work_tree(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    (repo / "deploy" / "k8s").mkdir(parents=True)
    other = tmp_path / "elsewhere"
    other.mkdir()
    cwd = repo / "deploy"  # run from a subfolder: URIs must still be relative to the repository
    files = {
        "k8s/a b.yaml": repo / "deploy/k8s/a b.yaml",
        "k8s/c.yaml": repo / "deploy/k8s/c.yaml",
        "../../elsewhere/x.yaml": other / "x.yaml",
    }
    findings = [
        _finding("yaml-syntax", Severity.ERROR, "bad", (p, 1, 1, 1, 2)) for p in sorted(files)
    ]
    report = Report(findings, RULES, RunData(real_paths={k: str(v) for k, v in files.items()}))
    run = _sarif(report, cwd=cwd)["runs"][0]
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == repo.as_uri() + "/"
    uris = {
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in run["results"]
    }
    assert uris == {"deploy/k8s/a%20b.yaml", "deploy/k8s/c.yaml", (other / "x.yaml").as_uri()}
    assert _errors(_sarif_validator(), {"version": "2.1.0", "runs": [run]}) == []


def test_sarif_without_git_is_relative_to_cwd(tmp_path: Path) -> None:
    finding = _finding("yaml-syntax", Severity.ERROR, "bad", ("x/a.yaml", 1, 1, 1, 2))
    report = Report([finding], RULES, RunData())  # no real path: resolved against cwd
    run = _sarif(report, cwd=tmp_path)["runs"][0]
    if any((parent / ".git").exists() for parent in tmp_path.parents):
        pytest.skip("the temporary folder is inside a git work tree")
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == tmp_path.as_uri() + "/"
    location = run["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert location == {"uri": "x/a.yaml", "uriBaseId": "%SRCROOT%"}


def test_sarif_rule_of_unknown_finding_still_described() -> None:
    finding = _finding("some-plugin-rule", Severity.WARNING, "m", ("-", 1, 1, 1, 2))
    document = _sarif(Report([finding], [], RunData()))
    assert _errors(_sarif_validator(), document) == []
    run = document["runs"][0]
    assert run["tool"]["driver"]["rules"] == [{"id": "some-plugin-rule", "name": "SomePluginRule"}]
    assert run["results"][0]["ruleIndex"] == 0


def test_pascal_case() -> None:
    assert pascal_case("service-selector-no-match") == "ServiceSelectorNoMatch"
    assert pascal_case("yaml-syntax") == "YamlSyntax"


# --- github -----------------------------------------------------------------------------------


def test_github_escaping() -> None:
    assert escape_data("100% done\r\nnext") == "100%25 done%0D%0Anext"
    assert escape_data("a: b, c") == "a: b, c"
    assert escape_property("a: b, c%\n") == "a%3A b%2C c%25%0A"


def test_github_annotation_escapes_message_and_properties() -> None:
    finding = _finding(
        "service-port-name",
        Severity.ERROR,
        'port "a,b": 50% bad\nreally',
        ("k8s/we,ird:name.yaml", 3, 5, 3, 9),
    )
    assert annotation(finding) == (
        "::error file=k8s/we%2Cird%3Aname.yaml,line=3,col=5,endLine=3,endColumn=9,"
        'title=netlint(service-port-name)::port "a,b": 50%25 bad\\nreally'
    )


def test_github_levels_order_and_suppressed_omitted() -> None:
    lines = render_github(fixed_report()).splitlines()
    commands = [line.split(" ", 1)[0] for line in lines]
    assert commands == ["::error"] * 3 + ["::warning"] * 2 + ["::notice"]
    assert not any("service-exposure" in line for line in lines)
    assert all(line.count("::") == 2 for line in lines)


def test_github_multiline_finding_has_no_columns_and_hint_follows() -> None:
    lines = render_github(fixed_report()).splitlines()
    spanning = next(line for line in lines if "line=12" in line)
    assert spanning.startswith(
        "::error file=k8s/web.yaml,line=12,endLine=13,title=netlint(duplicate-object)::"
    )
    port = next(line for line in lines if "service-port-name" in line)
    assert port.endswith("%0Ahelp: rename it to http-port")


def test_github_stdin_has_no_location() -> None:
    finding = _finding("yaml-syntax", Severity.WARNING, "m", ("-", 1, 1, 1, 2))
    assert (
        render_github(Report([finding], [], RunData()))
        == "::warning title=netlint(yaml-syntax)::m\n"
    )


def test_github_empty() -> None:
    assert render_github(Report([], RULES, RunData())) == ""


# --- a real run -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def real_report() -> Report:
    return lint_files([FIXTURES], cwd=REPO)


def test_real_run_sarif_is_valid_and_repo_relative(real_report: Report) -> None:
    rule_ids = {f.rule_id for f in real_report.active}
    assert {"duplicate-object", "schema"} <= rule_ids
    document = _sarif(real_report, cwd=REPO / "tests")
    assert _errors(_sarif_validator(), document) == []
    run = document["runs"][0]
    uris = {
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in run["results"]
    }
    if (REPO / ".git").exists():
        assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == REPO.as_uri() + "/"
        assert uris == {"tests/report/fixtures/services.yaml"}
    described = {r["id"] for r in run["tool"]["driver"]["rules"]}
    assert rule_ids <= described


def test_real_run_json_is_valid(real_report: Report) -> None:
    document = json.loads(render_json(real_report))
    assert _errors(_report_validator(), document) == []
    assert document["summary"]["files"] == 2
    assert document["summary"]["skippedFiles"] == 1
    assert document["summary"]["objects"] == 2


def test_real_run_text_points_at_the_duplicate(real_report: Report) -> None:
    text = render_text(real_report, color=False)
    block = text.split("error[duplicate-object]")[1].splitlines()
    assert block[1] == "  18 |   name: web"
    assert block[2] == "     |         ^^^"
    assert "1 files linted" not in text and "1 file linted, 1 skipped" in text


def test_text_output_never_passes_terminal_escapes_from_manifests(tmp_path: Path) -> None:
    # A label key carrying ESC: the message and the source line must not carry it to a terminal.
    manifest = tmp_path / "svc.yaml"
    manifest.write_text(
        'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  labels: {"\\e[2Jx": yes}\n'
        "spec:\n  ports:\n  - port: 80\n    protocol: tcp\n"
    )
    report = lint_files([manifest], cwd=tmp_path)
    text = render_text(report, color=False)
    assert "\x1b" not in text
    assert any(f.location.line == 5 and "\x1b" in f.message for f in report.findings)


# --- fixes in the machine outputs (issue 28): JSON `fix`, SARIF `fixes` (§3.55) ---------------

FIXABLE_SERVICE = (
    "apiVersion: v1\r\nkind: Service\r\nmetadata:\r\n  name: s\r\n  labels: {a: yes}\r\n"
    "spec:\r\n  type: ClusterIP\r\n  ports:\r\n  - port: 80\r\n    nodePort: 30080\r\n"
)


def _fixable_report(tmp_path: Path) -> Any:
    (tmp_path / "s.yaml").write_bytes(FIXABLE_SERVICE.encode())
    options = RunOptions(paths=["s.yaml"], cwd=tmp_path)
    return run(options, load_rules(), schemas()), options


def _apply(text: str, edits: list[tuple[int, int, int, int, str]]) -> str:
    """Apply 1-based (line, column, endLine, endColumn, text) edits, last first."""
    lines = text.splitlines(keepends=True)
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line))
    for line, column, end_line, end_column, new in sorted(edits, reverse=True):
        start = starts[line - 1] + column - 1
        end = starts[end_line - 1] + end_column - 1
        text = text[:start] + new + text[end:]
    return text


def test_json_carries_each_fix_with_real_columns(tmp_path: Path) -> None:
    report, options = _fixable_report(tmp_path)
    document = json.loads(render_json(report))
    assert _errors(_report_validator(), document) == []
    fixes = {f["rule"]: f["fix"] for f in document["findings"]}
    assert fixes["yaml-ambiguous-value"] == {
        "title": "quote the value",
        "applicability": "safe",
        "edits": [{"line": 5, "column": 15, "endLine": 5, "endColumn": 18, "text": '"yes"'}],
    }
    # The block entry's deletion: its whole line, up to the start of the (empty) line after.
    assert fixes["service-type-fields"]["applicability"] == "unsafe"
    assert fixes["service-type-fields"]["edits"] == [
        {"line": 10, "column": 1, "endLine": 11, "endColumn": 1, "text": ""}
    ]
    edits = [
        (e["line"], e["column"], e["endLine"], e["endColumn"], e["text"])
        for fix in fixes.values()
        if fix is not None
        for e in fix["edits"]
    ]
    fixed = fix_run(options, load_rules(), schemas(), unsafe=True).texts["s.yaml"]
    assert _apply(FIXABLE_SERVICE, edits) == fixed


def test_sarif_carries_fixes_as_artifact_changes(tmp_path: Path) -> None:
    report, _ = _fixable_report(tmp_path)
    log = json.loads(render_sarif(report, cwd=tmp_path, tool_version="1.2.3"))
    assert _errors(_sarif_validator(), log) == []
    results = {r["ruleId"]: r for r in log["runs"][0]["results"]}
    assert results["yaml-ambiguous-value"]["fixes"] == [
        {
            "description": {"text": "quote the value"},
            "artifactChanges": [
                {
                    "artifactLocation": results["yaml-ambiguous-value"]["locations"][0][
                        "physicalLocation"
                    ]["artifactLocation"],
                    "replacements": [
                        {
                            "deletedRegion": {
                                "startLine": 5,
                                "startColumn": 15,
                                "endLine": 5,
                                "endColumn": 18,
                            },
                            "insertedContent": {"text": '"yes"'},
                        }
                    ],
                }
            ],
            "properties": {"applicability": "safe"},
        }
    ]
    unsafe = results["service-type-fields"]["fixes"][0]
    assert unsafe["description"]["text"].endswith("(unsafe)")
    assert unsafe["properties"] == {"applicability": "unsafe"}
    with_fixes = {r["ruleId"] for r in log["runs"][0]["results"] if "fixes" in r}
    assert with_fixes == {"yaml-ambiguous-value", "service-type-fields"}
