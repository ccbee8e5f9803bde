"""How often a daemon wakes: the voluntary context switches of its threads, from /proc.

A daemon that waits for events sleeps until one comes; one that polls wakes at each
poll. Counting over a span tells the two apart without timing anything.
"""

from __future__ import annotations

import time
from pathlib import Path


def wakeups(pid: int) -> int:
    """Times the daemon's threads went to sleep and were woken: voluntary context switches."""
    total = 0
    for status in Path(f"/proc/{pid}/task").glob("*/status"):
        for line in status.read_text().splitlines():
            if line.startswith("voluntary_ctxt_switches:"):
                total += int(line.split()[1])
    return total


def settled_wakeups(pid: int, timeout: float = 5.0) -> int:
    """`wakeups` once a 0.3 s span passes without one (on a loaded machine, the work a
    status call started may take a while to end); after `timeout`, the last count."""
    deadline = time.monotonic() + timeout
    count = wakeups(pid)
    while time.monotonic() < deadline:
        time.sleep(0.3)
        previous, count = count, wakeups(pid)
        if count == previous:
            break
    return count
