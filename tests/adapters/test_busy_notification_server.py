"""Do-not-disturb from the notification server: KDE Plasma's `Inhibited` on a stand-in,
and dunst's `paused` against the real dunst (also end to end in tests/e2e)."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

import pytest

from breakd.adapters.busy import FREE, Reading
from breakd.adapters.busy.notification_server import DUNST, PLASMA, NotificationServerDnd
from breakd.adapters.dbus.link import SharedBus
from breakd.adapters.watcher import WatcherUnavailable
from tests.dbus_services import PlasmaNotifications, WatchingReadings, private_buses, service_host
from tests.desktop import DesktopSession


def test_plasma_inhibited_is_busy_and_its_change_signal_is_followed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with private_buses(tmp_path) as buses, service_host() as host:
        monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", buses.session_address)
        plasma = PlasmaNotifications(host, buses.session_address).start()

        async def scenario() -> None:
            signal = NotificationServerDnd(SharedBus("session"), PLASMA)
            assert "now: do not disturb is off" in await signal.probe()
            async with WatchingReadings(signal) as watching:
                await watching.expect(FREE)
                plasma.set_inhibited(True)
                await watching.expect(Reading.of({"dnd:plasma"}))
                plasma.set_inhibited(False)
                await watching.expect(FREE)
                plasma.stop()  # the server exits
                await watching.stopped()

        asyncio.run(scenario())


def test_a_server_without_the_property_is_not_that_server(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with private_buses(tmp_path) as buses, service_host() as host:
        monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", buses.session_address)
        PlasmaNotifications(host, buses.session_address).start()

        async def scenario() -> None:
            with pytest.raises(WatcherUnavailable, match="the notification server is not dunst"):
                await NotificationServerDnd(SharedBus("session"), DUNST).probe()

        asyncio.run(scenario())


def test_no_notification_server_is_unavailable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with private_buses(tmp_path) as buses:
        monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", buses.session_address)

        async def scenario() -> None:
            with pytest.raises(WatcherUnavailable, match="no notification server"):
                await NotificationServerDnd(SharedBus("session"), DUNST).probe()

        asyncio.run(scenario())


def test_real_dunst_paused_is_busy(
    desktop: DesktopSession, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", desktop.bus_address)
    env = {**os.environ, **desktop.env}

    async def scenario() -> None:
        signal = NotificationServerDnd(SharedBus("session"), DUNST)
        async with WatchingReadings(signal) as watching:
            await watching.expect(FREE)
            await (
                await asyncio.create_subprocess_exec("dunstctl", "set-paused", "true", env=env)
            ).wait()
            await watching.expect(Reading.of({"dnd:dunst"}))
            await (
                await asyncio.create_subprocess_exec("dunstctl", "set-paused", "false", env=env)
            ).wait()
            await watching.expect(FREE)

    try:
        asyncio.run(scenario())
    finally:
        desktop.dunstctl("set-paused", "false")
