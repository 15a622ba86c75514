"""The cold figure of issue 31: a whole `netlint check` of the tree (every rule, SARIF output,
no cache, `--jobs` as given: by default one process per core), against a whole process that
parses the same files with PyYAML's `CSafeLoader`, measured back to back."""

from __future__ import annotations

import os

from netlint.bench.figures import (
    Bench,
    Sample,
    installed_env,
    netlint_argv,
    parse_argv,
    timed,
)


def cold_argv(bench: Bench) -> list[str]:
    return netlint_argv(
        "check", str(bench.root), "--no-cache", "--exit-zero", "--jobs", str(bench.jobs),
        "--output-format", "sarif", "--output-file", os.devnull,
    )  # fmt: skip


def cold_setup(bench: Bench) -> None:
    """One run before the rounds, which compiles netlint's modules as an install has them."""
    timed(cold_argv(bench), env=installed_env(bench.scratch / "pycache"))


def cold_sample(bench: Bench) -> Sample:
    env = installed_env(bench.scratch / "pycache")
    reference = timed(parse_argv(bench.root), env=env)
    return Sample(timed(cold_argv(bench), env=env), reference)
