"""The pre-commit hooks (issue 7), run with real pre-commit against throwaway git repositories.

Each scenario is one `pre-commit try-repo` in a user repository made by the test: the staged files
are the report set, the repository's other manifests are context. try-repo installs the hook
repository into a fresh virtualenv every time (it keeps its store in a temporary folder, whatever
PRE_COMMIT_HOME says), so a module fixture builds the wheels netlint needs once and points pip at
them (`PIP_FIND_LINKS`, `PIP_NO_INDEX`): pre-commit and pip still do the real install, from local
files, in about half the time.

The hook repository is a snapshot of this working tree (tracked and untracked files, less what
.gitignore ignores) committed in a temporary git repository: try-repo on the working tree itself
would leave out files that are not committed yet.

Results must not depend on how pre-commit splits a long file list into several invocations;
the split tests below run the hook's command on partitions of the file list and compare.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from netlint.cli import cli

REPO = Path(__file__).resolve().parent.parent
GIT = shutil.which("git")
pytestmark = pytest.mark.skipif(GIT is None, reason="git is not installed")

_GIT_IDENTITY = {
    "GIT_AUTHOR_NAME": "netlint tests",
    "GIT_AUTHOR_EMAIL": "tests@netlint.invalid",
    "GIT_COMMITTER_NAME": "netlint tests",
    "GIT_COMMITTER_EMAIL": "tests@netlint.invalid",
}


def clean_env(**extra: str) -> dict[str, str]:
    """The environment without variables that would point git or pre-commit elsewhere."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("GIT_", "PRE_COMMIT", "PIP_"))
        and key not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV")
    }
    env.update(_GIT_IDENTITY)
    env.update(extra)
    return env


def git(cwd: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-c", "init.defaultBranch=main", "-c", "commit.gpgsign=false", *args],
        cwd=cwd,
        env=clean_env(),
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()


def snapshot_repo(destination: Path) -> str:
    """This working tree (less ignored files) committed in a new git repository; its commit."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=REPO,
        capture_output=True,
        check=True,
    ).stdout.decode("utf-8")
    for name in filter(None, listed.split("\0")):
        source = REPO / name
        if not source.is_file():
            continue  # deleted in the working tree but not yet in the index
        target = destination / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, target)
    git(destination, "init", "-q")
    git(destination, "add", "-A")
    git(destination, "commit", "-q", "-m", "snapshot")
    return git(destination, "rev-parse", "HEAD")


def shared_snapshot(factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """One snapshot of this checkout per test session (tests/test_action.py installs it too)."""
    root = factory.getbasetemp() / "netlint-snapshot"
    ref_file = factory.getbasetemp() / "netlint-snapshot.ref"
    if not ref_file.is_file():
        root.mkdir()
        ref_file.write_text(snapshot_repo(root), encoding="utf-8")
    return root, ref_file.read_text(encoding="utf-8")


def shared_wheelhouse(factory: pytest.TempPathFactory) -> Path:
    """netlint's dependencies and build requirements as wheels, built once per test session, for
    the installs that pre-commit and the action's install step do (`PIP_FIND_LINKS`)."""
    folder = factory.getbasetemp() / "netlint-wheelhouse"
    done = factory.getbasetemp() / "netlint-wheelhouse.done"
    if done.is_file():
        return folder
    folder.mkdir(exist_ok=True)
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "--quiet"]
    env = clean_env()
    snapshot = shared_snapshot(factory)[0]
    subprocess.run([*pip, "wheel", "-w", str(folder), str(snapshot)], env=env, check=True)
    subprocess.run(
        [*pip, "download", "-d", str(folder), "setuptools>=69", "wheel"], env=env, check=True
    )
    for built in folder.glob("netlint_k8s-*.whl"):
        built.unlink()  # netlint itself must be built and installed from the repository
    done.touch()
    return folder


@pytest.fixture(scope="module")
def hook_repo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    return shared_snapshot(tmp_path_factory)


@pytest.fixture(scope="module")
def wheelhouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return shared_wheelhouse(tmp_path_factory)


# --- the user's repository --------------------------------------------------------------------

DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
        - name: web
          image: nginx
          ports:
            - containerPort: 8080
              name: http
"""

SERVICE = """\
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector:
    app: web
  ports:
    - port: 80
      targetPort: http
"""

HELM_TEMPLATE = """\
apiVersion: v1
kind: Service
metadata:
  name: {{ include "shop.fullname" . }}
spec:
  ports:
    {{- range .Values.ports }}
    - port: {{ .port }}
    {{- end }}
"""


def user_repo(root: Path, files: dict[str, str]) -> Path:
    """A git repository holding `files`, committed."""
    root.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "base")
    return root


def stage(root: Path, files: dict[str, str], removed: Sequence[str] = ()) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    if files:
        git(root, "add", "--", *files)
    if removed:
        git(root, "rm", "-q", "--", *removed)


def try_repo(
    user: Path, hook_repo: tuple[Path, str], wheelhouse: Path, hook: str | None = None
) -> subprocess.CompletedProcess[str]:
    path, ref = hook_repo
    command = [sys.executable, "-m", "pre_commit", "try-repo", str(path)]
    if hook is not None:
        command.append(hook)
    command += ["--ref", ref, "--verbose", "--color", "never"]
    env = clean_env(
        PRE_COMMIT_HOME=str(user.parent / f"{user.name}-pre-commit-home"),
        PIP_FIND_LINKS=str(wheelhouse),
        PIP_NO_INDEX="1",
    )
    return subprocess.run(
        command, cwd=user, env=env, capture_output=True, text=True, encoding="utf-8", check=False
    )


def hook_result(output: str, name: str) -> str:
    """`Passed`, `Failed` or `Skipped`: the status pre-commit printed for hook `name`."""
    for line in output.splitlines():
        status = re.search(r"(Passed|Failed|Skipped)$", line.strip())
        if line.startswith(name + ".") and status is not None:
            return status.group(1)
    raise AssertionError(f"no result line for hook {name!r} in:\n{output}")


# --- the scenarios of issue 7 -----------------------------------------------------------------
# Each scenario is a user repository with a staged change and the hook to run (None: all hooks).
# The try-repos run two at a time (most of their time is pip installing the hook repository).

BROKEN_SERVICE = SERVICE.replace("targetPort: http", "targetPort: htp")


@dataclass(frozen=True)
class Scenario:
    base: dict[str, str]
    staged: dict[str, str]
    hook: str | None = "netlint"
    removed: tuple[str, ...] = ()


NAMED_PORT_SERVICE = SERVICE.replace("- port: 80", "- name: http\n      port: 80")
INGRESS_TO_HTTP = """\
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: web}
spec:
  ingressClassName: nginx
  rules:
    - http:
        paths:
          - {path: /, pathType: Prefix, backend: {service: {name: web, port: {name: http}}}}
"""
SHOP = {
    ".netlint.yaml": "external: {ingressClasses: [nginx]}\n",
    "k8s/deployment.yaml": DEPLOYMENT,
    "k8s/service.yaml": NAMED_PORT_SERVICE,
    "k8s/ingress.yaml": INGRESS_TO_HTTP,
}

SCENARIOS = {
    "clean": Scenario({"k8s/deployment.yaml": DEPLOYMENT}, {"k8s/service.yaml": SERVICE}),
    "broken": Scenario(
        {"k8s/deployment.yaml": DEPLOYMENT, "k8s/service.yaml": SERVICE},
        {"k8s/service.yaml": BROKEN_SERVICE},
    ),
    "service-alone": Scenario(
        {"k8s/deployment.yaml": DEPLOYMENT, "k8s/service.yaml": SERVICE},
        {"k8s/service.yaml": SERVICE.replace("port: 80", "port: 8080")},
    ),
    # Staged files whose names are netlint options: they must be linted as files (the first has
    # an error), and neither write package.json nor a baseline.
    "option-names": Scenario(
        {"k8s/deployment.yaml": DEPLOYMENT, "package.json": '{"name": "shop"}\n'},
        {
            "--sarif-file=package.json": BROKEN_SERVICE,
            "--write-baseline=.hidden.json": SERVICE.replace("name: web", "name: web2"),
        },
    ),
    # k8s/ holds a broken Service nobody touches; the change is to a Helm chart.
    "all-hooks": Scenario(
        {
            "k8s/deployment.yaml": DEPLOYMENT,
            "k8s/service.yaml": BROKEN_SERVICE,
            "chart/Chart.yaml": "apiVersion: v2\nname: shop\nversion: 0.1.0\n",
            ".netlint.yaml": "paths: [k8s]\n",
        },
        {
            "chart/templates/service.yaml": HELM_TEMPLATE,
            "chart/values.yaml": "ports:\n  - port: 80\n",
        },
        hook=None,
    ),
    # Issue 24: a change that breaks an unchanged file fails the hook, naming that file.
    "renamed-port": Scenario(
        SHOP, {"k8s/service.yaml": NAMED_PORT_SERVICE.replace("- name: http", "- name: web")}
    ),
    "deleted-deployment": Scenario(SHOP, {}, removed=("k8s/deployment.yaml",)),
    # An unchanged file's old finding is not the change's: a new, unrelated file passes.
    "unrelated-change": Scenario(
        {**SHOP, "legacy/service.yaml": BROKEN_SERVICE.replace("app: web", "app: legacy")},
        {"k8s/configmap.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: web}\n"},
    ),
}


@dataclass(frozen=True)
class Outcome:
    user: Path
    result: subprocess.CompletedProcess[str]

    @property
    def output(self) -> str:
        return self.result.stdout + self.result.stderr


@pytest.fixture(scope="module")
def outcomes(
    tmp_path_factory: pytest.TempPathFactory, hook_repo: tuple[Path, str], wheelhouse: Path
) -> dict[str, Outcome]:
    users: dict[str, Path] = {}
    for name, scenario in SCENARIOS.items():
        users[name] = user_repo(tmp_path_factory.mktemp(f"user-{name}"), scenario.base)
        stage(users[name], scenario.staged, scenario.removed)
    with ThreadPoolExecutor(max_workers=2) as pool:
        futures = {
            name: pool.submit(try_repo, users[name], hook_repo, wheelhouse, SCENARIOS[name].hook)
            for name in SCENARIOS
        }
        return {name: Outcome(users[name], future.result()) for name, future in futures.items()}


def test_clean_change_passes(outcomes: dict[str, Outcome]) -> None:
    outcome = outcomes["clean"]
    assert outcome.result.returncode == 0, outcome.output
    assert hook_result(outcome.result.stdout, "netlint") == "Passed"
    assert "0 errors, 0 warnings, 0 info; 2 files linted; 2 objects; 0 not shown" in outcome.output


def test_broken_change_fails_with_the_finding(outcomes: dict[str, Outcome]) -> None:
    outcome = outcomes["broken"]
    assert outcome.result.returncode == 1, outcome.output
    assert hook_result(outcome.result.stdout, "netlint") == "Failed"
    assert (
        "k8s/service.yaml:10:19: error[service-target-port-unresolved] Service web port "
        "80/TCP: targetPort 'htp' resolves to nothing" in outcome.output
    )


def test_file_names_that_look_like_options_are_linted_as_files(
    outcomes: dict[str, Outcome],
) -> None:
    outcome = outcomes["option-names"]
    assert outcome.result.returncode == 1, outcome.output
    assert hook_result(outcome.result.stdout, "netlint") == "Failed"
    assert (
        "--sarif-file=package.json:10:19: error[service-target-port-unresolved]" in outcome.output
    )
    assert (outcome.user / "package.json").read_text(encoding="utf-8") == '{"name": "shop"}\n'
    assert not (outcome.user / ".hidden.json").exists()


def test_service_changed_alone_sees_its_deployment_in_an_unchanged_file(
    outcomes: dict[str, Outcome],
) -> None:
    outcome = outcomes["service-alone"]
    assert outcome.result.returncode == 0, outcome.output
    assert hook_result(outcome.result.stdout, "netlint") == "Passed"
    assert "2 files linted" in outcome.output
    # Without the repository as context, the same Service would select nothing it can see.
    alone = CliRunner().invoke(cli, ["check", str(outcome.user / "k8s/service.yaml"), "--quiet"])
    assert alone.exit_code == 1
    assert "service-selector-no-match" in alone.output


def test_netlint_all_lints_the_configured_paths_and_helm_templates_are_skipped(
    outcomes: dict[str, Outcome],
) -> None:
    outcome = outcomes["all-hooks"]
    assert outcome.result.returncode == 1, outcome.output
    # `netlint`: the change only; the Go template is excluded, the rest is not Kubernetes.
    assert hook_result(outcome.result.stdout, "netlint") == "Passed"
    assert "yaml-syntax" not in outcome.output
    # `netlint-all`: the configured paths, whatever was staged.
    assert hook_result(outcome.result.stdout, "netlint (configured paths)") == "Failed"
    assert "k8s/service.yaml:10:19: error[service-target-port-unresolved]" in outcome.output


def assert_hook(outcome: Outcome, status: str, *expected: str) -> None:
    """The `netlint` hook ended with `status` (and pre-commit with its exit code), printing each
    of `expected`."""
    assert outcome.result.returncode == (1 if status == "Failed" else 0), outcome.output
    assert hook_result(outcome.result.stdout, "netlint") == status
    for text in expected:
        assert text in outcome.output


def test_renamed_service_port_fails_naming_the_unchanged_ingress(
    outcomes: dict[str, Outcome],
) -> None:
    assert_hook(
        outcomes["renamed-port"],
        "Failed",
        "k8s/ingress.yaml:9:85: error[ingress-backend-port-mismatch] Ingress web routes "
        "to port 'http' of Service web, which has no port of that name (ports: web=80)",
        "1 error, 0 warnings, 0 info; 3 files linted, 1 skipped (not Kubernetes input); 3 objects;"
        " 0 not shown (there before the staged change)",
    )


def test_deleted_deployment_runs_the_hook_and_fails_naming_the_service(
    outcomes: dict[str, Outcome],
) -> None:
    assert_hook(
        outcomes["deleted-deployment"],
        "Failed",
        "k8s/service.yaml:6:3: warning[service-selector-no-match] Service web selects no "
        "pods: no pod template in the apply namespace of the linted files has app=web",
    )


def test_unrelated_change_passes_despite_an_old_finding_elsewhere(
    outcomes: dict[str, Outcome],
) -> None:
    outcome = outcomes["unrelated-change"]
    assert_hook(outcome, "Passed", "not shown (there before the staged change)")
    assert "legacy/service.yaml" not in outcome.output


# --- the hook's command, without pre-commit -------------------------------------------------------

HOOKS_FILE = REPO / ".pre-commit-hooks.yaml"


def hook_entry(hook_id: str) -> list[str]:
    """The `entry` of a hook, split as pre-commit splits it (shlex)."""
    import shlex

    from netlint.input.loader import load_yaml

    loaded = load_yaml(HOOKS_FILE.read_text(encoding="utf-8"), str(HOOKS_FILE))
    (document,) = loaded.documents
    hooks = document.data
    assert isinstance(hooks, list)
    for hook in hooks:
        if isinstance(hook, dict) and hook.get("id") == hook_id:
            return shlex.split(str(hook["entry"]))
    raise AssertionError(f"no hook {hook_id}")


def test_hook_definitions() -> None:
    from netlint.input.loader import load_yaml

    (document,) = load_yaml(HOOKS_FILE.read_text(encoding="utf-8"), str(HOOKS_FILE)).documents
    hooks = {hook["id"]: hook for hook in document.data}
    assert set(hooks) == {"netlint", "netlint-all"}
    for hook in hooks.values():
        assert hook["language"] == "python"
        # No file names (a change can break an unchanged file), and every commit, deletions too.
        assert hook["pass_filenames"] is False
        assert hook["always_run"] is True
        assert hook["require_serial"] is True
    assert hook_entry("netlint") == ["netlint", "check", "--staged"]
    assert hook_entry("netlint-all") == ["netlint", "check"]


# The file-list mode pre-commit hooks used before issue 24, still what `--context` gives a
# script that names the files: the named files are the report set, the rest is context.
FILE_LIST_MODE = ["check", "--default-context", ".", "--force-exclude"]


def run_hook(
    root: Path, files: Sequence[str]
) -> tuple[int, list[tuple[str, int, int, str, str, str]]]:
    """The file-list mode on `files`, from the repository root."""
    options, end = FILE_LIST_MODE, ["--"]
    previous = Path.cwd()
    os.chdir(root)
    try:
        result = CliRunner().invoke(
            cli, [*options, "--output-format", "json", "--select", "all", *end, *files]
        )
    finally:
        os.chdir(previous)
    assert result.exit_code in (0, 1), result.output
    report = json.loads(result.stdout)
    return result.exit_code, [
        (f["path"], f["line"], f["column"], f["rule"], f["severity"], f["message"])
        for f in report["findings"]
    ]


def partitions(files: Sequence[str]) -> Iterator[list[list[str]]]:
    """Ways pre-commit may cut a sorted file list: contiguous chunks (it never reorders files of a
    `require_serial` hook)."""
    yield [list(files)]
    yield [[name] for name in files]
    for cut in range(1, len(files)):
        yield [list(files[:cut]), list(files[cut:])]


def assert_split_independent(root: Path, files: Sequence[str]) -> None:
    whole_code, whole = run_hook(root, files)
    for parts in partitions(files):
        codes: list[int] = []
        found: list[tuple[str, int, int, str, str, str]] = []
        for part in parts:
            code, findings = run_hook(root, part)
            codes.append(code)
            found += findings
        assert sorted(found) == sorted(whole), f"split {parts}"
        assert max(codes) == whole_code


INGRESS = """\
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: {name}
spec:
  ingressClassName: nginx
  rules:
    - host: shop.example.com
      http:
        paths:
          - path: /api
            pathType: Prefix
            backend:
              service: {{name: {service}, port: {{number: 80}}}}
"""


def test_results_do_not_depend_on_the_split_for_cross_file_rules(tmp_path: Path) -> None:
    # duplicate-object and ingress-path-conflict are errors within one file and warnings across
    # files; services and pods are found across files; a Service is defined twice in one file.
    files = {
        "a-deployment.yaml": DEPLOYMENT,
        "b-service.yaml": SERVICE + "---\n" + SERVICE,
        "c-service.yaml": SERVICE,
        "d-ingress.yaml": INGRESS.format(name="shop", service="web"),
        "e-ingress.yaml": INGRESS.format(name="shop-v2", service="web-v2")
        + "---\n"
        + INGRESS.format(name="shop-v3", service="web"),
    }
    root = user_repo(tmp_path / "user", files)
    rules = {finding[3] for finding in run_hook(root, sorted(files))[1]}
    assert {"duplicate-object", "ingress-path-conflict", "ingress-backend-service-missing"} <= rules
    assert_split_independent(root, sorted(files))


INGRESS_CLASS = """\
apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata:
  name: nginx
spec:
  controller: {controller}
"""


def test_results_do_not_depend_on_the_split_with_conflicting_copies(tmp_path: Path) -> None:
    files = {
        "a-class.yaml": INGRESS_CLASS.format(controller="k8s.io/ingress-nginx"),
        "b-class.yaml": INGRESS_CLASS.format(controller="example.com/other"),
        "c-ingress.yaml": INGRESS.format(name="shop", service="web"),
    }
    root = user_repo(tmp_path / "user", files)
    assert_split_independent(root, sorted(files))


def test_force_exclude_drops_named_files_the_walk_would_skip(tmp_path: Path) -> None:
    root = user_repo(
        tmp_path / "user",
        {
            "chart/Chart.yaml": "apiVersion: v2\nname: shop\nversion: 0.1.0\n",
            "chart/templates/service.yaml": HELM_TEMPLATE,
            "vendor/broken.yaml": "kind: Service\napiVersion: v1\nmetadata: {name: [}\n",
            ".netlint.yaml": "exclude: [vendor]\n",
        },
    )
    named = ["chart/templates/service.yaml", "vendor/broken.yaml"]
    previous = Path.cwd()
    os.chdir(root)
    try:
        plain = CliRunner().invoke(cli, ["check", *named, "--quiet"])
        forced = CliRunner().invoke(
            cli, ["check", "--force-exclude", "--default-context", ".", *named]
        )
    finally:
        os.chdir(previous)
    assert plain.exit_code == 1 and "helm-template" in plain.output  # named files are read...
    assert forced.exit_code == 0, forced.output  # ... unless the hook forces the excludes
    assert "No Kubernetes objects found" in forced.output
    assert "0 files linted" in forced.output
