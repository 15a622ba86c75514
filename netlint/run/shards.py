"""Work spread over forked processes: `run_sharded(work, weights, processes)`.

The items are cut into contiguous chunks of about equal weight, and every process, the calling
one included, takes the next chunk as soon as it is free, from a pipe filled with chunk numbers
before the fork: a slower process (a busy core, copy-on-write faults after the fork) simply takes
fewer chunks, and all of them finish within one chunk of each other. Forked workers inherit
everything the work needs (rules, compiled schemas, the file list) instead of receiving it
pickled, and send their results back pickled through a pipe. Results come back in item order, so
output is the same for any number of processes. A worker that dies (killed, out of memory, a
bug) costs only time: the calling process does its chunks itself.
"""

from __future__ import annotations

import os
import struct
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import suppress
from typing import TypeVar, cast

from netlint.api import LazyRule

T = TypeVar("T")

_CHUNKS_PER_PROCESS = 32  # balance within a thirty-second of the work, for a few syscalls
_MAX_CHUNKS = 2048  # their numbers (8 KiB) must fit a pipe's buffer: written before any read
# At most about this much weight (characters of text) per chunk: its pickled results, two to
# three times its text, then fit a worker's pipe (_PIPE_SIZE), and the worker never waits for
# the parent, which reads only between its own chunks.
_CHUNK_WEIGHT = 1 << 17
_NUMBER = struct.Struct("<I")  # a chunk number in the pipe; reads of 4 bytes never interleave
_LENGTH = struct.Struct("<Q")  # of a worker's frame
_PIPE_SIZE = 1 << 20


def fork_available() -> bool:
    # What `"fork" in multiprocessing.get_all_start_methods()` answers, without importing
    # multiprocessing in every run (issue 31): every platform but Windows has it.
    return sys.platform != "win32" and hasattr(os, "fork")


def split(weights: Sequence[int], parts: int) -> list[range]:
    """Contiguous, non-empty ranges covering `range(len(weights))`, at most `parts` of them,
    each of about the same total weight."""
    if not weights:
        return []
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
    parts = min(max(processes * _CHUNKS_PER_PROCESS, sum(weights) // _CHUNK_WEIGHT), _MAX_CHUNKS)
    chunks = split(weights, parts) if processes > 1 else []
    if len(chunks) < 2 or not fork_available():
        return [work(index) for index in range(len(weights))]
    # The rules not imported yet, imported once here rather than by every worker after the fork.
    LazyRule.load_all()
    queue_out, queue_in = os.pipe()
    os.write(queue_in, b"".join(_NUMBER.pack(number) for number in range(len(chunks))))
    os.close(queue_in)  # before the fork: a drained queue then reads as end of file everywhere
    workers: list[_Worker] = []
    done: dict[int, list[T]] = {}
    try:
        # The first chunk here, before the fork: what the work builds on first use (compiled
        # schema validators, python-jsonschema for the messages, the parser's interned keys)
        # is then built once and shared, where each worker built its own copy. At 10k objects
        # (all rules, SARIF, 2 cores) the tree's peak while the worker ran went from 77-79 to
        # 67-68 MiB; the worker starts a chunk later, and does not build those again.
        for number, chunk_results in _take_chunks(work, chunks, queue_out, limit=1):
            done[number] = chunk_results
        for _ in range(processes - 1):
            try:
                workers.append(_Worker.fork(work, chunks, queue_out))
            except OSError:  # no more processes or pipes: the ones started will do
                break
        for number, chunk_results in _take_chunks(work, chunks, queue_out):
            done[number] = chunk_results
            for worker in workers:  # unpickle what came in meanwhile, so workers never wait
                worker.receive(block=False)
    finally:  # whatever happened here, no worker is left running and no pipe open
        os.close(queue_out)
        for worker in workers:
            worker.receive(block=True)
    for worker in workers:
        done.update(cast("list[tuple[int, list[T]]]", worker.received))
    results: list[T] = []
    for number, chunk in enumerate(chunks):
        results.extend(done[number] if number in done else [work(index) for index in chunk])
    return results


def _take_chunks(
    work: Callable[[int], T], chunks: Sequence[range], queue: int, limit: int | None = None
) -> Iterator[tuple[int, list[T]]]:
    """Run chunks as they come off the queue, until it is empty (or `limit` of them ran)."""
    taken = 0
    while (limit is None or taken < limit) and len(
        data := os.read(queue, _NUMBER.size)
    ) == _NUMBER.size:
        taken += 1
        number = cast("int", _NUMBER.unpack(data)[0])
        yield number, [work(index) for index in chunks[number]]


def _enlarge(pipe: int) -> None:
    """Room for a few chunks' results, so that a worker goes on while the parent is busy (Linux;
    elsewhere the worker waits a little more). fcntl is imported here: Windows has none, and
    never forks."""
    import fcntl

    if hasattr(fcntl, "F_SETPIPE_SZ"):
        with suppress(OSError):
            fcntl.fcntl(pipe, fcntl.F_SETPIPE_SZ, _PIPE_SIZE)


class _Worker:
    """A forked worker, which sends each chunk's results as soon as they are done: a frame of
    an 8-byte length and the pickled (chunk number, results)."""

    def __init__(self, pid: int, pipe: int) -> None:
        self.pid = pid
        self.pipe = pipe
        self.buffer = bytearray()
        self.received: list[tuple[int, list[object]]] = []
        self.finished = False

    @staticmethod
    def fork(work: Callable[[int], T], chunks: Sequence[range], queue: int) -> _Worker:
        import pickle  # by the runs that fork, before the fork (issue 31)

        read_end, write_end = os.pipe()
        _enlarge(write_end)
        pid = os.fork()
        if pid == 0:  # the worker: never returns, never runs the parent's exit handlers
            status = 1
            try:
                os.close(read_end)
                with os.fdopen(write_end, "wb") as pipe:
                    for done in _take_chunks(work, chunks, queue):
                        frame = pickle.dumps(done, pickle.HIGHEST_PROTOCOL)
                        pipe.write(_LENGTH.pack(len(frame)) + frame)
                        pipe.flush()
                status = 0
            finally:
                os._exit(status)
        os.close(write_end)
        os.set_blocking(read_end, False)
        return _Worker(pid, read_end)

    def receive(self, *, block: bool) -> None:
        """Take in the frames the worker has sent; with `block`, all of them, until it exits.
        A worker that died leaves its last frame incomplete: its chunk is done again."""
        import pickle

        if self.finished:
            return
        if block:
            os.set_blocking(self.pipe, True)
        while True:
            try:
                data = os.read(self.pipe, _PIPE_SIZE)
            except BlockingIOError:
                return
            if not data:
                break
            self.buffer += data
            while len(self.buffer) >= _LENGTH.size:
                (size,) = _LENGTH.unpack_from(self.buffer)
                if len(self.buffer) < _LENGTH.size + size:
                    break
                frame = bytes(self.buffer[_LENGTH.size : _LENGTH.size + size])
                del self.buffer[: _LENGTH.size + size]
                with suppress(Exception):  # our own child's bytes; a bad frame is done again
                    self.received.append(pickle.loads(frame))
        os.close(self.pipe)
        os.waitpid(self.pid, 0)
        self.finished = True
