"""The loop shared by the busy signals that have no change event and must poll.

The macOS Focus file offers nothing breakd can wait on without a helper thread
or a run loop, so it is read every few seconds. Each read is one `stat`, and
only a change is reported, as the watcher contract asks.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

from breakd.adapters.busy import Reading, Report


async def report_changes(
    read: Callable[[], Reading],
    report: Report,
    every: float,
    said: Reading,
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
) -> None:
    """Read every `every` seconds and report each reading that differs from the last said.

    The watcher reads and reports the first state itself (a failure there is
    BusySignalUnavailable); whatever `read` raises here ends the watch, and a
    watcher makes a failed read BusySignalStopped before it gets here.
    """
    while True:
        await sleep(every)
        reading = read()
        if reading != said:
            said = reading
            report(reading)
