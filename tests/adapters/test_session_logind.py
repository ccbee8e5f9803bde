"""The logind session source against a logind stand-in on a private "system" bus.

The source speaks real D-Bus to tests/dbus_services.Login1, which owns
org.freedesktop.login1 and has its Manager and Session objects.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from breakd.adapters.dbus.link import SharedBus
from breakd.adapters.session.logind import LogindSource
from breakd.adapters.watcher import WatcherUnavailable
from breakd.core.events import InhibitorChanged, ScreenLocked, ScreenUnlocked, Sleeping, Woke
from tests.dbus_services import (
    Impostor,
    Login1,
    PrivateBuses,
    ServiceHost,
    Watching,
    private_buses,
    service_host,
)

UNLOCKED_AT_START = (ScreenUnlocked(), InhibitorChanged(False))


@pytest.fixture
def buses(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[PrivateBuses]:
    with private_buses(tmp_path) as started:
        monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", started.session_address)
        monkeypatch.setenv("DBUS_SYSTEM_BUS_ADDRESS", started.system_address)
        monkeypatch.delenv("XDG_SESSION_ID", raising=False)
        yield started


@pytest.fixture
def host() -> Iterator[ServiceHost]:
    with service_host() as started:
        yield started


def logind(host: ServiceHost, buses: PrivateBuses, **options: object) -> Login1:
    options.setdefault("session_pids", (os.getpid(),))
    return Login1(host, buses.system_address, **options).start()  # type: ignore[arg-type]


def source() -> LogindSource:
    return LogindSource(SharedBus("system"))


def test_lock_state_from_locked_hint_and_from_lock_signals(
    buses: PrivateBuses, host: ServiceHost
) -> None:
    login1 = logind(host, buses)

    async def scenario() -> None:
        async with Watching(source()) as watching:
            await watching.expect(*UNLOCKED_AT_START)
            login1.set_locked_hint(True)
            await watching.expect(ScreenLocked())
            login1.set_locked_hint(False)
            await watching.expect(ScreenUnlocked())
            login1.lock()
            await watching.expect(ScreenLocked())
            login1.unlock()
            await watching.expect(ScreenUnlocked())

    asyncio.run(scenario())


def test_suspend_and_resume_from_prepare_for_sleep(buses: PrivateBuses, host: ServiceHost) -> None:
    login1 = logind(host, buses)

    async def scenario() -> None:
        async with Watching(source()) as watching:
            await watching.expect(*UNLOCKED_AT_START)
            login1.prepare_for_sleep(True)
            await watching.expect(Sleeping())
            login1.prepare_for_sleep(False)
            await watching.expect(Woke())

    asyncio.run(scenario())


def test_an_idle_inhibitor_is_idle_in_block_inhibited(
    buses: PrivateBuses, host: ServiceHost
) -> None:
    login1 = logind(host, buses)

    async def scenario() -> None:
        async with Watching(source()) as watching:
            await watching.expect(*UNLOCKED_AT_START)
            login1.set_block_inhibited("handle-lid-switch:idle")
            await watching.expect(InhibitorChanged(True))
            login1.set_block_inhibited("sleep:handle-lid-switch")
            await watching.expect(InhibitorChanged(False))
            login1.set_block_inhibited("idle")
            await watching.expect(InhibitorChanged(True))

    asyncio.run(scenario())


def test_a_lock_and_an_inhibitor_held_at_start_are_reported_at_once(
    buses: PrivateBuses, host: ServiceHost
) -> None:
    logind(host, buses, locked=True, block_inhibited="idle:sleep")

    async def scenario() -> None:
        async with Watching(source()) as watching:
            await watching.expect(ScreenLocked(), InhibitorChanged(True))

    asyncio.run(scenario())


def test_outside_the_session_xdg_session_id_finds_it(
    buses: PrivateBuses, host: ServiceHost, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A daemon started by systemd --user is in no session: GetSessionByPID fails."""
    login1 = logind(host, buses, session_pids=(), session_id="4")
    login1.path_aliases.clear()  # no `auto` either: only XDG_SESSION_ID can find it
    monkeypatch.setenv("XDG_SESSION_ID", "4")

    async def scenario() -> None:
        async with Watching(source()) as watching:
            await watching.expect(*UNLOCKED_AT_START)
            login1.set_locked_hint(True)
            await watching.expect(ScreenLocked())

    asyncio.run(scenario())
    asked = [(call.member, call.body) for call in login1.calls if call.member.startswith("GetSes")]
    assert asked == [("GetSessionByPID", (os.getpid(),)), ("GetSession", ("4",))]


def test_outside_any_session_the_auto_session_is_watched(
    buses: PrivateBuses, host: ServiceHost
) -> None:
    login1 = logind(host, buses, session_pids=())

    async def scenario() -> None:
        async with Watching(source()) as watching:
            await watching.expect(*UNLOCKED_AT_START)
            login1.lock()
            await watching.expect(ScreenLocked())

    asyncio.run(scenario())
    assert any(call.path == login1.session_path and call.body[1] == "Id" for call in login1.calls)


def test_with_no_session_at_all_suspend_and_inhibitors_are_still_watched(
    buses: PrivateBuses, host: ServiceHost
) -> None:
    login1 = logind(host, buses, session_pids=())
    login1.path_aliases.clear()

    async def scenario() -> None:
        probe = await source().probe()
        assert "breakd is in no login session, so no lock state from logind" in probe
        async with Watching(source()) as watching:
            await watching.expect(InhibitorChanged(False))
            login1.lock()  # not breakd's session: not watched
            login1.prepare_for_sleep(True)
            await watching.expect(Sleeping())

    asyncio.run(scenario())


def test_signals_from_anyone_but_logind_are_ignored(buses: PrivateBuses, host: ServiceHost) -> None:
    login1 = logind(host, buses)
    impostor = Impostor(host, buses.system_address).start()

    async def scenario() -> None:
        async with Watching(source()) as watching:
            await watching.expect(*UNLOCKED_AT_START)
            breakd = login1.calls[-1].sender
            for destination in (None, breakd):
                impostor.emit(
                    Login1.MANAGER_PATH,
                    Login1.MANAGER,
                    "PrepareForSleep",
                    "b",
                    (True,),
                    destination,
                )
                impostor.emit(login1.session_path, Login1.SESSION, "Lock", "", (), destination)
            login1.unlock()  # the real one, after the fakes: the next event must be this one
            await watching.expect(ScreenUnlocked())

    asyncio.run(scenario())


def test_logind_leaving_the_bus_stops_the_source(buses: PrivateBuses, host: ServiceHost) -> None:
    login1 = logind(host, buses)

    async def scenario() -> None:
        async with Watching(source()) as watching:
            await watching.expect(*UNLOCKED_AT_START)
            login1.stop()
            ended = await watching.stopped()
            assert str(ended) == "org.freedesktop.login1 left the system bus"

    asyncio.run(scenario())


def test_the_system_bus_going_away_stops_the_source(buses: PrivateBuses, host: ServiceHost) -> None:
    logind(host, buses)

    async def scenario() -> None:
        async with Watching(source()) as watching:
            await watching.expect(*UNLOCKED_AT_START)
            buses.kill("system")  # with no goodbye signals
            ended = await watching.stopped()
            assert str(ended).startswith("the system bus went away")

    asyncio.run(scenario())


def test_no_logind_is_unavailable_before_anything_is_emitted(buses: PrivateBuses) -> None:
    async def scenario() -> None:
        async with Watching(source()) as watching:
            ended = await watching.unavailable()
            assert str(ended) == (
                "no org.freedesktop.login1 on the system bus (systemd-logind is not running)"
            )
            assert watching.events == []

    asyncio.run(scenario())


def test_no_system_bus_is_unavailable_with_the_address(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    missing = tmp_path / "no-such-socket"
    monkeypatch.setenv("DBUS_SYSTEM_BUS_ADDRESS", f"unix:path={missing}")

    async def scenario() -> None:
        with pytest.raises(WatcherUnavailable) as caught:
            await source().probe()
        assert str(caught.value) == (
            f"cannot connect to the system bus at unix:path={missing} (No such file or directory)"
        )

    asyncio.run(scenario())


def test_probe_says_what_it_would_watch_and_what_it_sees(
    buses: PrivateBuses, host: ServiceHost
) -> None:
    logind(host, buses, locked=True, session_id="3")

    assert asyncio.run(source().probe()) == (
        "suspend, lock state of session 3 and idle inhibitors (now: locked, no idle inhibitor)"
    )
