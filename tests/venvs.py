"""Fresh virtualenvs for install tests.

Dependencies are not downloaded again: the new virtualenv sees the running environment's
site-packages through a .pth file, so what a test exercises is netlint's own packaging (or a
rule pack's entry point), installed with `--no-deps`.
"""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
from pathlib import Path


def fresh_venv(tmp_path: Path) -> Path:
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    site = subprocess.run(
        [
            str(venv / "bin" / "python"),
            "-c",
            "import sysconfig; print(sysconfig.get_paths()['purelib'])",
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    (Path(site) / "_deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    return venv


def pip_install(venv: Path, *args: str, cwd: Path | None = None) -> None:
    """`pip install --no-deps ARGS` into `venv`."""
    env = {**os.environ, "PIP_DISABLE_PIP_VERSION_CHECK": "1"}
    subprocess.run(
        [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", "--no-deps", *args],
        check=True,
        cwd=cwd,
        env=env,
    )
