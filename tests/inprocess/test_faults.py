"""Faults around a running daemon: it reports them and keeps working."""

from __future__ import annotations

import asyncio
import errno
import logging
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import get_args

import pytest

from breakd.adapters.worker import Worker
from breakd.core.commands import COMMANDS
from breakd.core.effects import State
from breakd.core.events import (
    BusyChanged,
    InhibitorChanged,
    ScreenLocked,
    ScreenUnlocked,
    SessionEvent,
    Sleeping,
    Woke,
)
from breakd.ipc.status import StatusReply
from tests.inprocess.harness import FakeIdle, InProcessDaemon
from tests.inprocess.test_daemon_day import MIN, run

STATES = {state.value for state in State}


def test_a_reload_from_a_named_pipe_is_refused_and_the_daemon_keeps_answering(
    tmp_path: Path,
) -> None:
    async def scenario(d: InProcessDaemon) -> None:
        d.guard.expected += ["config reload failed", "not a regular file (a named pipe)"]
        d.config_file.unlink()
        os.mkfifo(d.config_file)
        assert d.daemon is not None
        d.daemon.reload()
        await d.settle()  # nothing waits for a writer
        assert any("a named pipe" in message for message in d.guard.messages())
        await d.advance(45 * MIN + 1)
        assert await d.state() == "reminding"

    run(tmp_path, scenario, "sitting:\n  remind_after: 45m\n")


BAD_SECONDS = [1e308, float("inf"), float("-inf"), float("nan"), 2.5e11, 86401, 0, -5, True, "60"]


def test_out_of_range_durations_are_refused_and_the_daemon_stays_healthy(tmp_path: Path) -> None:
    async def scenario(d: InProcessDaemon) -> None:
        await d.advance(45 * MIN + 1)
        for command in ("snooze", "pause"):
            for seconds in BAD_SECONDS:
                reply = await d.cli(command, seconds=seconds)
                assert reply["ok"] is False, (command, seconds, reply)
                assert str(reply["message"]).startswith(
                    "seconds must be a number above 0 and at most 86400 (24h), found "
                )
                assert await d.state() == "reminding"
        assert d.notifier is not None
        d.notifier.press("snooze:99999999999999999999")  # a key breakd never sent
        d.guard.expected.append("ignored an unknown notification action")
        await d.settle()
        reply = await d.cli("snooze", seconds=86400)
        assert reply["ok"], reply
        assert (await d.status())["snoozed_until"] == "2026-11-24T09:45:01+00:00"

    run(tmp_path, scenario)


# -- a failure in each handler ------------------------------------------------------

ADAPTER_BUG = ZeroDivisionError("an adapter bug")


def fail_once(fake: object, method: str, error: Exception) -> None:
    """The fake adapter's `method` raises `error` at its next call, then works again."""
    working = getattr(fake, method)

    def failing(*args: object, **kwargs: object) -> object:
        setattr(fake, method, working)
        raise error

    setattr(fake, method, failing)


def errors_logged(d: InProcessDaemon) -> list[str]:
    return [r.getMessage() for r in d.guard.records if r.levelno >= logging.ERROR]


async def reminding(d: InProcessDaemon) -> StatusReply:
    """The state most commands apply in: a reminder on screen."""
    await d.advance(45 * MIN + 1)
    status = await d.status()
    assert status["state"] == "reminding"
    return status


@pytest.mark.parametrize("command", list(COMMANDS))
def test_a_failure_inside_any_command_is_answered_as_an_error_and_the_next_command_works(
    tmp_path: Path, command: str
) -> None:
    """Every command of the one command table, so that a new one is covered too."""

    async def scenario(d: InProcessDaemon) -> None:
        before = await reminding(d)
        d.guard.expected.append(f"the {command} command failed")
        fail_once(d.idle, "idle_seconds", ADAPTER_BUG)  # the sample each command takes first
        reply = await d.cli(command)
        assert reply == {
            "ok": False,
            "message": f"{command} failed inside breakd; its log says why",
        }
        assert errors_logged(d) == [f"the {command} command failed"]
        assert await d.status() == before  # the failed command changed nothing
        reply = await d.cli(command)
        assert "failed inside breakd" not in str(reply.get("message")), reply
        assert (await d.status())["state"] in STATES

    run(tmp_path, scenario)


@pytest.mark.parametrize("command", list(COMMANDS))
def test_a_state_store_failing_inside_any_command_costs_the_save_not_the_command(
    tmp_path: Path, command: str
) -> None:
    """The reply says what the command did: the same reply and status as with a sound store."""

    def outcome(state_dir: Path, failing_store: bool) -> tuple[object, ...]:
        results: list[tuple[object, ...]] = []

        async def scenario(d: InProcessDaemon) -> None:
            await reminding(d)
            if failing_store:
                d.guard.expected.append("cannot save state to")
                fail_once(d.store, "save", RuntimeError("a store bug"))
            reply = await d.cli(command)
            status = {key: value for key, value in (await d.status()).items() if key != "config"}
            results.append((reply.get("ok"), reply.get("message"), status))

        state_dir.mkdir()
        run(state_dir, scenario)
        return results[0]

    assert outcome(tmp_path / "failing", True) == outcome(tmp_path / "sound", False)


async def timer_wake_up(d: InProcessDaemon) -> str:
    await d.advance(45 * MIN - 1)
    fail_once(d.idle, "idle_seconds", ADAPTER_BUG)
    await d.advance(3)  # due at 45 min: that wake-up fails; the next look, a second on, works
    assert await d.state() == "reminding"
    return "handling the timer wake-up failed"


async def calendar_edge(d: InProcessDaemon) -> str:
    await d.advance(30 * MIN - 1)
    fail_once(d.idle, "idle_seconds", ADAPTER_BUG)
    await d.advance(3)  # active hours end at 09:30: that edge fails; the next look works
    assert await d.state() == "off_hours"
    return "handling the calendar edge failed"


async def users_return(d: InProcessDaemon) -> str:
    d.idle.leave()
    await d.advance(6 * MIN)
    assert await d.state() == "away"
    assert d.idle.on_input is not None, "the daemon does not watch for the return"
    fail_once(d.idle, "idle_seconds", ADAPTER_BUG)
    d.idle.come_back()  # the idle source reports the input it was asked to watch for
    await d.advance(2)
    assert await d.state() == "sitting"
    return "handling the user's return failed"


async def notification_answer(d: InProcessDaemon) -> str:
    await reminding(d)
    assert d.notifier is not None
    fail_once(d.idle, "idle_seconds", ADAPTER_BUG)
    d.notifier.press("done")
    await d.settle()
    assert (await d.status())["done_count"] == 0
    d.notifier.press("done")
    await d.settle()
    status = await d.status()
    assert (status["state"], status["done_count"]) == ("sitting", 1)
    return "the done command failed"


async def config_reload(d: InProcessDaemon) -> str:
    assert d.daemon is not None
    fail_once(d, "load_config", RuntimeError("a loader bug"))
    d.config_file.write_text("sitting:\n  remind_after: 20m\n")
    d.daemon.reload()
    await d.advance(20 * MIN + 1)
    assert await d.state() == "sitting"  # the old config, 45 min
    d.daemon.reload()
    await d.advance(1)
    assert await d.state() == "reminding"  # the new one
    return "handling the config reload failed"


async def wall_clock_step(d: InProcessDaemon) -> str:
    fail_once(d.idle, "idle_seconds", ADAPTER_BUG)
    await d.set_wall_clock(31 * MIN)  # past the end of active hours
    await d.advance(2)
    assert await d.state() == "off_hours"
    return "handling the sample after the wall clock step failed"


EVENTS = {
    "timer wake-up": timer_wake_up,
    "calendar edge": calendar_edge,
    "wall clock step": wall_clock_step,
    "user's return": users_return,
    "notification answer": notification_answer,
    "config reload": config_reload,
}
HOURS_TO_09_30 = "active_hours:\n  from: '08:00'\n  to: '09:30'\n"


@pytest.mark.parametrize("event", list(EVENTS))
def test_a_failure_while_handling_an_event_is_logged_once_and_the_daemon_goes_on(
    tmp_path: Path, event: str
) -> None:
    async def scenario(d: InProcessDaemon) -> None:
        expected = await EVENTS[event](d)
        d.guard.expected.append(expected)
        assert errors_logged(d) == [expected]
        assert (await d.cli("status"))["ok"]

    run(tmp_path, scenario, HOURS_TO_09_30 if "calendar" in event or "clock" in event else "")


SESSION_EVENTS: dict[type, SessionEvent] = {
    ScreenLocked: ScreenLocked(),
    ScreenUnlocked: ScreenUnlocked(),
    Sleeping: Sleeping(),
    Woke: Woke(),
    InhibitorChanged: InhibitorChanged(active=True),
    BusyChanged: BusyChanged(frozenset({"dnd:test"})),
}


def test_every_session_event_is_in_the_failure_test() -> None:
    assert set(SESSION_EVENTS) == set(get_args(SessionEvent))


@pytest.mark.parametrize("event", SESSION_EVENTS.values(), ids=lambda e: type(e).__name__)
def test_a_failure_while_handling_a_session_event_is_logged_once_and_the_daemon_goes_on(
    tmp_path: Path, event: SessionEvent
) -> None:
    async def scenario(d: InProcessDaemon) -> None:
        await d.advance(10 * MIN)
        fail_once(d.timer, "wake_at", OSError(errno.EINVAL, "Invalid argument"))
        d.session(event)  # the tracker takes it; planning the next wake-up fails
        await d.settle()
        [logged] = errors_logged(d)
        assert logged.startswith("handling the session event (") and logged.endswith(") failed")
        d.guard.expected.append(logged)
        assert d.timer.deadline is not None, "no wake-up planned after the failure"
        status = await d.status()
        if isinstance(event, ScreenLocked):
            assert status["locked"] is True
        if isinstance(event, InhibitorChanged):
            assert status["inhibited"] is True
        await d.advance(40 * MIN)  # and the day goes on
        assert (await d.cli("status"))["ok"]

    run(tmp_path, scenario)


# -- an idle source that is slow to answer ---------------------------------------------


class SlowIdle(FakeIdle):
    """The user's input as a server reports it that takes `delay` real seconds to answer."""

    delay = 0.0

    def idle_seconds(self) -> float:
        time.sleep(self.delay)  # on the daemon's idle worker, never on its loop
        return super().idle_seconds()


async def until(predicate: Callable[[], object], timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "not within the deadline"
        await asyncio.sleep(0.01)


def test_a_slow_idle_source_holds_no_command_up_and_its_late_reading_still_counts(
    tmp_path: Path,
) -> None:
    """The real idle worker: a command waits for a reading 0.2 s at most and goes on with
    what the daemon knows; the reading, when it comes, moves the user back from away."""

    async def main() -> None:
        d = InProcessDaemon(tmp_path, idle_calls=Worker("idle-test"))
        idle = d.idle = SlowIdle(d.clock)
        async with d:
            idle.leave()
            d.clock.advance(6 * MIN)  # past break_after_idle
            assert await d.state() == "away"
            await until(lambda: idle.on_input is not None)  # the watch, armed on the worker
            idle.delay = 0.6
            idle.come_back()
            asked = time.monotonic()
            assert await d.state() == "away"  # the reading is not in yet
            assert time.monotonic() - asked < 0.5
            await until(lambda: any("natural break" in m for m in d.guard.messages()))
            idle.delay = 0.0
            assert await d.state() == "sitting"

    asyncio.run(main())
