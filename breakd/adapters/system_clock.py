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

    def __init__(self) -> None:
        clock_id = getattr(time, "CLOCK_BOOTTIME", None)
        if clock_id is not None:
            try:
                time.clock_gettime(clock_id)
            except OSError:
                clock_id = None
        self._clock_id = clock_id

    def monotonic(self) -> float:
        if self._clock_id is None:
            return time.monotonic()
        return time.clock_gettime(self._clock_id)

    def wall(self) -> datetime:
        return datetime.now().astimezone()
