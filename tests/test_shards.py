"""Splitting work over forked processes: every item once, in order, whatever happens to a worker."""

from __future__ import annotations

import os

import pytest

from netlint.shards import fork_available, run_sharded, split


@pytest.mark.parametrize(
    ("weights", "parts"),
    [([5] * 10, 2), ([1, 100, 1, 1, 1], 2), ([3] * 7, 3), ([9], 4), ([1, 1], 8), ([0, 0, 0], 2)],
)
def test_chunks_are_contiguous_non_empty_and_cover_every_item(
    weights: list[int], parts: int
) -> None:
    chunks = split(weights, parts)
    assert [index for chunk in chunks for index in chunk] == list(range(len(weights)))
    assert all(len(chunk) > 0 for chunk in chunks)
    assert len(chunks) == min(parts, len(weights))


def test_chunks_have_about_the_same_weight() -> None:
    weights = [1, 9] * 50
    totals = [sum(weights[i] for i in chunk) for chunk in split(weights, 10)]
    assert max(totals) - min(totals) <= 9


@pytest.mark.skipif(not fork_available(), reason="needs fork")
def test_results_come_back_in_item_order() -> None:
    weights = [1] * 50
    assert run_sharded(lambda i: (i, i * i), weights, 3) == [(i, i * i) for i in range(50)]


@pytest.mark.skipif(not fork_available(), reason="needs fork")
def test_a_worker_that_dies_costs_only_time() -> None:
    parent = os.getpid()

    def work(index: int) -> int:
        if os.getpid() != parent:
            os._exit(3)  # a worker killed halfway (out of memory, a signal...)
        return index * 2

    assert run_sharded(work, [1] * 20, 2) == [i * 2 for i in range(20)]


@pytest.mark.skipif(not fork_available(), reason="needs fork")
def test_a_worker_that_dies_after_sending_some_chunks_costs_only_time() -> None:
    parent = os.getpid()
    calls: list[int] = []

    def work(index: int) -> int:
        calls.append(index)
        if os.getpid() != parent and len(calls) > 12:
            os._exit(3)  # after a few chunks, sent as each one was done
        return index * 3

    assert run_sharded(work, [1] * 300, 2) == [i * 3 for i in range(300)]
