"""Packaging (DESIGN §2): `pip install .` and `pip install -e .` into a fresh virtualenv, run from
another directory, find the built-in rules and schemas, which must not install as the top-level
packages `rules` and `schemas`.

Dependencies are not downloaded again: the fresh virtualenv sees this environment's
site-packages through a .pth file, so what is tested is netlint's own packaging.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.venvs import fresh_venv, pip_install

REPO = Path(__file__).resolve().parent.parent


def _check_examples(venv: Path, elsewhere: Path) -> None:
    netlint = venv / "bin" / "netlint"
    result = subprocess.run(
        [str(netlint), "check", str(REPO / "examples"), "--no-color"],
        cwd=elsewhere,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1, result.stderr
    assert "error[schema]" in result.stdout
    rules = subprocess.run(
        [str(netlint), "rules"], cwd=elsewhere, capture_output=True, text=True, check=True
    )
    assert "duplicate-object" in rules.stdout
    probe = subprocess.run(
        [
            str(venv / "bin" / "python"),
            "-c",
            "import importlib.util as u; print(u.find_spec('rules'), u.find_spec('schemas'))",
        ],
        cwd=elsewhere,
        capture_output=True,
        text=True,
        check=True,
    )
    assert probe.stdout.strip() == "None None", (
        "rules/ or schemas/ installed as a top-level package"
    )


@pytest.mark.parametrize("editable", [False, True], ids=["wheel", "editable"])
def test_install_into_fresh_virtualenv(tmp_path: Path, editable: bool) -> None:
    venv = fresh_venv(tmp_path)
    pip_install(venv, *(["-e", "."] if editable else ["."]), cwd=REPO)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    _check_examples(venv, elsewhere)


def test_every_rule_package_is_in_the_wheel() -> None:
    # setuptools takes the explicit `packages` list: a rules/ folder missing from it installs
    # without its rules, and the built-in pack then fails to load.
    from netlint.run.config_toml import toml_loads  # tomllib, or tomli before Python 3.11

    root = Path(__file__).resolve().parent.parent
    listed = set(
        toml_loads()((root / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"]
    )
    folders = {
        "netlint._builtin.rules"
        + "".join(f".{part}" for part in init.parent.relative_to(root / "rules").parts)
        for init in (root / "rules").rglob("__init__.py")
    }
    assert folders - listed == set()
