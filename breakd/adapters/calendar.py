"""Calendar alarms: APScheduler cron triggers at local times of day.

Only what really is calendar time runs here: the edges of active hours and the
start of a new day (`TrackerSettings.calendar_edges`). Reminders, breaks and
snoozes never do; they run on the boot clock (`wakeup_timer.py`). Cron triggers
in the local zone stay right across daylight-saving changes. APScheduler
computes its waits from the wall clock, so after the clock is set
(`clock_steps.py`) the alarms are set again from the new time.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from datetime import datetime, tzinfo
from typing import Protocol

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger

from breakd.core.settings import DAY_NAMES, WeeklyTime


class CalendarAlarms(Protocol):
    def set(self, edges: Sequence[WeeklyTime], on_edge: Callable[[], None]) -> None:
        """Call `on_edge` on the loop at each of `edges` from now on, replacing earlier alarms."""
        ...

    def close(self) -> None: ...


def cron_triggers(edges: Sequence[WeeklyTime], zone: tzinfo) -> list[CronTrigger]:
    """One cron trigger per edge, on its days at its time in `zone`."""
    return [
        CronTrigger(
            day_of_week=",".join(DAY_NAMES[day] for day in sorted(edge.days)),
            hour=edge.at.hour,
            minute=edge.at.minute,
            timezone=zone,
        )
        for edge in edges
        if edge.days
    ]


def next_edge(triggers: Sequence[CronTrigger], now: datetime) -> datetime | None:
    """The first moment strictly after `now` at which one of `triggers` fires."""
    times = [trigger.get_next_fire_time(now, now) for trigger in triggers]
    return min((time for time in times if time is not None), default=None)


class SchedulerAlarms:
    """The edges as jobs of APScheduler's asyncio scheduler: no thread, no executor pool."""

    def __init__(self, loop: asyncio.AbstractEventLoop, zone: tzinfo | None = None) -> None:
        self._scheduler = AsyncIOScheduler(
            event_loop=loop,
            timezone=zone,
            # A job that comes due while the machine sleeps or the clock jumps still runs,
            # once: it only asks the tracker to look again.
            job_defaults={"misfire_grace_time": None, "coalesce": True, "max_instances": 1},
        )
        self._scheduler.start()

    def set(self, edges: Sequence[WeeklyTime], on_edge: Callable[[], None]) -> None:
        async def fire() -> None:  # a coroutine runs on the loop; a plain function, in a thread
            on_edge()

        self._scheduler.remove_all_jobs()
        for trigger in cron_triggers(edges, self._scheduler.timezone):
            self._scheduler.add_job(fire, trigger)

    def close(self) -> None:
        self._scheduler.shutdown(wait=False)
