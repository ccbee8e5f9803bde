"""The clock the core is handed, so that hours of sitting can be simulated in milliseconds."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol


class Clock(Protocol):
    """Two readings of now.

    `monotonic()` drives every duration: it never jumps with NTP, DST or a manual
    change, and (for the daemon's real clock) keeps counting through suspend.
    `wall()` is an aware local datetime, used only for active hours and for
    turning times into something a person or a state file can read.
    """

    def monotonic(self) -> float: ...

    def wall(self) -> datetime: ...
