"""Splitting work over forked processes: every item once, in order, whatever happens to a worker."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from netlint.run.shards import fork_available, run_sharded, split


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


# Forks made by this process so far: the caller runs its first chunk before it starts any worker,
# and waits for a worker's mark only once one may exist.
_FORKS = [0]
if fork_available():
    os.register_at_fork(after_in_parent=lambda: _FORKS.__setitem__(0, _FORKS[0] + 1))


def _forked_since(count: int) -> bool:
    return _FORKS[0] > count


def _worker_marks(folder: Path) -> list[str]:
    return sorted(path.name for path in folder.iterdir())


def _wait_for_mark(folder: Path, seconds: float = 30.0) -> None:
    """Until a worker has left a mark in `folder` (so that the test never depends on how fast a
    fork starts); the deadline only keeps a broken run from hanging."""
    deadline = time.monotonic() + seconds
    while not any(folder.iterdir()) and time.monotonic() < deadline:
        time.sleep(0.001)


@pytest.mark.skipif(not fork_available(), reason="needs fork")
def test_results_come_back_in_item_order(tmp_path: Path) -> None:
    parent, forks = os.getpid(), _FORKS[0]

    def work(index: int) -> tuple[int, int]:
        if os.getpid() == parent and _forked_since(forks):
            _wait_for_mark(tmp_path)  # a worker has taken a chunk
        elif os.getpid() != parent:
            (tmp_path / str(os.getpid())).touch()
        return index, index * index

    assert run_sharded(work, [1] * 50, 3) == [(i, i * i) for i in range(50)]
    assert _worker_marks(tmp_path)  # workers did some of the chunks


@pytest.mark.skipif(not fork_available(), reason="needs fork")
def test_a_worker_that_dies_costs_only_time(tmp_path: Path) -> None:
    parent, forks = os.getpid(), _FORKS[0]

    def work(index: int) -> int:
        if os.getpid() != parent:
            (tmp_path / f"died-at-{index}").touch()
            os._exit(3)  # a worker killed halfway (out of memory, a signal...)
        if _forked_since(forks):
            _wait_for_mark(tmp_path)  # the worker has taken a chunk, and died on it
        return index * 2

    assert run_sharded(work, [1] * 20, 2) == [i * 2 for i in range(20)]
    assert len(_worker_marks(tmp_path)) == 1


@pytest.mark.skipif(not fork_available(), reason="needs fork")
def test_a_worker_that_dies_after_sending_some_chunks_costs_only_time(tmp_path: Path) -> None:
    parent, forks = os.getpid(), _FORKS[0]
    calls: list[int] = []

    def work(index: int) -> tuple[int, int]:
        calls.append(index)
        if os.getpid() == parent and _forked_since(forks):
            _wait_for_mark(tmp_path)  # the worker has sent some chunks and died
        elif len(calls) > 12:
            (tmp_path / f"died-at-{index}").touch()
            os._exit(3)  # after a few chunks, sent as each one was done
        return index * 3, os.getpid()

    results = run_sharded(work, [1] * 300, 2)
    assert [value for value, _ in results] == [i * 3 for i in range(300)]
    assert len(_worker_marks(tmp_path)) == 1
    # The chunks the worker sent before it died are used, not done again; the one it died in is.
    assert 0 < sum(1 for _, pid in results if pid != parent) <= 12


@pytest.mark.skipif(not fork_available(), reason="needs fork")
def test_the_first_chunk_runs_in_the_caller_before_any_worker_starts(tmp_path: Path) -> None:
    """What the work builds on first use (validators, imports) is then shared with the
    workers rather than built again by each (issue 31, peak memory)."""
    parent, forks = os.getpid(), _FORKS[0]

    def work(index: int) -> tuple[int, bool]:
        if os.getpid() != parent:
            (tmp_path / str(os.getpid())).touch()
        elif _forked_since(forks):
            _wait_for_mark(tmp_path)  # a worker has taken a chunk
        return os.getpid(), _forked_since(forks)

    results = run_sharded(work, [1] * 40, 2)
    assert results[0] == (parent, False)  # no worker had been forked when it ran
    assert any(pid != parent for pid, _ in results)  # a worker did later chunks
