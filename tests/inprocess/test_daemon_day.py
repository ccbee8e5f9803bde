"""A working day through the real daemon wiring, on a fake clock: hours in milliseconds.

Each test builds the daemon in-process (tests/inprocess/harness.py): the real
control socket, answered as the CLI asks; the real state file; the real cron
triggers; fakes only at the OS edges. A test fails if the daemon logged an ERROR
or a traceback that it did not expect.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Awaitable, Callable
from datetime import datetime, timezone
from pathlib import Path

import pytest

from breakd.core.events import ScreenLocked, ScreenUnlocked, Sleeping, Woke
from tests.inprocess.harness import InProcessDaemon

MIN = 60.0
HOUR = 3600.0
MONDAY_9 = datetime(2026, 11, 23, 9, 0, tzinfo=timezone.utc)

Scenario = Callable[[InProcessDaemon], Awaitable[None]]


def run(tmp_path: Path, scenario: Scenario, config: str = "", **options: object) -> InProcessDaemon:
    async def main() -> InProcessDaemon:
        async with InProcessDaemon(tmp_path, config, **options) as daemon:  # type: ignore[arg-type]
            await scenario(daemon)
        return daemon

    return asyncio.run(main())


def titles(daemon: InProcessDaemon) -> list[str]:
    assert daemon.notifier is not None
    return [shown.message.title for shown in daemon.notifier.shown]


def test_a_day_of_sitting_away_reminders_and_answers(tmp_path: Path) -> None:
    async def day(d: InProcessDaemon) -> None:
        assert d.notifier is not None
        await d.advance(45 * MIN - 1)
        assert d.notifier.shown == []
        assert await d.state() == "sitting"
        await d.advance(2)
        assert await d.state() == "reminding"
        assert d.notifier.on_screen is not None
        assert "Standing lunge" in d.notifier.on_screen.message.title

        d.notifier.press("snooze:300")  # a button: the same path as `breakd snooze 5m`
        await d.settle()
        status = await d.status()
        assert status["state"] == "snoozed"
        assert d.notifier.on_screen is None
        await d.advance(5 * MIN + 1)
        assert await d.state() == "reminding"

        reply = await d.cli("done")
        assert reply["ok"], reply
        assert "Kneeling" in str(reply["message"]) or "kneeling" in str(reply["message"])
        status = await d.status()
        assert (status["state"], status["done_count"], status["sitting_seconds"]) == (
            "sitting",
            1,
            0,
        )

        d.idle.leave()  # lunch: away longer than break_after_idle is a natural break
        await d.advance(40 * MIN)
        assert await d.state() == "away"
        d.idle.come_back()
        await d.settle()
        assert await d.state() == "sitting"
        assert any("natural break of" in text for text in d.guard.messages())

        await d.advance(45 * MIN + 1)
        d.notifier.press("skip")
        await d.settle()
        status = await d.status()
        assert (status["state"], status["skipped_count"]) == ("sitting", 1)

        reply = await d.cli("pause", seconds=HOUR)
        assert reply["ok"], reply
        await d.advance(HOUR - 1)
        assert await d.state() == "paused"
        await d.advance(2)
        assert await d.state() == "sitting"

    daemon = run(tmp_path, day, wall=MONDAY_9)
    assert len(titles(daemon)) == 3
    saved = json.loads((tmp_path / "state.json").read_text())
    assert (saved["done_count"], saved["skipped_count"]) == (1, 1)


def test_nobody_is_prompted_at_an_empty_chair_and_the_return_needs_no_polling(
    tmp_path: Path,
) -> None:
    async def scenario(d: InProcessDaemon) -> None:
        await d.advance(44 * MIN)
        d.idle.leave()
        await d.advance(2 * MIN)  # due at 45 min, but idle for over 30 s: held
        assert await d.state() == "sitting"
        assert titles(d) == []
        samples = d.idle.samples
        await d.advance(3 * HOUR)
        assert await d.state() == "away"
        assert d.idle.samples - samples <= 3, "the daemon sampled on a beat while away"
        d.idle.come_back()
        await d.settle()
        assert await d.state() == "sitting"
        assert titles(d) == []

    run(tmp_path, scenario)


def test_a_source_that_cannot_watch_is_sampled_every_poll_every_while_away(
    tmp_path: Path,
) -> None:
    async def scenario(d: InProcessDaemon) -> None:
        d.idle.leave()
        await d.advance(10 * MIN)
        assert await d.state() == "away"
        before = d.idle.samples
        await d.advance(60)
        assert d.idle.samples - before >= 12  # poll_every: 5s
        d.idle.come_back()
        await d.advance(5)
        assert await d.state() == "sitting"

    run(tmp_path, scenario, can_watch_input=False)


def test_lock_withdraws_the_reminder_and_a_long_lock_is_a_break(tmp_path: Path) -> None:
    async def scenario(d: InProcessDaemon) -> None:
        assert d.notifier is not None
        await d.advance(45 * MIN + 1)
        assert d.notifier.on_screen is not None
        d.idle.leave()
        d.session(ScreenLocked())
        await d.settle()
        assert d.notifier.on_screen is None
        await d.advance(20 * MIN)
        assert await d.state() == "away"
        d.session(ScreenUnlocked())
        d.idle.come_back()
        await d.settle()
        status = await d.status()
        assert (status["state"], status["sitting_seconds"]) == ("sitting", 0)

    run(tmp_path, scenario)


@pytest.mark.parametrize("told", [True, False], ids=["logind", "clocks-only"])
def test_a_suspend_is_a_break(tmp_path: Path, told: bool) -> None:
    async def scenario(d: InProcessDaemon) -> None:
        await d.advance(30 * MIN)
        d.idle.leave()  # the lid closes
        if told:
            d.session(Sleeping())
        d.clock.suspend(2 * HOUR)
        if told:
            d.session(Woke())
        await d.advance(0.5)  # the boot-clock timer is due: it wakes the daemon after resume
        assert await d.state() == "away"
        d.idle.come_back()
        await d.settle()
        status = await d.status()
        assert (status["state"], status["sitting_seconds"]) == ("sitting", 0)
        assert any("natural break of 2 h" in m for m in d.guard.messages())
        assert titles(d) == []  # due at 45 min, during the suspend

    run(tmp_path, scenario)


def test_a_reminder_due_while_logind_says_asleep_never_comes_and_the_sleep_is_a_break(
    tmp_path: Path,
) -> None:
    """The boot-clock timer still fires in the sleep, and the idle source still says 0 s."""

    async def scenario(d: InProcessDaemon) -> None:
        await d.advance(44 * MIN)
        d.session(Sleeping())
        await d.advance(2 * HOUR)
        status = await d.status()
        assert (status["state"], status["sitting_seconds"]) == ("away", None)
        assert titles(d) == []
        d.session(Woke())
        await d.settle()
        assert await d.state() == "away", "the idle time from before the sleep counts as away"
        await d.advance(1)
        status = await d.status()
        assert (status["state"], status["sitting_seconds"]) == ("sitting", 0)
        assert any("natural break of 2 h" in m for m in d.guard.messages())
        assert titles(d) == []

    run(tmp_path, scenario)


def test_input_more_often_than_break_after_idle_is_one_unbroken_sitting(tmp_path: Path) -> None:
    async def scenario(d: InProcessDaemon) -> None:
        for _ in range(15):  # a key every 4 min; break_after_idle: 5m
            d.idle.leave()
            await d.advance(4 * MIN)
            assert await d.state() == "sitting"
            d.idle.come_back()
        status = await d.status()
        assert (status["state"], status["sitting_seconds"]) == ("sitting", 60 * MIN)
        assert not any("natural break" in m for m in d.guard.messages())

    run(tmp_path, scenario, "sitting:\n  remind_after: 2h\n")


def test_busy_holds_the_reminder_and_one_prompt_follows_once_settled(tmp_path: Path) -> None:
    async def scenario(d: InProcessDaemon) -> None:
        assert d.notifier is not None
        await d.advance(40 * MIN)
        d.busy("dnd:dunst")
        await d.advance(30 * MIN)  # due at 45 min: held, and sitting time keeps counting
        assert titles(d) == []
        status = await d.status()
        assert status["state"] == "sitting"
        assert status["deferred"] == {
            "since": "2026-11-23T09:45:00+00:00",
            "reasons": ["dnd:dunst"],
        }
        d.busy()
        await d.advance(45 - 1)  # dont_interrupt.settle: 45 s
        assert titles(d) == []
        await d.advance(2)
        assert titles(d) == ["Stretch break: Standing lunge, now do not disturb is off"]
        assert "Seated for 1 h 10 min." in d.notifier.shown[0].message.body
        status = await d.status()
        assert (status["state"], status["deferred"]) == ("reminding", None)
        await d.advance(4 * MIN)  # short of repeat_every: the prompt stays the only one
        assert len(titles(d)) == 1

    run(tmp_path, scenario)


def test_a_full_screen_window_that_held_the_reminder_names_the_prompt(tmp_path: Path) -> None:
    async def scenario(d: InProcessDaemon) -> None:
        d.busy("fullscreen:xmessage")
        await d.advance(46 * MIN)
        deferred = (await d.status())["deferred"]
        assert deferred is not None
        assert deferred["reasons"] == ["fullscreen:xmessage"]
        d.busy()
        await d.advance(46)
        assert titles(d) == ["Stretch break: Standing lunge, now full screen is over"]

    run(tmp_path, scenario)


def test_the_state_file_carries_the_stretch_the_counts_and_a_snooze_across_a_restart(
    tmp_path: Path,
) -> None:
    async def first(d: InProcessDaemon) -> None:
        await d.advance(45 * MIN + 1)
        await d.cli("done")
        await d.advance(10 * MIN)
        await d.cli("snooze", seconds=20 * MIN)

    stopped = run(tmp_path, first).clock.wall()

    async def second(d: InProcessDaemon) -> None:
        status = await d.status()
        assert (status["exercise"], status["done_count"]) == ("kneeling-lunge", 1)
        assert status["state"] == "snoozed"
        assert status["snoozed_until"] == "2026-11-23T10:15:01+00:00"

    run(tmp_path, second, wall=stopped)


def test_a_reload_with_a_bad_config_keeps_the_running_one(tmp_path: Path) -> None:
    async def scenario(d: InProcessDaemon) -> None:
        d.guard.expected += ["config reload failed", "sitting.remind_after"]
        d.config_file.write_text("sitting:\n  remind_after: soon\n")
        assert d.daemon is not None
        d.daemon.reload()
        await d.advance(45 * MIN + 1)
        assert await d.state() == "reminding"

    run(tmp_path, scenario, "sitting:\n  remind_after: 45m\n")


def test_the_log_guard_fails_a_test_whose_daemon_logged_an_error(tmp_path: Path) -> None:
    async def scenario(d: InProcessDaemon) -> None:
        logging.getLogger("breakd").error("something broke")

    with pytest.raises(AssertionError, match="the daemon logged errors"):
        run(tmp_path, scenario)


def test_the_log_guard_fails_on_a_traceback_too(tmp_path: Path) -> None:
    async def scenario(d: InProcessDaemon) -> None:
        try:
            raise RuntimeError("boom")
        except RuntimeError:
            logging.getLogger("breakd").warning("handled", exc_info=True)

    with pytest.raises(AssertionError, match="the daemon logged errors"):
        run(tmp_path, scenario)
