"""Pausing Python's cycle collector while netlint builds data that holds no reference cycles:
a run's objects and findings, and the modules and classes a command imports; and resuming it
for what runs on (the language server)."""

from __future__ import annotations

import gc
from collections.abc import Generator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Generator[None]:
    """A run allocates millions of containers and frees none until it ends, and its data has no
    reference cycles: Python's cycle collector would only rescan the growing heap again and
    again (about 6% of the time at 10k objects, more as the heap grows). Reporters, which
    build one more container per finding beside that heap, run paused too (`netlint check`):
    at 10k objects a collection during SARIF output took it from 0.06 s to 0.11 s."""
    was_enabled = gc.isenabled()
    gc.disable()
    _PAUSED.append(was_enabled)
    try:
        yield
    finally:
        _PAUSED.pop()
        if was_enabled:
            gc.enable()


# Per pause in effect, whether it found the collector running.
_PAUSED: list[bool] = []


@contextmanager
def imports_unscanned() -> Generator[None]:
    """Imports with the collector paused, and what they built then moved out of its reach for
    good (`gc.freeze`): modules, classes and functions live as long as the process, so scanning
    them finds nothing to free. Resuming without it made the first collection scan every object
    the imports had built: 3 ms of a one-file run (issue 31, item 2). The few cycles the imports
    left unreachable stay allocated (a few hundred objects, once)."""
    with collector_paused():
        yield
        gc.freeze()


@contextmanager
def collector_resumed() -> Generator[None]:
    """The collector running again inside a pause that found it running (a long-lived command
    started by a short one's code path), paused again after."""
    resume = bool(_PAUSED) and _PAUSED[0] and not gc.isenabled()
    if resume:
        gc.enable()
    try:
        yield
    finally:
        if resume:
            gc.disable()
