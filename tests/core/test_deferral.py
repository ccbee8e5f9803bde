"""Don't interrupt: a reminder due while the user is busy is held, then delivered once."""

from __future__ import annotations

import pytest

from breakd.core.deferral import DontInterruptSettings
from breakd.core.effects import ShowReminder, State
from breakd.core.events import BusyChanged, Done, RemindNow
from tests.core.test_tracker import MIN, Desk

CALL = frozenset({"camera:zoom"})
DND = frozenset({"dnd:dunst"})
FREE: frozenset[str] = frozenset()


def desk(**dont_interrupt: object) -> Desk:
    return Desk(dont_interrupt=DontInterruptSettings(**dont_interrupt))  # type: ignore[arg-type]


def test_due_while_busy_gives_no_prompt_and_sitting_keeps_counting() -> None:
    d = desk()
    d.live(30 * MIN)
    d.do(BusyChanged(CALL))
    d.live(30 * MIN)
    assert d.reminders() == []
    status = d.tracker.status()
    assert status.state is State.SITTING
    assert status.sitting_seconds == pytest.approx(60 * MIN, abs=2)
    assert status.deferred_reasons == ("camera:zoom",)
    assert status.deferred_since is not None
    held_for = (d.clock.wall() - status.deferred_since).total_seconds()
    assert held_for == pytest.approx(15 * MIN, abs=2)


def test_busy_ending_gives_one_prompt_after_settle_saying_how_long_seated() -> None:
    d = desk(settle=45.0)
    d.live(40 * MIN)
    d.do(BusyChanged(CALL))
    d.live(15 * MIN)
    d.do(BusyChanged(FREE))
    d.live(44.0)
    assert d.reminders() == []
    d.live(2.0)
    [prompt] = d.reminders()
    assert prompt.held_by == CALL
    assert prompt.repeat == 0
    assert prompt.sitting_seconds == pytest.approx(55 * MIN + 46, abs=2)
    assert d.tracker.status().deferred_since is None


def test_flapping_busy_still_gives_exactly_one_prompt() -> None:
    d = desk(settle=45.0)
    d.live(44 * MIN)
    d.do(BusyChanged(DND))
    d.live(20.0)
    for _ in range(5):
        d.do(BusyChanged(FREE))
        d.live(30.0)
        d.do(BusyChanged(DND | CALL))
        d.live(10.0)
    assert d.reminders() == []
    d.do(BusyChanged(FREE))
    d.live(5 * MIN)
    [prompt] = d.reminders()
    assert prompt.held_by == DND | CALL


def test_no_repeat_stacks_up_while_busy() -> None:
    d = desk()
    d.live(45 * MIN + 1)
    d.do(BusyChanged(DND))
    d.live(60 * MIN)
    assert [r.repeat for r in d.reminders()] == [0]


def test_going_away_while_a_prompt_is_pending_is_the_break() -> None:
    d = desk()
    d.live(44 * MIN)
    d.do(BusyChanged(CALL))
    d.live(5 * MIN)
    assert d.tracker.status().deferred_reasons
    d.leave()
    d.live(6 * MIN)
    assert d.state is State.AWAY
    d.come_back()
    d.do(BusyChanged(FREE))
    d.live(5 * MIN)
    assert d.reminders() == []
    assert d.tracker.status().deferred_since is None
    assert d.tracker.status().sitting_seconds == pytest.approx(5 * MIN, abs=6)


@pytest.mark.parametrize(
    ("policy", "prompts_during_busy", "sitting_restarts"),
    [("deliver", 1, False), ("keep_waiting", 0, False), ("drop", 0, True)],
)
def test_max_deferral_policies(
    policy: str, prompts_during_busy: int, sitting_restarts: bool
) -> None:
    d = desk(max_deferral=30 * MIN, on_max_deferral=policy)
    d.do(BusyChanged(CALL))
    d.live(45 * MIN + 1)
    d.live(30 * MIN - 2)
    assert d.reminders() == []
    d.live(3)
    shown = d.reminders()
    assert len(shown) == prompts_during_busy
    assert all(p.repeat == 0 for p in shown), "never a repeat while busy"
    sitting = d.tracker.status().sitting_seconds
    assert (sitting < 5) is sitting_restarts


def test_remind_now_and_done_ignore_and_clear_the_hold() -> None:
    d = desk()
    d.live(40 * MIN)
    d.do(BusyChanged(CALL))
    d.live(10 * MIN)
    assert d.tracker.status().deferred_since is not None
    d.do(RemindNow())
    assert len(d.reminders()) == 1
    d.do(Done())
    assert d.tracker.status().deferred_since is None


def test_switched_off_busy_signals_do_not_hold() -> None:
    d = desk(enabled=False)
    d.do(BusyChanged(CALL))
    d.live(45 * MIN + 1)
    assert isinstance(d.reminders()[0], ShowReminder)


def test_the_daemon_is_not_woken_while_a_prompt_waits_on_a_call() -> None:
    d = desk(on_max_deferral="keep_waiting")
    d.live(46 * MIN)
    d.do(BusyChanged(CALL))
    before = d.samples
    d.live(3 * 60 * MIN)
    assert d.samples - before <= 3 * 60 / 5 + 2  # one per break_after_idle, no 5 s polling


def test_a_repeat_held_by_a_call_comes_as_the_held_prompt_and_counts_on() -> None:
    d = desk(settle=45.0)
    d.live(45 * MIN + 5 * MIN + 1)
    assert [r.repeat for r in d.reminders()] == [0, 1]
    d.do(BusyChanged(CALL))
    d.live(20 * MIN)
    d.do(BusyChanged(FREE))
    d.live(46.0)
    held = d.reminders()[-1]
    assert held.held_by == CALL  # its title says the call is over
    assert held.repeat == 2  # the third prompt; every one has normal urgency
