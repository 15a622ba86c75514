"""Every rule keeps the project's bar: good and bad fixtures, a test module, and documentation in
ruff's four parts (what it does, why it is bad, example, use instead)."""

from __future__ import annotations

import pytest

from netlint.run.registry import load_rules
from tests.helpers import FIXTURES_ROOT

RULES = load_rules().rules
TESTS = FIXTURES_ROOT.parent / "rules"


@pytest.mark.parametrize("rule_id", [rule.meta.id for rule in RULES])
def test_every_rule_has_fixtures_a_test_module_and_four_part_docs(rule_id: str) -> None:
    (meta,) = [rule.meta for rule in RULES if rule.meta.id == rule_id]
    fixtures = sorted(path.name for path in (FIXTURES_ROOT / rule_id).iterdir())
    assert any(name.startswith("bad") for name in fixtures), fixtures
    assert any(name.startswith("good") for name in fixtures), fixtures
    assert (TESTS / f"test_{rule_id.replace('-', '_')}.py").is_file()
    assert meta.what and meta.why and meta.example and meta.fix
