"""Installed rule packs (DESIGN §6): a package exposing the `netlint.rules` entry point adds its
rules to `netlint rules` and `netlint check`; an id that collides with a built-in one is a clear
error (exit 2).

The tiny package is built in tmp_path and installed into a fresh virtualenv that sees this
environment's site-packages through a .pth file (tests/venvs.py), so the running
environment is never changed.
"""

from __future__ import annotations

import subprocess
import textwrap
from pathlib import Path

from tests.venvs import fresh_venv, pip_install

REPO = Path(__file__).resolve().parent.parent

PACK = """\
from collections.abc import Iterator

from netlint.api import Diagnostic, Manifest, Rule, RuleContext, RuleMeta, Severity


class TeamLabel(Rule):
    meta = RuleMeta(
        id="{rule_id}",
        severity=Severity.WARNING,
        summary="Services carry a team label (installed pack)",
        what="Reports a Service without a `team` label.",
        why="Findings must reach a team.",
    )
    kinds = frozenset({{"Service"}})

    def check(self, manifest: Manifest, ctx: RuleContext) -> Iterator[Diagnostic]:
        if "team" not in manifest.labels:
            yield Diagnostic(("metadata", "name"), f"{{manifest.ref}} has no team label")


RULES = [TeamLabel()]
"""


def _package(root: Path, name: str, rule_id: str) -> Path:
    (root / name).mkdir(parents=True)
    (root / name / "__init__.py").write_text(PACK.format(rule_id=rule_id))
    (root / "pyproject.toml").write_text(
        textwrap.dedent(
            f"""\
            [build-system]
            requires = ["setuptools>=61"]
            build-backend = "setuptools.build_meta"

            [project]
            name = "{name.replace("_", "-")}"
            version = "0.0.1"

            [project.entry-points."netlint.rules"]
            {name} = "{name}"

            [tool.setuptools]
            packages = ["{name}"]
            """
        )
    )
    return root


def _netlint(venv: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(venv / "bin" / "netlint"), *args], cwd=cwd, capture_output=True, text=True, check=False
    )


def test_installed_pack_adds_rules_and_collisions_fail(tmp_path: Path) -> None:
    venv = fresh_venv(tmp_path)
    pip_install(venv, "-e", str(REPO))
    pip_install(
        venv, str(_package(tmp_path / "teampack", "netlint_team_pack", "service-team-label"))
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    rules = _netlint(venv, "rules", cwd=elsewhere)
    assert rules.returncode == 0, rules.stderr
    assert "service-team-label" in rules.stdout
    assert "Services carry a team label (installed pack)" in rules.stdout
    assert "service-nodeport-range" in rules.stdout  # the built-in pack still loads first
    manifest = elsewhere / "svc.yaml"
    manifest.write_text(
        "apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n  ports: [{port: 80}]\n"
    )
    check = _netlint(
        venv, "check", "svc.yaml", "--select", "service-team-label", "--no-color", cwd=elsewhere
    )
    assert check.returncode == 1, check.stderr
    assert (
        "svc.yaml:3:18: warning[service-team-label] Service web has no team label" in check.stdout
    )

    pip_install(venv, str(_package(tmp_path / "badpack", "netlint_bad_pack", "service-port-name")))
    clash = _netlint(venv, "rules", cwd=elsewhere)
    assert clash.returncode == 2
    assert clash.stderr.count("\n") == 1
    assert "rule id 'service-port-name' from netlint_bad_pack is already defined by" in clash.stderr
