"""Peak memory of a command and all its child processes, sampled from /proc (Linux).

Forked workers share their parent's pages, so plain RSS would count those pages once per
process; the proportional set size (PSS) splits each shared page among its sharers, and the sum
over the tree is the memory the run really holds.
"""

from __future__ import annotations

import os
import subprocess
import time
from collections.abc import Sequence
from pathlib import Path

_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


def _children(pid: int) -> list[int]:
    found: list[int] = []
    try:
        for task in Path(f"/proc/{pid}/task").iterdir():
            text = (task / "children").read_text()
            found.extend(int(child) for child in text.split())
    except OSError:
        pass
    return found


def _rss(pid: int) -> int:
    """PSS in bytes (RSS where smaps_rollup is not available)."""
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    try:
        fields = Path(f"/proc/{pid}/statm").read_text().split()
    except OSError:
        return 0
    return int(fields[1]) * _PAGE


def _tree_rss(root: int) -> int:
    total = 0
    pending = [root]
    while pending:
        pid = pending.pop()
        total += _rss(pid)
        pending.extend(_children(pid))
    return total


def peak_tree_rss(command: Sequence[str], interval: float = 0.005) -> int:
    """Run `command` to completion; the largest sum of PSS over its process tree, in bytes."""
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    peak = 0
    while process.poll() is None:
        peak = max(peak, _tree_rss(process.pid))
        time.sleep(interval)
    return peak
