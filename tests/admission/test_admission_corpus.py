"""The corpus of real ValidatingAdmissionPolicies (Kubernetes documentation, Kyverno's
best-practices-cel library), written from them as facts: each case's objects say, in a comment,
whether the API server denies or admits them; netlint must give the same verdict for each."""

from __future__ import annotations

from pathlib import Path

import pytest

from netlint.api import Settings
from netlint.input.loader import load_yaml
from netlint.policy import load_policy_paths
from netlint.policy.admission import is_admission_document
from netlint.policy.admission.spec import admission_problems
from netlint.run.engine import RunOptions, run
from netlint.run.registry import load_rules
from netlint.run.selection import Selection
from tests.helpers import schemas

CORPUS = Path(__file__).parent / "corpus"
CASES = sorted(p for p in CORPUS.iterdir() if p.is_dir())


def test_the_corpus_has_at_least_ten_policies() -> None:
    assert len(CASES) >= 10


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.name)
def test_each_case_is_a_valid_policy_with_a_binding_and_both_verdicts(case: Path) -> None:
    documents = load_yaml((case / "policy.yaml").read_text(), "policy.yaml").documents
    kinds = [d.data["kind"] for d in documents if isinstance(d.data, dict)]
    assert (
        kinds.count("ValidatingAdmissionPolicy") == 1
        and "ValidatingAdmissionPolicyBinding" in kinds
    )
    for document in documents:
        assert is_admission_document(document.data)
        assert admission_problems(document.data) == []
    objects = (case / "objects.yaml").read_text()
    assert "# denied" in objects or "# warned" in objects or "# audited" in objects
    assert "# admitted" in objects


# What each object's leading comment says the API server does, as the severity netlint gives.
_VERDICTS = {"denied": "error", "warned": "warning", "audited": "info"}
_NO_FINDING = ("admitted", "not matched", "not judged")


def _expected(objects: str) -> list[tuple[int, str | None]]:
    """(line of each object, severity of its finding or None), from the comments."""
    expected: list[tuple[int, str | None]] = []
    verdict: str | None = None
    in_object = False
    for number, line in enumerate(objects.splitlines(), start=1):
        if line.startswith("---"):
            verdict, in_object = None, False
        elif line.startswith("# ") and not in_object:
            words = line[2:]
            verdict = next((_VERDICTS[w] for w in _VERDICTS if words.startswith(w)), None)
            assert verdict is not None or words.startswith(_NO_FINDING), line
        elif line.strip() and not in_object:
            in_object = True
            expected.append((number, verdict))
    return expected


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.name)
def test_each_case_gets_the_verdicts_of_the_api_server(case: Path) -> None:
    loaded = load_policy_paths([case / "policy.yaml"])
    rule_ids = {rule.meta.id for _, rule in loaded}
    params = case / "params.yaml"
    options = RunOptions(
        paths=[str(case / "objects.yaml")],
        context=[str(params)] if params.exists() else [],
        settings=Settings(),
        selection=Selection(select=tuple(rule_ids)),
    )
    findings = run(options, load_rules((), loaded), schemas()).active
    assert {f.rule_id for f in findings} <= rule_ids, [f.message for f in findings]
    # One object may fail several validations or params: its verdict is their severity.
    got: dict[int, str] = {}
    for finding in findings:
        assert got.setdefault(finding.location.line, finding.severity.label) == (
            finding.severity.label
        )
    expected = _expected((case / "objects.yaml").read_text())
    assert [(line, got.get(line)) for line, _ in expected] == expected, [
        f.message for f in findings
    ]
