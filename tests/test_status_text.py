"""`breakd status` for people, read from the status the daemon builds."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from breakd.core.effects import State
from breakd.core.tracker import TrackerStatus
from breakd.ipc.status import StatusReply, build_status
from breakd.status_text import format_status

NOW = datetime(2026, 11, 25, 14, 0, tzinfo=timezone(timedelta(hours=1)))


def status(state: State, sitting: float | None) -> StatusReply:
    tracker = TrackerStatus(
        state=state,
        sitting_seconds=sitting,
        idle_seconds=3.0,
        next_reminder_at=None if sitting is None else NOW + timedelta(minutes=5),
        snoozed_until=None,
        paused_until=None,
        exercise="kneeling-lunge",
        done_count=2,
        skipped_count=1,
    )
    return build_status(
        tracker, NOW, language="nl", idle_source="x11", notifier="dbus", config=None
    )


def rows(text: str) -> dict[str, str]:
    pairs = (line.split("  ", 1) for line in text.splitlines())
    return {label.strip(): value.strip() for label, value in pairs}


def test_every_row_of_a_sitting_user() -> None:
    assert rows(format_status(status(State.SITTING, 2400))) == {
        "state": "sitting",
        "seated for": "40 min",
        "next reminder": "14:05",
        "stretch": "Halfknielende uitvalspas",
        "done / skipped": "2 / 1",
        "idle source": "x11",
        "notifications": "dbus",
    }


@pytest.mark.parametrize(("seconds", "shown"), [(42, "42 s"), (3600, "1 h"), (3900, "1 h 5 min")])
def test_seated_for_is_spoken_as_the_reminder_speaks_it(seconds: float, shown: str) -> None:
    assert f"seated for      {shown}\n" in format_status(status(State.SITTING, seconds))


def test_a_pause_without_an_end_says_how_it_ends() -> None:
    text = format_status(status(State.PAUSED, None))
    assert "paused until    you run `breakd resume`" in text
    assert "seated for" not in text


def test_a_daemon_from_before_an_upgrade_may_lack_a_key() -> None:
    older = status(State.SITTING, 60)
    del older["exercise_name"]  # type: ignore[misc]
    assert "stretch         kneeling-lunge" in format_status(older)
