"""Several session sources merged into one stream of changes.

First the merging rules with scripted sources (the SessionEventSource protocol
played by the test), then the real sources from `open_session_sources()`
against stand-in services on private buses: one lock seen twice, a service
appearing late, a bus that dies and comes back.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from breakd.adapters.select import open_session_sources
from breakd.adapters.session import Emit
from breakd.adapters.session.combined import CombinedSessionEvents
from breakd.adapters.supervise import Backoff
from breakd.adapters.watcher import WatcherUnavailable
from breakd.core.events import (
    InhibitorChanged,
    ScreenLocked,
    ScreenUnlocked,
    SessionEvent,
    Sleeping,
    Woke,
)
from tests.dbus_services import (
    GnomeSessionManager,
    Login1,
    PrivateBuses,
    ScreenSaver,
    ServiceHost,
    private_buses,
    service_host,
    until,
)
from tests.desktop import start_session_bus

# -- the rules, with scripted sources ---------------------------------------------------


class Scripted:
    """A session source whose every move the test makes: events, or an exception to end with."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.steps: asyncio.Queue[SessionEvent | BaseException] = asyncio.Queue()
        self.watches = 0
        self.cancelled = False

    async def probe(self) -> str:
        return "scripted"

    async def watch(self, emit: Emit) -> None:
        self.watches += 1
        try:
            while True:
                step = await self.steps.get()
                if isinstance(step, BaseException):
                    raise step
                emit(step)
        except asyncio.CancelledError:
            self.cancelled = True
            raise

    def say(self, *steps: SessionEvent | BaseException) -> None:
        for step in steps:
            self.steps.put_nowait(step)


class Merged:
    """CombinedSessionEvents running as a task, with what it emitted."""

    def __init__(
        self, *sources: Any, retry_after: float = 60.0, max_retry_after: float = 900.0
    ) -> None:
        self.events: list[SessionEvent] = []
        self.delays: list[float] = []
        self.resume = asyncio.Event()
        retry = Backoff(retry_after, max_retry_after, self._sleep)
        self.combined = CombinedSessionEvents(sources, self.events.append, retry)
        self.task = asyncio.ensure_future(self.combined.run())

    async def _sleep(self, delay: float) -> None:
        """Record the retry delay, then wait for the test to let the retry happen."""
        self.delays.append(delay)
        await self.resume.wait()
        self.resume.clear()

    async def settle(self) -> None:
        """Let every task run until none has anything left to do right now."""
        for _ in range(20):
            await asyncio.sleep(0)

    async def stop(self) -> None:
        self.task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self.task


def run(scenario: Any) -> None:
    asyncio.run(scenario())


def test_two_sources_seeing_one_lock_give_one_locked_and_one_unlocked() -> None:
    async def scenario() -> None:
        logind, screensaver = Scripted("logind"), Scripted("screensaver")
        merged = Merged(logind, screensaver)
        logind.say(ScreenUnlocked(), ScreenLocked())
        screensaver.say(ScreenUnlocked(), ScreenLocked(), ScreenLocked())
        await merged.settle()
        assert merged.events == [ScreenLocked()]
        assert merged.combined.rule.merged.locked
        logind.say(ScreenUnlocked())
        await merged.settle()
        assert merged.events == [ScreenLocked()], "still locked by the screensaver"
        screensaver.say(ScreenUnlocked())
        await merged.settle()
        assert merged.events == [ScreenLocked(), ScreenUnlocked()]
        await merged.stop()

    run(scenario)


def test_inhibited_while_any_source_holds_an_inhibitor() -> None:
    async def scenario() -> None:
        logind, gnome = Scripted("logind"), Scripted("gnome-session-manager")
        merged = Merged(logind, gnome)
        logind.say(InhibitorChanged(False))
        gnome.say(InhibitorChanged(True), InhibitorChanged(True))
        logind.say(InhibitorChanged(True))
        gnome.say(InhibitorChanged(False))
        await merged.settle()
        assert merged.events == [InhibitorChanged(True)]
        logind.say(InhibitorChanged(False))
        await merged.settle()
        assert merged.events == [InhibitorChanged(True), InhibitorChanged(False)]
        await merged.stop()

    run(scenario)


def test_sleep_and_wake_pass_through_with_the_measured_length() -> None:
    async def scenario() -> None:
        logind = Scripted("logind")
        merged = Merged(logind)
        logind.say(Sleeping(), Sleeping(), Woke(slept_seconds=12.0), Woke())
        await merged.settle()
        assert merged.events == [Sleeping(), Woke(slept_seconds=12.0)]
        await merged.stop()

    run(scenario)


def test_a_stopped_source_is_forgotten_so_breakd_is_never_stuck_asleep_or_locked(
    caplog: pytest.LogCaptureFixture,
) -> None:
    async def scenario() -> None:
        logind = Scripted("logind")
        merged = Merged(logind, retry_after=60)
        logind.say(ScreenLocked(), InhibitorChanged(True), Sleeping())
        await merged.settle()
        logind.say(WatcherUnavailable("org.freedesktop.login1 left the system bus"))
        await merged.settle()
        assert merged.events == [
            ScreenLocked(),
            InhibitorChanged(True),
            Sleeping(),
            Woke(),
            ScreenUnlocked(),
            InhibitorChanged(False),
        ]
        report = merged.combined.reports[0]
        assert (report.state, report.reason) == (
            "stopped",
            "org.freedesktop.login1 left the system bus",
        )
        assert merged.delays == [60]
        merged.resume.set()  # the retry
        logind.say(ScreenLocked())
        await merged.settle()
        assert logind.watches == 2
        assert merged.events[-1] == ScreenLocked()
        assert merged.combined.reports[0].state == "watching"
        await merged.stop()

    with caplog.at_level(logging.INFO, logger="breakd.adapters.session.combined"):
        run(scenario)
    assert (
        "session events from logind stopped: org.freedesktop.login1 left the system bus;"
        " trying again in 60 s"
    ) in caplog.text


def test_stopped_or_unavailable_is_told_by_whether_the_run_reported_anything() -> None:
    async def scenario() -> None:
        logind = Scripted("logind")
        merged = Merged(logind, retry_after=60)
        logind.say(ScreenLocked(), WatcherUnavailable("the system bus went away"))
        await merged.settle()
        report = merged.combined.reports[0]
        assert (report.state, report.reason) == ("stopped", "the system bus went away")
        logind.say(WatcherUnavailable("cannot connect to the system bus"))
        merged.resume.set()  # the retry, which fails before saying anything
        await merged.settle()
        assert (report.state, report.reason) == ("unavailable", "cannot connect to the system bus")
        assert merged.delays == [60, 60]
        assert merged.events == [ScreenLocked(), ScreenUnlocked()]
        await merged.stop()

    run(scenario)


def test_an_unavailable_source_is_reported_and_retried_less_and_less_often(
    caplog: pytest.LogCaptureFixture,
) -> None:
    async def scenario() -> None:
        gnome = Scripted("gnome-session-manager")
        merged = Merged(gnome, retry_after=60, max_retry_after=200)
        why = "no org.gnome.SessionManager on the session bus (not a GNOME session)"
        for _ in range(4):
            gnome.say(WatcherUnavailable(why))
            await merged.settle()
            merged.resume.set()
        await merged.settle()
        assert merged.delays == [60, 120, 200, 200]
        report = merged.combined.reports[0]
        assert (report.name, report.state, report.reason) == (
            "gnome-session-manager",
            "unavailable",
            why,
        )
        assert merged.events == []
        gnome.say(InhibitorChanged(True))  # GNOME came up: the next try works
        await merged.settle()
        assert merged.events == [InhibitorChanged(True)]
        await merged.stop()

    with caplog.at_level(logging.DEBUG, logger="breakd.adapters.session.combined"):
        run(scenario)
    unavailable = (
        "session events: gnome-session-manager is not available: no org.gnome.SessionManager"
        " on the session bus (not a GNOME session)"
    )
    said = [(r.levelno, r.getMessage()) for r in caplog.records]
    assert said.count((logging.DEBUG, unavailable)) == 4, "the first try is in the start-up summary"
    infos = [message for level, message in said if level >= logging.INFO]
    assert infos == ["session events: watching gnome-session-manager"], (
        "a source that comes up late is said on its own, at info level"
    )


def test_a_broken_source_does_not_take_the_others_down(caplog: pytest.LogCaptureFixture) -> None:
    async def scenario() -> None:
        broken, logind = Scripted("broken"), Scripted("logind")
        merged = Merged(broken, logind)
        broken.say(ScreenLocked(), RuntimeError("a bug"))
        await merged.settle()
        logind.say(InhibitorChanged(True))
        await merged.settle()
        assert merged.events == [ScreenLocked(), ScreenUnlocked(), InhibitorChanged(True)]
        await merged.stop()

    run(scenario)
    assert "session events from broken failed" in caplog.text


def test_a_source_that_fails_the_same_way_again_is_logged_once(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A bug's traceback once, not at every retry; a new reason is said again."""

    async def scenario() -> None:
        broken = Scripted("broken")
        merged = Merged(broken)
        for error in (RuntimeError("a bug"), RuntimeError("a bug"), RuntimeError("another")):
            broken.say(ScreenLocked(), error)
            await merged.settle()
            merged.resume.set()
            await merged.settle()
        assert broken.watches == 4
        await merged.stop()

    with caplog.at_level(logging.DEBUG, logger="breakd.adapters.session.combined"):
        run(scenario)
    failed = [r for r in caplog.records if r.getMessage() == "session events from broken failed"]
    assert [r.exc_info[1].args for r in failed if r.exc_info] == [("a bug",), ("another",)]
    warned = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert warned == [
        "session events from broken stopped: it failed (RuntimeError: a bug); trying again in 60 s",
        "session events from broken stopped: it failed (RuntimeError: another);"
        " trying again in 60 s",
    ]


def test_a_failing_receiver_does_not_stop_the_sources(caplog: pytest.LogCaptureFixture) -> None:
    async def scenario() -> None:
        logind = Scripted("logind")
        received: list[SessionEvent] = []

        def receive(event: SessionEvent) -> None:
            received.append(event)
            if isinstance(event, ScreenLocked):
                raise ValueError("the daemon's bug")

        combined = CombinedSessionEvents([logind], receive)
        task = asyncio.ensure_future(combined.run())
        logind.say(ScreenLocked(), ScreenUnlocked())
        await until(lambda: len(received) == 2)
        assert logind.watches == 1
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task

    run(scenario)
    assert "handling ScreenLocked() failed" in caplog.text


def test_cancelling_the_stream_cancels_every_source() -> None:
    async def scenario() -> None:
        sources = [Scripted("logind"), Scripted("screensaver")]
        merged = Merged(*sources)
        await merged.settle()
        await merged.stop()
        assert all(source.cancelled for source in sources)

    run(scenario)


def test_with_no_sources_the_stream_waits_quietly_until_cancelled() -> None:
    async def scenario() -> None:
        merged = Merged()
        await merged.settle()
        assert not merged.task.done()
        await merged.stop()

    run(scenario)


# -- the real sources, on stand-ins -------------------------------------------------------


@pytest.fixture
def buses(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[PrivateBuses]:
    with private_buses(tmp_path) as started:
        monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", started.session_address)
        monkeypatch.setenv("DBUS_SYSTEM_BUS_ADDRESS", started.system_address)
        yield started


@pytest.fixture
def host() -> Iterator[ServiceHost]:
    with service_host() as started:
        yield started


def connections(bus_address: str) -> set[str]:
    """The unique names on a bus, minus the one asking."""
    from jeepney.bus_messages import message_bus
    from jeepney.io.blocking import open_dbus_connection

    with open_dbus_connection(bus_address) as connection:
        names = connection.send_and_get_reply(message_bus.ListNames(), timeout=5).body[0]
        return {name for name in names if name.startswith(":")} - {connection.unique_name}


class RealMerged:
    """The real sources from open_session_sources(), merged, in this test's loop."""

    def __init__(self, retry_after: float = 60.0) -> None:
        self.events: list[SessionEvent] = []
        self.sources = open_session_sources()
        self.combined = CombinedSessionEvents(
            self.sources, self.events.append, Backoff(retry_after, retry_after)
        )
        self.task = asyncio.ensure_future(self.combined.run())

    def states(self) -> dict[str, str]:
        return {report.name: report.state for report in self.combined.reports}

    async def watching(self, *names: str) -> None:
        await until(
            lambda: all(self.states()[name] == "watching" for name in names),
            message=f"not all of {names} watching: {self.combined.reports}",
        )

    async def stop(self) -> None:
        self.task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self.task


def test_logind_and_the_screensaver_seeing_one_lock_give_one_event(
    buses: PrivateBuses, host: ServiceHost
) -> None:
    login1 = Login1(host, buses.system_address, session_pids=(os.getpid(),)).start()
    screensaver = ScreenSaver(host, buses.session_address).start()
    GnomeSessionManager(host, buses.session_address).start()

    async def scenario() -> None:
        merged = RealMerged()
        await merged.watching("logind", "screensaver", "gnome-session-manager")
        assert merged.events == []  # unlocked and uninhibited, as the tracker starts
        screensaver.set_active(True)  # the locker comes up
        await until(lambda: merged.events == [ScreenLocked()])
        login1.set_locked_hint(True)  # and tells logind
        login1.set_block_inhibited("idle")  # a barrier: the next change must be this
        await until(lambda: len(merged.events) == 2)
        assert merged.events == [ScreenLocked(), InhibitorChanged(True)]
        screensaver.set_active(False)
        login1.set_block_inhibited("")
        await until(lambda: len(merged.events) == 3)
        assert merged.events[-1] == InhibitorChanged(False), "logind still says locked"
        login1.set_locked_hint(False)
        await until(lambda: len(merged.events) == 4)
        assert merged.events[-1] == ScreenUnlocked()
        await merged.stop()

    run(scenario)


def test_the_session_sources_share_one_connection_and_close_it_when_cancelled(
    buses: PrivateBuses, host: ServiceHost
) -> None:
    ScreenSaver(host, buses.session_address).start()
    GnomeSessionManager(host, buses.session_address).start()
    Login1(host, buses.system_address, session_pids=(os.getpid(),)).start()
    services_only = connections(buses.session_address)

    async def scenario() -> None:
        merged = RealMerged()
        await merged.watching("logind", "screensaver", "gnome-session-manager")
        assert len(connections(buses.session_address) - services_only) == 1
        await merged.stop()
        await until(lambda: connections(buses.session_address) == services_only)

    run(scenario)


def test_gnome_starting_after_breakd_is_picked_up_at_the_next_try(
    buses: PrivateBuses, host: ServiceHost
) -> None:
    async def scenario() -> None:
        merged = RealMerged(retry_after=0.2)
        await until(lambda: merged.states()["gnome-session-manager"] == "unavailable")
        manager = GnomeSessionManager(host, buses.session_address).start()
        manager.add_inhibitor(GnomeSessionManager.IDLE)
        await until(lambda: merged.events == [InhibitorChanged(True)], timeout=5)
        assert merged.states()["logind"] == "unavailable"
        await merged.stop()

    run(scenario)


def test_a_session_bus_that_dies_and_comes_back_is_watched_again(
    buses: PrivateBuses, host: ServiceHost, tmp_path: Path
) -> None:
    screensaver = ScreenSaver(host, buses.session_address).start()

    async def scenario() -> None:
        merged = RealMerged(retry_after=0.2)
        await merged.watching("screensaver")
        screensaver.set_active(True)
        await until(lambda: merged.events == [ScreenLocked()])

        buses.kill("session")
        await until(lambda: merged.events == [ScreenLocked(), ScreenUnlocked()])
        assert merged.states()["screensaver"] in ("stopped", "starting", "unavailable")

        # A new bus at the same socket, as when the session's bus is restarted.
        (tmp_path / "session-bus" / "bus").unlink()
        process, address = start_session_bus(tmp_path / "session-bus", dict(os.environ))
        buses.processes.append(process)
        comeback = ScreenSaver(host, address)
        comeback.active = True
        comeback.start()
        await until(lambda: merged.events[-1:] == [ScreenLocked()], timeout=5)
        assert merged.events == [ScreenLocked(), ScreenUnlocked(), ScreenLocked()]
        await merged.stop()

    run(scenario)
