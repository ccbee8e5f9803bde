"""The event-loop side of `watch_for_input`, for the sources whose server says when
input comes (X11's SYNC alarm, Mutter's user-active watch).

Each such source talks over one blocking connection; while a watch is armed the loop
also reads that connection, so the daemon sleeps until the server has news.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable


class InputWatch:
    """One armed watch on the running loop, which reads the source's connection meanwhile.

    `read` takes in whatever has arrived without waiting, and raises `lost` once the
    connection is gone; the source calls `fire_soon` when what it read (there or in a
    blocking call that met it first) says the input came. `on_input` then runs once,
    from the loop, never from inside that blocking call. A lost connection calls it
    too, so that the daemon's next `idle_seconds` says why.
    """

    def __init__(
        self,
        fd: int,
        read: Callable[[], None],
        lost: type[Exception],
        on_input: Callable[[], None],
    ) -> None:
        """Start reading; RuntimeError outside a running loop."""
        self.loop = asyncio.get_running_loop()
        self._fd = fd
        self._read = read
        self._lost = lost
        self._on_input: Callable[[], None] | None = on_input
        self.loop.add_reader(fd, self._readable)

    def fire_soon(self) -> None:
        self.loop.call_soon(self._fire)

    def end(self) -> None:
        """Stop reading; no call back from now on. Safe to call twice."""
        if self._on_input is not None:
            self._on_input = None
            self.loop.remove_reader(self._fd)

    def _readable(self) -> None:
        try:
            self._read()
        except self._lost:
            self._fire()

    def _fire(self) -> None:
        on_input = self._on_input
        if on_input is not None:
            self.end()
            on_input()
