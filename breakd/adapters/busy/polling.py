"""The loop shared by the busy signals that have no change event and must poll.

The macOS Focus file offers nothing breakd can wait on without a helper thread
or a run loop, so it is read every few seconds. Each read is one `stat`, and
every reading is reported: the combiner keeps only the changes.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

from breakd.adapters.busy import Reading, Report


async def report_every(
    read: Callable[[], Reading],
    report: Report,
    every: float,
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
) -> None:
    """Read and report every `every` seconds, until `read` raises (WatcherUnavailable).

    The watcher reads and reports the first state itself, so that a mechanism
    missing at start is unavailable before anything is reported.
    """
    while True:
        await sleep(every)
        report(read())
