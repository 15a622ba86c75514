"""The composite GitHub Action (issue 7): `action.yml` and `netlint/github_action.py`.

`action.yml` is validated against the GitHub Actions metadata schema that check-jsonschema
vendors, and its `run:` steps are executed here the way the runner executes them (bash, the
step's `env:` with its `${{ }}` expressions evaluated, fresh GITHUB_OUTPUT and
GITHUB_STEP_SUMMARY files per step) against examples/: annotations, summary, SARIF and outputs
are checked as a workflow would see them.
"""

from __future__ import annotations

import functools
import io
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from netlint.integrations import github_action
from netlint.integrations.github_action import (
    Findings,
    main,
    markdown_cell,
    output_lines,
    split_annotations,
    summary_markdown,
)
from tests.test_precommit import clean_env, shared_snapshot

REPO = Path(__file__).resolve().parent.parent
ACTION = REPO / "action.yml"
EXAMPLES = REPO / "examples"
ACTION_LOCKS = (
    REPO / ".github" / "action" / "requirements-bootstrap.txt",
    REPO / ".github" / "action" / "requirements-build.txt",
    REPO / ".github" / "action" / "requirements.txt",
)
SARIF_SCHEMA_CANDIDATES = (
    REPO.parent / "shared" / "schemas-ref" / "sarif-schema-2.1.0.json",
    Path("/work/shared/schemas-ref/sarif-schema-2.1.0.json"),
)
CACHE_ACTION = "actions/cache@v5"
EXPRESSION = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")
LEVEL_ORDER = {"error": 0, "warning": 1, "notice": 2}
# GitHub shows at most 10 error, 10 warning and 10 notice annotations per step (Actions toolkit,
# docs/problem-matchers.md, "Limitations").
GITHUB_ANNOTATIONS_PER_LEVEL = 10


def load_action(path: Path = ACTION) -> dict[str, Any]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def sarif_schema() -> dict[str, Any] | None:
    for candidate in SARIF_SCHEMA_CANDIDATES:
        if candidate.is_file():
            return json.loads(candidate.read_text(encoding="utf-8"))
    return None


def check_jsonschema(path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "check_jsonschema",
            "--builtin-schema",
            "vendor.github-actions",
            str(path),
        ],
        capture_output=True,
        text=True,
        check=False,
    )


# --- action.yml itself ---------------------------------------------------------------------------


def test_action_yml_validates_against_the_github_actions_schema(tmp_path: Path) -> None:
    result = check_jsonschema(ACTION)
    assert result.returncode == 0, result.stdout + result.stderr
    # The check can fail: a run step without a shell is not valid composite-action metadata.
    broken = load_action()
    del broken["runs"]["steps"][-1]["shell"]
    (tmp_path / "action.yml").write_text(yaml.safe_dump(broken), encoding="utf-8")
    assert check_jsonschema(tmp_path / "action.yml").returncode == 1


def test_inputs_reach_the_scripts_only_through_env() -> None:
    action = load_action()
    steps = action["runs"]["steps"]
    assert action["runs"]["using"] == "composite"
    referenced: set[str] = set()
    for step in steps:
        if "uses" in step:
            # The one action used is GitHub's own cache, and no input reaches it.
            assert step["uses"] == CACHE_ACTION
            assert all("inputs." not in str(value) for value in step["with"].values())
            continue
        assert step["shell"] == "bash"
        assert "${{" not in step["run"], f"expression interpolated into run: {step['run']!r}"
        for value in step.get("env", {}).values():
            referenced.update(
                m.group(1).removeprefix("inputs.") for m in EXPRESSION.finditer(str(value))
            )
    assert set(action["inputs"]) <= referenced
    outputs = action["outputs"]
    assert set(outputs) == {"sarif-file", "errors", "warnings", "info", "exit-code"}
    for name, output in outputs.items():
        assert output["value"] == f"${{{{ steps.netlint.outputs.{name} }}}}"


# --- running the steps as the runner does -------------------------------------------------------


@dataclass
class StepRun:
    id: str
    returncode: int
    stdout: str
    stderr: str
    outputs: dict[str, str]
    summary: str


def parse_output_file(text: str) -> dict[str, str]:
    """GITHUB_OUTPUT's two forms: `name=value` and `name<<DELIMITER` ... `DELIMITER`."""
    values: dict[str, str] = {}
    lines = text.split("\n")
    index = 0
    while index < len(lines):
        line = lines[index]
        index += 1
        if "<<" in line and ("=" not in line or line.index("<<") < line.index("=")):
            name, delimiter = line.split("<<", 1)
            collected: list[str] = []
            while lines[index] != delimiter:
                collected.append(lines[index])
                index += 1
            index += 1
            values[name] = "\n".join(collected)
        elif "=" in line:
            name, value = line.split("=", 1)
            values[name] = value
    return values


def evaluate(text: str, contexts: Mapping[str, str]) -> str:
    """`${{ a.b }}` with the values the runner would give; any other expression fails the test."""

    def lookup(match: re.Match[str]) -> str:
        expression = match.group(1)
        assert expression in contexts, f"expression the test does not know: {expression}"
        return contexts[expression]

    return EXPRESSION.sub(lookup, text)


def run_action(
    inputs: Mapping[str, str],
    workspace: Path,
    action_path: Path,
    runner_temp: Path,
    extra_env: Mapping[str, str],
) -> tuple[list[StepRun], dict[str, str]]:
    """Runs every step of action.yml like the runner: returns the steps and the action's outputs."""
    action = load_action(action_path / "action.yml")
    contexts: dict[str, str] = {
        "github.action_path": str(action_path),
        "runner.temp": str(runner_temp),
        "runner.os": "Linux",
        "runner.arch": "X64",
    }
    for name, spec in action["inputs"].items():
        contexts[f"inputs.{name}"] = inputs.get(name, str(spec.get("default", "")))
    base_env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("GITHUB_", "INPUT_", "RUNNER_", "PIP_"))
        and key not in ("PYTHONPATH", "VIRTUAL_ENV")
    }
    runs: list[StepRun] = []
    for number, step in enumerate(action["runs"]["steps"]):
        if any(r.returncode != 0 for r in runs):
            break  # a failed step stops the composite action
        if step.get("uses") == CACHE_ACTION:
            continue  # a cache miss: the install below starts from an empty pip cache
        files = runner_temp / f"step-{number}"
        files.mkdir()
        output_file, summary_file = files / "output", files / "summary"
        output_file.touch()
        summary_file.touch()
        script = files / "script.sh"
        script.write_text(step["run"], encoding="utf-8")
        env = {
            **base_env,
            "CI": "true",
            "GITHUB_ACTIONS": "true",
            "GITHUB_ACTION_PATH": str(action_path),
            "GITHUB_WORKSPACE": str(workspace),
            "GITHUB_OUTPUT": str(output_file),
            "GITHUB_STEP_SUMMARY": str(summary_file),
            "RUNNER_TEMP": str(runner_temp),
            **extra_env,
        }
        env.update({k: evaluate(str(v), contexts) for k, v in step.get("env", {}).items()})
        completed = subprocess.run(
            ["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)],
            cwd=workspace,
            env=env,
            capture_output=True,
            text=True,
            encoding="utf-8",
            check=False,
        )
        outputs = parse_output_file(output_file.read_text(encoding="utf-8"))
        for name, value in outputs.items():
            contexts[f"steps.{step['id']}.outputs.{name}"] = value
        runs.append(
            StepRun(
                step["id"],
                completed.returncode,
                completed.stdout,
                completed.stderr,
                outputs,
                summary_file.read_text(encoding="utf-8"),
            )
        )
    action_outputs = {
        name: EXPRESSION.sub(lambda m: contexts.get(m.group(1), ""), spec["value"])
        for name, spec in action["outputs"].items()
    }
    return runs, action_outputs


# Modules a hostile checkout could commit to run code inside the Action's Python processes (whose
# working directory is the checkout): each leaves a marker file if it is ever imported.
PLANTED_MODULES = ("shlex", "json", "sitecustomize", "usercustomize", "netlint")


def plant_modules(workspace: Path) -> None:
    for name in PLANTED_MODULES:
        marker = workspace / f"imported-{name}"
        (workspace / f"{name}.py").write_text(
            f"open({str(marker)!r}, 'w').close()\n", encoding="utf-8"
        )


def locked_wheelhouse(factory: pytest.TempPathFactory) -> Path:
    """Exactly the archives the action's locks pin (with their hashes), once per test session, so
    that the install step runs offline (`PIP_NO_INDEX`) the way it runs on a runner."""
    folder = factory.getbasetemp() / "netlint-locked-wheelhouse"
    done = factory.getbasetemp() / "netlint-locked-wheelhouse.done"
    if not done.is_file():
        folder.mkdir(exist_ok=True)
        subprocess.run(
            [sys.executable, "-m", "pip", "--disable-pip-version-check", "--quiet", "download"]
            + ["--require-hashes", "--no-deps", "-d", str(folder)]
            + [arg for lock in ACTION_LOCKS for arg in ("-r", str(lock))],
            env=clean_env(),
            check=True,
        )
        done.touch()
    return folder


@pytest.fixture(scope="module")
def action_run(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[list[StepRun], dict[str, str], Path]:
    """The action, installed from a snapshot of this checkout, run against a copy of examples/."""
    action_path = shared_snapshot(tmp_path_factory)[0]
    wheelhouse = locked_wheelhouse(tmp_path_factory)
    workspace = tmp_path_factory.mktemp("workspace")
    shutil.copytree(EXAMPLES, workspace / "examples")
    plant_modules(workspace)
    runs, outputs = run_action(
        {"paths": "examples", "python": sys.executable},
        workspace,
        action_path,
        tmp_path_factory.mktemp("runner-temp"),
        {"PIP_FIND_LINKS": str(wheelhouse), "PIP_NO_INDEX": "1"},
    )
    return runs, outputs, workspace


@functools.cache
def expected_report() -> dict[str, Any]:
    result = subprocess.run(
        [sys.executable, "-m", "netlint", "check", "examples", "--output-format", "json"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    return json.loads(result.stdout)


def test_action_steps_install_and_fail_on_the_examples(
    action_run: tuple[list[StepRun], dict[str, str], Path],
) -> None:
    runs, outputs, _ = action_run
    _key, install, lint = runs
    assert install.returncode == 0, install.stdout + install.stderr
    assert install.outputs["python"]
    assert "netlint " in install.stdout  # `netlint --version` of the installed copy
    assert lint.returncode == 1, lint.stdout + lint.stderr  # the examples have findings
    expected = expected_report()["summary"]
    assert outputs == {
        "sarif-file": "netlint.sarif",
        "errors": str(expected["errors"]),
        "warnings": str(expected["warnings"]),
        "info": str(expected["info"]),
        "exit-code": "1",
    }


def test_action_imports_nothing_from_the_checkout(
    action_run: tuple[list[StepRun], dict[str, str], Path],
) -> None:
    runs, _, workspace = action_run
    assert [run.returncode for run in runs] == [0, 0, 1]  # keyed, installed, failed on examples
    assert sorted(p.name for p in workspace.glob("imported-*")) == []


def test_action_annotations_stay_within_githubs_limits_most_severe_first(
    action_run: tuple[list[StepRun], dict[str, str], Path],
) -> None:
    lint = action_run[0][2]
    lines = lint.stdout.splitlines()
    group = next(i for i, line in enumerate(lines) if line.startswith("::group::"))
    annotations = [line for line in lines[:group] if line.startswith("::")]
    levels = [line[2:].split(" ", 1)[0] for line in annotations]
    for level in LEVEL_ORDER:
        assert levels.count(level) == min(
            GITHUB_ANNOTATIONS_PER_LEVEL, sum(1 for f in expected_active() if level_of(f) == level)
        )
    assert levels == sorted(levels, key=LEVEL_ORDER.__getitem__)  # most severe first
    assert annotations[0].startswith("::error file=examples/")
    # The others are listed as plain text, between stop-commands markers.
    token = lines[group + 1].removeprefix("::stop-commands::")
    assert re.fullmatch(r"[0-9a-f]{32}", token)
    end = lines.index(f"::{token}::")
    listed = lines[group + 2 : end]
    assert len(annotations) + len(listed) == len(expected_active())
    # ... the findings that got no annotation, in the report's order, most severe first.
    ordered = sorted(expected_active(), key=lambda f: LEVEL_ORDER[level_of(f)])
    seen = dict.fromkeys(LEVEL_ORDER, 0)
    left_out: list[dict[str, Any]] = []
    for finding in ordered:
        seen[level_of(finding)] += 1
        if seen[level_of(finding)] > GITHUB_ANNOTATIONS_PER_LEVEL:
            left_out.append(finding)
    assert [line.split(" ", 2)[:2] for line in listed] == [
        [f"{f['path']}:{f['line']}:{f['column']}:", f"{f['severity']}[{f['rule']}]"]
        for f in left_out
    ]
    assert lines[end + 1] == "::endgroup::"


def expected_active() -> list[dict[str, Any]]:
    return [f for f in expected_report()["findings"] if f["suppressed"] is None]


def level_of(finding: Mapping[str, Any]) -> str:
    return {"error": "error", "warning": "warning", "info": "notice"}[finding["severity"]]


def test_action_writes_a_summary_table(
    action_run: tuple[list[StepRun], dict[str, str], Path],
) -> None:
    summary = action_run[0][2].summary
    expected = expected_report()["summary"]
    assert summary.startswith(
        f"### netlint: {expected['errors']} errors, {expected['warnings']} warnings, "
        f"{expected['info']} info\n"
    )
    assert "Exit code 1 (failed: findings at or above the fail level)" in summary
    assert "| Severity | Rule | Location | Message |" in summary
    rows = [line for line in summary.splitlines() if line.startswith("| ") and "<code>" in line]
    assert len(rows) == len(expected_active())
    assert rows[0].startswith("| **error** | <code>")
    assert len(summary.encode("utf-8")) < 1024 * 1024


def test_action_writes_sarif_that_validates(
    action_run: tuple[list[StepRun], dict[str, str], Path],
) -> None:
    workspace = action_run[2]
    sarif = json.loads((workspace / "netlint.sarif").read_text(encoding="utf-8"))
    assert sarif["version"] == "2.1.0"
    assert len(sarif["runs"][0]["results"]) == len(expected_report()["findings"])
    schema = sarif_schema()
    if schema is None:
        pytest.skip("the SARIF 2.1.0 schema is not beside the repository")
    validator = jsonschema.validators.validator_for(schema)(schema)
    errors = sorted(validator.iter_errors(sarif), key=lambda e: list(e.absolute_path))
    assert not errors, errors[0].message


# --- the script's pieces --------------------------------------------------------------------------


def test_split_annotations_keeps_ten_of_each_level_in_order() -> None:
    lines = (
        [f"::error file=a.yaml,line={n}::e{n}" for n in range(12)]
        + [f"::warning file=a.yaml,line={n}::w{n}" for n in range(3)]
        + [f"::notice file=a.yaml,line={n}::n{n}" for n in range(11)]
    )
    shown, left_out = split_annotations(lines)
    assert shown == lines[:10] + lines[12:15] + lines[15:25]
    assert left_out == [10, 11, 25]


def test_markdown_cells_show_text_literally() -> None:
    cell = markdown_cell("a | b <script> `x` *y* [l](u) \\ line\nnext & done")
    assert cell == (
        "a \\| b &lt;script&gt; \\`x\\` \\*y\\* \\[l\\](u) \\\\ line<br>next &amp; done"
    )


def test_summary_stops_before_the_size_limit() -> None:
    finding = {
        "rule": "schema",
        "severity": "warning",
        "message": "x" * 500,
        "path": "a.yaml",
        "line": 1,
        "column": 1,
        "hint": None,
    }
    findings = Findings(
        warnings=100, files=1, objects=1, active=[dict(finding) for _ in range(100)]
    )
    summary = summary_markdown(findings, 1, "", budget=10_000)
    assert len(summary.encode("utf-8")) <= 10_000
    rows = summary.count("| warning |")
    assert 0 < rows < 100
    assert f"{100 - rows} more findings are not listed here" in summary


def test_output_lines_use_a_delimiter_no_value_contains() -> None:
    text = output_lines({"sarif-file": "odd\nname.sarif", "errors": "3"})
    assert parse_output_file(text) == {"sarif-file": "odd\nname.sarif", "errors": "3"}


def run_main(tmp_path: Path, **inputs: str) -> tuple[int, str, str, dict[str, str]]:
    summary, output = tmp_path / "summary.md", tmp_path / "output"
    env = {
        **{f"INPUT_{name.upper()}": value for name, value in inputs.items()},
        "GITHUB_STEP_SUMMARY": str(summary),
        "GITHUB_OUTPUT": str(output),
        "RUNNER_TEMP": str(tmp_path),
    }
    out = io.StringIO()
    previous = Path.cwd()
    os.chdir(tmp_path)
    try:
        code = main(env, out)
    finally:
        os.chdir(previous)
    outputs = parse_output_file(output.read_text(encoding="utf-8")) if output.exists() else {}
    written = summary.read_text(encoding="utf-8") if summary.exists() else ""
    return code, out.getvalue(), written, outputs


SERVICE = """\
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  ports:
    - port: 80
      name: HTTP
"""


def test_annotation_properties_are_escaped(tmp_path: Path) -> None:
    (tmp_path / "a,b:c%.yaml").write_text(SERVICE, encoding="utf-8")
    code, log, summary, outputs = run_main(tmp_path, paths="'a,b:c%.yaml'", sarif_file="")
    assert code == 1
    (annotation,) = [line for line in log.splitlines() if line.startswith("::error")]
    assert annotation.startswith("::error file=a%2Cb%3Ac%25.yaml,line=8,")
    assert outputs["errors"] == "1" and outputs["sarif-file"] == ""
    assert "<code>a,b:c%.yaml:8:" in summary


def test_fail_on_and_args_reach_netlint(tmp_path: Path) -> None:
    (tmp_path / "svc.yaml").write_text(SERVICE, encoding="utf-8")
    code, log, summary, outputs = run_main(
        tmp_path, paths="svc.yaml", args="--ignore service-port-name", fail_on="error"
    )
    assert (code, outputs["exit-code"], outputs["errors"]) == (0, "0", "0")
    assert outputs["sarif-file"] == ""
    assert "::error" not in log
    assert "Exit code 0 (passed" in summary


def test_usage_errors_fail_the_step_with_one_annotation(tmp_path: Path) -> None:
    code, log, summary, outputs = run_main(tmp_path, config="missing.yaml")
    assert code == 2
    assert (
        log == "::error title=netlint::netlint: error: configuration file not found: missing.yaml\n"
    )
    assert outputs["exit-code"] == "2" and outputs["sarif-file"] == ""
    assert summary.startswith("### netlint could not run")
    code, log, _, _ = run_main(tmp_path, fail_on="sometimes")
    assert code == 2
    assert "fail-on must be error, warning or info" in log


def test_an_internal_error_fails_the_step_with_netlints_exit_code(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # netlint exits 1 without a report when it hits a bug (README, exit codes); the step says
    # so with that code, not with the 2 of a usage error.
    crash = "import sys; print('netlint: internal error: RuntimeError: boom', file=sys.stderr); sys.exit(1)"
    monkeypatch.setattr(github_action, "netlint_command", lambda *_: [sys.executable, "-c", crash])
    code, log, summary, outputs = run_main(tmp_path)
    assert code == 1
    assert log == "::error title=netlint::netlint: internal error: RuntimeError: boom\n"
    assert outputs["exit-code"] == "1" and outputs["errors"] == ""
    assert summary.startswith("### netlint could not run")


def test_the_wrapper_starts_without_loading_the_engine() -> None:
    # The wrapper runs netlint as a child process; loading the engine, rules and schemas in
    # the wrapper as well cost every Action run about 0.15 s for one escaping function.
    probe = (
        "import sys, netlint.integrations.github_action; "
        "print(sorted(m for m in sys.modules if m in ('netlint.run.engine', 'netlint.input.loader')))"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_paths_input_accepts_globs_as_config_paths_does(tmp_path: Path) -> None:
    (tmp_path / "k8s" / "shop").mkdir(parents=True)
    (tmp_path / "k8s" / "shop" / "svc.yaml").write_text(SERVICE, encoding="utf-8")
    (tmp_path / "k8s" / "notes.txt").write_text("not linted\n", encoding="utf-8")
    code, log, _summary, _outputs = run_main(tmp_path, paths="'k8s/**/*.yaml'", sarif_file="")
    assert code == 1
    (annotation,) = [line for line in log.splitlines() if line.startswith("::error")]
    assert annotation.startswith("::error file=k8s/shop/svc.yaml,line=8,")


def test_a_glob_that_matches_nothing_is_a_usage_error(tmp_path: Path) -> None:
    code, log, _summary, _outputs = run_main(tmp_path, paths="'k8s/**/*.yaml'")
    assert code == 2
    assert "netlint: error: paths: 'k8s/**/*.yaml' matches no file or folder" in log


def test_sarif_file_folders_are_created(tmp_path: Path) -> None:
    (tmp_path / "svc.yaml").write_text(SERVICE, encoding="utf-8")
    code, _log, _summary, outputs = run_main(
        tmp_path, paths="svc.yaml", sarif_file="out/reports/netlint.sarif"
    )
    assert code == 1
    assert outputs["sarif-file"] == "out/reports/netlint.sarif"
    assert json.loads((tmp_path / "out/reports/netlint.sarif").read_text("utf-8"))["runs"]
