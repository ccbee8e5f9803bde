"""What the tracker needs to know from the config, in plain seconds."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from typing import Literal

from breakd.core.deferral import DontInterruptSettings

DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@dataclass(frozen=True)
class ActiveHours:
    """Reminders run on `days` (0 = Monday) from `start` up to, not including, `end`."""

    days: frozenset[int]
    start: time
    end: time

    def contains(self, wall: datetime) -> bool:
        return (
            wall.weekday() in self.days
            and self.start <= wall.time().replace(tzinfo=None) < self.end
        )

    def next_change(self, wall: datetime) -> datetime | None:
        """The first moment after `wall` at which `contains` flips; None if it never does."""
        if not self.days:
            return None
        inside = self.contains(wall)
        day = wall.replace(hour=0, minute=0, second=0, microsecond=0)
        for offset in range(8):
            date = day + timedelta(days=offset)
            if date.weekday() not in self.days:
                continue
            boundary = date.replace(
                hour=(self.end if inside else self.start).hour,
                minute=(self.end if inside else self.start).minute,
            )
            if boundary > wall:
                return boundary
        return None


@dataclass(frozen=True)
class TrackerSettings:
    remind_after: float
    break_after_idle: float
    repeat_every: float
    poll_every: float
    snooze_default: float
    exercises: tuple[str, ...]
    order: Literal["rotate", "random"] = "rotate"
    active_hours: ActiveHours | None = None
    inhibitors_count_as_present: bool = True
    dont_interrupt: DontInterruptSettings = field(default_factory=DontInterruptSettings)
