"""SwayNotificationCenter's do-not-disturb, against a stand-in for swaync 0.8 on a private
bus: its SubscribeV2 broadcasts and inhibitors (`IsInhibited`). Debian 12 has only swaync 0.7.3, which tests/e2e/test_swaync.py runs for real, with
swaync-client, on a headless sway.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from breakd.adapters.busy import FREE, Reading
from breakd.adapters.busy.swaync import SwayncDnd
from breakd.adapters.dbus.link import SharedBus
from breakd.adapters.watcher import WatcherUnavailable
from tests.dbus_services import Swaync, WatchingReadings, private_buses, service_host

DND = Reading.of({"dnd:swaync"})


def test_dnd_switched_on_and_off_is_followed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with private_buses(tmp_path) as buses, service_host() as host:
        monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", buses.session_address)
        swaync = Swaync(host, buses.session_address, "0.8").start()

        async def scenario() -> None:
            signal = SwayncDnd(SharedBus("session"))
            assert await signal.probe() == (
                "swaync's control centre on the session bus (now: do not disturb is off)"
            )
            async with WatchingReadings(signal) as watching:
                await watching.expect(FREE)
                swaync.set_dnd(True)
                await watching.expect(DND)
                swaync.set_dnd(False)
                await watching.expect(FREE)
                swaync.stop()
                await watching.stopped()

        asyncio.run(scenario())


def test_an_app_inhibiting_swaync_is_busy_too(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """0.8 sends Subscribe (without `inhibited`) and SubscribeV2 for each change: the
    older one must not undo what the newer one said."""
    with private_buses(tmp_path) as buses, service_host() as host:
        monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", buses.session_address)
        swaync = Swaync(host, buses.session_address, "0.8").start()

        async def scenario() -> None:
            async with WatchingReadings(SwayncDnd(SharedBus("session"))) as watching:
                await watching.expect(FREE)
                swaync.set_inhibited(True)
                await watching.expect(DND)
                swaync.set_dnd(True)
                swaync.set_dnd(False)
                swaync.set_inhibited(False)
                await watching.expect(FREE)
                await asyncio.sleep(0.2)
                assert watching.events == [FREE, DND, FREE]

        asyncio.run(scenario())


def test_without_swaync_it_is_unavailable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with private_buses(tmp_path) as buses:
        monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", buses.session_address)
        with pytest.raises(WatcherUnavailable, match="swaync is not running"):
            asyncio.run(SwayncDnd(SharedBus("session")).probe())
