"""The release artefacts (issue 30): `python -m build` makes an sdist and a wheel that `twine
check` accepts, under the distribution name `netlint-k8s` (`netlint` on PyPI is someone else's
project), with the licence, and the wheel built from the sdist installs into a fresh virtualenv
without build isolation and runs.

The build itself runs in build's isolated environment, as a release does (that downloads
setuptools when the machine has no wheel of it cached), from a copy of the checkout: building
writes `build/` and `*.egg-info` into the source tree.
"""

from __future__ import annotations

import email.parser
import shutil
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path
from typing import cast

import pytest

from netlint import __version__
from netlint.run.config_toml import toml_loads
from tests.venvs import fresh_venv, pip_install

REPO = Path(__file__).resolve().parent.parent
DISTRIBUTION = "netlint-k8s"
_NOT_SOURCE = (".git", "build", "dist", "*.egg-info", ".*cache*", "__pycache__", ".venv")


@pytest.fixture(scope="module")
def artefacts(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    source = tmp_path_factory.mktemp("source") / "netlint"
    shutil.copytree(REPO, source, ignore=shutil.ignore_patterns(*_NOT_SOURCE))
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "build", "--outdir", str(out), str(source)],
        check=True,
        capture_output=True,
        text=True,
    )
    (sdist,) = out.glob("*.tar.gz")
    (wheel,) = out.glob("*.whl")
    return sdist, wheel


def test_artefacts_are_named_and_versioned_for_the_free_distribution_name(
    artefacts: tuple[Path, Path],
) -> None:
    sdist, wheel = artefacts
    stem = f"{DISTRIBUTION.replace('-', '_')}-{__version__}"
    assert sdist.name == f"{stem}.tar.gz"
    assert wheel.name == f"{stem}-py3-none-any.whl"
    with zipfile.ZipFile(wheel) as archive:
        metadata = email.parser.Parser().parsestr(
            archive.read(f"{stem}.dist-info/METADATA").decode()
        )
        names = archive.namelist()
    assert metadata["Name"] == DISTRIBUTION
    assert metadata["Version"] == __version__
    assert metadata["License-Expression"] == "Apache-2.0"
    assert f"{stem}.dist-info/licenses/LICENSE" in names
    assert "netlint/_builtin/rules/policies/service-exposure.yaml" in names
    with tarfile.open(sdist) as archive:
        members = set(archive.getnames())
    assert {f"{stem}/LICENSE", f"{stem}/README.md", f"{stem}/pyproject.toml"} <= members


def test_twine_accepts_both_artefacts(artefacts: tuple[Path, Path]) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "twine", "check", "--strict", *map(str, artefacts)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.count("PASSED") == 2


def test_the_wheel_installs_without_build_isolation_and_runs(
    artefacts: tuple[Path, Path], tmp_path: Path
) -> None:
    _, wheel = artefacts
    venv = fresh_venv(tmp_path)
    pip_install(venv, "--no-build-isolation", str(wheel), cwd=tmp_path)
    version = subprocess.run(
        [str(venv / "bin" / "netlint"), "--version"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    )
    assert version.stdout.startswith(f"netlint {__version__} ")
    lint = subprocess.run(
        [
            str(venv / "bin" / "netlint"),
            "check",
            str(REPO / "examples" / "service-port-range.yaml"),
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert lint.returncode == 1, lint.stderr
    assert "error[service-port-range]" in lint.stdout


def test_every_package_of_the_checkout_is_listed_for_the_wheel() -> None:
    # setuptools installs only the packages pyproject lists: a new subpackage left out of the
    # list imports from a checkout and fails when installed (netlint.policy.crd once did).
    config = toml_loads()((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    listed = set(cast("list[str]", config["tool"]["setuptools"]["packages"]))
    found = {
        ".".join(("netlint", *init.parent.relative_to(REPO / "netlint").parts))
        for init in (REPO / "netlint").rglob("__init__.py")
    } | {
        ".".join(("netlint._builtin.rules", *init.parent.relative_to(REPO / "rules").parts))
        for init in (REPO / "rules").rglob("__init__.py")
    }
    assert sorted(found - listed) == []
