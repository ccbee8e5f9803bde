"""X11 full screen, for real: Xvfb, a small EWMH window manager (matchbox) and `wmctrl`
toggling `_NET_WM_STATE_FULLSCREEN` on an `xmessage` window. Each test has its own Xvfb,
so the window manager never touches the shared desktop's dunst."""

from __future__ import annotations

import asyncio
import os
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from breakd.adapters.busy import FREE, Reading
from breakd.adapters.busy.x11_fullscreen import X11Fullscreen
from breakd.adapters.watcher import WatcherUnavailable
from tests.dbus_services import WatchingReadings
from tests.desktop import require_tools, start_xvfb, stop_process, wait_until

TITLE = "breakd-test-window"


@dataclass
class X11Desk:
    display: str
    env: dict[str, str]
    processes: list[subprocess.Popen[bytes]]

    def spawn(self, *argv: str) -> subprocess.Popen[bytes]:
        proc = subprocess.Popen(
            argv, env=self.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        self.processes.append(proc)
        return proc

    def wmctrl(self, *args: str, check: bool = True) -> str:
        result = subprocess.run(
            ["wmctrl", *args], env=self.env, capture_output=True, text=True, timeout=10
        )
        assert result.returncode == 0 or not check, result.stderr
        return result.stdout

    def open_window(self) -> subprocess.Popen[bytes]:
        """An xmessage window, mapped and focused by the window manager."""
        proc = self.spawn("xmessage", "-title", TITLE, "stretch")
        wait_until(lambda: TITLE in self.wmctrl("-l"), message="the window never appeared")
        return proc

    def make_full_screen(self) -> None:
        """Ask the window manager, then wait until it did: wmctrl returns before."""
        self.wmctrl("-r", TITLE, "-b", "add,fullscreen")
        wait_until(
            lambda: "_NET_WM_STATE_FULLSCREEN" in self.xprop("_NET_WM_STATE"),
            message="the window manager never made the window full screen",
        )

    def xprop(self, name: str) -> str:
        result = subprocess.run(
            ["xprop", "-name", TITLE, name],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=10,
        )
        return result.stdout


@pytest.fixture
def x11(tmp_path: Path) -> Iterator[X11Desk]:
    require_tools("Xvfb", "matchbox-window-manager", "wmctrl", "xmessage", "xprop")
    xvfb, display = start_xvfb(log=tmp_path / "xvfb.log")
    env = {**os.environ, "DISPLAY": display}
    env.pop("WAYLAND_DISPLAY", None)
    desk = X11Desk(display, env, [xvfb])
    try:
        desk.spawn("matchbox-window-manager", "-use_titlebar", "no")
        wait_until(lambda: desk.wmctrl("-m", check=False), message="no window manager")
        yield desk
    finally:
        while desk.processes:
            stop_process(desk.processes.pop())


def test_a_focused_window_going_full_screen_is_busy_until_it_leaves_it(x11: X11Desk) -> None:
    async def scenario() -> None:
        x11.open_window()
        signal = X11Fullscreen(x11.display)
        assert "now: nothing full screen" in await signal.probe()
        async with WatchingReadings(signal) as watching:
            await watching.expect(FREE)
            x11.wmctrl("-r", TITLE, "-b", "add,fullscreen")
            await watching.expect(Reading.of({"fullscreen:xmessage"}))
            x11.wmctrl("-r", TITLE, "-b", "remove,fullscreen")
            await watching.expect(FREE)

    asyncio.run(scenario())


def test_closing_the_full_screen_window_frees(x11: X11Desk) -> None:
    async def scenario() -> None:
        window = x11.open_window()
        x11.make_full_screen()
        async with WatchingReadings(X11Fullscreen(x11.display)) as watching:
            await watching.expect(Reading.of({"fullscreen:xmessage"}))
            stop_process(window)
            await watching.expect(FREE)

    asyncio.run(scenario())


def test_always_interrupt_apps_full_screen_does_not_count(x11: X11Desk) -> None:
    async def scenario() -> None:
        x11.open_window()
        x11.make_full_screen()
        signal = X11Fullscreen(x11.display, always_interrupt=["Xmessage"])
        async with WatchingReadings(signal) as watching:
            await watching.expect(FREE)

    asyncio.run(scenario())


def test_a_never_interrupt_app_is_busy_while_focused(x11: X11Desk) -> None:
    async def scenario() -> None:
        signal = X11Fullscreen(x11.display, never_interrupt=["xmessage"])
        async with WatchingReadings(signal) as watching:
            await watching.expect(FREE)
            window = x11.open_window()
            await watching.expect(Reading.of({"app:xmessage"}))
            stop_process(window)
            await watching.expect(FREE)

    asyncio.run(scenario())


def test_without_a_window_manager_nothing_is_full_screen(tmp_path: Path) -> None:
    require_tools("Xvfb")
    xvfb, display = start_xvfb(log=tmp_path / "xvfb.log")
    try:
        assert "no EWMH window manager" in asyncio.run(X11Fullscreen(display).probe())
    finally:
        stop_process(xvfb)


def test_the_x_server_going_away_stops_the_watch(tmp_path: Path) -> None:
    require_tools("Xvfb")
    xvfb, display = start_xvfb(log=tmp_path / "xvfb.log")

    async def scenario() -> None:
        async with WatchingReadings(X11Fullscreen(display)) as watching:
            await watching.expect(FREE)
            stop_process(xvfb)
            await watching.stopped()

    try:
        asyncio.run(scenario())
    finally:
        stop_process(xvfb)


def test_no_display_or_wayland_is_unavailable(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(WatcherUnavailable, match="DISPLAY is not set"):
        asyncio.run(X11Fullscreen().probe())
    monkeypatch.setenv("WAYLAND_DISPLAY", "wayland-0")
    with pytest.raises(WatcherUnavailable, match="Wayland session"):
        asyncio.run(X11Fullscreen(":0").probe())
