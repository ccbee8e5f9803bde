"""XFCE do-not-disturb against the real xfconfd, D-Bus activated on a private bus whose
environment holds the test's own XDG dirs (never the machine's real xfconf).

The test switches DND with the real `xfconf-query`, as the XFCE settings do.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest

from breakd.adapters.busy import FREE, Reading
from breakd.adapters.busy.xfce import XFCONF, XfceDnd
from breakd.adapters.dbus.link import SharedBus
from breakd.adapters.watcher import WatcherUnavailable
from tests.dbus_services import ActivatingBus, WatchingReadings, activating_bus, private_buses
from tests.desktop import require_tools

DND = Reading.of({"dnd:xfce"})


@pytest.fixture
def xfconf(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[ActivatingBus]:
    require_tools("xfconf-query")
    with activating_bus(tmp_path / "bus", XFCONF) as bus:
        monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", bus.address)
        yield bus


def set_dnd(bus: ActivatingBus, value: str, *, create: bool = False) -> None:
    new = ["-n", "-t", "bool"] if create else []
    bus.run("xfconf-query", "-c", "xfce4-notifyd", "-p", "/do-not-disturb", *new, "-s", value)


def test_the_real_xfconfd_switching_dnd_on_and_off_is_followed(
    xfconf: ActivatingBus, tmp_path: Path
) -> None:
    # Reading any other property activates xfconfd; /do-not-disturb does not exist yet.
    result = xfconf.run("xfconf-query", "-c", "xfce4-notifyd", "-l")
    assert "/do-not-disturb" not in result.stdout

    async def scenario() -> None:
        signal = XfceDnd(SharedBus("session"))
        assert await signal.probe() == (
            "xfconf's xfce4-notifyd /do-not-disturb on the session bus (now: do not disturb is off)"
        )
        async with WatchingReadings(signal) as watching:
            await watching.expect(FREE)  # the property does not exist: off
            await asyncio.to_thread(set_dnd, xfconf, "true", create=True)
            await watching.expect(DND)
            await asyncio.to_thread(set_dnd, xfconf, "false")
            await watching.expect(FREE)
            await asyncio.to_thread(set_dnd, xfconf, "true")
            await watching.expect(DND)
            await asyncio.to_thread(
                xfconf.run, "xfconf-query", "-c", "xfce4-notifyd", "-p", "/do-not-disturb", "-r"
            )
            await watching.expect(FREE)
            await asyncio.to_thread(xfconf.stop_service, XFCONF)  # xfconfd exits
            await watching.stopped()

    asyncio.run(scenario())
    assert (tmp_path / "bus" / "config" / "xfce4" / "xfconf").is_dir()  # the test's own dirs


def test_dnd_already_on_at_start_is_busy(xfconf: ActivatingBus) -> None:
    set_dnd(xfconf, "true", create=True)

    async def scenario() -> None:
        async with WatchingReadings(XfceDnd(SharedBus("session"))) as watching:
            await watching.expect(DND)

    asyncio.run(scenario())


def test_without_xfconfd_on_the_bus_it_is_not_an_xfce_session(
    xfconf: ActivatingBus,
) -> None:
    """xfconfd could be activated here, but the watcher must not start it."""

    async def scenario() -> None:
        with pytest.raises(WatcherUnavailable, match="not an XFCE session"):
            await XfceDnd(SharedBus("session")).probe()

    asyncio.run(scenario())
    assert xfconf.service_pid(XFCONF) is None


def test_without_a_session_bus_it_is_unavailable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with private_buses(tmp_path) as buses:
        monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", buses.session_address)
        buses.kill("session")
        with pytest.raises(WatcherUnavailable, match="cannot connect to the session bus"):
            asyncio.run(XfceDnd(SharedBus("session")).probe())
