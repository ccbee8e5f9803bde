"""GNOME's session manager as a source of idle inhibitors, against a stand-in on a private bus."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest

from breakd.adapters.dbus.link import SharedBus
from breakd.adapters.session.gnome_session import GnomeSessionManagerSource
from breakd.adapters.watcher import WatcherUnavailable
from breakd.core.events import InhibitorChanged
from tests.dbus_services import (
    GnomeSessionManager,
    PrivateBuses,
    ServiceHost,
    Watching,
    private_buses,
    service_host,
)

INHIBIT_SUSPEND = 4


@pytest.fixture
def buses(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[PrivateBuses]:
    with private_buses(tmp_path) as started:
        monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", started.session_address)
        yield started


@pytest.fixture
def host() -> Iterator[ServiceHost]:
    with service_host() as started:
        yield started


def source() -> GnomeSessionManagerSource:
    return GnomeSessionManagerSource(SharedBus("session"))


def test_idle_inhibitors_come_and_go(buses: PrivateBuses, host: ServiceHost) -> None:
    manager = GnomeSessionManager(host, buses.session_address).start()

    async def scenario() -> None:
        async with Watching(source()) as watching:
            await watching.expect(InhibitorChanged(False))
            video = manager.add_inhibitor(GnomeSessionManager.IDLE)
            await watching.expect(InhibitorChanged(True))
            download = manager.add_inhibitor(INHIBIT_SUSPEND)
            await watching.expect(InhibitorChanged(True))  # asked again: still held
            manager.remove_inhibitor(video)
            await watching.expect(InhibitorChanged(False))  # only a suspend inhibitor left
            manager.remove_inhibitor(download)
            await watching.expect(InhibitorChanged(False))

    asyncio.run(scenario())
    asked = [call.body for call in manager.calls if call.member == "IsInhibited"]
    assert set(asked) == {(GnomeSessionManager.IDLE,)}


def test_an_inhibitor_held_at_start_is_reported_at_once(
    buses: PrivateBuses, host: ServiceHost
) -> None:
    manager = GnomeSessionManager(host, buses.session_address).start()
    manager.add_inhibitor(GnomeSessionManager.IDLE | INHIBIT_SUSPEND)

    async def scenario() -> None:
        async with Watching(source()) as watching:
            await watching.expect(InhibitorChanged(True))

    asyncio.run(scenario())


def test_the_session_manager_leaving_stops_the_source(
    buses: PrivateBuses, host: ServiceHost
) -> None:
    manager = GnomeSessionManager(host, buses.session_address).start()

    async def scenario() -> None:
        async with Watching(source()) as watching:
            await watching.expect(InhibitorChanged(False))
            manager.stop()
            ended = await watching.stopped()
            assert str(ended) == "org.gnome.SessionManager left the session bus"

    asyncio.run(scenario())


def test_not_gnome_is_unavailable(buses: PrivateBuses) -> None:
    async def scenario() -> None:
        with pytest.raises(WatcherUnavailable) as caught:
            await source().probe()
        assert str(caught.value) == (
            "no org.gnome.SessionManager on the session bus (not a GNOME session)"
        )

    asyncio.run(scenario())
