"""Bugs the soak found, each as the shortest story through the in-process daemon."""

from __future__ import annotations

from pathlib import Path

from breakd.core.events import ScreenLocked
from tests.inprocess.harness import InProcessDaemon
from tests.inprocess.test_daemon_day import MIN, run

DROP_AFTER_10M = "dont_interrupt:\n  max_deferral: 10m\n  on_max_deferral: drop\n"


def test_a_repeat_dropped_after_max_deferral_takes_the_reminder_back(tmp_path: Path) -> None:
    async def scenario(d: InProcessDaemon) -> None:
        assert d.notifier is not None
        await d.advance(45 * MIN + 1)
        assert await d.state() == "reminding"
        d.busy("fullscreen:mpv")  # the repeat 5 min later is held...
        await d.advance(16 * MIN)  # ...and dropped after 10 min of it
        assert await d.state() == "sitting"
        assert d.notifier.on_screen is None, "the dropped reminder is still on screen"

    run(tmp_path, scenario, DROP_AFTER_10M)


def test_a_held_reminder_behind_a_lock_does_not_spin_the_timer(tmp_path: Path) -> None:
    async def scenario(d: InProcessDaemon) -> None:
        d.busy("dnd:dunst")
        await d.advance(45 * MIN + 1)  # due, and held
        d.busy()  # free: it goes once settle (45 s) has passed...
        d.session(ScreenLocked())  # ...but the screen locks first
        before = d.timer.wakeups
        await d.advance(2 * MIN)
        assert d.timer.wakeups - before < 10, f"{d.timer.wakeups - before} wake-ups in 2 min"

    run(tmp_path, scenario)
