"""The API server's own `validation_test.go` cases, restated as manifests, run through the lint
path: a case upstream accepts gets no error from the rules of its area, a case it refuses gets the
errors expected, the first worded as the API server words it.

A test module lists its cases by (upstream test, case name) and takes its two tests from
`upstream_tests`, naming the rules of its area (`select`, the workload rules by default)."""

from __future__ import annotations

from collections.abc import Callable, Mapping

import pytest

from tests.helpers import brief, lint_text

WORKLOAD_RULES = ["workload-selector", "container-port", "probe-port"]

# Where a finding is: (line, column) of the module's rule, or (rule, line, column) of another
# (`schema`, for the enums the strict schema owns).
Where = tuple[int, int] | tuple[str, int, int]
Refused = tuple[str, list[Where], str]  # manifest, where, message start


def _ids(cases: Mapping[tuple[str, str], object]) -> list[str]:
    return [" / ".join(key) for key in cases]


def upstream_tests(
    rule: str,
    accepted: Mapping[tuple[str, str], str],
    refused: Mapping[tuple[str, str], Refused],
    *,
    select: list[str] = WORKLOAD_RULES,
) -> tuple[Callable[[str], None], Callable[[str, list[Where], str], None]]:
    """The two parametrised tests of a rule's upstream cases."""

    @pytest.mark.parametrize("text", accepted.values(), ids=_ids(accepted))
    def test_upstream_valid_cases_get_no_error(text: str) -> None:
        findings = lint_text(text, select=select)
        assert [f for f in findings if f.severity.label == "error"] == []

    @pytest.mark.parametrize(("text", "where", "message"), refused.values(), ids=_ids(refused))
    def test_upstream_invalid_cases_get_an_error(
        text: str, where: list[Where], message: str
    ) -> None:
        findings = lint_text(text, select=select)
        expected = [(rule, *place) if len(place) == 2 else place for place in where]
        assert brief(findings) == [(*place, "error") for place in expected]
        assert findings[0].message.startswith(message), findings[0].message

    return test_upstream_valid_cases_get_no_error, test_upstream_invalid_cases_get_an_error
