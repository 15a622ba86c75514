"""Consistent, helpful errors and colour control (issue 24, items 6 and 7), through the real
command: one `netlint: error: …` line and exit 2 for every usage error, click's own included,
with a did-you-mean where a name was mistyped and the line of a configuration error."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from tests.helpers import run_netlint

SERVICE = "apiVersion: v1\nkind: Service\nmetadata:\n  name: a\nspec:\n  ports: [{port: 80}]\n"


def netlint(
    *args: str, cwd: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    done = run_netlint(cwd, *args, env=env)
    return subprocess.CompletedProcess(
        done.args, done.returncode, done.stdout.decode(), done.stderr.decode()
    )


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    (tmp_path / "s.yaml").write_text(SERVICE)
    return tmp_path


@pytest.mark.parametrize(
    ("args", "stderr"),
    [
        (
            ("check", "s.yaml", "--report-unusd"),
            "netlint: error: no such option '--report-unusd'. Did you mean '--report-unused'? "
            "(see `netlint check --help`)",
        ),
        (
            ("chek", "s.yaml"),
            "netlint: error: no such command 'chek'; did you mean 'check'? (see `netlint --help`)",
        ),
        (
            ("check", "s.yaml", "--fail-on", "bad"),
            "netlint: error: invalid value for '--fail-on': 'bad' is not one of 'error', "
            "'warning', 'info' (see `netlint check --help`)",
        ),
        (
            ("explain",),
            "netlint: error: missing argument 'RULE_ID' (see `netlint explain --help`)",
        ),
        (
            ("check", "s.yaml", "--select", "servce"),
            "netlint: error: unknown rule or prefix 'servce'; did you mean 'service'? "
            "(see `netlint rules`)",
        ),
        (
            ("check", "s.yaml", "--ignore", "ingres-tls-host"),
            "netlint: error: unknown rule or prefix 'ingres-tls-host'; did you mean "
            "'ingress-tls-host'? (see `netlint rules`)",
        ),
        (
            ("explain", "service-prot-name"),
            "netlint: error: unknown rule 'service-prot-name'; did you mean 'service-port-name'? "
            "(see `netlint rules`)",
        ),
        (
            ("check", "s.yaml", "--statistics", "-f", "sarif"),
            "netlint: error: --statistics prints a table (text) or an array (json), not sarif: "
            "use --output-format text or json, or write the full report with --sarif-file",
        ),
        (
            ("check", "s.yaml", "--color", "always", "--no-color"),
            "netlint: error: --no-color and --color always contradict each other",
        ),
    ],
    ids=[
        "click-option",
        "command",
        "click-choice",
        "click-argument",
        "select",
        "ignore",
        "explain",
        "statistics-format",
        "colour-flags",
    ],
)
def test_a_usage_error_is_one_line_and_exit_2(
    tree: Path, args: tuple[str, ...], stderr: str
) -> None:
    result = netlint(*args, cwd=tree)
    assert result.returncode == 2
    assert result.stderr == stderr + "\n"
    assert result.stdout == ""


@pytest.mark.parametrize(
    ("config", "stderr"),
    [
        (
            "fail-on: warning\nignore:\n  - schema\n  - ingres\n",
            ".netlint.yaml:4: ignore: unknown rule or prefix 'ingres'; did you mean 'ingress'?",
        ),
        (
            "select: [service]\nextend-select: [servce-exposure]\n",
            ".netlint.yaml:2: extend-select: unknown rule or prefix 'servce-exposure'; did you "
            "mean 'service-exposure'?",
        ),
        (
            "severity:\n  all: info\n  ingres-class-missing: error\n",
            ".netlint.yaml:3: severity: unknown rule or prefix 'ingres-class-missing'; did you "
            "mean 'ingress-class-missing'?",
        ),
        (
            "params:\n  service-nodeport-range: {range: 1-2}\n",
            ".netlint.yaml:2: params.service-nodeport-range: policy service-nodeport-range has "
            "no parameter 'range'",
        ),
        (
            "kube-version: 1.30\n",
            ".netlint.yaml:1: kube-version: YAML reads the unquoted 1.3 as a number, not a "
            'version: quote it, as kube-version: "1.30"',
        ),
        (
            "rules:\n  - missing/*.yaml\n",
            ".netlint.yaml:2: rules: 'missing/*.yaml' matches no file or folder",
        ),
    ],
    ids=["ignore", "extend-select", "severity", "params", "kube-version", "rules-glob"],
)
def test_a_configuration_error_names_its_line(tree: Path, config: str, stderr: str) -> None:
    (tree / ".netlint.yaml").write_text(config)
    result = netlint("check", "s.yaml", cwd=tree)
    assert result.returncode == 2
    assert result.stderr.startswith(f"netlint: error: {stderr}"), result.stderr
    assert result.stderr.count("\n") == 1


def test_a_toml_kube_version_number_gets_the_toml_hint(tree: Path) -> None:
    (tree / "pyproject.toml").write_text("[tool.netlint]\nkube-version = 1.30\n")
    result = netlint("check", "s.yaml", cwd=tree)
    assert result.returncode == 2
    assert result.stderr == (
        "netlint: error: pyproject.toml:2: kube-version: TOML reads the unquoted 1.3 as a "
        'number, not a version: quote it, as kube-version = "1.30"\n'
    )


ESC = "\x1b["


@pytest.mark.parametrize(
    ("args", "env", "coloured"),
    [
        ((), {}, False),  # piped: auto is off
        (("--color", "always"), {}, True),
        (("--color", "always"), {"NO_COLOR": "1"}, True),  # the flag beats the variable
        ((), {"FORCE_COLOR": "1"}, True),
        ((), {"FORCE_COLOR": "1", "NO_COLOR": "1"}, False),  # no-color.org wins in auto
        (("--color", "never"), {"FORCE_COLOR": "1"}, False),
        (("--no-color",), {"FORCE_COLOR": "1"}, False),
    ],
    ids=[
        "auto",
        "always",
        "always-over-no-color",
        "force",
        "no-color-over-force",
        "never",
        "no-color",
    ],
)
def test_colour_control(
    tree: Path, args: tuple[str, ...], env: dict[str, str], coloured: bool
) -> None:
    result = netlint("check", "s.yaml", *args, cwd=tree, env=env)
    assert result.returncode == 1
    assert "warning[service-no-endpoints]" in result.stdout.replace(ESC + "0m", "").replace(
        ESC + "1;33m", ""
    )
    assert (ESC in result.stdout) is coloured


def test_statistics_as_json(tree: Path) -> None:
    (tree / "t.yaml").write_text(SERVICE.replace("name: a", "name: b"))
    result = netlint(
        "check", ".", "--statistics", "-f", "json", "--json-file", "full.json", cwd=tree
    )
    assert result.returncode == 1
    assert json.loads(result.stdout) == [
        {
            "rule": "service-no-endpoints",
            "count": 2,
            "severity": "warning",
            "severities": ["warning"],
            "summary": "A Service without selector has no EndpointSlice or Endpoints in the input",
            "fixable": 0,
        }
    ]
    # The extra file still gets the whole report.
    assert len(json.loads((tree / "full.json").read_text())["findings"]) == 2
