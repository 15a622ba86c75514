"""The real-world corpus: release and example manifests load without a crash and raise no false
errors (the corpus README lists the known genuine issues, which must be found)."""

from __future__ import annotations

from collections import Counter

import pytest

from tests.corpus import RELEASE_AND_EXAMPLE, TEST_FIXTURE, corpus_dir, files_by_repo
from tests.helpers import lint_files, settling_nowhere

CORPUS = corpus_dir()
pytestmark = pytest.mark.skipif(
    CORPUS is None, reason="../shared/corpus is not beside the repository"
)

# Genuine problems of the release/example tiers (corpus README), as (file suffix, rule id).
KNOWN_GENUINE_ERRORS = {
    ("dual-stack-ipv6-svc.yaml", "schema"),
    ("dual-stack-ipv6-lb-svc.yaml", "schema"),
}


def _errors_by_repo() -> dict[str, list[tuple[str, int, str, str]]]:
    assert CORPUS is not None
    result: dict[str, list[tuple[str, int, str, str]]] = {}
    for repo, files in files_by_repo(CORPUS, RELEASE_AND_EXAMPLE).items():
        report = lint_files(files, cwd=CORPUS)
        result[repo] = [
            (f.location.path, f.location.line, f.rule_id, f.message)
            for f in report.active
            if f.severity.label == "error"
        ]
    return result


def test_release_and_example_tiers_raise_only_known_errors() -> None:
    unexpected = [
        error
        for errors in _errors_by_repo().values()
        for error in errors
        if not any(
            error[0].endswith(suffix) and error[2] == rule for suffix, rule in KNOWN_GENUINE_ERRORS
        )
    ]
    assert unexpected == []


def test_every_known_genuine_error_is_found() -> None:
    found = {
        (path.rsplit("__", 1)[-1], rule)
        for errors in _errors_by_repo().values()
        for path, _line, rule, _message in errors
    }
    assert found == KNOWN_GENUINE_ERRORS


def test_the_genuine_regex_path_under_prefix_is_a_warning() -> None:
    # The corpus README's third genuine problem: a regex path under pathType Prefix, which
    # ingress-nginx >= 1.12 rejects; netlint warns (the Ingress may be served by another class).
    assert CORPUS is not None
    files = [
        path
        for path in files_by_repo(CORPUS, RELEASE_AND_EXAMPLE).get("kubernetes/examples", [])
        if path.name.endswith("AI__model-serving-tensorflow__ingress.yaml")
    ]
    assert len(files) == 1
    found = [f for f in lint_files(files, cwd=CORPUS).active if f.rule_id == "ingress-path-format"]
    assert [f.severity.label for f in found] == ["warning"]


def test_test_fixture_tier_loads_without_internal_errors() -> None:
    assert CORPUS is not None
    counts: Counter[str] = Counter()
    for files in files_by_repo(CORPUS, TEST_FIXTURE).values():
        report = lint_files(files, cwd=CORPUS)
        counts.update(f.rule_id for f in report.active)
    assert counts["internal-error"] == 0
    # The deliberately broken traefik fixtures are caught: 62 objects with `metadata.name: ""`
    # (corpus README).
    assert counts["manifest-shape"] == 62


def _findings_by_repo() -> dict[str, list[tuple[object, ...]]]:
    assert CORPUS is not None
    return {
        repo: [
            (f.rule_id, f.location, f.severity, f.message, f.obj, f.hint, f.suppression)
            for f in lint_files(files, cwd=CORPUS).findings
        ]
        for repo, files in files_by_repo(CORPUS, RELEASE_AND_EXAMPLE | TEST_FIXTURE).items()
    }


def test_settling_checks_in_their_own_file_changes_no_finding(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Real repositories split a Service, its workload, its Ingress and their copies over files
    # and folders in every way (the per-file stage's `FileInventory` sees one file).
    usual = _findings_by_repo()
    settling_nowhere(monkeypatch)
    assert _findings_by_repo() == usual
