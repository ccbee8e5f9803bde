"""mako's do-not-disturb mode against a stand-in for mako 1.10+, which signals a change of
its modes: Debian 12 has only 1.7.1, which must be polled, and tests/e2e/test_mako.py
runs that one for real, with makoctl, on a headless sway.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from breakd.adapters.busy import FREE, Reading
from breakd.adapters.busy.mako import MakoDnd
from breakd.adapters.dbus.link import SharedBus
from breakd.adapters.select import open_busy_signals
from breakd.adapters.watcher import WatcherUnavailable
from breakd.config.load import load_config_text
from breakd.config.model import DEFAULT_CONFIG
from tests.dbus_services import (
    Mako,
    PlasmaNotifications,
    WatchingReadings,
    private_buses,
    service_host,
)

DND = Reading.of({"dnd:mako"})


def test_a_dnd_mode_switched_on_and_off_is_followed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with private_buses(tmp_path) as buses, service_host() as host:
        monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", buses.session_address)
        mako = Mako(host, buses.session_address, "1.10").start()

        async def scenario() -> None:
            signal = MakoDnd(SharedBus("session"), ["do-not-disturb", "meeting"], poll_every=0.2)
            assert await signal.probe() == (
                "mako's modes do-not-disturb, meeting (now: do not disturb is off)"
            )
            async with WatchingReadings(signal) as watching:
                await watching.expect(FREE)
                mako.set_modes("default", "do-not-disturb")
                await watching.expect(DND)
                mako.set_modes("default", "away")  # a mode that is not on the list
                await watching.expect(FREE)
                mako.set_modes("meeting")
                await watching.expect(DND)
                mako.stop()
                await watching.stopped()

        asyncio.run(scenario())


def test_a_mako_that_signals_is_not_polled(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with private_buses(tmp_path) as buses, service_host() as host:
        monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", buses.session_address)
        mako = Mako(host, buses.session_address, "1.10").start()

        async def scenario() -> None:
            async with WatchingReadings(MakoDnd(SharedBus("session"), poll_every=0.05)) as watching:
                await watching.expect(FREE)
                await asyncio.sleep(0.5)

        asyncio.run(scenario())
        assert [call.member for call in mako.calls].count("ListModes") == 1


def test_another_notification_server_is_not_mako(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with private_buses(tmp_path) as buses, service_host() as host:
        monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", buses.session_address)
        PlasmaNotifications(host, buses.session_address).start()
        with pytest.raises(WatcherUnavailable, match=r"not mako 1\.7 or newer"):
            asyncio.run(MakoDnd(SharedBus("session")).probe())


def test_the_config_names_the_modes() -> None:
    config = load_config_text("dont_interrupt: {mako_dnd_modes: [focus, meeting]}\n", "c.yaml")

    assert config.dont_interrupt.mako_dnd_modes == ("focus", "meeting")
    (signal,) = [s for s in open_busy_signals(config) if s.name == "dnd:mako"]
    assert isinstance(signal, MakoDnd)
    assert DEFAULT_CONFIG.dont_interrupt.mako_dnd_modes == ("do-not-disturb",)
