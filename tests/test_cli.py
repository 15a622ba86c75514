"""The `netlint` command as users run it: output lines, exit codes, formats (DESIGN §4, §8)."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from netlint.cli import cli

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = REPO / "examples"
SARIF_SCHEMA_CANDIDATES = (
    REPO.parent / "shared" / "schemas-ref" / "sarif-schema-2.1.0.json",
    Path("/work/shared/schemas-ref/sarif-schema-2.1.0.json"),
)
FINDING_LINE = re.compile(
    r"^(?P<path>[^:\s]+):(?P<line>\d+):(?P<col>\d+): (?P<sev>error|warning|info)\[(?P<rule>[a-z0-9-]+)\] .+$"
)

SERVICE_WITH_UNKNOWN_FIELD = """\
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector:
    app: web
  endpointSlices:
  - web-1
  ports:
  - port: 80
"""


def invoke(*args: str, stdin: str | None = None, cwd: Path | None = None):
    runner = CliRunner()
    if cwd is None:
        return runner.invoke(cli, list(args), input=stdin, catch_exceptions=False)
    with runner.isolated_filesystem(temp_dir=cwd):
        return runner.invoke(cli, list(args), input=stdin, catch_exceptions=False)


def finding_lines(output: str) -> list[re.Match[str]]:
    return [m for line in output.splitlines() if (m := FINDING_LINE.match(line))]


def test_examples_exit_1_with_located_findings() -> None:
    result = invoke("check", str(EXAMPLES), "--no-color")
    assert result.exit_code == 1
    lines = finding_lines(result.output)
    assert lines, result.output
    rules = {m["rule"] for m in lines}
    assert {
        "schema",
        "yaml-duplicate-key",
        "duplicate-object",
        "manifest-shape",
        "yaml-syntax",
    } <= rules


def test_unknown_field_is_reported_on_its_line(tmp_path: Path) -> None:
    (tmp_path / "svc.yaml").write_text(SERVICE_WITH_UNKNOWN_FIELD)
    result = invoke("check", str(tmp_path / "svc.yaml"), "--no-color", "-q", "--select", "schema")
    (line,) = finding_lines(result.output)
    assert (line["line"], line["col"], line["sev"], line["rule"]) == ("8", "3", "error", "schema")
    assert "spec.endpointSlices: unknown field" in line.group(0)


def test_stdin_is_read_as_dash() -> None:
    result = invoke(
        "check", "-", "--no-color", "-q", "--select", "schema", stdin=SERVICE_WITH_UNKNOWN_FIELD
    )
    assert result.exit_code == 1
    (line,) = finding_lines(result.output)
    assert line["path"] == "-" and line["rule"] == "schema"


def test_a_syntax_error_in_one_file_does_not_hide_the_other(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text("apiVersion: v1\nkind: Service\nmetadata: {name: a\n")
    (tmp_path / "b.yaml").write_text(SERVICE_WITH_UNKNOWN_FIELD)
    result = invoke("check", str(tmp_path), "--no-color", "-q")
    found = {(Path(m["path"]).name, m["rule"]) for m in finding_lines(result.output)}
    assert {("a.yaml", "yaml-syntax"), ("b.yaml", "schema")} <= found
    assert {name for name, _rule in found} == {"a.yaml", "b.yaml"}


def test_missing_path_exits_2_with_one_line(tmp_path: Path) -> None:
    result = invoke("check", str(tmp_path / "nope"))
    assert result.exit_code == 2
    assert result.output.strip().count("\n") == 0
    assert "path does not exist" in result.output


def test_usage_errors_exit_2() -> None:
    assert invoke("check", str(EXAMPLES), "--select", "no-such-rule").exit_code == 2
    assert invoke("check", str(EXAMPLES), "--kube-version", "1.20").exit_code == 2
    assert invoke("explain", "no-such-rule").exit_code == 2


def test_exit_zero_and_fail_on(tmp_path: Path) -> None:
    assert invoke("check", str(EXAMPLES), "--exit-zero", "-q").exit_code == 0
    # Only a warning-level finding: --fail-on error passes.
    (tmp_path / "a.yaml").write_text("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n")
    (tmp_path / "b.yaml").write_text(
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata: {mode: b}\n"
    )
    assert invoke("check", str(tmp_path), "-q", "--select", "duplicate-object").exit_code == 1
    assert (
        invoke(
            "check", str(tmp_path), "-q", "--select", "duplicate-object", "--fail-on", "error"
        ).exit_code
        == 0
    )


def test_no_kubernetes_input_exits_0_and_says_so(tmp_path: Path) -> None:
    (tmp_path / "values.yaml").write_text("replicas: 3\nimage: nginx\n")
    result = invoke("check", str(tmp_path), "--no-color")
    assert result.exit_code == 0
    assert "No Kubernetes objects found" in result.output


def _sarif_schema() -> dict[str, object] | None:
    for candidate in SARIF_SCHEMA_CANDIDATES:
        if candidate.is_file():
            return json.loads(candidate.read_text(encoding="utf-8"))
    return None


def test_sarif_of_examples_validates(tmp_path: Path) -> None:
    schema = _sarif_schema()
    if schema is None:
        pytest.skip("the official SARIF schema is not beside the repository")
    result = invoke("check", str(EXAMPLES), "--output-format", "sarif")
    document = json.loads(result.output)
    jsonschema.Draft7Validator(schema).validate(document)
    assert document["runs"][0]["results"]


def test_extra_reports_and_output_file(tmp_path: Path) -> None:
    sarif = tmp_path / "out.sarif"
    data = tmp_path / "out.json"
    result = invoke(
        "check",
        str(EXAMPLES),
        "--sarif-file",
        str(sarif),
        "--json-file",
        str(data),
        "-q",
        "--no-color",
    )
    assert finding_lines(result.output)  # text still on stdout
    assert json.loads(sarif.read_text())["version"] == "2.1.0"
    assert json.loads(data.read_text())["findings"]
    out = tmp_path / "report.json"
    result = invoke("check", str(EXAMPLES), "--output-format", "json", "--output-file", str(out))
    assert result.output == ""
    assert json.loads(out.read_text())["findings"]


def test_rules_and_explain() -> None:
    listing = invoke("rules").output
    assert re.search(r"^schema\s+error\s+on\s+", listing, re.M)
    text = invoke("explain", "yaml-duplicate-key").output
    for heading in ("What it does", "Why is this bad?", "Example", "Use instead"):
        assert heading in text


def test_version_names_the_yaml_parser() -> None:
    result = invoke("--version")
    assert result.exit_code == 0
    assert "libyaml" in result.output


INGRESS_WITH_THREE_FINDINGS = """\
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: web
spec:
  rules:
  - host: Web.Example.com
    http:
      paths:
      - path: /
        pathType: Prefix
        backend:
          service:
            name: web
            port:
              number: 80
"""


def _severities(output: str) -> dict[str, str]:
    return {m["rule"]: m["sev"] for m in finding_lines(output)}


@pytest.mark.parametrize(
    ("severity", "expected", "exit_code"),
    [
        pytest.param(
            "  ingress: info\n",
            {"ingress-class-missing": "info", "ingress-host-format": "info",
             "ingress-backend-service-missing": "info"},
            0,
            id="a prefix",
        ),
        pytest.param(
            "  all: error\n  ingress-backend: info\n  ingress-host-format: warning\n",
            {"ingress-class-missing": "error", "ingress-host-format": "warning",
             "ingress-backend-service-missing": "info"},
            1,
            id="the most specific key wins",
        ),
    ],
)  # fmt: skip
def test_config_severity_prefix_and_all_apply_most_specific_key_wins(
    tmp_path: Path, severity: str, expected: dict[str, str], exit_code: int
) -> None:
    (tmp_path / "ing.yaml").write_text(INGRESS_WITH_THREE_FINDINGS)
    config = tmp_path / ".netlint.yaml"
    config.write_text("severity:\n" + severity)
    result = invoke("check", str(tmp_path / "ing.yaml"), "--no-color", "--config", str(config))
    assert _severities(result.output) == expected, result.output
    assert result.exit_code == exit_code


def test_a_config_severity_key_that_names_no_rule_is_a_usage_error(tmp_path: Path) -> None:
    (tmp_path / "ing.yaml").write_text(INGRESS_WITH_THREE_FINDINGS)
    config = tmp_path / ".netlint.yaml"
    config.write_text("severity:\n  ingres: info\n")
    result = invoke("check", str(tmp_path / "ing.yaml"), "--config", str(config))
    assert result.exit_code == 2
    assert (
        f"netlint: error: {config}:2: severity: unknown rule or prefix 'ingres'; "
        "did you mean 'ingress'? (see `netlint rules`)" in result.output
    )


def test_config_paths_and_rules_expand_globs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "k8s" / "a").mkdir(parents=True)
    (tmp_path / "k8s" / "a" / "svc.yaml").write_text(SERVICE_WITH_UNKNOWN_FIELD)
    (tmp_path / "other.yaml").write_text(SERVICE_WITH_UNKNOWN_FIELD)  # outside `paths`
    (tmp_path / "policies").mkdir()
    (tmp_path / "policies" / "named.yaml").write_text(
        "id: service-needs-team\nseverity: error\nsummary: A Service has a team label\n"
        "match: {kinds: [Service]}\n"
        "schema:\n  required: [metadata]\n  properties:\n    metadata:\n"
        "      required: [labels]\n      x-netlint-message: no team label\n"
    )
    config = tmp_path / ".netlint.yaml"
    config.write_text('paths: ["k8s/**/*.yaml"]\nrules: ["policies/*.yaml"]\n')
    monkeypatch.chdir(tmp_path)
    result = invoke("check", "--no-color", "--config", str(config))
    assert result.exit_code == 1
    found = finding_lines(result.output)
    assert {m["rule"] for m in found} >= {"schema", "service-needs-team"}, result.output
    assert {m["path"] for m in found} == {"k8s/a/svc.yaml"}


@pytest.mark.parametrize("key", ["paths", "rules", "context"])
def test_a_config_glob_that_matches_nothing_is_a_usage_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, key: str
) -> None:
    (tmp_path / "svc.yaml").write_text(SERVICE_WITH_UNKNOWN_FIELD)
    config = tmp_path / ".netlint.yaml"
    config.write_text(f'{key}: ["manifets/*.yaml"]\n')
    monkeypatch.chdir(tmp_path)
    result = invoke("check", "--no-color", "--config", str(config))
    assert result.exit_code == 2
    assert (
        f"netlint: error: .netlint.yaml:1: {key}: 'manifets/*.yaml' matches no file or folder"
        in (result.output)
    )


def test_baseline_and_write_baseline_together_is_a_usage_error(tmp_path: Path) -> None:
    baseline = tmp_path / "baseline.json"
    result = invoke(
        "check", str(EXAMPLES), "--baseline", str(baseline), "--write-baseline", str(baseline)
    )
    assert result.exit_code == 2
    assert "--baseline and --write-baseline" in result.output
    assert not baseline.exists()


def test_a_file_named_like_an_option_is_linted_after_double_dash(tmp_path: Path) -> None:
    named = tmp_path / "--sarif-file=package.json"
    named.write_text("apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec: {}\n")
    (tmp_path / "package.json").write_text("{}\n")
    previous = Path.cwd()
    os.chdir(tmp_path)
    try:
        result = CliRunner().invoke(cli, ["check", "--no-cache", "-q", "--", named.name])
    finally:
        os.chdir(previous)
    assert result.exit_code == 1, result.output
    assert result.output.startswith("--sarif-file=package.json:5:1: warning[service-no-endpoints]")
    assert (tmp_path / "package.json").read_text() == "{}\n"


def test_an_option_after_double_dash_is_a_missing_path_with_a_hint(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["check", str(tmp_path), "--", "--select=ingress"])
    assert result.exit_code == 2
    assert result.stderr.startswith(
        "netlint: error: path does not exist: --select=ingress (it is spelled like an option, but"
        " comes after `--`"
    )
    assert "put options in the configuration file, or in the hook's `entry:`" in result.stderr
