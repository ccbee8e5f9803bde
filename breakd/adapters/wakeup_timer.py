"""The daemon's one timer: wake at the tracker's next check, on the tracker's clock.

The tracker's deadlines are boot-clock seconds (`SystemClock.monotonic`). On Linux
a CLOCK_BOOTTIME timerfd fires at them exactly, through a suspend and whatever the
wall clock does. Elsewhere the event loop's monotonic timer does, and a resume is
noticed by the session sources and the clock comparison at the next wake.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable
from typing import Protocol

from breakd.adapters import timerfd
from breakd.core.clock import Clock


class WakeupTimer(Protocol):
    def wake_at(self, deadline: float | None, callback: Callable[[], None]) -> None:
        """Call `callback` once on the loop at `deadline` (the clock's monotonic seconds),
        replacing any earlier wake-up; None cancels."""
        ...

    def close(self) -> None: ...


class BootClockTimer:
    """A CLOCK_BOOTTIME timerfd watched by the loop (Linux)."""

    def __init__(self, loop: asyncio.AbstractEventLoop, clock: Clock) -> None:
        self._loop = loop
        self._clock = clock
        self._fd = timerfd.create(timerfd.CLOCK_BOOTTIME)
        self._callback: Callable[[], None] | None = None
        loop.add_reader(self._fd, self._fired)

    def wake_at(self, deadline: float | None, callback: Callable[[], None]) -> None:
        self._callback = callback if deadline is not None else None
        delay = 0.0 if deadline is None else max(deadline - self._clock.monotonic(), 1e-6)
        timerfd.arm(self._fd, delay)

    def _fired(self) -> None:
        if timerfd.expired(self._fd) and self._callback is not None:
            callback, self._callback = self._callback, None
            callback()

    def close(self) -> None:
        self._loop.remove_reader(self._fd)
        os.close(self._fd)


class LoopTimer:
    """The event loop's own monotonic timer, where there is no timerfd."""

    def __init__(self, loop: asyncio.AbstractEventLoop, clock: Clock) -> None:
        self._loop = loop
        self._clock = clock
        self._handle: asyncio.TimerHandle | None = None

    def wake_at(self, deadline: float | None, callback: Callable[[], None]) -> None:
        self.close()
        if deadline is not None:
            delay = max(deadline - self._clock.monotonic(), 0.0)
            self._handle = self._loop.call_later(delay, callback)

    def close(self) -> None:
        if self._handle is not None:
            self._handle.cancel()
            self._handle = None


def open_wakeup_timer(loop: asyncio.AbstractEventLoop, clock: Clock) -> WakeupTimer:
    if timerfd.available():
        try:
            return BootClockTimer(loop, clock)
        except OSError:
            pass  # a kernel without CLOCK_BOOTTIME timers: the loop's timer still works
    return LoopTimer(loop, clock)
