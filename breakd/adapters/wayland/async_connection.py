"""A Wayland connection read by the running asyncio loop, for the busy watchers: they
run as tasks on the loop and sleep until the compositor has news.

The loop watches the socket for as long as the connection is open; each wait reads
whatever has come and hands it to the objects' handlers (`connection.py`). Round trips
wait on the loop too, with the same deadline as the blocking ones, so an unresponsive
compositor never holds the loop.
"""

from __future__ import annotations

import asyncio
import time

from breakd.adapters.wayland import connection as blocking
from breakd.adapters.wayland.connection import WaylandConnection


class AsyncWayland:
    """One connection whose events the running loop reads; raises WaylandUnavailable
    (WaylandLost, WaylandError), as `WaylandConnection` does."""

    def __init__(self, connection: WaylandConnection) -> None:
        self.connection = connection
        self._loop = asyncio.get_running_loop()
        self._news = asyncio.Event()
        self._fd = connection.fileno()
        self._loop.add_reader(self._fd, self._news.set)

    @classmethod
    async def open(cls, display: str | None = None) -> AsyncWayland:
        """Connect and wait for the list of globals."""
        opened = cls(WaylandConnection(display, list_globals=False))
        try:
            await opened.round_trip("the list of globals")
        except BaseException:
            opened.close()
            raise
        return opened

    async def round_trip(self, what: str) -> None:
        """Every event sent before now has been handled; WaylandLost after TIMEOUT."""
        done = self.connection.sync()
        deadline = time.monotonic() + blocking.TIMEOUT
        while not done():
            left = deadline - time.monotonic()
            if left <= 0:
                self.close()
                self.connection.gave_up(what)
            await self._read(left)

    async def next_events(self) -> None:
        """Wait for the compositor's next events and hand them to their handlers."""
        await self._read(None)

    async def _read(self, timeout: float | None) -> None:
        try:
            await asyncio.wait_for(self._news.wait(), timeout)
        except asyncio.TimeoutError:  # TimeoutError itself from Python 3.11
            return
        self._news.clear()
        try:
            self.connection.read_waiting()
        except BaseException:
            self.close()
            raise

    def close(self) -> None:
        """Stop watching the socket and disconnect; safe to call twice."""
        if self._fd >= 0:
            self._loop.remove_reader(self._fd)
            self._fd = -1
        self.connection.close()
