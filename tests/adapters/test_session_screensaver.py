"""The ScreenSaver session source against KDE- and GNOME-like stand-ins on a private bus."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest

from breakd.adapters.dbus.link import SharedBus
from breakd.adapters.session.screensaver import ScreenSaverSource
from breakd.adapters.watcher import WatcherUnavailable
from breakd.core.events import ScreenLocked, ScreenUnlocked
from tests.dbus_services import (
    Impostor,
    PrivateBuses,
    ScreenSaver,
    ServiceHost,
    Watching,
    private_buses,
    service_host,
)


@pytest.fixture
def buses(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[PrivateBuses]:
    with private_buses(tmp_path) as started:
        monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", started.session_address)
        yield started


@pytest.fixture
def host() -> Iterator[ServiceHost]:
    with service_host() as started:
        yield started


def kde(host: ServiceHost, buses: PrivateBuses) -> ScreenSaver:
    return ScreenSaver(host, buses.session_address).start()


def gnome(host: ServiceHost, buses: PrivateBuses) -> ScreenSaver:
    return ScreenSaver(
        host, buses.session_address, name="org.gnome.ScreenSaver", paths=("/org/gnome/ScreenSaver",)
    ).start()


def source() -> ScreenSaverSource:
    return ScreenSaverSource(SharedBus("session"))


def test_kde_active_changed_locks_and_unlocks(buses: PrivateBuses, host: ServiceHost) -> None:
    screensaver = kde(host, buses)

    async def scenario() -> None:
        async with Watching(source()) as watching:
            await watching.expect(ScreenUnlocked())
            screensaver.set_active(True)  # KDE signals on both of its paths
            await watching.expect(ScreenLocked(), ScreenLocked())
            screensaver.set_active(False)
            await watching.expect(ScreenUnlocked(), ScreenUnlocked())

    asyncio.run(scenario())


def test_gnome_shells_own_screensaver_is_watched_too(
    buses: PrivateBuses, host: ServiceHost
) -> None:
    shell = gnome(host, buses)
    shell.active = True  # already locked when breakd starts

    async def scenario() -> None:
        async with Watching(source()) as watching:
            await watching.expect(ScreenLocked())
            shell.set_active(False)
            await watching.expect(ScreenUnlocked())

    asyncio.run(scenario())


def test_with_both_names_either_active_is_locked(buses: PrivateBuses, host: ServiceHost) -> None:
    freedesktop = ScreenSaver(host, buses.session_address, paths=("/org/freedesktop/ScreenSaver",))
    freedesktop.start()
    shell = gnome(host, buses)

    async def scenario() -> None:
        async with Watching(source()) as watching:
            await watching.expect(ScreenUnlocked())
            shell.set_active(True)
            await watching.expect(ScreenLocked())
            freedesktop.set_active(True)
            await watching.expect(ScreenLocked())
            shell.set_active(False)
            await watching.expect(ScreenLocked())  # the other one still says active
            freedesktop.set_active(False)
            await watching.expect(ScreenUnlocked())

    asyncio.run(scenario())


def test_one_name_leaving_drops_its_state_and_the_last_one_stops_the_source(
    buses: PrivateBuses, host: ServiceHost
) -> None:
    freedesktop = ScreenSaver(host, buses.session_address, paths=("/org/freedesktop/ScreenSaver",))
    freedesktop.start()
    shell = gnome(host, buses)

    async def scenario() -> None:
        async with Watching(source()) as watching:
            await watching.expect(ScreenUnlocked())
            shell.set_active(True)
            await watching.expect(ScreenLocked())
            shell.stop()  # e.g. the shell crashed while locked
            await watching.expect(ScreenUnlocked())
            freedesktop.stop()
            ended = await watching.stopped()
            assert str(ended) == "org.freedesktop.ScreenSaver left the session bus"

    asyncio.run(scenario())


def test_a_screensaver_appearing_later_is_picked_up(buses: PrivateBuses, host: ServiceHost) -> None:
    kde(host, buses)

    async def scenario() -> None:
        async with Watching(source()) as watching:
            await watching.expect(ScreenUnlocked())
            shell = gnome(host, buses)
            await watching.expect(ScreenUnlocked())  # read when it appeared
            shell.set_active(True)
            await watching.expect(ScreenLocked())

    asyncio.run(scenario())


def test_active_changed_from_a_non_owner_is_ignored(buses: PrivateBuses, host: ServiceHost) -> None:
    screensaver = ScreenSaver(host, buses.session_address, paths=("/org/freedesktop/ScreenSaver",))
    screensaver.start()
    impostor = Impostor(host, buses.session_address).start()

    async def scenario() -> None:
        async with Watching(source()) as watching:
            await watching.expect(ScreenUnlocked())
            breakd = screensaver.calls[-1].sender
            for destination in (None, breakd):
                impostor.emit(
                    "/org/freedesktop/ScreenSaver",
                    "org.freedesktop.ScreenSaver",
                    "ActiveChanged",
                    "b",
                    (True,),
                    destination,
                )
            screensaver.set_active(False)  # the real one: must be the next event
            await watching.expect(ScreenUnlocked())

    asyncio.run(scenario())


def test_no_screensaver_at_all_is_unavailable(buses: PrivateBuses) -> None:
    async def scenario() -> None:
        with pytest.raises(WatcherUnavailable) as caught:
            await source().probe()
        assert str(caught.value) == (
            "neither org.freedesktop.ScreenSaver nor org.gnome.ScreenSaver on the session bus"
            " (no screen locker that reports over D-Bus)"
        )

    asyncio.run(scenario())


def test_probe_names_what_is_there(buses: PrivateBuses, host: ServiceHost) -> None:
    kde(host, buses).active = True

    assert asyncio.run(source().probe()) == (
        "ActiveChanged from org.freedesktop.ScreenSaver (active)"
    )
