"""The corpus of real ValidatingAdmissionPolicies (Kubernetes documentation, Kyverno's
best-practices-cel library), written from them as facts: each case's objects say, in a comment,
whether the API server denies or admits them. Their evaluation waits for netlint's CEL evaluator;
until then the corpus is checked to be well-formed, with objects of both verdicts."""

from __future__ import annotations

from pathlib import Path

import pytest

from netlint.input.loader import load_yaml
from netlint.policy.admission.spec import admission_problems, is_admission_document

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
