"""The connections that follow the status (`breakd status --follow`, a status bar).

The daemon pushes one status message to all of them when what a follower shows
changes. A push never waits: each message goes into the connection's transport
buffer, and a follower that lets that buffer grow past `MAX_UNREAD_BYTES` (it
stopped reading) is dropped; its client reconnects and gets the status of the
moment, so nothing stale piles up in the daemon. A follower that went away is
forgotten when its connection ends.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

TYPE_CHECKING = False
if TYPE_CHECKING:
    from breakd.ipc.status import StatusReply

log = logging.getLogger(__name__)

MAX_UNREAD_BYTES = 64 * 1024
"""What a follower may leave unread in the daemon (beyond the kernel's own socket
buffer) before it is dropped: dozens of status messages."""

CLOSE_WAIT = 2.0
"""Seconds the daemon waits, when it stops, for its follow connections to end; they
end at once, as their sockets are closed."""

VOLATILE_KEYS = ("now", "idle_seconds", "next_reminder_in_seconds", "sitting_seconds")
"""Keys that change at every sample; what followers show of them is in `shown_part`."""


def shown_part(status: StatusReply) -> dict[str, object]:
    """What a follower can show of `status`: all but the ever-changing keys, with the
    sitting time to the minute, as bars show it."""
    shown: dict[str, object] = {
        key: value for key, value in status.items() if key not in VOLATILE_KEYS
    }
    sitting = status["sitting_seconds"]
    shown["sitting_minutes"] = None if sitting is None else sitting // 60
    return shown


class Followers:
    """The open follow connections; everything runs on the daemon's loop."""

    def __init__(self, on_join: Callable[[], None] = lambda: None) -> None:
        self._writers: set[asyncio.StreamWriter] = set()
        self._connections: set[asyncio.Task[object]] = set()
        self._last_shown: dict[str, object] | None = None
        self._on_join = on_join
        """Called as each follower joins: the daemon plans the sitting minute's next tick."""

    def __len__(self) -> int:
        return len(self._writers)

    async def keep(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        """Hold one follower's connection until the client closes it (or is dropped);
        whatever it sends meanwhile is read and ignored."""
        task = asyncio.current_task()
        if task is not None:
            self._connections.add(task)
            task.add_done_callback(self._connections.discard)
        self._writers.add(writer)
        self._on_join()
        try:
            while await reader.read(4096):
                pass
        finally:
            self._writers.discard(writer)

    def changed(self, status: StatusReply) -> bool:
        """Whether a follower would show `status` differently from the last push."""
        return shown_part(status) != self._last_shown

    def showing(self, status: StatusReply) -> None:
        """Every follower has `status` now: a new one got it as its first reply, the
        others as the last push or an earlier one that showed the same."""
        self._last_shown = shown_part(status)

    def push(self, status: StatusReply, message: bytes) -> None:
        """Send `message` (the encoded `status`) to every follower, without waiting."""
        self.showing(status)
        for writer in list(self._writers):
            transport = writer.transport
            if transport.is_closing():
                self._writers.discard(writer)
            elif transport.get_write_buffer_size() > MAX_UNREAD_BYTES:
                log.debug("dropped a status follower that stopped reading")
                self._writers.discard(writer)
                transport.abort()
            else:
                transport.write(message)

    async def close(self) -> None:
        """End every follow connection, and wait until each one's handling is over: the
        daemon is stopping, and its loop must not end with them still under way."""
        for writer in self._writers:
            writer.transport.abort()
        self._writers.clear()
        if self._connections:
            await asyncio.wait(list(self._connections), timeout=CLOSE_WAIT)
