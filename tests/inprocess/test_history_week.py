"""A working week through the real daemon wiring on the fake clock, and what `breakd
stats` makes of the history it left: every figure is worked out here from the trace
the test drives (when the user sat, left, locked, slept, answered), not from the code."""

from __future__ import annotations

import asyncio
import json
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from breakd import paths
from breakd.cli import main
from breakd.core.events import ScreenLocked, ScreenUnlocked, Sleeping, Woke
from tests.inprocess.harness import InProcessDaemon

MIN = 60.0
MONDAY_9 = datetime(2026, 11, 23, 9, 0, tzinfo=timezone.utc)


class Trace:
    """What the test made the user do, in wall time: the expected figures come from here."""

    def __init__(self, d: InProcessDaemon) -> None:
        self.d = d
        self.seated: list[tuple[datetime, datetime]] = []
        self.breaks: list[tuple[datetime, datetime]] = []
        self.sat_at: datetime | None = d.clock.wall()
        self.left_at: datetime | None = None
        self.reminders = self.repeats = self.snoozed = self.skipped = self.ignored = 0
        self.answered_done = 0
        self.done: dict[str, int] = {}
        self.out = False  # a reminder is out: shown, and not done or skipped yet
        self.held = 0.0

    @property
    def wall(self) -> datetime:
        return self.d.clock.wall()

    async def until(self, hour: int, minute: int = 0, second: int = 0) -> None:
        target = self.wall.replace(hour=hour, minute=minute, second=second)
        await self.d.advance((target - self.wall).total_seconds())

    def stand(self) -> None:
        assert self.sat_at is not None
        self.seated.append((self.sat_at, self.wall))
        self.sat_at = None
        self.left_at = self.wall

    def sit(self, after_break: bool = True) -> None:
        if after_break:
            assert self.left_at is not None
            self.breaks.append((self.left_at, self.wall))
        self.sat_at = self.wall

    async def leave(self) -> None:
        self.d.idle.leave()
        self.stand()

    async def come_back(self) -> None:
        self.d.idle.come_back()
        await self.d.settle()
        self.sit()
        assert await self.d.state() == "sitting"

    async def lock(self) -> None:
        await self.d.status()  # a sample now: the last input is this moment
        self.d.idle.leave()
        self.d.session(ScreenLocked())
        self.stand()

    async def unlock(self) -> None:
        self.d.session(ScreenUnlocked())
        self.d.idle.come_back()
        await self.d.settle()
        self.sit()

    async def suspend(self, seconds: float) -> None:
        """The lid closed for `seconds`; the user types again a minute after it opens."""
        await self.d.status()
        self.d.idle.leave()
        self.d.session(Sleeping())
        self.stand()
        self.d.clock.suspend(seconds)
        self.d.session(Woke())
        await self.d.settle()
        assert await self.d.state() == "away"
        await self.d.advance(MIN)
        await self.come_back()

    async def reminder(self) -> str:
        """The reminder the user sees now; its stretch."""
        assert self.d.notifier is not None and self.d.notifier.on_screen is not None
        self.reminders += 1
        self.out = True
        return str((await self.d.status())["exercise"])

    async def answer(self, command: str, **args: object) -> None:
        exercise = str((await self.d.status())["exercise"])
        reply = await self.d.cli(command, **args)
        assert reply["ok"] is True, reply
        if command == "done":
            self.done[exercise] = self.done.get(exercise, 0) + 1
            self.answered_done += self.out
        elif command == "skip":
            self.skipped += self.out
        elif command == "snooze":
            self.snoozed += self.out  # one put off before it came is no reminder's answer
        if command in ("done", "skip"):
            self.out = False


async def morning(t: Trace, day: int) -> None:
    """Each day has its own way with the 9:45 reminder."""
    d = t.d
    if day == 4:  # Friday: in a call from 9:30 to 10:00; the reminder waits
        await t.until(9, 30)
        d.busy("camera:zoom")
        await t.until(10, 0)
        d.busy()
        await t.until(10, 0, 44)
        assert d.notifier is not None and d.notifier.on_screen is None
        await t.until(10, 0, 46)
        await t.reminder()
        t.held += 15 * MIN + 45  # due 9:45, free at 10:00, settled 45 s later
        await t.until(10, 2)
        await t.answer("done")
        return
    await t.until(9, 45, 1)
    await t.reminder()
    await t.until(9, 46)
    if day == 0:
        await t.answer("done")
    elif day == 1:
        await t.answer("snooze", seconds=600)
        await t.until(9, 56, 1)
        await t.reminder()
        await t.until(9, 57)
        await t.answer("done")
    elif day == 2:
        await t.answer("skip")
    else:  # Thursday: left on screen, repeated, then the user walks away from it
        await t.until(9, 50, 1)
        t.repeats += 1
        await t.until(9, 52)
        await t.leave()
        t.ignored += 1
        t.out = False


async def working_day(t: Trace, day: int) -> None:
    await morning(t, day)
    if t.sat_at is not None:
        await t.until(10, 20)
        await t.leave()  # coffee
    await t.until(10, 35)
    await t.come_back()
    await t.until(11, 15)
    await t.lock()
    await t.until(11, 35)
    await t.unlock()
    await t.until(12, 15)
    await t.leave()  # lunch
    await t.until(13, 0)
    await t.come_back()
    await t.until(13, 40)
    assert (await t.d.cli("pause", seconds=600))["ok"] is True
    t.stand()
    await t.until(13, 50)
    t.sit(after_break=False)  # a pause is not a break
    assert await t.d.state() == "sitting"
    await t.until(14, 30)
    await t.suspend(30 * MIN)
    await t.until(15, 40)
    await t.leave()  # home


def test_a_week_of_history_gives_the_figures_of_the_week_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("TZ", "UTC")  # the days of `stats` are the fake clock's
    time.tzset()
    traced: list[Trace] = []

    async def week() -> None:
        async with InProcessDaemon(tmp_path, "", wall=MONDAY_9) as d:
            t = Trace(d)
            traced.append(t)
            for day in range(5):
                if day:
                    await t.d.advance((MONDAY_9 + timedelta(days=day) - t.wall).total_seconds())
                    await t.come_back()  # the night away ends: a break
                await working_day(t, day)
            await t.until(17, 0)

    asyncio.run(week())
    [t] = traced
    assert main(["--config", str(tmp_path / "config.yaml"), "stats", "--json",
                 "--from", "2026-11-23", "--to", "2026-11-27"]) == 0  # fmt: skip
    out, err = capsys.readouterr()
    assert err == ""
    found = json.loads(out)
    length = [(b - a).total_seconds() for a, b in t.seated]
    assert found["seated_seconds"] == sum(length)
    assert found["longest_sitting_seconds"] == max(length)
    assert found["natural_breaks"] == len(t.breaks)
    assert found["break_seconds"] == sum((b - a).total_seconds() for a, b in t.breaks)
    same_day = [(a, b) for a, b in t.breaks if a.date() == b.date()]
    assert found["moving_seconds"] == sum((b - a).total_seconds() for a, b in same_day)
    assert found["stretches"] == t.done
    assert found["done"] == sum(t.done.values())
    counts = ("reminders", "repeats", "answered_done", "snoozed", "skipped", "ignored")
    assert [found[k] for k in counts] == [getattr(t, k) for k in counts]
    assert found["held_seconds"] == t.held
    assert found["held_by"] == {"camera:zoom": t.held}
    for day in found["days"]:
        mine = [(a, b) for a, b in t.seated if a.date().isoformat() == day["date"]]
        assert day["seated_seconds"] == sum((b - a).total_seconds() for a, b in mine)


def test_a_stretch_or_a_snooze_with_no_reminder_out_is_no_reminder_answered(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()

    async def hour() -> None:
        async with InProcessDaemon(tmp_path, "", wall=MONDAY_9) as d:
            await d.advance(10 * MIN)
            assert (await d.cli("done"))["ok"] is True  # a stretch of the user's own accord
            assert (await d.cli("snooze", seconds=600))["ok"] is True  # the next, ahead
            await d.advance(56 * MIN)  # 45 min from the stretch and the 10 min snooze
            assert d.notifier is not None and d.notifier.on_screen is not None
            assert (await d.cli("done"))["ok"] is True

    asyncio.run(hour())
    assert main(["--config", str(tmp_path / "config.yaml"), "stats", "--json",
                 "--from", "2026-11-23"]) == 0  # fmt: skip
    found = json.loads(capsys.readouterr().out)
    assert (found["done"], found["reminders"]) == (2, 1)
    assert [found[k] for k in ("answered_done", "snoozed", "skipped", "ignored")] == [1, 0, 0, 0]


def test_history_off_writes_nothing(tmp_path: Path) -> None:
    async def hour() -> None:
        async with InProcessDaemon(tmp_path, "history:\n  enabled: false\n") as d:
            await d.advance(46 * 60)
            assert (await d.cli("done"))["ok"] is True

    asyncio.run(hour())
    assert not paths.history_dir().exists()


def test_a_history_that_cannot_be_written_costs_only_its_records(tmp_path: Path) -> None:
    paths.history_dir().parent.mkdir(parents=True)
    paths.history_dir().write_text("not a directory")

    async def hour() -> None:
        async with InProcessDaemon(tmp_path) as d:
            d.guard.expected.append("cannot write the history")
            await d.advance(45 * 60 + 1)  # the reminder's record fails
            await d.advance(30)
            assert (await d.cli("done"))["ok"] is True  # and so does the answer's
            assert (await d.status())["done_count"] == 1
            errors = [m for m in d.guard.messages() if "cannot write the history" in m]
            assert len(errors) == 2  # at the start and at the reminder: once a minute at most

    asyncio.run(hour())
