"""Work spread over forked processes: `run_sharded(work, weights, processes)`.

The items are cut into contiguous chunks of about equal weight, and every process, the calling
one included, takes the next chunk as soon as it is free, from a pipe filled with chunk numbers
before the fork: a slower process (a busy core, copy-on-write faults after the fork) simply takes
fewer chunks, and all of them finish within one chunk of each other. Forked workers inherit
everything the work needs (rules, compiled schemas, the inventory) instead of receiving it
pickled, and send their results back pickled through a pipe. Results come back in item order, so
output is the same for any number of processes. A worker that dies (killed, out of memory, a
bug) costs only time: the calling process does its chunks itself.
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
import struct
from collections.abc import Callable, Sequence
from typing import TypeVar, cast

T = TypeVar("T")

_CHUNKS_PER_PROCESS = 32  # balance within a thirty-second of the work, for a few syscalls
_MAX_CHUNKS = 2048  # their numbers (8 KiB) must fit a pipe's buffer: written before any read
_NUMBER = struct.Struct("<I")  # a chunk number in the pipe; reads of 4 bytes never interleave


def fork_available() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


def split(weights: Sequence[int], parts: int) -> list[range]:
    """Contiguous, non-empty ranges covering `range(len(weights))`, at most `parts` of them,
    each of about the same total weight."""
    parts = max(1, min(parts, len(weights)))
    total = sum(weights) or 1
    shards: list[range] = []
    first = 0
    done = 0
    for number in range(parts):
        later = parts - number - 1  # ranges still to come: each needs an item
        goal = total * (number + 1) / parts
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
    parts = min(processes * _CHUNKS_PER_PROCESS, _MAX_CHUNKS)
    chunks = split(weights, parts) if processes > 1 else []
    if len(chunks) < 2 or not fork_available():
        return [work(index) for index in range(len(weights))]
    queue_out, queue_in = os.pipe()
    os.write(queue_in, b"".join(_NUMBER.pack(number) for number in range(len(chunks))))
    os.close(queue_in)  # before the fork: a drained queue then reads as end of file everywhere
    workers = [_fork(work, chunks, queue_out) for _ in range(processes - 1)]
    done = dict(_take_chunks(work, chunks, queue_out))
    os.close(queue_out)
    for pid, pipe in workers:
        done.update(cast("list[tuple[int, list[T]]]", _collect(pid, pipe)))
    results: list[T] = []
    for number, chunk in enumerate(chunks):
        results.extend(done[number] if number in done else [work(index) for index in chunk])
    return results


def _take_chunks(
    work: Callable[[int], T], chunks: Sequence[range], queue: int
) -> list[tuple[int, list[T]]]:
    """Run chunks as they come off the queue, until it is empty."""
    done: list[tuple[int, list[T]]] = []
    while len(data := os.read(queue, _NUMBER.size)) == _NUMBER.size:
        number = cast("int", _NUMBER.unpack(data)[0])
        done.append((number, [work(index) for index in chunks[number]]))
    return done


def _fork(work: Callable[[int], T], chunks: Sequence[range], queue: int) -> tuple[int, int]:
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the worker: never returns, never runs the parent's exit handlers
        status = 1
        try:
            os.close(read_end)
            payload = pickle.dumps(_take_chunks(work, chunks, queue), pickle.HIGHEST_PROTOCOL)
            with os.fdopen(write_end, "wb") as pipe:
                pipe.write(payload)
            status = 0
        finally:
            os._exit(status)
    os.close(write_end)
    return pid, read_end


def _collect(pid: int, read_end: int) -> list[tuple[int, list[object]]]:
    """What a worker sent back: nothing if it died (its chunks are then done again)."""
    with os.fdopen(read_end, "rb") as pipe:
        payload = pipe.read()
    _, status = os.waitpid(pid, 0)
    if status != 0 or not payload:
        return []
    try:
        return cast("list[tuple[int, list[object]]]", pickle.loads(payload))  # our child's bytes
    except Exception:  # a truncated payload: its chunks are done again
        return []
