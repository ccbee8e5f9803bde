"""logind inhibitors held by the real `systemd-inhibit`, against the login1 stand-in on a
private bus exported as DBUS_SYSTEM_BUS_ADDRESS.

The stand-in's `Inhibit` hands the caller a file descriptor, as logind does, and drops
the inhibitor when the holder closes it (by exiting), so the test covers what the real
tool sends and how a holder going away is seen. Not covered: logind's own bookkeeping
(PIDs, delay inhibitors timing out, polkit).
"""

from __future__ import annotations

import asyncio
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from breakd.adapters.busy import FREE, Reading
from breakd.adapters.busy.inhibitors import LogindMeetingInhibitors, MeetingRules
from breakd.adapters.dbus.link import SharedBus
from tests.dbus_services import Login1, PrivateBuses, WatchingReadings, private_buses, service_host
from tests.desktop import require_tools, stop_process, wait_until


@pytest.fixture
def login1(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[Login1, PrivateBuses]]:
    require_tools("systemd-inhibit")
    with private_buses(tmp_path) as buses, service_host() as host:
        monkeypatch.setenv("DBUS_SYSTEM_BUS_ADDRESS", buses.system_address)
        yield Login1(host, buses.system_address).start(), buses


def hold(buses: PrivateBuses, who: str, why: str, seconds: float = 30) -> subprocess.Popen[bytes]:
    """The real `systemd-inhibit --what=idle`, holding its inhibitor while `sleep` runs."""
    return subprocess.Popen(
        ["systemd-inhibit", "--what=idle", f"--who={who}", f"--why={why}", "sleep", str(seconds)],
        env={**os.environ, "DBUS_SYSTEM_BUS_ADDRESS": buses.system_address},
        stdin=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def test_a_meeting_app_holding_an_inhibitor_is_busy_until_it_exits(
    login1: tuple[Login1, PrivateBuses],
) -> None:
    service, buses = login1
    holders: list[subprocess.Popen[bytes]] = []

    async def scenario() -> None:
        signal = LogindMeetingInhibitors(SharedBus("system"), MeetingRules())
        async with WatchingReadings(signal) as watching:
            await watching.expect(FREE)
            holders.append(hold(buses, "zoom", "In a meeting"))
            await watching.expect(Reading.of({"meeting:zoom"}))
            assert service.inhibitors[0][:4] == ("idle", "zoom", "In a meeting", "block")
            await asyncio.to_thread(stop_process, holders[0])  # the call ends: zoom quits
            await watching.expect(FREE)
            assert service.inhibitors == []

    try:
        asyncio.run(scenario())
    finally:
        for holder in holders:
            stop_process(holder)


def test_an_inhibitor_ends_when_its_command_does(login1: tuple[Login1, PrivateBuses]) -> None:
    _service, buses = login1

    async def scenario() -> None:
        signal = LogindMeetingInhibitors(SharedBus("system"), MeetingRules())
        async with WatchingReadings(signal) as watching:
            await watching.expect(FREE)
            holder = hold(buses, "teams", "Call", seconds=0.5)
            await watching.expect(Reading.of({"meeting:teams"}))
            await watching.expect(FREE)
            assert await asyncio.to_thread(holder.wait, 5) == 0, holder.stderr

    asyncio.run(scenario())


def test_a_video_player_inhibitor_is_no_meeting_unless_any_inhibitor_counts(
    login1: tuple[Login1, PrivateBuses],
) -> None:
    service, buses = login1
    holder = hold(buses, "firefox", "video-playing")
    try:
        wait_until(lambda: service.inhibitors, timeout=5, message="firefox never inhibited")

        async def scenario() -> None:
            meetings = LogindMeetingInhibitors(SharedBus("system"), MeetingRules())
            assert await meetings.probe() == (
                "1 inhibitor(s) from org.freedesktop.login1 (now: no meeting)"
            )
            anything = LogindMeetingInhibitors(SharedBus("system"), MeetingRules(mode="any"))
            async with WatchingReadings(anything) as watching:
                await watching.expect(Reading.of({"inhibitor:firefox"}))

        asyncio.run(scenario())
    finally:
        stop_process(holder)
