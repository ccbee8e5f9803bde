"""Seated spans from records, when a daemon died before closing one."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

from breakd.core import history
from breakd.core.stats import spans

NINE = datetime(2026, 11, 23, 9, 0, tzinfo=timezone.utc)


@dataclass
class Entry:
    kind: str
    at: datetime
    since: datetime | None = None
    details: dict[str, object] = field(default_factory=dict)


def minutes(n: float) -> datetime:
    return NINE + timedelta(minutes=n)


def test_a_span_the_daemon_never_closed_ends_at_its_last_record() -> None:
    entries = [
        Entry(history.SAT_DOWN, minutes(0)),
        Entry(history.REMINDER, minutes(45)),  # then kill -9
        Entry(history.SAT_DOWN, minutes(50)),  # the next daemon
        Entry(history.STOOD_UP, minutes(70), since=minutes(50)),
        Entry(history.SAT_DOWN, minutes(80)),  # and killed again, at once
    ]
    assert spans(entries, None) == [
        (minutes(0), minutes(45)),
        (minutes(50), minutes(70)),
        (minutes(80), minutes(80)),
    ]


def test_the_span_going_on_counts_up_to_now_while_the_daemon_runs() -> None:
    entries = [Entry(history.SAT_DOWN, minutes(0)), Entry(history.REMINDER, minutes(45))]
    assert spans(entries, minutes(47)) == [(minutes(0), minutes(47))]


def test_a_restart_that_carries_sitting_over_never_counts_time_twice() -> None:
    entries = [
        Entry(history.SAT_DOWN, minutes(0)),
        Entry(history.ANSWER, minutes(30)),
        Entry(history.SAT_DOWN, minutes(20)),  # restored from a state saved at 9:20
    ]
    assert spans(entries, None) == [(minutes(0), minutes(20)), (minutes(20), minutes(20))]
