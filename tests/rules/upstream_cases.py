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

Refused = tuple[str, list[tuple[int, int]], str]  # manifest, where (line, column), message start


def _ids(cases: Mapping[tuple[str, str], object]) -> list[str]:
    return [" / ".join(key) for key in cases]


def upstream_tests(
    rule: str,
    accepted: Mapping[tuple[str, str], str],
    refused: Mapping[tuple[str, str], Refused],
    *,
    select: list[str] = WORKLOAD_RULES,
) -> tuple[Callable[[str], None], Callable[[str, list[tuple[int, int]], str], None]]:
    """The two parametrised tests of a rule's upstream cases."""

    @pytest.mark.parametrize("text", accepted.values(), ids=_ids(accepted))
    def test_upstream_valid_cases_get_no_error(text: str) -> None:
        findings = lint_text(text, select=select)
        assert [f for f in findings if f.severity.label == "error"] == []

    @pytest.mark.parametrize(("text", "where", "message"), refused.values(), ids=_ids(refused))
    def test_upstream_invalid_cases_get_an_error(
        text: str, where: list[tuple[int, int]], message: str
    ) -> None:
        findings = lint_text(text, select=select)
        assert brief(findings) == [(rule, line, column, "error") for line, column in where]
        assert findings[0].message.startswith(message), findings[0].message

    return test_upstream_valid_cases_get_no_error, test_upstream_invalid_cases_get_an_error
