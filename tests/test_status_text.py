"""`breakd status` for people, read from the status the daemon builds."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from breakd.core.effects import State
from breakd.core.stretches import Language
from breakd.core.tracker import TrackerStatus
from breakd.ipc.status import StatusReply, build_status
from breakd.status_text import format_status

NOW = datetime(2026, 11, 25, 14, 0, tzinfo=timezone(timedelta(hours=1)))


def status(state: State, sitting: float | None, language: Language = "en") -> StatusReply:
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
        tracker,
        NOW,
        language=language,
        idle_source="x11",
        notifier="dbus",
        config=None,
        remind_after=2700,
    )


def rows(text: str) -> dict[str, str]:
    pairs = (line.split("  ", 1) for line in text.splitlines())
    return {label.strip(): value.strip() for label, value in pairs}


def test_every_row_of_a_sitting_user() -> None:
    assert rows(format_status(status(State.SITTING, 2400))) == {
        "state": "sitting",
        "seated for": "40 min",
        "reminder": "next at 14:05 (in 5 min)",
        "stretch": "Half-kneeling lunge",
        "done / skipped": "2 / 1",
        "idle source": "x11",
        "notifications": "dbus",
    }


def test_every_row_in_dutch() -> None:
    assert rows(format_status(status(State.SITTING, 2400, "nl"))) == {
        "toestand": "zittend",
        "zit al": "40 min",
        "herinnering": "de volgende om 14:05 (over 5 min)",
        "rekoefening": "Halfknielende uitvalspas",
        "gedaan / overgeslagen": "2 / 1",
        "activiteit gemeten via": "x11",
        "meldingen via": "dbus",
    }


@pytest.mark.parametrize(("seconds", "shown"), [(42, "42 s"), (3600, "1 h"), (3900, "1 h 5 min")])
def test_seated_for_is_spoken_as_the_reminder_speaks_it(seconds: float, shown: str) -> None:
    assert f"seated for      {shown}\n" in format_status(status(State.SITTING, seconds))


def test_a_pause_without_an_end_says_how_it_ends() -> None:
    text = format_status(status(State.PAUSED, None))
    assert "reminder        paused until you run `breakd resume`" in text
    assert "seated for" not in text


def test_a_daemon_from_before_an_upgrade_may_lack_a_key() -> None:
    older = status(State.SITTING, 60)
    for key in ("exercise_name", "language", "now", "awaiting_return", "active_again_at"):
        del older[key]  # type: ignore[misc]
    text = format_status(older)
    assert "stretch         kneeling-lunge" in text
    assert "reminder        next at 14:05\n" in text  # the clock, without the daemon's now
