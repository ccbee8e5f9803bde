"""What every session source and busy signal is: a watcher, kept running by `supervise.py`.

A watcher reads one mechanism (a D-Bus service, the X server, /proc, a sound
server) and reports what it says now: a session source reports core events, a
busy signal reports readings. It knows nothing of retries, of whether it was
already running, or of what it said before: the supervisor sees whether it
reported anything before it ended, and the combiner keeps only what changed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol, TypeVar

Said = TypeVar("Said", covariant=True)


class WatcherUnavailable(Exception):
    """The mechanism is not here, or no longer: its service is missing or left, the bus hung
    up, a call failed. The message says why in one sentence. Whether the watcher had got as
    far as reporting (then it "stopped") is for the supervisor to tell, not the watcher."""


class Watcher(Protocol[Said]):
    """Threading contract: `watch` runs as a task on the daemon's asyncio loop and calls
    `report` from that loop only: first with the state it reads at start, then whenever it
    reads again (a change signalled, its service replaced, a poll). Repeats are fine.

    It raises WatcherUnavailable with the reason when the mechanism is missing or goes
    away, and may return when it has nothing more to watch. Event-driven wherever the
    desktop signals a change; a watcher that must poll says so in its docs. Its
    dependencies are imported when it is opened or starts, never by the adapter table.
    """

    name: str

    async def probe(self) -> str:
        """One sentence on what would be watched and what it says now, without watching;
        raises WatcherUnavailable with the reason."""
        ...

    async def watch(self, report: Callable[[Said], None]) -> None: ...
