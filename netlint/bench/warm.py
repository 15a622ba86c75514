"""The warm and hook figures of issue 31 (items 3 and 4), each against the bare parse.

warm: a whole `netlint check` of the unchanged tree (every rule, SARIF output) with the cache
a run of the same tree filled, over the one-process `CSafeLoader` parse of the same files.

hook: `netlint check --staged` in a git repository holding a copy of the tree, as the
pre-commit hook runs it, with one file staged; the cache is warm for the committed tree, and
each round stages a new change to the same file (a label of its Service's pods, so that the
cross-file checks that read it have something to do again), so that no round finds its own
staged text in the cache. The reference is the same parse of the same files.

Both run netlint with its modules compiled, as installed (`figures.installed_env`), as the cold
and one-file figures do: without it every process of these figures compiled netlint again.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from netlint.bench.figures import Bench, Sample, installed_env, netlint_argv, parse_argv, timed

# netlint check exits 1 when the tree has findings (the generated tree has some, on purpose).
_FINDINGS_OK = (0, 1)


def _env(bench: Bench) -> dict[str, str]:
    """The figure's own cache folder, so that no other run's entries count, and netlint's
    bytecode as an install has it."""
    env = installed_env(bench.scratch / "pycache")
    env["NETLINT_CACHE_DIR"] = str(bench.scratch / "cache")
    return env


def _warm_argv(bench: Bench, root: Path) -> list[str]:
    return netlint_argv(
        "check", str(root), "--exit-zero", "--jobs", str(bench.jobs),
        "--output-format", "sarif", "--output-file", os.devnull,
    )  # fmt: skip


def warm_setup(bench: Bench) -> None:
    timed(_warm_argv(bench, bench.root), env=_env(bench))  # fills the cache


def warm_sample(bench: Bench) -> Sample:
    reference = timed(parse_argv(bench.root))
    return Sample(timed(_warm_argv(bench, bench.root), env=_env(bench)), reference)


def _repository(bench: Bench) -> Path:
    return bench.scratch / "repo"


def _staged_file(bench: Bench) -> Path:
    """The file the rounds change: the first one holding a Deployment and its Service."""
    repo = _repository(bench)
    for original in bench.files:
        text = original.read_text(encoding="utf-8")
        if "kind: Service\n" in text and "kind: Deployment\n" in text:
            return repo / original.relative_to(bench.root)
    return repo / bench.files[0].relative_to(bench.root)


def _git(repo: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=bench", "-c", "user.email=bench@example.invalid", *args],
        cwd=repo,
        check=True,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _hook_argv(bench: Bench) -> list[str]:
    return netlint_argv("check", "--staged", "--exit-zero", "--jobs", str(bench.jobs))


def hook_setup(bench: Bench) -> None:
    """A repository of the tree, committed, and the cache warm for it."""
    repo = _repository(bench)
    shutil.copytree(bench.root, repo)
    _git(repo, "init", "-q")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", "tree")
    timed(netlint_argv("check", "--exit-zero", "--jobs", str(bench.jobs)), repo, _env(bench))
    (bench.scratch / "round").write_text("0")


def _stage_change(bench: Bench) -> None:
    """A new value of one pod label of the staged file's workload, never staged before."""
    counter = bench.scratch / "round"
    number = int(counter.read_text()) + 1
    counter.write_text(str(number))
    path = _staged_file(bench)
    committed = subprocess.run(
        ["git", "show", f"HEAD:{path.relative_to(_repository(bench)).as_posix()}"],
        cwd=_repository(bench),
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    # The template's labels come second after the Deployment's own `labels:`; a new label there
    # changes what the file's Service selects against.
    marker = "      labels:\n"
    changed = committed.replace(marker, f"{marker}        round: r{number}\n", 1)
    path.write_text(changed, encoding="utf-8")
    _git(_repository(bench), "add", str(path))


def hook_sample(bench: Bench) -> Sample:
    _stage_change(bench)
    reference = timed(parse_argv(bench.root))
    seconds = timed(_hook_argv(bench), _repository(bench), _env(bench), _FINDINGS_OK)
    return Sample(seconds, reference)
