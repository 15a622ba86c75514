"""`ingress-no-rules` (Facts ING-02, ING-06)."""

from __future__ import annotations

from tests.helpers import brief, lint_fixture

RULE = "ingress-no-rules"


def test_bad_fixture_ing_02_06() -> None:
    found = lint_fixture(RULE)
    assert brief(found) == [
        (RULE, 7, 1, "error"),
        (RULE, 17, 3, "error"),
        (RULE, 27, 11, "warning"),
    ]
    assert "Ingress shop/empty has neither rules nor a defaultBackend" in found[0].message
    assert "Ingress shop/empty-rules" in found[1].message
    assert "Ingress shop/host-only rule 0 has no http paths" in found[2].message


def test_good_fixture_default_backend_legacy_backend_mergeable_master() -> None:
    assert lint_fixture(RULE, "good.yaml") == []
