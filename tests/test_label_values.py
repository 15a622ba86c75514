"""The values controllers add to pod labels, as patterns (issue 25: no label per replica)."""

from __future__ import annotations

import pytest

from netlint.model.label_values import OrdinalValues, split_ordinal


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("web-12", ("web-", 12)),
        ("web2-0", ("web2-", 0)),
        ("7", ("", 7)),
        ("web-", ("web-", None)),
        ("web-012", ("web-012", None)),  # the controller never writes leading zeros
        ("web-" + "9" * 11, ("web-" + "9" * 11, None)),  # past int32: no StatefulSet names it
    ],
)
def test_split_ordinal(value: str, expected: tuple[str, int | None]) -> None:
    assert split_ordinal(value) == expected


@pytest.mark.parametrize(
    ("value", "member"),
    [
        ("web-3", True),
        ("web-4", True),
        ("web-2", False),  # below the start ordinal
        ("web-5", False),  # past the replicas
        ("web-03", False),
        ("db-3", False),
        ("web-3x", False),
        ("3", False),
    ],
)
def test_ordinal_values_membership(value: str, member: bool) -> None:
    assert (value in OrdinalValues("web-", 3, 2)) is member


def test_no_ordinal_when_there_are_no_replicas() -> None:
    assert "web-0" not in OrdinalValues("web-", 0, 0)
