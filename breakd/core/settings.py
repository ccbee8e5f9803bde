"""What the tracker needs to know from the config, in plain seconds."""

from __future__ import annotations

from dataclasses import field
from datetime import date, datetime, time, timedelta
from typing import Literal

from breakd.core.deferral import DontInterruptSettings
from breakd.core.record import record

DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@record
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


@record
class WeeklyTime:
    """A local time of day on some days of the week (0 = Monday): a calendar edge."""

    days: frozenset[int]
    at: time


ALL_DAYS = frozenset(range(7))


def day_of(wall: datetime, day_starts_at: time) -> date:
    """The day `wall` counts toward: before `day_starts_at`, the day before."""
    shifted = wall - timedelta(hours=day_starts_at.hour, minutes=day_starts_at.minute)
    return shifted.date()


@record
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
    day_starts_at: time = time(4, 0)

    def calendar_edges(self) -> tuple[WeeklyTime, ...]:
        """The local times at which the tracker must look again: active hours begin or end,
        a new day starts. The daemon sets calendar alarms for them; between them and the
        tracker's own `next_check`, nothing that depends on the date can change."""
        edges = [WeeklyTime(ALL_DAYS, self.day_starts_at)]
        hours = self.active_hours
        if hours is not None and hours.days:
            edges += [WeeklyTime(hours.days, hours.start), WeeklyTime(hours.days, hours.end)]
        return tuple(edges)
