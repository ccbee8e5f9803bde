"""The sitting tracker, driven the way the daemon drives it, with hours simulated in microseconds."""

from __future__ import annotations

import itertools
import math
import random
from datetime import datetime, time, timedelta, timezone

import pytest

from breakd.adapters.calendar import cron_triggers, next_edge
from breakd.core.effects import (
    NaturalBreak,
    Record,
    ShowReminder,
    State,
    StateChanged,
    WithdrawReminder,
)
from breakd.core.events import (
    Done,
    Event,
    EventRejected,
    IdleSampled,
    InhibitorChanged,
    Pause,
    ReminderOpened,
    RemindNow,
    Resume,
    ScreenLocked,
    ScreenUnlocked,
    Skip,
    Sleeping,
    Snooze,
    Woke,
)
from breakd.core.guide import GuideFrame, Phase
from breakd.core.settings import ActiveHours, TrackerSettings
from breakd.core.tracker import Tracker, TrackerSnapshot
from tests.core.fake_clock import FakeClock

MIN = 60.0
HOUR = 3600.0
IDS = ("standing-lunge", "kneeling-lunge", "prone-press-up")


def settings(**overrides: object) -> TrackerSettings:
    values: dict[str, object] = {
        "remind_after": 45 * MIN,
        "break_after_idle": 5 * MIN,
        "repeat_every": 5 * MIN,
        "poll_every": 5.0,
        "snooze_default": 10 * MIN,
        "exercises": IDS,
    }
    values.update(overrides)
    return TrackerSettings(**values)  # type: ignore[arg-type]


class Desk:
    """A user at a desk and the daemon's loop: sample idle whenever the tracker asks."""

    def __init__(self, wall: datetime | None = None, **overrides: object) -> None:
        self.clock = FakeClock(wall)
        self.tracker = Tracker(settings(**overrides), self.clock, rng=random.Random(7))
        self.present = True
        self.last_input = self.clock.monotonic()
        self.effects: list[object] = []
        self.samples = 0

    @property
    def now(self) -> float:
        return self.clock.monotonic()

    def idle(self) -> float:
        return 0.0 if self.present else self.now - self.last_input

    def leave(self) -> None:
        self.last_input = self.now
        self.present = False

    def come_back(self) -> None:
        self.present = True
        self.last_input = self.now

    def live(self, seconds: float) -> None:
        """Let `seconds` pass, sampling exactly when the tracker's next_check asks, and at the end."""
        end = self.now + seconds
        while True:
            wake = min(self.tracker.next_check() or end, self._next_edge(), end)
            assert wake > self.now or wake == end, "next_check must lie in the future"
            self.clock.advance(wake - self.now)
            self.sample()
            if self.now >= end:
                return

    def _next_edge(self) -> float:
        """When the daemon's calendar alarms would fire next, in monotonic time."""
        wall = self.clock.wall()
        edges = self.tracker.settings.calendar_edges()
        at = next_edge(cron_triggers(edges, wall.tzinfo), wall)
        return math.inf if at is None else self.now + (at - wall).total_seconds()

    def sample(self) -> None:
        self.samples += 1
        self.effects += self.tracker.handle(IdleSampled(self.idle()))

    def do(self, event: Event) -> list[object]:
        effects = list(self.tracker.handle(event))
        self.effects += effects
        return effects

    def reminders(self) -> list[ShowReminder]:
        return [e for e in self.effects if isinstance(e, ShowReminder)]

    def of(self, kind: type) -> list[object]:
        return [e for e in self.effects if isinstance(e, kind)]

    @property
    def state(self) -> State:
        return self.tracker.state


def test_first_reminder_comes_after_remind_after_of_sitting() -> None:
    desk = Desk()
    desk.live(45 * MIN - 1)
    assert desk.reminders() == []
    assert desk.state is State.SITTING
    desk.live(2)
    [reminder] = desk.reminders()
    assert reminder.exercise == "standing-lunge"
    assert reminder.repeat == 0
    assert reminder.sitting_seconds == pytest.approx(45 * MIN, abs=2)
    assert desk.state is State.REMINDING


def test_unanswered_reminder_repeats_every_repeat_every() -> None:
    desk = Desk()
    desk.live(45 * MIN + 16 * MIN)
    assert [r.repeat for r in desk.reminders()] == [0, 1, 2, 3]
    assert desk.state is State.REMINDING


def test_repeat_every_zero_never_repeats() -> None:
    desk = Desk(repeat_every=0.0)
    desk.live(3 * HOUR)
    assert [r.repeat for r in desk.reminders()] == [0]


def test_samples_only_when_something_could_change() -> None:
    """Continuous typing for 45 minutes needs about one sample per break_after_idle, not one per poll."""
    desk = Desk()
    desk.live(45 * MIN)
    assert desk.samples <= 45 / 5 + 2


def test_idle_for_break_after_idle_is_a_break_and_sitting_restarts_from_zero() -> None:
    desk = Desk()
    desk.live(30 * MIN)
    desk.leave()
    desk.live(5 * MIN + 1)
    assert desk.state is State.AWAY
    assert desk.tracker.status().sitting_seconds is None
    desk.live(10 * MIN)
    desk.come_back()
    desk.live(5.0)
    [natural_break] = desk.of(NaturalBreak)
    assert natural_break.seconds == pytest.approx(15 * MIN + 1, abs=6)
    assert desk.state is State.SITTING
    assert desk.tracker.status().sitting_seconds == pytest.approx(5, abs=5)
    desk.live(44 * MIN)
    assert desk.reminders() == []
    desk.live(1 * MIN + 1)
    assert len(desk.reminders()) == 1


def test_a_break_is_noticed_to_the_second_even_between_samples() -> None:
    desk = Desk()
    desk.live(10 * MIN)
    desk.leave()
    desk.live(5 * MIN)
    assert desk.state is State.AWAY


def test_short_idle_is_still_sitting() -> None:
    desk = Desk()
    desk.live(20 * MIN)
    desk.leave()
    desk.live(4 * MIN)
    desk.come_back()
    desk.live(21 * MIN + 1)
    assert desk.state is State.REMINDING
    assert desk.of(NaturalBreak) == []


def test_a_due_reminder_waits_for_an_absent_user_and_then_becomes_a_break() -> None:
    desk = Desk()
    desk.live(44 * MIN)
    desk.leave()
    desk.live(4 * MIN)
    assert desk.reminders() == []
    desk.live(2 * MIN)
    assert desk.state is State.AWAY
    assert desk.reminders() == []


def test_a_held_reminder_fires_when_the_user_shows_up_again() -> None:
    desk = Desk()
    desk.live(44 * MIN)
    desk.leave()
    desk.live(3 * MIN)
    assert desk.reminders() == []
    desk.come_back()
    desk.live(6.0)
    assert len(desk.reminders()) == 1


def test_going_away_while_reminded_withdraws_the_reminder() -> None:
    desk = Desk()
    desk.live(46 * MIN)
    desk.leave()
    desk.live(5 * MIN + 1)
    assert desk.state is State.AWAY
    assert len(desk.of(WithdrawReminder)) == 1


def test_done_resets_sitting_and_moves_the_rotation_on() -> None:
    desk = Desk()
    desk.live(45 * MIN + 1)
    effects = desk.do(Done())
    assert WithdrawReminder() in effects
    assert desk.state is State.SITTING
    status = desk.tracker.status()
    assert status.sitting_seconds == 0
    assert status.exercise == "kneeling-lunge"
    assert status.done_count == 1
    desk.live(45 * MIN + 1)
    desk.do(Done())
    desk.live(45 * MIN + 1)
    desk.do(Done())
    assert [r.exercise for r in desk.reminders()] == list(IDS)
    assert desk.tracker.status().exercise == "standing-lunge"


def test_skip_resets_sitting_without_counting_done_or_moving_on() -> None:
    desk = Desk()
    desk.live(45 * MIN + 1)
    effects = desk.do(Skip())
    assert WithdrawReminder() in effects
    status = desk.tracker.status()
    assert (status.state, status.sitting_seconds) == (State.SITTING, 0)
    assert (status.done_count, status.skipped_count) == (0, 1)
    assert status.exercise == "standing-lunge"


def test_done_before_any_reminder_counts_and_resets() -> None:
    desk = Desk()
    desk.live(20 * MIN)
    desk.do(Done())
    desk.live(44 * MIN)
    assert desk.reminders() == []
    assert desk.tracker.status().done_count == 1


def test_done_twice_with_no_reminder_out_counts_once() -> None:
    desk = Desk()
    desk.live(20 * MIN)
    desk.do(Done())
    desk.live(MIN)
    with pytest.raises(EventRejected, match="Already counted") as refused:
        desk.do(Done())
    assert refused.value.text == "refused_counted"  # said in the user's language by name
    status = desk.tracker.status()
    assert (status.done_count, status.exercise, status.sitting_seconds) == (
        1,
        "kneeling-lunge",
        MIN,
    )
    desk.leave()  # a natural break: a stretch chosen after it counts again
    desk.live(6 * MIN)
    desk.come_back()
    desk.sample()
    desk.do(Done())
    assert desk.tracker.status().done_count == 2


def test_skip_with_nothing_out_or_due_is_refused() -> None:
    desk = Desk()
    desk.live(20 * MIN)
    with pytest.raises(EventRejected, match="no reminder to skip"):
        desk.do(Skip())
    desk.live(25 * MIN + 1)
    desk.do(Snooze())
    desk.do(Skip())  # a snoozed reminder is one to skip
    assert desk.tracker.status().skipped_count == 1


def test_opening_the_reminder_guides_the_stretch_and_no_repeat_interrupts_it() -> None:
    desk = Desk(repeat_every=10.0)
    desk.live(45 * MIN + 1)
    desk.live(4)
    effects = desk.do(ReminderOpened())
    assert effects == [
        StateChanged(State.REMINDING, State.GUIDING),
        GuideFrame("standing-lunge", Phase.POSITION, 5, 0),
    ]
    desk.live(60)  # repeat_every is 10 s: a running guide is no unanswered reminder
    assert len(desk.reminders()) == 1
    assert desk.state is State.GUIDING
    desk.live(11)
    assert desk.state is State.SITTING
    assert desk.tracker.status().done_count == 1
    assert desk.do(ReminderOpened()) == []  # answered: nothing left to open


def test_snooze_reminds_again_after_the_snooze_while_sitting_keeps_counting() -> None:
    desk = Desk()
    desk.live(45 * MIN + 1)
    effects = desk.do(Snooze(600))
    assert WithdrawReminder() in effects
    status = desk.tracker.status()
    assert status.state is State.SNOOZED
    assert status.snoozed_until == desk.clock.wall() + timedelta(seconds=600)
    desk.live(10 * MIN - 2)
    assert len(desk.reminders()) == 1
    assert desk.tracker.status().sitting_seconds == pytest.approx(55 * MIN, abs=2)
    desk.live(3)
    assert len(desk.reminders()) == 2
    assert desk.state is State.REMINDING


def test_snooze_without_duration_uses_the_default() -> None:
    desk = Desk(snooze_default=7 * MIN)
    desk.live(45 * MIN + 1)
    desk.do(Snooze())
    desk.live(7 * MIN - 2)
    assert len(desk.reminders()) == 1
    desk.live(3)
    assert len(desk.reminders()) == 2


def test_going_away_while_snoozed_is_the_break() -> None:
    desk = Desk()
    desk.live(45 * MIN + 1)
    desk.do(Snooze(30 * MIN))
    desk.leave()
    desk.live(6 * MIN)
    assert desk.state is State.AWAY
    desk.come_back()
    desk.live(40 * MIN)
    assert len(desk.reminders()) == 1


def test_pause_for_a_duration_holds_everything_then_starts_from_zero() -> None:
    desk = Desk()
    desk.live(45 * MIN + 1)
    effects = desk.do(Pause(2 * HOUR))
    assert WithdrawReminder() in effects
    assert desk.tracker.status().paused_until == desk.clock.wall() + timedelta(hours=2)
    desk.live(2 * HOUR - 1)
    assert desk.state is State.PAUSED
    assert len(desk.reminders()) == 1
    desk.live(2)
    assert desk.state is State.SITTING
    assert desk.tracker.status().sitting_seconds == pytest.approx(1, abs=1)
    desk.live(45 * MIN + 1)
    assert len(desk.reminders()) == 2


def test_pause_until_resumed() -> None:
    desk = Desk()
    desk.do(Pause())
    desk.live(10 * HOUR)
    assert desk.state is State.PAUSED
    assert desk.reminders() == []
    assert desk.tracker.status().paused_until is None
    desk.do(Resume())
    assert desk.state is State.SITTING


def test_a_pause_that_ends_while_the_user_is_gone_ends_away() -> None:
    desk = Desk()
    desk.do(Pause(HOUR))
    desk.leave()
    desk.live(HOUR + 1)
    assert desk.state is State.AWAY


def test_commands_that_do_not_apply_are_rejected_with_a_reason() -> None:
    desk = Desk()
    with pytest.raises(EventRejected, match="not paused"):
        desk.do(Resume())
    desk.do(Pause())
    for command in (Snooze(), Done(), Skip(), RemindNow()):
        with pytest.raises(EventRejected, match="paused"):
            desk.do(command)
    desk.do(Resume())
    desk.leave()
    desk.live(6 * MIN)
    with pytest.raises(EventRejected, match="away"):
        desk.do(Snooze())


def test_a_refused_command_says_why_in_a_sentence_of_its_own() -> None:
    """Not "cannot done now": the reason, said as a sentence, the same for every command."""
    desk = Desk()
    desk.do(Pause())
    said = set()
    for command in (Snooze(), Done(), Skip(), RemindNow()):
        with pytest.raises(EventRejected) as refused:
            desk.do(command)
        assert refused.value.text == "refused_paused"
        said.add(str(refused.value))
    assert said == {"Reminders are paused; run `breakd resume` first."}


def test_remind_now_shows_the_due_stretch_at_once_even_when_away() -> None:
    desk = Desk()
    desk.do(RemindNow())
    assert desk.state is State.REMINDING
    assert len(desk.reminders()) == 1
    desk.do(Done())
    desk.leave()
    desk.live(6 * MIN)
    desk.do(RemindNow())
    assert [r.exercise for r in desk.reminders()] == ["standing-lunge", "kneeling-lunge"]


WEEKDAYS_9_TO_5 = ActiveHours(days=frozenset(range(5)), start=time(9, 0), end=time(17, 0))


def test_outside_active_hours_nothing_accumulates_and_nothing_fires() -> None:
    monday_8 = datetime(2026, 11, 23, 8, 0, tzinfo=timezone.utc)
    desk = Desk(wall=monday_8, active_hours=WEEKDAYS_9_TO_5)
    desk.live(59 * MIN)
    assert desk.state is State.OFF_HOURS
    assert desk.tracker.status().sitting_seconds is None
    desk.live(2 * MIN)
    assert desk.state is State.SITTING
    assert desk.tracker.status().sitting_seconds == pytest.approx(60, abs=1)
    desk.live(43 * MIN)
    assert desk.reminders() == []
    desk.live(1 * MIN + 1)
    assert len(desk.reminders()) == 1


def test_end_of_active_hours_withdraws_a_reminder_and_the_weekend_is_off() -> None:
    friday_16 = datetime(2026, 11, 27, 16, 0, tzinfo=timezone.utc)
    desk = Desk(wall=friday_16, active_hours=WEEKDAYS_9_TO_5, repeat_every=0.0)
    desk.live(46 * MIN)
    assert desk.state is State.REMINDING
    desk.live(14 * MIN)
    assert desk.state is State.OFF_HOURS
    assert len(desk.of(WithdrawReminder)) == 1
    desk.live(2 * 24 * HOUR)
    assert desk.state is State.OFF_HOURS
    assert len(desk.reminders()) == 1
    desk.live(16 * HOUR + 1)
    assert desk.clock.wall().weekday() == 0
    assert desk.state is State.SITTING


def test_status_has_no_next_reminder_when_it_would_fall_outside_active_hours() -> None:
    monday_1630 = datetime(2026, 11, 23, 16, 30, tzinfo=timezone.utc)
    desk = Desk(wall=monday_1630, active_hours=WEEKDAYS_9_TO_5)
    desk.sample()
    assert desk.state is State.SITTING
    assert desk.tracker.status().next_reminder_at is None


def test_next_reminder_at_is_sitting_start_plus_remind_after() -> None:
    desk = Desk()
    start = desk.clock.wall()
    desk.live(10 * MIN)
    assert desk.tracker.status().next_reminder_at == start + timedelta(minutes=45)


@pytest.mark.parametrize("jump", [2 * HOUR, -2 * HOUR])
def test_wall_clock_jumps_neither_fire_nor_suppress_reminders(jump: float) -> None:
    desk = Desk()
    desk.live(20 * MIN)
    desk.clock.jump_wall(jump)
    desk.live(24 * MIN)
    assert desk.reminders() == []
    desk.live(1 * MIN + 1)
    assert len(desk.reminders()) == 1


def test_random_order_never_repeats_the_same_stretch_twice_running() -> None:
    desk = Desk(order="random")
    for _ in range(30):
        desk.do(RemindNow())
        desk.do(Done())
    shown = [r.exercise for r in desk.reminders()]
    assert all(a != b for a, b in itertools.pairwise(shown))
    assert set(shown) == set(IDS)


def test_without_an_idle_source_the_user_counts_as_present() -> None:
    desk = Desk()
    for _ in range(3):
        desk.clock.advance(20 * MIN)
        desk.effects += desk.tracker.handle(IdleSampled(None))
    assert len(desk.reminders()) == 1


def test_reconfigure_keeps_state_and_applies_new_intervals() -> None:
    desk = Desk()
    desk.live(20 * MIN)
    effects = desk.tracker.reconfigure(settings(remind_after=15 * MIN, exercises=IDS[1:]))
    kinds = [type(e) for e in effects if not isinstance(e, Record)]  # the history's: elsewhere
    assert kinds == [StateChanged, ShowReminder]
    assert desk.tracker.status().exercise == "kneeling-lunge"


def test_every_state_change_is_reported_once() -> None:
    desk = Desk()
    desk.live(46 * MIN)
    desk.do(Snooze(60))
    desk.live(61)
    desk.do(Done())
    desk.do(Pause(60))
    desk.live(61)
    desk.leave()
    desk.live(6 * MIN)
    changes = [(c.previous, c.current) for c in desk.of(StateChanged)]
    assert changes == [
        (State.SITTING, State.REMINDING),
        (State.REMINDING, State.SNOOZED),
        (State.SNOOZED, State.REMINDING),
        (State.REMINDING, State.SITTING),
        (State.SITTING, State.PAUSED),
        (State.PAUSED, State.SITTING),
        (State.SITTING, State.AWAY),
    ]


# -- restarts -----------------------------------------------------------------


def restarted(desk: Desk, down_for: float, **overrides: object) -> Desk:
    snapshot = desk.tracker.snapshot()
    saved_at = desk.clock.wall()
    desk.clock.advance(down_for)
    again = Desk(**overrides)
    again.clock = desk.clock
    again.tracker = Tracker(settings(**overrides), desk.clock)
    again.tracker.restore(snapshot, saved_at)
    return again


def test_a_quick_restart_keeps_sitting_time_rotation_and_counts() -> None:
    desk = Desk()
    desk.live(45 * MIN + 1)
    desk.do(Done())
    desk.live(30 * MIN)
    again = restarted(desk, 10)
    status = again.tracker.status()
    assert status.exercise == "kneeling-lunge"
    assert status.done_count == 1
    assert status.sitting_seconds == pytest.approx(30 * MIN + 10, abs=1)
    again.live(15 * MIN)
    assert [r.exercise for r in again.reminders()] == ["kneeling-lunge"]


def test_a_long_downtime_is_a_break_but_the_rotation_survives() -> None:
    desk = Desk()
    desk.do(RemindNow())
    desk.do(Done())
    desk.live(30 * MIN)
    again = restarted(desk, 8 * HOUR)
    again.sample()
    status = again.tracker.status()
    assert status.exercise == "kneeling-lunge"
    assert status.sitting_seconds == pytest.approx(0, abs=1)


def test_snooze_and_pause_survive_a_restart() -> None:
    desk = Desk()
    desk.live(45 * MIN + 1)
    desk.do(Snooze(600))
    again = restarted(desk, 60)
    assert again.tracker.state is State.SNOOZED
    again.live(9 * MIN - 2)
    assert again.reminders() == []
    again.live(3)
    assert len(again.reminders()) == 1

    again.do(Pause(HOUR))
    third = restarted(again, 30 * MIN)
    assert third.tracker.state is State.PAUSED
    assert third.tracker.status().paused_until == third.clock.wall() + timedelta(minutes=30)
    fourth = restarted(third, HOUR)
    fourth.sample()
    assert fourth.tracker.state is State.SITTING


def test_a_snapshot_naming_a_stretch_no_longer_enabled_starts_at_the_first() -> None:
    clock = FakeClock()
    tracker = Tracker(settings(exercises=IDS[:2]), clock)
    tracker.restore(TrackerSnapshot(exercise="prone-press-up", done_count=4), clock.wall())
    assert tracker.status().exercise == "standing-lunge"
    assert tracker.status().done_count == 4


# -- lock, suspend and inhibitors ----------------------------------------------


class SessionDesk(Desk):
    """A desk whose idle source stops counting during suspend, as X11's does."""

    def __init__(self, **overrides: object) -> None:
        super().__init__(**overrides)
        self.suspended: list[tuple[float, float]] = []

    def idle(self) -> float:
        if self.present:
            return 0.0
        idle = self.now - self.last_input
        for start, end in self.suspended:
            if start >= self.last_input:
                idle -= end - start
        return idle

    def suspend(self, seconds: float, signals: bool = True) -> None:
        """Suspend for `seconds`; the user is not typing while the lid is shut."""
        self.last_input = self.now if self.present else self.last_input
        self.present = False
        if signals:
            self.do(Sleeping())
        start = self.now
        self.clock.advance(seconds)
        self.suspended.append((start, self.now))
        self.do(Woke() if signals else Woke(slept_seconds=seconds))
        self.sample()


def test_a_short_lock_is_not_a_break() -> None:
    desk = SessionDesk()
    desk.live(20 * MIN)
    desk.do(ScreenLocked())
    desk.leave()
    assert desk.tracker.status().locked
    desk.live(4 * MIN)
    desk.do(ScreenUnlocked())
    desk.come_back()
    desk.live(1.0)
    status = desk.tracker.status()
    assert (status.state, status.locked) == (State.SITTING, False)
    assert status.sitting_seconds == pytest.approx(24 * MIN, abs=2)
    assert desk.of(NaturalBreak) == []


def test_locked_for_break_after_idle_is_a_break() -> None:
    desk = SessionDesk()
    desk.live(20 * MIN)
    desk.do(ScreenLocked())
    desk.live(5 * MIN + 1)  # the idle source keeps saying 0: a lock screen animation, say
    assert desk.state is State.AWAY
    desk.do(ScreenUnlocked())
    assert desk.state is State.SITTING
    [natural_break] = desk.of(NaturalBreak)
    assert natural_break.seconds == pytest.approx(5 * MIN + 1, abs=1)
    assert desk.tracker.status().sitting_seconds == 0


def test_locking_withdraws_a_reminder_and_unlocking_brings_it_back() -> None:
    desk = SessionDesk()
    desk.live(45 * MIN + 1)
    effects = desk.do(ScreenLocked())
    assert WithdrawReminder() in effects
    assert desk.state is State.SITTING
    desk.live(2 * MIN)
    assert len(desk.reminders()) == 1
    desk.do(ScreenUnlocked())
    assert len(desk.reminders()) == 2
    assert desk.state is State.REMINDING


def test_an_unlock_with_no_x_input_still_counts_as_presence() -> None:
    desk = SessionDesk()
    desk.live(10 * MIN)
    desk.leave()
    desk.do(ScreenLocked())
    desk.live(2 * MIN)
    desk.do(ScreenUnlocked())  # e.g. a fingerprint: the X idle time still says 2 minutes
    desk.live(4 * MIN)
    assert desk.state is State.SITTING


@pytest.mark.parametrize("signals", [True, False], ids=["logind-signal", "clock-jump"])
@pytest.mark.parametrize(
    ("suspended", "is_break"),
    [(60.0, False), (5 * MIN - 1, False), (5 * MIN, True), (5 * MIN + 1, True), (2 * HOUR, True)],
)
def test_suspend_is_away_for_its_whole_length(
    suspended: float, is_break: bool, signals: bool
) -> None:
    desk = SessionDesk()
    desk.live(20 * MIN)
    desk.suspend(suspended, signals=signals)
    assert desk.state is (State.AWAY if is_break else State.SITTING)
    desk.come_back()
    desk.live(1.0)
    assert desk.state is State.SITTING
    breaks = desk.of(NaturalBreak)
    if is_break:
        assert [b.seconds for b in breaks] == [pytest.approx(suspended, abs=1)]
        assert desk.tracker.status().sitting_seconds == pytest.approx(1, abs=1)
    else:
        assert breaks == []
        assert desk.tracker.status().sitting_seconds == pytest.approx(
            20 * MIN + suspended + 1, abs=2
        )
    assert desk.reminders() == []


def test_no_stale_reminder_fires_on_resume() -> None:
    desk = SessionDesk()
    desk.live(44 * MIN)
    desk.suspend(10 * MIN)
    assert desk.reminders() == []
    assert desk.state is State.AWAY


def test_a_reminder_due_during_a_short_suspend_waits_for_the_user() -> None:
    desk = SessionDesk()
    desk.live(44 * MIN + 30)
    desk.suspend(2 * MIN)
    assert desk.reminders() == []
    desk.come_back()
    desk.live(6.0)
    assert len(desk.reminders()) == 1


def test_suspending_withdraws_the_reminder_on_screen() -> None:
    desk = SessionDesk()
    desk.live(46 * MIN)
    effects = desk.do(Sleeping())
    assert WithdrawReminder() in effects


@pytest.mark.parametrize("counts", [True, False])
def test_an_idle_inhibitor_keeps_a_video_watcher_sitting(counts: bool) -> None:
    desk = SessionDesk(inhibitors_count_as_present=counts)
    desk.live(10 * MIN)
    desk.do(InhibitorChanged(active=True))
    desk.leave()  # watching, not touching anything
    desk.live(30 * MIN)
    assert desk.tracker.status().inhibited
    assert desk.state is (State.SITTING if counts else State.AWAY)
    desk.live(6 * MIN)
    assert len(desk.reminders()) == (1 if counts else 0)


def test_when_the_inhibitor_ends_idle_time_counts_from_then() -> None:
    desk = SessionDesk()
    desk.do(InhibitorChanged(active=True))
    desk.leave()
    desk.live(30 * MIN)
    desk.do(InhibitorChanged(active=False))
    desk.live(4 * MIN)
    assert desk.state is State.SITTING
    desk.live(1 * MIN + 1)
    assert desk.state is State.AWAY
