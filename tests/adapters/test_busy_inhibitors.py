"""Idle inhibitors as meetings, against stand-ins for GNOME's session manager and logind
on private buses. Firefox playing a video keeps the user sitting but is no meeting;
Chromium's WebRTC reason and an app on the meeting list are.

Here the logind stand-in is steered directly; test_busy_logind_inhibit.py holds its
inhibitors with the real `systemd-inhibit`.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from breakd.adapters.busy import FREE, Reading
from breakd.adapters.busy.inhibitors import (
    GnomeMeetingInhibitors,
    LogindMeetingInhibitors,
    MeetingRules,
)
from breakd.adapters.dbus.link import SharedBus
from breakd.adapters.watcher import WatcherUnavailable
from tests.dbus_services import (
    GnomeSessionManager,
    Login1,
    WatchingReadings,
    private_buses,
    service_host,
)

IDLE, SUSPEND = 8, 4
WEBRTC = "WebRTC has active PeerConnections"


def test_rules() -> None:
    rules = MeetingRules()
    assert rules.reason("firefox", "video-playing") is None
    assert rules.reason("chromium", WEBRTC) == "meeting:chromium"
    assert rules.reason("Zoom", "In a meeting") == "meeting:Zoom"
    assert rules.reason("/app/extra/bin/spotify", "Playing audio") is None
    anything = MeetingRules(mode="any")
    assert anything.reason("firefox", "video-playing") == "inhibitor:firefox"
    assert anything.reason("caffeine-gnome-extension", "") is None


def test_gnome_firefox_video_is_no_meeting_and_a_chromium_call_is(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with private_buses(tmp_path) as buses, service_host() as host:
        monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", buses.session_address)
        gnome = GnomeSessionManager(host, buses.session_address).start()

        async def scenario() -> None:
            signal = GnomeMeetingInhibitors(SharedBus("session"), MeetingRules())
            async with WatchingReadings(signal) as watching:
                await watching.expect(FREE)
                gnome.add_inhibitor(IDLE, "firefox", "video-playing")
                gnome.add_inhibitor(IDLE, "caffeine-gnome-extension", "user request")
                call = gnome.add_inhibitor(SUSPEND, "chromium", WEBRTC)
                await watching.expect(Reading.of({"meeting:chromium"}))
                gnome.remove_inhibitor(call)
                await watching.expect(FREE)
                assert await signal.probe() == (
                    "2 inhibitor(s) from org.gnome.SessionManager (now: no meeting)"
                )
                gnome.stop()
                await watching.stopped()

        asyncio.run(scenario())


def test_logind_an_app_on_the_meeting_list_is_a_meeting(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with private_buses(tmp_path) as buses, service_host() as host:
        monkeypatch.setenv("DBUS_SYSTEM_BUS_ADDRESS", buses.system_address)
        login1 = Login1(host, buses.system_address).start()

        async def scenario() -> None:
            signal = LogindMeetingInhibitors(SharedBus("system"), MeetingRules())
            async with WatchingReadings(signal) as watching:
                await watching.expect(FREE)
                login1.inhibit("idle", "zoom", "In a meeting")
                await watching.expect(Reading.of({"meeting:zoom"}))
                login1.release("zoom")
                await watching.expect(FREE)

        asyncio.run(scenario())


def test_no_gnome_session_manager_is_unavailable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with private_buses(tmp_path) as buses:
        monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", buses.session_address)
        signal = GnomeMeetingInhibitors(SharedBus("session"), MeetingRules())
        with pytest.raises(WatcherUnavailable, match=r"no org\.gnome\.SessionManager"):
            asyncio.run(signal.probe())
