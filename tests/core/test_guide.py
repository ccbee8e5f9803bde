"""The guided stretch as a pure countdown, and as the tracker runs it."""

from __future__ import annotations

from breakd.core.effects import State, StateChanged, WithdrawReminder
from breakd.core.events import (
    BusyChanged,
    CancelGuide,
    IdleSampleLate,
    ReminderOpened,
    ScreenLocked,
    ScreenUnlocked,
    StartGuide,
)
from breakd.core.guide import Guide, GuideFrame, Phase
from breakd.core.guide_text import compose_guide
from tests.core.test_tracker import MIN, Desk


def frames_of(guide: Guide, start: float) -> list[tuple[float, GuideFrame]]:
    """Each frame as the daemon would see it, waking at every `next_change`."""
    seen: list[tuple[float, GuideFrame]] = []
    now = start
    while not guide.finished(now):
        seen.append((now - start, guide.frame(now)))
        wake = guide.next_change(now)
        assert wake is not None and 0 < wake - now <= 1.0 + 1e-9
        now = wake
    seen.append((now - start, guide.frame(now)))
    return seen


def test_a_guide_for_both_sides_counts_down_each_phase_once_a_second() -> None:
    seen = frames_of(Guide("standing-lunge", True, 5, 30, start=100.0), 100.0)
    assert len(seen) == 5 + 30 + 5 + 30 + 1
    firsts = {frame.phase: at for at, frame in reversed(seen)}
    assert firsts == {
        Phase.POSITION: 0,
        Phase.SIDE_ONE: 5,
        Phase.SWITCH: 35,
        Phase.SIDE_TWO: 40,
        Phase.END: 70,
    }
    side_one = [frame for _, frame in seen if frame.phase is Phase.SIDE_ONE]
    assert [frame.seconds_left for frame in side_one] == list(range(30, 0, -1))
    assert [frame.value for frame in side_one][:4] == [0, 3, 7, 10]
    assert side_one[-1].value == 97
    assert seen[-1][1] == GuideFrame("standing-lunge", Phase.END, 0, 100)


def test_a_stretch_done_once_holds_once() -> None:
    seen = frames_of(Guide("prone-press-up", False, 3, 10, start=0.0), 0.0)
    assert [frame.phase for _, frame in seen] == [Phase.POSITION] * 3 + [Phase.HOLD] * 10 + [
        Phase.END
    ]


def test_a_paused_guide_stands_still_and_carries_on_where_it_stopped() -> None:
    guide = Guide("standing-lunge", True, 5, 30, start=0.0)
    guide.pause(12.5)
    assert guide.next_change(500.0) is None
    assert guide.frame(500.0) == GuideFrame("standing-lunge", Phase.SIDE_ONE, 23, 23, paused=True)
    guide.resume(600.0)
    assert guide.frame(600.0) == GuideFrame("standing-lunge", Phase.SIDE_ONE, 23, 23)
    assert guide.next_change(600.0) == 600.5
    assert guide.finished(600.0 + 70 - 12.5)


def test_the_frames_say_what_to_do_and_the_time_to_go_in_dutch() -> None:
    switch = compose_guide(GuideFrame("kneeling-lunge", Phase.SWITCH, 5, 0), "nl")
    assert switch.title == "Wissel van kant"
    assert switch.body.splitlines()[0] == "nog 5 s"
    assert switch.cue and switch.kind == "running"
    later = compose_guide(GuideFrame("kneeling-lunge", Phase.SWITCH, 4, 20), "nl")
    assert not later.cue  # the sound goes with the cue's first second only
    end = compose_guide(GuideFrame("kneeling-lunge", Phase.END, 0, 100), "en")
    assert (end.kind, end.value, end.cue) == ("end", None, True)


def guiding_desk(**overrides: object) -> Desk:
    desk = Desk(**overrides)
    desk.live(45 * MIN + 1)
    desk.do(ReminderOpened())
    assert desk.state is State.GUIDING
    return desk


def test_cancel_counts_nothing_and_gives_the_reminder_back() -> None:
    desk = guiding_desk()
    desk.live(20)
    effects = desk.do(CancelGuide())
    assert desk.state is State.REMINDING
    assert desk.reminders()[-1].exercise == "standing-lunge"
    assert not any(isinstance(effect, GuideFrame) for effect in effects)
    status = desk.tracker.status()
    assert (status.done_count, status.skipped_count, status.guide) == (0, 0, None)


def test_a_guide_begun_unprompted_cancels_back_to_sitting() -> None:
    desk = Desk()
    desk.live(10 * MIN)
    desk.do(StartGuide("prone-press-up"))
    assert desk.tracker.status().guide == GuideFrame("prone-press-up", Phase.POSITION, 5, 0)
    assert desk.do(CancelGuide())[-1] == StateChanged(State.GUIDING, State.SITTING)
    assert desk.tracker.status().sitting_seconds == 10 * MIN


def test_lock_and_busy_pause_the_guide_off_screen_and_the_return_offers_to_carry_on() -> None:
    desk = guiding_desk()
    desk.live(10)
    assert desk.do(ScreenLocked()) == [WithdrawReminder()]
    desk.live(60)  # behind the lock the countdown stands still
    offer = desk.do(ScreenUnlocked())
    assert offer == [GuideFrame("standing-lunge", Phase.SIDE_ONE, 25, 17, paused=True)]
    desk.do(ReminderOpened())  # Carry on
    assert desk.do(BusyChanged(frozenset({"dnd:dunst"}))) == [WithdrawReminder()]
    desk.live(30)
    assert desk.tracker.status().guide.paused  # type: ignore[union-attr]
    assert desk.do(BusyChanged(frozenset()))[0].paused  # type: ignore[union-attr]


def test_a_running_guide_needs_no_idle_reading_until_one_could_count_the_user_away() -> None:
    desk = guiding_desk(break_after_idle=20)
    assert desk.tracker.needs_idle_sample() is False  # input just now: 20 s to go
    desk.clock.advance(19)
    desk.do(IdleSampleLate())  # a tick on what is known
    assert desk.tracker.needs_idle_sample() is False
    desk.clock.advance(1)  # 20 s since the last input known: a reading could say away
    assert desk.tracker.needs_idle_sample() is True
    desk.sample()  # present after all
    assert desk.tracker.needs_idle_sample() is False
    desk.do(ScreenLocked())  # paused: its wake-ups are not ticks
    assert desk.tracker.needs_idle_sample() is True
