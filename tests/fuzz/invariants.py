"""What must hold of a running daemon at every step, whatever came in before.

`Invariants.check` is called with each status the daemon reports and what the
test knows that the daemon cannot say of itself: the monotonic time, whether the
user looks absent, whether the last delivery failed. It keeps what it needs from
earlier steps: the day's counts, the last moment sitting time could have restarted.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

from breakd.core.effects import State
from breakd.core.settings import day_of
from breakd.core.tracker import PRESENT_WITHIN
from breakd.ipc.status import StatusReply
from tests.inprocess.harness import LogGuard

STATES = frozenset(state.value for state in State)
TRACKING = frozenset({"sitting", "reminding", "snoozed", "guiding"})
SLACK = 1.0
"""Status times are whole seconds."""


@dataclass
class Moment:
    """The world as the test made it, at the moment of a status."""

    now: float
    wall: datetime
    on_screen: bool
    asleep: bool = False
    show_failed: bool = False
    """The notifier's last show raised: a reminder may be due with nothing on screen."""


class Invariants:
    def __init__(self, start: float, day_starts_at: time = time(4)) -> None:
        self.day_starts_at = day_starts_at
        self.break_at = start
        """The last moment sitting time is known to have (re)started by: no sitting
        time may be longer than the time since."""
        self.day: date | None = None
        self.checked_at = start
        self.done = 0
        self.skipped = 0
        self.steps = 0

    def check(self, status: StatusReply, at: Moment) -> None:
        self.steps += 1
        state = status["state"]
        assert state in STATES, status
        self._check_counts(status, at)
        tracking = state in TRACKING
        sitting = status["sitting_seconds"]
        assert (sitting is None) == (not tracking), status
        if not tracking:
            self.break_at = at.now
        if sitting is not None:
            assert sitting >= 0, status
            assert sitting <= at.now - self.break_at + SLACK, (status, at.now - self.break_at)
        self._check_reminder(status, at)

    def _check_reminder(self, status: StatusReply, at: Moment) -> None:
        state = status["state"]
        if at.on_screen:
            assert state in ("reminding", "guiding"), ("a reminder on screen while", status)
        if state == "reminding":
            assert not status["locked"] and not at.asleep, status
            assert at.on_screen or at.show_failed, ("reminding with nothing on screen", status)
        if state == "snoozed":
            assert status["snoozed_until"] is not None, status
        due = status["next_reminder_at"]
        if state in TRACKING and due is not None:
            overdue = (at.wall - datetime.fromisoformat(due)).total_seconds()
            absent = status["idle_seconds"] >= PRESENT_WITHIN or status["locked"] or at.asleep
            held = status["deferred"] is not None
            assert overdue < SLACK or absent or held, ("a reminder due but not shown", status)

    def _check_counts(self, status: StatusReply, at: Moment) -> None:
        """Counts never go down within a day; one that went up was a done or skip,
        which starts sitting time again: since the last check at the latest (a guided
        stretch counts itself done when it ends, between two checks)."""
        day = day_of(at.wall, self.day_starts_at)
        done, skipped = status["done_count"], status["skipped_count"]
        if day == self.day:
            assert done >= self.done and skipped >= self.skipped, ("a count went down", status)
            if (done, skipped) != (self.done, self.skipped):
                self.break_at = self.checked_at
        self.day, self.done, self.skipped = day, done, skipped
        self.checked_at = at.now


def new_errors(guard: LogGuard) -> list[str]:
    """The errors the daemon logged since the last call that nobody expected.

    The records seen are let go: a long run would otherwise re-read them all at each step.
    """
    errors = guard.unexpected()
    guard.records.clear()
    return errors
