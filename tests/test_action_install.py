"""How the GitHub Action installs netlint (issue 30, item 4): from its own checkout with the
hash-pinned locks in `.github/action/`, through pip's cache kept by `actions/cache`, or a released
version from PyPI with the `version` input.

The locks are checked against pyproject.toml for every supported Python, so a dependency added
there without regenerating the locks fails here rather than on a user's runner; the install steps
run as the runner runs them (tests/test_action.py's harness), offline against the locked archives.
"""

from __future__ import annotations

import functools
import http.server
import re
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any, ClassVar

import pytest
import yaml
from packaging.markers import Marker
from packaging.requirements import Requirement
from packaging.version import Version

from netlint import __version__
from netlint.run.config_toml import toml_loads  # tomllib, or tomli before Python 3.11
from tests.test_action import (
    ACTION_LOCKS,
    CACHE_ACTION,
    EXAMPLES,
    load_action,
    locked_wheelhouse,
    run_action,
)
from tests.test_precommit import clean_env, shared_snapshot

REPO = Path(__file__).resolve().parent.parent
PYPROJECT = toml_loads()((REPO / "pyproject.toml").read_text(encoding="utf-8"))
BOOTSTRAP, BUILD, RUNTIME = ACTION_LOCKS
SUPPORTED_PYTHONS = ("3.10", "3.11", "3.12", "3.13", "3.14")
PIN = re.compile(r"^([A-Za-z0-9._-]+)==([^ ;\\]+)\s*(?:;\s*([^\\]+?))?\s*\\?$")


def pins(lock: Path, python: str) -> dict[str, Version]:
    """The lock's `name==version` lines whose markers hold on CPython `python` on Linux."""
    environment = {
        "python_version": python,
        "python_full_version": f"{python}.0",
        "platform_python_implementation": "CPython",
        "implementation_name": "cpython",
        "sys_platform": "linux",
        "platform_system": "Linux",
        "os_name": "posix",
    }
    found: dict[str, Version] = {}
    for line in lock.read_text(encoding="utf-8").splitlines():
        match = PIN.match(line)
        if match is None:
            continue
        name, version, marker = match.groups()
        if marker is None or Marker(marker).evaluate(environment):
            key = re.sub(r"[-_.]+", "-", name).lower()
            assert key not in found, f"{lock.name}: two pins of {key} for Python {python}"
            found[key] = Version(version)
    return found


def hashed_entries(lock: Path) -> list[tuple[str, int]]:
    """Each pinned entry with the number of `--hash` options it carries."""
    entries: list[tuple[str, int]] = []
    for line in lock.read_text(encoding="utf-8").splitlines():
        if PIN.match(line):
            entries.append((line.split(" ")[0], 0))
        elif line.strip().startswith("--hash=sha256:") and entries:
            name, count = entries[-1]
            entries[-1] = (name, count + 1)
    return entries


@pytest.mark.parametrize("python", SUPPORTED_PYTHONS)
def test_the_runtime_lock_pins_every_dependency_of_pyproject(python: str) -> None:
    pinned = pins(RUNTIME, python)
    environment = {"python_version": python, "python_full_version": f"{python}.0"}
    for text in PYPROJECT["project"]["dependencies"]:
        requirement = Requirement(text)
        if requirement.marker is not None and not requirement.marker.evaluate(environment):
            continue
        key = re.sub(r"[-_.]+", "-", requirement.name).lower()
        assert key in pinned, f"{text} is not pinned for Python {python}: regenerate the lock"
        assert requirement.specifier.contains(pinned[key]), (key, pinned[key], text)


@pytest.mark.parametrize("python", SUPPORTED_PYTHONS)
def test_the_bootstrap_lock_satisfies_netlints_build_system(python: str) -> None:
    pinned = pins(BOOTSTRAP, python)
    for text in PYPROJECT["build-system"]["requires"]:
        requirement = Requirement(text)
        assert requirement.specifier.contains(pinned[requirement.name.lower()]), text


def test_every_pin_carries_its_hashes() -> None:
    for lock in ACTION_LOCKS:
        entries = hashed_entries(lock)
        assert entries, lock
        assert [name for name, count in entries if count == 0] == [], lock.name


def install_step(action: dict[str, Any]) -> dict[str, Any]:
    return next(step for step in action["runs"]["steps"] if step.get("id") == "install")


def test_pips_cache_is_restored_where_the_install_step_keeps_it() -> None:
    action = load_action()
    steps = action["runs"]["steps"]
    (cache,) = [step for step in steps if step.get("uses") == CACHE_ACTION]
    assert steps.index(cache) < steps.index(install_step(action))
    assert cache["with"]["key"] == "${{ steps.cache-key.outputs.key }}"
    assert "restore-keys" not in cache["with"]  # never another lock's cache
    assert cache["with"]["path"] == install_step(action)["env"]["PIP_CACHE_DIR"]


def cache_key(action_path: Path, runner_temp: Path, version: str = "") -> str:
    runs, _ = run_action(
        {"python": sys.executable, "version": version},
        runner_temp,
        action_path,
        runner_temp,
        {},
    )
    assert runs[0].id == "cache-key" and runs[0].returncode == 0, runs[0].stderr
    return runs[0].outputs["key"]


def only_the_key_step(tmp_path: Path) -> Path:
    """A copy of the action whose only step is the key: the key's inputs, without an install."""
    action_path = tmp_path / "action"
    shutil.copytree(REPO / ".github" / "action", action_path / ".github" / "action")
    action = load_action()
    action["runs"]["steps"] = [s for s in action["runs"]["steps"] if s.get("id") == "cache-key"]
    (action_path / "action.yml").write_text(yaml.safe_dump(action), encoding="utf-8")
    return action_path


def test_the_cache_key_follows_the_locks_the_interpreter_and_the_version(tmp_path: Path) -> None:
    action_path = only_the_key_step(tmp_path)
    temps = [tmp_path / f"runner-{n}" for n in range(4)]
    for folder in temps:
        folder.mkdir()
    first = cache_key(action_path, temps[0])
    python = ".".join(map(str, sys.version_info[:3]))
    assert first.startswith(f"netlint-action-pip-Linux-X64-CPython-{python.replace('.', '-')}-")
    assert first.endswith("-checkout")
    assert cache_key(action_path, temps[1]) == first  # nothing changed: the same cache
    assert cache_key(action_path, temps[2], version="0.2.0").endswith("-0.2.0")
    lock = action_path / ".github" / "action" / "requirements.txt"
    lock.write_text(lock.read_text(encoding="utf-8") + "# regenerated\n", encoding="utf-8")
    assert cache_key(action_path, temps[3]) != first


@pytest.fixture(scope="module")
def released_wheelhouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The locked archives plus a wheel of this checkout standing in for the PyPI release."""
    folder = tmp_path_factory.mktemp("released-wheelhouse")
    for archive in locked_wheelhouse(tmp_path_factory).iterdir():
        shutil.copy2(archive, folder)
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "--disable-pip-version-check",
            "--quiet",
            "wheel",
            "--no-deps",
            "-w",
            str(folder),
            str(shared_snapshot(tmp_path_factory)[0]),
        ],
        env=clean_env(),
        check=True,
    )
    return folder


def test_the_version_input_installs_that_release(
    tmp_path: Path, released_wheelhouse: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    # The action without netlint's sources: the release must come from the index.
    empty_action = only_the_key_step(tmp_path)
    shutil.copy2(REPO / "action.yml", empty_action / "action.yml")
    assert load_action()["inputs"]["version"]["default"] == ""
    workspace = tmp_path / "workspace"
    shutil.copytree(EXAMPLES, workspace / "examples")
    runner_temp = tmp_path / "runner"
    runner_temp.mkdir()
    runs, outputs = run_action(
        {"paths": "examples", "python": sys.executable, "version": __version__},
        workspace,
        empty_action,
        runner_temp,
        {"PIP_FIND_LINKS": str(released_wheelhouse), "PIP_NO_INDEX": "1"},
    )
    assert [run.returncode for run in runs] == [0, 0, 1], runs[-1].stderr
    assert f"netlint {__version__}" in runs[1].stdout
    assert outputs["exit-code"] == "1"


@pytest.mark.parametrize("version", ["latest", "0.2.0 --index-url=https://example.com", "v0.2.0"])
def test_a_version_that_is_not_a_release_number_fails_the_step(
    tmp_path: Path, version: str
) -> None:
    action_path = only_the_key_step(tmp_path)
    shutil.copy2(REPO / "action.yml", action_path / "action.yml")
    runner_temp = tmp_path / "runner"
    runner_temp.mkdir()
    runs, _ = run_action(
        {"python": sys.executable, "version": version}, tmp_path, action_path, runner_temp, {}
    )
    install = runs[-1]
    assert install.id == "install" and install.returncode == 2
    assert install.stdout.splitlines()[0] == (
        f"::error title=netlint::version must be a release number such as 0.2.0, not '{version}'"
    )


class ArchiveServer(http.server.SimpleHTTPRequestHandler):
    """The locked archives as a find-links page over HTTP, as an index serves them: pip caches
    what it fetches over HTTP (from a trusted host), never what it reads from a folder."""

    answers: ClassVar[list[tuple[str, int]]] = []

    def end_headers(self) -> None:
        if self.path != "/":  # an archive never changes: files.pythonhosted.org says so too
            self.send_header("Cache-Control", "max-age=365000000, immutable, public")
        super().end_headers()

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        self.answers.append((self.path, int(code)))


@pytest.fixture
def archive_index(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[str, list[tuple[str, int]]]]:
    folder = locked_wheelhouse(tmp_path_factory)
    answers: list[tuple[str, int]] = []
    handler = type("Handler", (ArchiveServer,), {"answers": answers})
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(handler, directory=str(folder))
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/", answers
    finally:
        server.shutdown()
        server.server_close()


def test_a_second_run_with_the_restored_cache_downloads_and_builds_nothing(
    tmp_path: Path,
    archive_index: tuple[str, list[tuple[str, int]]],
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    index, answers = archive_index
    action_path = shared_snapshot(tmp_path_factory)[0]
    workspace = tmp_path / "workspace"
    shutil.copytree(EXAMPLES, workspace / "examples")
    env = {
        "PIP_FIND_LINKS": index,
        "PIP_NO_INDEX": "1",
        "PIP_TRUSTED_HOST": "127.0.0.1",
        "PIP_VERBOSE": "1",  # with the step's --quiet: pip's normal log (downloads, builds)
    }
    first_temp, second_temp = tmp_path / "first-run", tmp_path / "second-run"
    first_temp.mkdir()
    first, _ = run_action(
        {"paths": "examples", "python": sys.executable}, workspace, action_path, first_temp, env
    )
    assert [run.returncode for run in first] == [0, 0, 1], first[1].stderr
    archives = {path for path, code in answers if code == 200 and path != "/"}
    assert len(archives) == len(list(locked_wheelhouse(tmp_path_factory).iterdir()))
    assert "Building wheel for ruamel-yaml-clibz" in first[1].stdout

    # What actions/cache restores on the next run: the pip cache, in a new runner's temp folder.
    second_temp.mkdir()
    shutil.copytree(first_temp / "netlint-pip-cache", second_temp / "netlint-pip-cache")
    answers.clear()
    second, _ = run_action(
        {"paths": "examples", "python": sys.executable}, workspace, action_path, second_temp, env
    )
    assert [run.returncode for run in second] == [0, 0, 1], second[1].stderr
    assert [path for path, code in answers if code == 200 and path != "/"] == []
    assert "Building wheel for ruamel-yaml-clibz" not in second[1].stdout
    assert "Downloading" not in second[1].stdout
