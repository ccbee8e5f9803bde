"""The real clock handed to the core."""

from __future__ import annotations

import time
from datetime import datetime


class SystemClock:
    """Monotonic time that keeps counting through suspend where the OS offers it.

    CLOCK_BOOTTIME (Linux) includes time spent suspended, so a suspend shows up
    as time passed rather than as time that never happened; elsewhere the
    plain monotonic clock is used.
    """

    SUSPEND_THRESHOLD = 2.0

    def __init__(self) -> None:
        clock_id = getattr(time, "CLOCK_BOOTTIME", None)
        if clock_id is not None:
            try:
                time.clock_gettime(clock_id)
            except OSError:
                clock_id = None
        self._clock_id = clock_id
        self._suspend_offset = self._boot_minus_monotonic()

    def monotonic(self) -> float:
        if self._clock_id is None:
            return time.monotonic()
        return time.clock_gettime(self._clock_id)

    def wall(self) -> datetime:
        return datetime.now().astimezone()

    def slept_since_last_check(self) -> float:
        """Seconds spent suspended since the previous call, seen without any signal.

        CLOCK_BOOTTIME counts suspend and CLOCK_MONOTONIC does not, so their
        difference grows by exactly the time spent suspended. 0 where the OS
        offers no such pair, and for drifts under SUSPEND_THRESHOLD.
        """
        offset = self._boot_minus_monotonic()
        slept = offset - self._suspend_offset
        self._suspend_offset = offset
        return slept if slept >= self.SUSPEND_THRESHOLD else 0.0

    def _boot_minus_monotonic(self) -> float:
        if self._clock_id is None:
            return 0.0
        return time.clock_gettime(self._clock_id) - time.monotonic()
