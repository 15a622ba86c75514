"""Policies' patterns are matched in linear time, by the engine of the fast path (issue 34, item 2)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from netlint.cli import cli

# Python's backtracking `re` needs about 2**40 steps for this (8.8 s at 28 characters, doubling
# with each one): the run below would not end for days.
EVIL = "a" * 40 + "!"
POLICY = """\
id: team-label
severity: error
summary: the team label is all a's
match: {kinds: [Service]}
schema:
  properties:
    metadata:
      properties:
        labels:
          properties:
            team: {pattern: '^(a+)+$'}
          patternProperties:
            '^(b+)+$': {type: integer}
          additionalProperties: {type: string}
"""
SERVICE = f"""\
apiVersion: v1
kind: Service
metadata:
  name: web
  labels: {{team: '{EVIL}', {"b" * 40}!: x, {"b" * 40}: x}}
spec: {{selector: {{app: web}}, ports: [{{port: 80}}]}}
"""


def test_a_catastrophic_pattern_is_matched_in_linear_time(tmp_path: Path) -> None:
    (tmp_path / "p.yaml").write_text(POLICY)
    (tmp_path / "s.yaml").write_text(SERVICE)
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "netlint",
            "check",
            "s.yaml",
            "--rules",
            "p.yaml",
            "--select",
            "team-label",
            "--output-format",
            "json",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert run.returncode == 1, run.stderr
    # The pattern's finding, and the patternProperties one: b*40 matches '^(b+)+$', and its
    # value is not an integer; b*40+'!' does not, and is a string.
    assert run.stdout.count('"message": "Service web: the team label is all a') == 2


def test_a_pattern_the_engine_does_not_take_is_refused_when_the_policy_loads(
    tmp_path: Path,
) -> None:
    policy = tmp_path / "p.yaml"
    policy.write_text(POLICY.replace("'^(a+)+$'", "'^a+\\Z'"))
    service = tmp_path / "s.yaml"
    service.write_text(SERVICE)
    result = CliRunner().invoke(cli, ["check", str(service), "--rules", str(policy)])
    assert result.exit_code == 2
    (line,) = result.output.strip().splitlines()
    assert line.startswith(f"netlint: error: {policy}:11: regular expression '^a+\\\\Z'")


def test_unevaluated_properties_with_pattern_properties_is_refused(tmp_path: Path) -> None:
    policy = tmp_path / "p.yaml"
    policy.write_text(POLICY.replace("additionalProperties", "unevaluatedProperties"))
    result = CliRunner().invoke(cli, ["rules", "--rules", str(policy)])
    assert result.exit_code == 2
    assert f"{policy}:14: unevaluatedProperties cannot be combined with patternProperties" in (
        result.output
    )
