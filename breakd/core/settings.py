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
    """Reminders run on `days` (0 = Monday) from `start` up to, not including, `end`.

    An `end` at or before `start` is on the next day (a night shift, 22:00 to 06:00):
    the span belongs to the day it starts on, so "fri 22:00 to 06:00" runs into Saturday
    morning and "mon" alone does not begin on Sunday night.
    """

    days: frozenset[int]
    start: time
    end: time

    @property
    def overnight(self) -> bool:
        return self.end <= self.start

    def contains(self, wall: datetime) -> bool:
        now = wall.time().replace(tzinfo=None)
        if not self.overnight:
            return wall.weekday() in self.days and self.start <= now < self.end
        if now >= self.start:
            return wall.weekday() in self.days
        return now < self.end and (wall.weekday() - 1) % 7 in self.days

    def edges(self) -> tuple[WeeklyTime, WeeklyTime]:
        """Where the spans start and end; an overnight span ends on the day after."""
        end_days = frozenset((day + 1) % 7 for day in self.days) if self.overnight else self.days
        return WeeklyTime(self.days, self.start), WeeklyTime(end_days, self.end)


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
    hold: float = 30.0
    """How long a guided stretch holds each side."""
    guide_get_ready: float = 5.0
    """A guide's seconds to get into position, and to change sides."""

    def calendar_edges(self) -> tuple[WeeklyTime, ...]:
        """The local times at which the tracker must look again: active hours begin or end,
        a new day starts. The daemon sets calendar alarms for them; between them and the
        tracker's own `next_check`, nothing that depends on the date can change."""
        edges = [WeeklyTime(ALL_DAYS, self.day_starts_at)]
        hours = self.active_hours
        if hours is not None and hours.days:
            edges += hours.edges()
        return tuple(edges)
