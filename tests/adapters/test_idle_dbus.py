"""The D-Bus idle sources (GNOME's Mutter, the freedesktop ScreenSaver) and the selector.

Real D-Bus throughout: a private dbus-daemon, and stand-ins (tests/dbus_services.py)
that own the real names and answer the real methods.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from breakd.adapters.dbus.blocking import BlockingBus
from breakd.adapters.idle import IdleSourceUnavailable
from breakd.adapters.idle.freedesktop_screensaver import FreedesktopScreenSaverIdleSource
from breakd.adapters.idle.mutter import MutterIdleSource
from breakd.adapters.select import open_idle_source
from tests.dbus_services import (
    MutterIdleMonitor,
    PrivateBuses,
    ScreenSaver,
    ServiceHost,
    calls_back_when_lost,
    private_buses,
    recorder,
    service_host,
    until,
)
from tests.desktop import DesktopSession, stop_process

NOT_GNOME = "no org.gnome.Mutter.IdleMonitor on the session bus (not a GNOME session)"


@pytest.fixture
def buses(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[PrivateBuses]:
    """Private buses, with this process pointed at them."""
    with private_buses(tmp_path) as started:
        monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", started.session_address)
        monkeypatch.setenv("DBUS_SYSTEM_BUS_ADDRESS", started.system_address)
        yield started


@pytest.fixture
def host() -> Iterator[ServiceHost]:
    with service_host() as started:
        yield started


def test_mutter_idle_time_is_what_the_monitor_says_over_one_connection(
    buses: PrivateBuses, host: ServiceHost
) -> None:
    monitor = MutterIdleMonitor(host, buses.session_address, idle_ms=1500).start()
    source = MutterIdleSource()
    try:
        assert source.name == "mutter-idle-monitor"
        assert source.idle_seconds() == 1.5
        monitor.idle_ms = 7_200_000
        assert source.idle_seconds() == 7200.0
    finally:
        source.close()
    idle_calls = [call for call in monitor.calls if call.member == "GetIdletime"]
    assert [call.path for call in idle_calls] == ["/org/gnome/Mutter/IdleMonitor/Core"] * 3
    assert len({call.sender for call in idle_calls}) == 1, "one persistent connection"


def test_mutter_without_gnome_says_so(buses: PrivateBuses) -> None:
    with pytest.raises(IdleSourceUnavailable) as caught:
        MutterIdleSource()
    assert str(caught.value) == NOT_GNOME


def test_mutter_leaving_the_bus_makes_the_source_unavailable(
    buses: PrivateBuses, host: ServiceHost
) -> None:
    monitor = MutterIdleMonitor(host, buses.session_address).start()
    source = MutterIdleSource()
    try:
        monitor.stop()
        with pytest.raises(IdleSourceUnavailable) as caught:
            source.idle_seconds()
        assert str(caught.value) == "org.gnome.Mutter.IdleMonitor left the session bus"
    finally:
        source.close()


def test_the_bus_going_away_makes_the_source_unavailable(
    buses: PrivateBuses, host: ServiceHost
) -> None:
    MutterIdleMonitor(host, buses.session_address).start()
    source = MutterIdleSource()
    try:
        stop_process(buses.processes[0])  # the session bus
        with pytest.raises(IdleSourceUnavailable, match=r"^the session bus went away"):
            source.idle_seconds()
    finally:
        source.close()


def test_a_monitor_that_does_not_answer_costs_one_deadline_not_a_hang(
    buses: PrivateBuses, host: ServiceHost
) -> None:
    monitor = MutterIdleMonitor(host, buses.session_address).start()
    source = MutterIdleSource(BlockingBus("session", timeout=0.3))
    try:
        monitor.method(monitor.PATH, monitor.names[0], "GetIdletime", lambda _message: None)
        started = time.monotonic()
        with pytest.raises(IdleSourceUnavailable) as caught:
            source.idle_seconds()
        assert 0.25 < time.monotonic() - started < 2
        assert str(caught.value) == "org.gnome.Mutter.IdleMonitor gave no answer within 0.3 s"
    finally:
        source.close()


def test_the_session_bus_is_found_at_xdg_runtime_dir_without_the_variable(
    buses: PrivateBuses, host: ServiceHost, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """start_session_bus listens on <its folder>/bus, as systemd puts the user bus."""
    MutterIdleMonitor(host, buses.session_address, idle_ms=2000).start()
    monkeypatch.delenv("DBUS_SESSION_BUS_ADDRESS")
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(tmp_path / "session-bus"))
    assert (tmp_path / "session-bus" / "bus").is_socket()
    source = MutterIdleSource()
    try:
        assert source.idle_seconds() == 2.0
    finally:
        source.close()


def test_no_session_bus_at_all_is_one_sentence(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(tmp_path))
    with pytest.raises(
        IdleSourceUnavailable, match=r"^no D-Bus session bus: .*XDG_RUNTIME_DIR/bus"
    ):
        MutterIdleSource()


# -- Mutter: watching for the next input ------------------------------------------------


def calls_to(monitor: MutterIdleMonitor, member: str) -> list[tuple]:
    return [call.body for call in monitor.calls if call.member == member]


def watch_fired_to_us(monitor: MutterIdleMonitor, watch_id: int) -> None:
    """A WatchFired for `watch_id`, sent to whoever made the last call."""
    us = monitor.calls[-1].sender
    monitor.emit(monitor.PATH, monitor.names[0], "WatchFired", "u", (watch_id,), us)


def test_mutter_watch_calls_back_once_at_the_next_input_and_not_before(
    buses: PrivateBuses, host: ServiceHost
) -> None:
    monitor = MutterIdleMonitor(host, buses.session_address, idle_ms=60_000).start()
    source = MutterIdleSource()
    calls, on_input = recorder()

    async def scenario() -> asyncio.AbstractEventLoop:
        assert source.watch_for_input(on_input)
        watch_fired_to_us(monitor, 99)  # some other watch of ours: not this one
        await asyncio.sleep(1.0)
        assert calls == [], "called back without any input"
        monitor.user_input()
        await until(lambda: calls, message="no call back after the input")
        monitor.user_input()  # the watch is spent: later input says nothing
        await asyncio.sleep(0.3)
        return asyncio.get_running_loop()

    try:
        loop = asyncio.run(scenario())
    finally:
        source.close()
    assert calls == [loop]
    assert [call.member for call in monitor.calls] == ["GetIdletime", "AddUserActiveWatch"]
    assert len({call.sender for call in monitor.calls}) == 1, "one connection for both"


def test_a_second_mutter_watch_replaces_the_first(buses: PrivateBuses, host: ServiceHost) -> None:
    monitor = MutterIdleMonitor(host, buses.session_address, idle_ms=60_000).start()
    source = MutterIdleSource()
    first, on_first = recorder()
    second, on_second = recorder()

    async def scenario() -> None:
        assert source.watch_for_input(on_first)
        assert source.watch_for_input(on_second)
        assert list(monitor.active_watches) == [2]
        monitor.user_input()
        await until(lambda: second)
        await asyncio.sleep(0.3)

    try:
        asyncio.run(scenario())
    finally:
        source.close()
    assert (len(first), len(second)) == (0, 1)
    assert calls_to(monitor, "RemoveWatch") == [(1,)]


def test_stop_watching_removes_the_mutter_watch(buses: PrivateBuses, host: ServiceHost) -> None:
    monitor = MutterIdleMonitor(host, buses.session_address, idle_ms=60_000).start()
    source = MutterIdleSource()
    calls, on_input = recorder()

    async def scenario() -> None:
        source.stop_watching()  # nothing to stop yet: fine
        assert source.watch_for_input(on_input)
        source.stop_watching()
        source.stop_watching()
        assert monitor.active_watches == {}
        watch_fired_to_us(monitor, 1)  # one that crossed the removal on its way
        monitor.user_input()
        await asyncio.sleep(0.5)
        assert source.idle_seconds() == 0.0

    try:
        asyncio.run(scenario())
    finally:
        source.close()
    assert calls == []
    assert calls_to(monitor, "RemoveWatch") == [(1,)]


def test_mutter_idle_time_is_read_past_a_watch_fired_and_the_watch_still_fires(
    buses: PrivateBuses, host: ServiceHost
) -> None:
    """WatchFired reaches the connection in front of the next reply: the call back still
    comes, from the loop, once."""
    monitor = MutterIdleMonitor(host, buses.session_address, idle_ms=30_000).start()
    source = MutterIdleSource()
    calls, on_input = recorder()

    async def scenario() -> None:
        assert source.watch_for_input(on_input)
        assert source.idle_seconds() == 30.0  # armed: replies still come through
        monitor.user_input()  # the loop does not run until the await below
        assert source.idle_seconds() == 0.0
        assert calls == [], "not from inside idle_seconds"

        await until(lambda: calls)
        await asyncio.sleep(0.2)
        assert len(calls) == 1

        assert source.watch_for_input(on_input)  # and again, after it fired
        monitor.user_input()
        await until(lambda: len(calls) == 2)

    try:
        asyncio.run(scenario())
    finally:
        source.close()


def test_mutter_leaving_while_watching_calls_back_and_then_says_so(
    buses: PrivateBuses, host: ServiceHost
) -> None:
    monitor = MutterIdleMonitor(host, buses.session_address, idle_ms=60_000).start()
    source = MutterIdleSource()
    try:
        assert calls_back_when_lost(source, monitor.stop) == 1  # its watches go with it
        with pytest.raises(IdleSourceUnavailable) as caught:
            source.idle_seconds()
    finally:
        source.close()
    assert str(caught.value) == "org.gnome.Mutter.IdleMonitor left the session bus"


def test_the_bus_going_away_while_watching_calls_back_and_then_says_so(
    buses: PrivateBuses, host: ServiceHost
) -> None:
    MutterIdleMonitor(host, buses.session_address, idle_ms=60_000).start()
    source = MutterIdleSource()
    try:
        assert calls_back_when_lost(source, lambda: stop_process(buses.processes[0])) == 1
        with pytest.raises(IdleSourceUnavailable, match=r"^the session bus went away"):
            source.idle_seconds()
    finally:
        source.close()


def test_a_monitor_without_user_active_watches_is_sampled(
    buses: PrivateBuses, host: ServiceHost
) -> None:
    monitor = MutterIdleMonitor(host, buses.session_address, idle_ms=4000).start()
    del monitor.handlers[(monitor.PATH, monitor.names[0], "AddUserActiveWatch")]
    source = MutterIdleSource()

    async def scenario() -> bool:
        return source.watch_for_input(lambda: None)

    try:
        assert asyncio.run(scenario()) is False
        assert source.idle_seconds() == 4.0
    finally:
        source.close()
    source.close()

    assert asyncio.run(scenario()) is False  # closed


def test_kde_screensaver_idle_time_on_its_default_path(
    buses: PrivateBuses, host: ServiceHost
) -> None:
    kde = ScreenSaver(host, buses.session_address, idle_ms=42_000).start()
    source = FreedesktopScreenSaverIdleSource()
    try:
        assert source.name == "freedesktop-screensaver"
        assert source.idle_seconds() == 42.0
        kde.idle_ms = 1000
        assert source.idle_seconds() == 1.0
        assert "/org/freedesktop/ScreenSaver" in source.description
    finally:
        source.close()


def test_an_older_screensaver_answering_only_on_slash_screensaver_is_found(
    buses: PrivateBuses, host: ServiceHost
) -> None:
    ScreenSaver(host, buses.session_address, paths=("/ScreenSaver",), idle_ms=3000).start()
    source = FreedesktopScreenSaverIdleSource()
    try:
        assert source.idle_seconds() == 3.0
        assert source.description.endswith("on /ScreenSaver")
    finally:
        source.close()


def test_gnomes_screensaver_refuses_idle_time_and_is_skipped_with_the_reason(
    buses: PrivateBuses, host: ServiceHost
) -> None:
    ScreenSaver(host, buses.session_address, reports_idle_time=False).start()
    with pytest.raises(IdleSourceUnavailable) as caught:
        FreedesktopScreenSaverIdleSource()
    assert str(caught.value).startswith("org.freedesktop.ScreenSaver does not report idle time")
    assert "org.freedesktop.DBus.Error.NotSupported" in str(caught.value)


def test_no_screensaver_service_says_so(buses: PrivateBuses) -> None:
    with pytest.raises(IdleSourceUnavailable, match=r"^no org\.freedesktop\.ScreenSaver on the"):
        FreedesktopScreenSaverIdleSource()


# -- the selector ---------------------------------------------------------------------


def test_gnome_picks_mutter_even_though_it_owns_the_screensaver_name(
    buses: PrivateBuses, host: ServiceHost
) -> None:
    ScreenSaver(host, buses.session_address, reports_idle_time=False).start()
    MutterIdleMonitor(host, buses.session_address, idle_ms=500).start()
    source, sentence = open_idle_source()
    try:
        assert source is not None and source.name == "mutter-idle-monitor"
        assert source.idle_seconds() == 0.5
        assert sentence == (
            "mutter-idle-monitor (GNOME's org.gnome.Mutter.IdleMonitor on the session bus)"
        )
    finally:
        if source is not None:
            source.close()


def test_kde_picks_the_screensaver_and_says_why_not_mutter(
    buses: PrivateBuses, host: ServiceHost
) -> None:
    ScreenSaver(host, buses.session_address, idle_ms=9000).start()
    source, sentence = open_idle_source()
    try:
        assert source is not None and source.name == "freedesktop-screensaver"
        assert source.idle_seconds() == 9.0
        assert sentence.startswith("freedesktop-screensaver (org.freedesktop.ScreenSaver")
        assert sentence.endswith(f"; passed over mutter-idle-monitor: {NOT_GNOME}")
    finally:
        if source is not None:
            source.close()


def test_no_source_at_all_gives_every_reason(buses: PrivateBuses) -> None:
    source, sentence = open_idle_source()
    assert source is None
    assert sentence.split("; ") == [
        f"mutter-idle-monitor: {NOT_GNOME}",
        "freedesktop-screensaver: no org.freedesktop.ScreenSaver on the session bus"
        " (no KDE Plasma or other screen saver service)",
        "wayland-idle-notify: WAYLAND_DISPLAY is not set (no Wayland session)",
        "x11-screensaver: DISPLAY is not set (no X11 session)",
    ]


def test_a_wayland_session_without_a_compositor_is_told_plainly(
    buses: PrivateBuses, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("WAYLAND_DISPLAY", "wayland-1")
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(tmp_path))
    source, sentence = open_idle_source()
    assert source is None
    assert "wayland-idle-notify: cannot connect to the Wayland compositor at " in sentence


@pytest.mark.desktop
def test_plain_x11_falls_through_to_the_x_server(
    desktop: DesktopSession, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, value in desktop.session_vars.items():
        monkeypatch.setenv(name, value)
    source, sentence = open_idle_source()
    try:
        assert source is not None and source.name == "x11-screensaver"
        assert sentence.startswith(
            "x11-screensaver (the X server's MIT-SCREEN-SAVER idle time); passed over "
            f"mutter-idle-monitor: {NOT_GNOME}; freedesktop-screensaver: no "
        )
    finally:
        if source is not None:
            source.close()
