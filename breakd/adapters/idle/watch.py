"""The event-loop side of `watch_for_input`, for the sources whose server says when
input comes (X11's SYNC alarm, Mutter's user-active watch).

Each such source talks over one blocking connection; while a watch is armed the loop
also watches that connection, so the daemon sleeps until the server has news. The
daemon makes such a source's calls on its idle worker (`adapters/worker.py`), never on
the loop: then the loop only notices that the connection has news, and the worker
reads it, between the source's other calls, never beside them.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable

from breakd.adapters.worker import current_worker


class InputWatch:
    """One armed watch on the running loop, which watches the source's connection meanwhile.

    `read` takes in whatever has arrived without waiting, and raises `lost` once the
    connection is gone; the source calls `fire_soon` when what it read (there or in a
    blocking call that met it first) says the input came. `on_input` then runs once,
    after the call that met it, never from inside it. A lost connection calls it too,
    so that the daemon's next `idle_seconds` says why.

    Made on the loop, it reads and calls `on_input` there; made on a worker (inside a
    source call the worker makes), it reads and calls `on_input` on that worker.
    """

    def __init__(
        self,
        fd: int,
        read: Callable[[], None],
        lost: type[Exception],
        on_input: Callable[[], None],
    ) -> None:
        """Start watching; RuntimeError outside a running loop or a worker of one."""
        worker = current_worker()
        if worker is None or worker.loop is None:
            self.loop = asyncio.get_running_loop()
            self._run: Callable[[Callable[[], None]], object] = self.loop.call_soon
            self._on_loop = True
        else:
            self.loop = worker.loop
            self._run = worker.post
            self._on_loop = False
        self._fd = fd
        self._read = read
        self._lost = lost
        self._on_input: Callable[[], None] | None = on_input
        self._loop_side(self._start_reading)

    def fire_soon(self) -> None:
        self._run(self._fire)

    def end(self) -> None:
        """Stop watching; no call back from now on. Safe to call twice."""
        if self._on_input is not None:
            self._on_input = None
            self._loop_side(self._stop_reading)

    def _loop_side(self, change: Callable[[], None]) -> None:
        """Readers are the loop's own: changed on its thread, in the order asked."""
        if self._on_loop:
            change()
        else:
            with contextlib.suppress(RuntimeError):  # the loop has closed: nothing to change
                self.loop.call_soon_threadsafe(change)

    def _start_reading(self) -> None:
        if self._on_input is not None:
            self.loop.add_reader(self._fd, self._readable)

    def _stop_reading(self) -> None:
        self.loop.remove_reader(self._fd)

    def _readable(self) -> None:
        if self._on_loop:
            self._take_in()
        else:  # not again until the worker has read: it may be busy with another call
            self.loop.remove_reader(self._fd)
            self._run(self._take_in_and_go_on)

    def _take_in(self) -> None:
        try:
            self._read()
        except self._lost:
            self._fire()

    def _take_in_and_go_on(self) -> None:
        if self._on_input is not None:
            self._take_in()
            self._loop_side(self._start_reading)

    def _fire(self) -> None:
        on_input = self._on_input
        if on_input is not None:
            self.end()
            on_input()
