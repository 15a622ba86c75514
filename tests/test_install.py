"""Packaging (DESIGN §2): `pip install .` and `pip install -e .` into a fresh virtualenv, run from
another directory, find the built-in rules and schemas, which must not install as the top-level
packages `rules` and `schemas`.

Dependencies are not downloaded again: the fresh virtualenv sees this environment's
site-packages through a .pth file, so what is tested is netlint's own packaging.
"""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


def _venv(tmp_path: Path) -> Path:
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = venv / "bin" / "python"
    site = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    # Dependencies come from the running environment; netlint itself must come from the install.
    (Path(site) / "_deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    return venv


def _install(venv: Path, *args: str) -> None:
    env = {**os.environ, "PIP_DISABLE_PIP_VERSION_CHECK": "1"}
    subprocess.run(
        [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", "--no-deps", *args],
        check=True,
        cwd=REPO,
        env=env,
    )


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
    venv = _venv(tmp_path)
    _install(venv, *(["-e", "."] if editable else ["."]))
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    _check_examples(venv, elsewhere)
