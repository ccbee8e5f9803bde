"""Noticing that the wall clock was set: NTP after a resume, a user fixing the time.

Only calendar alarms care (active hours, the start of a day): they are set again
from the new time at once. Linux says so itself: a CLOCK_REALTIME timerfd with
TFD_TIMER_CANCEL_ON_SET wakes the loop the moment the clock is set. Elsewhere the
wall and monotonic clocks are compared at each wake of the daemon. Either way, only a
set that moved the wall clock against the monotonic one counts: the kernel wakes us
for any set, even one to the time it already was (NTP's tiny corrections, a test).
"""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import Callable
from typing import Protocol

from breakd.adapters import timerfd
from breakd.core.clock import Clock

STEP_THRESHOLD = 2.0
"""Seconds of disagreement between the clocks that count as a step, not drift."""
_FAR_FUTURE = 365 * 24 * 3600.0


class ClockSteps(Protocol):
    def start(self, on_step: Callable[[], None]) -> None:
        """Call `on_step` on the loop whenever the wall clock is seen to have been set."""
        ...

    def check(self) -> None:
        """Called at each wake of the daemon, for mechanisms that must look for themselves."""
        ...

    def close(self) -> None: ...


class ClockOffset:
    """The wall clock minus the monotonic clock: constant unless the wall clock was set."""

    def __init__(self, clock: Clock) -> None:
        self._clock = clock
        self._last = self._now()

    def moved(self) -> bool:
        """Whether it moved by a step (not drift) since the last look."""
        now = self._now()
        moved = abs(now - self._last) >= STEP_THRESHOLD
        self._last = now
        return moved

    def _now(self) -> float:
        return self._clock.wall().timestamp() - self._clock.monotonic()


class CancelOnSetWatch:
    """A CLOCK_REALTIME timerfd, armed far ahead, that the kernel cancels when the clock is set."""

    def __init__(self, loop: asyncio.AbstractEventLoop, clock: Clock) -> None:
        self._loop = loop
        self._fd = timerfd.create(timerfd.CLOCK_REALTIME)
        self._offset = ClockOffset(clock)
        self._on_step: Callable[[], None] | None = None
        self.wakes = 0
        """Times the kernel said the clock was set, stepped or not."""

    def start(self, on_step: Callable[[], None]) -> None:
        self._on_step = on_step
        self._arm()
        self._loop.add_reader(self._fd, self._woke)

    def _arm(self) -> None:
        flags = timerfd.TFD_TIMER_ABSTIME | timerfd.TFD_TIMER_CANCEL_ON_SET
        timerfd.arm(self._fd, time.time() + _FAR_FUTURE, flags)

    def _woke(self) -> None:
        timerfd.expired(self._fd)  # cancelled (or, a year on, expired): either way, re-arm
        self._arm()
        self.wakes += 1
        if self._offset.moved() and self._on_step is not None:
            self._on_step()

    def check(self) -> None:
        pass

    def close(self) -> None:
        self._loop.remove_reader(self._fd)
        os.close(self._fd)


class ComparedClocks:
    """Looks at the clocks' offset at each wake of the daemon."""

    def __init__(self, clock: Clock) -> None:
        self._offset = ClockOffset(clock)
        self._on_step: Callable[[], None] | None = None

    def start(self, on_step: Callable[[], None]) -> None:
        self._on_step = on_step

    def check(self) -> None:
        if self._offset.moved() and self._on_step is not None:
            self._on_step()

    def close(self) -> None:
        pass


def open_clock_steps(loop: asyncio.AbstractEventLoop, clock: Clock) -> ClockSteps:
    if timerfd.available():
        try:
            return CancelOnSetWatch(loop, clock)
        except OSError:
            pass
    return ComparedClocks(clock)
