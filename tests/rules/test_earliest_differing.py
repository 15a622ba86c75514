"""`EarliestDiffering`, which the conflict rules use to stay linear: the first item whose
coordinates all differ from a query's, as a scan of every item would find it."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from netlint._builtin.rules._earliest import EarliestDiffering

VALUES = st.integers(0, 3)  # few values, so that coordinates are often equal


@settings(max_examples=300, deadline=None, derandomize=True, database=None)
@given(
    st.integers(1, 3).flatmap(
        lambda k: st.tuples(
            st.lists(st.tuples(*[VALUES] * k), max_size=30),
            st.lists(st.tuples(*[VALUES] * k), min_size=1, max_size=10),
        )
    )
)
def test_the_answer_is_the_first_item_differing_everywhere(
    case: tuple[list[tuple[int, ...]], list[tuple[int, ...]]],
) -> None:
    items, queries = case
    structure = EarliestDiffering[int](len(queries[0]))
    for number, coordinates in enumerate(items):
        structure.add(coordinates, number)
    for query in queries:
        expected = next(
            (n for n, c in enumerate(items) if all(a != b for a, b in zip(c, query, strict=True))),
            None,
        )
        assert structure.earliest(query) == expected


def test_an_empty_structure_answers_none() -> None:
    assert EarliestDiffering[str](2).earliest((1, 2)) is None
