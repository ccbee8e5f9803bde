"""Synthetic history of typical working days, written by the real history writer:
for `breakd stats` tests and the figures in docs/history.md."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path

from breakd.adapters.history import DailyFiles
from breakd.core import history
from breakd.core.effects import Record
from tests.core.fake_clock import FakeClock

MIN = 60.0
SPANS = ((0, 50), (55, 120), (130, 180), (240, 290), (300, 350), (360, 420), (425, 480))
"""A typical day's seated spans, in minutes after 9:00; away between them."""
STRETCHES = ("standing-lunge", "kneeling-lunge", "prone-press-up")


def write_days(directory: Path, first: date, days: int) -> None:
    """`days` working days from `first`, weekends included (a busy year)."""
    for number in range(days):
        day = first + timedelta(days=number)
        clock = FakeClock(datetime.combine(day, time(9), timezone.utc))
        write_day(DailyFiles(directory, clock), clock.monotonic(), number)


def write_day(files: DailyFiles, nine: float, number: int) -> None:
    def add(kind: str, when: float, since: float | None = None, **details: object) -> None:
        since_at = None if since is None else nine + since * MIN
        files.append(Record(kind, nine + when * MIN, since_at, tuple(details.items())))

    for index, (start, end) in enumerate(SPANS):
        if index:
            add(history.BREAK, start, SPANS[index - 1][1])
        add(history.SAT_DOWN, start)
        if end - start >= 45:
            add(history.REMINDER, start + 45, exercise=STRETCHES[index % 3], repeat=0)
            how = ("done", "snooze", "done", "skip")[(number + index) % 4]
            add(history.ANSWER, start + 46, how=how, exercise=STRETCHES[index % 3], after=60.0)
        add(history.STOOD_UP, end, start, how="lock" if index == 2 else "break")
