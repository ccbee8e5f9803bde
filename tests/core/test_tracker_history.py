"""What the tracker writes to the history: exactly what it did, at the moments it did it."""

from __future__ import annotations

from datetime import datetime, time, timezone

import pytest

from breakd.core import history
from breakd.core.effects import Record
from breakd.core.events import (
    BusyChanged,
    Done,
    EventRejected,
    Pause,
    Resume,
    ScreenLocked,
    ScreenUnlocked,
    Skip,
    Sleeping,
    Snooze,
    Woke,
)
from breakd.core.settings import ActiveHours
from tests.core.test_tracker import HOUR, MIN, Desk


def records(desk: Desk, kind: str) -> list[Record]:
    return [e for e in desk.effects if isinstance(e, Record) and e.kind == kind]


def details(record: Record) -> dict[str, object]:
    return dict(record.details)


def test_a_span_ends_at_the_last_input_when_the_user_walks_away() -> None:
    desk = Desk()
    start = desk.now
    desk.effects += desk.tracker.begin()
    desk.live(20 * MIN)
    left = desk.now
    desk.leave()
    desk.live(10 * MIN)
    desk.come_back()
    back = desk.now
    desk.live(MIN)
    [sat, again] = records(desk, history.SAT_DOWN)
    [stood] = records(desk, history.STOOD_UP)
    assert (sat.at, stood.since, stood.at) == (start, start, left)
    assert details(stood) == {"how": "break"}
    [pause] = records(desk, history.BREAK)
    assert (pause.since, pause.at) == (left, pytest.approx(back, abs=6))
    assert again.at == pause.at


@pytest.mark.parametrize(
    ("leave", "how"),
    [
        ([ScreenLocked()], "lock"),
        ([Sleeping()], "suspend"),
    ],
)
def test_a_span_says_what_ended_it(leave: list[object], how: str) -> None:
    desk = Desk()
    desk.live(50 * MIN)  # a reminder is out
    for event in leave:
        desk.do(event)  # type: ignore[arg-type]
    desk.leave()
    desk.live(10 * MIN)
    desk.do(ScreenUnlocked() if how == "lock" else Woke())
    desk.come_back()
    desk.live(MIN)
    [stood] = records(desk, history.STOOD_UP)
    assert details(stood)["how"] == how
    [unanswered] = records(desk, history.UNANSWERED)
    assert details(unanswered) == {"why": how, "after": pytest.approx(5 * MIN, abs=1)}


def test_pause_and_off_hours_end_spans_and_stop_ends_the_last() -> None:
    hours = ActiveHours(frozenset(range(7)), time(9), time(17))
    desk = Desk(wall=datetime(2026, 11, 23, 16, 0, tzinfo=timezone.utc), active_hours=hours)
    desk.live(10 * MIN)
    desk.do(Pause())
    desk.live(5 * MIN)
    desk.do(Resume())
    desk.live(HOUR)  # 17:00: off hours
    desk.live(16 * HOUR)  # 9:00 the next day
    desk.effects += desk.tracker.end()
    hows = [details(r)["how"] for r in records(desk, history.STOOD_UP)]
    assert hows == ["pause", "off_hours", "stop"]
    assert len(records(desk, history.SAT_DOWN)) == 2  # after the pause, the next morning


def test_answers_are_recorded_once_each_and_a_refused_one_not_at_all() -> None:
    desk = Desk()
    desk.live(45 * MIN + 1)
    desk.live(MIN)
    desk.do(Snooze(60))
    desk.live(61)
    desk.do(Done())
    with pytest.raises(EventRejected):
        desk.do(Done())  # no reminder out: the same stretch is not counted twice
    with pytest.raises(EventRejected):
        desk.do(Skip())
    answers = [details(r) for r in records(desk, history.ANSWER)]
    assert [(a["how"], a.get("exercise")) for a in answers] == [
        ("snooze", None),
        ("done", "standing-lunge"),
    ]
    assert answers[0]["after"] == pytest.approx(MIN + 1, abs=1)
    assert answers[1]["after"] == pytest.approx(1, abs=1)  # the reminder after the snooze
    assert [details(r)["repeat"] for r in records(desk, history.REMINDER)] == [0, 0]


def test_a_reminder_held_while_busy_says_how_long_and_why() -> None:
    desk = Desk()
    desk.live(40 * MIN)
    desk.do(BusyChanged(frozenset({"camera:zoom"})))
    desk.live(30 * MIN)
    desk.do(BusyChanged(frozenset()))
    desk.live(2 * MIN)
    [shown] = records(desk, history.REMINDER)
    assert details(shown)["held_by"] == ["camera:zoom"]
    assert details(shown)["held"] == pytest.approx(25 * MIN + 45, abs=6)
