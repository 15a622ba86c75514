"""Work split over forked processes, each with one contiguous shard of the items.

The calling process takes a shard too, so that it is never idle while it waits, and it takes a
smaller one: it also unpickles what the others send. Forked workers inherit everything the work
needs (rules, compiled schemas, the inventory) instead of receiving it pickled, and send back
their results pickled through a pipe. Results come back in item order, so output is the same for
any number of processes. A worker that dies (killed, out of memory, a bug) costs only time: the
calling process does its shard itself.
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
from collections.abc import Callable, Sequence
from typing import TypeVar, cast

T = TypeVar("T")

# The calling process's share relative to a worker's: it also unpickles the workers' results.
_CALLER_SHARE = 0.8


def fork_available() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


def split(weights: Sequence[int], processes: int) -> list[range]:
    """Contiguous shards of `range(len(weights))` with about equal weight, the first (the
    caller's) a little lighter; never more shards than items, never an empty one."""
    processes = max(1, min(processes, len(weights)))
    shares = [_CALLER_SHARE] + [1.0] * (processes - 1)
    total = sum(weights) or 1
    unit = total / sum(shares)
    shards: list[range] = []
    first = 0
    done = 0.0  # weight of the items already given out
    goal = 0.0  # weight that should be given out once this shard is full
    for number, share in enumerate(shares):
        later = processes - number - 1  # shards still to come: each needs an item
        goal += share * unit
        last = first + 1
        done += weights[first]
        while last < len(weights) - later and done + weights[last] / 2 <= goal:
            done += weights[last]
            last += 1
        if later == 0:
            last = len(weights)
        shards.append(range(first, last))
        first = last
    return shards


def run_sharded(work: Callable[[int], T], weights: Sequence[int], processes: int) -> list[T]:
    """`[work(i) for i in range(len(weights))]`, computed by up to `processes` processes."""
    shards = split(weights, processes) if processes > 1 and fork_available() else []
    if len(shards) < 2:
        return [work(index) for index in range(len(weights))]
    workers = [_fork(work, shard) for shard in shards[1:]]
    results = [work(index) for index in shards[0]]
    for (pid, pipe), shard in zip(workers, shards[1:], strict=True):
        results.extend(_collect(pid, pipe, work, shard))
    return results


def _fork(work: Callable[[int], T], shard: range) -> tuple[int, int]:
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the worker: never returns, never runs the parent's exit handlers
        status = 1
        try:
            os.close(read_end)
            payload = pickle.dumps([work(index) for index in shard], pickle.HIGHEST_PROTOCOL)
            with os.fdopen(write_end, "wb") as pipe:
                pipe.write(payload)
            status = 0
        finally:
            os._exit(status)
    os.close(write_end)
    return pid, read_end


def _collect(pid: int, read_end: int, work: Callable[[int], T], shard: range) -> list[T]:
    with os.fdopen(read_end, "rb") as pipe:
        payload = pipe.read()
    _, status = os.waitpid(pid, 0)
    if status == 0 and payload:
        try:
            return cast("list[T]", pickle.loads(payload))  # our own child's bytes, via a pipe
        except Exception:  # a truncated payload: do the work here instead
            pass
    return [work(index) for index in shard]
