"""internal-error (DESIGN §5, §10): a rule that raises on one object becomes a finding naming the
rule, the object and the file (that every other rule and object still runs is asserted in
tests/test_hostile_input.py)."""

from __future__ import annotations

from netlint.run.engine import RunOptions, run
from netlint.run.registry import load_rules
from netlint.run.selection import Selection
from tests.helpers import FIXTURES_ROOT, brief, only, schemas

RULE = "internal-error"
PACK = FIXTURES_ROOT / "hostile" / "raising_pack.py"


def _lint(name: str):
    options = RunOptions(
        paths=[str(FIXTURES_ROOT / RULE / name)],
        selection=Selection(extend_select=("test-raises", "test-raises-late")),
    )
    return run(options, load_rules([PACK]), schemas()).active


def test_bad_fixture_each_failing_check_is_a_finding_at_its_object() -> None:
    findings = only(_lint("bad.yaml"), RULE)
    assert brief(findings) == [(RULE, 1, 1, "error"), (RULE, 7, 1, "error")]
    assert findings[0].message.startswith("rule test-raises failed on ConfigMap boom in ")
    assert "ZeroDivisionError" in findings[0].message and "please report it" in findings[0].message
    assert findings[1].message.startswith("rule test-raises-late failed on Service boom-late")


def test_good_fixture_no_internal_error() -> None:
    assert only(_lint("good.yaml"), RULE) == []
