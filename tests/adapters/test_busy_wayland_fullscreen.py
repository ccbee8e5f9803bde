"""Full screen on Wayland, for real: a headless sway (tests/wayland.py) reports its
windows through zwlr_foreign_toplevel_manager_v1; a foot terminal is the window, made
full screen and back with `swaymsg fullscreen`."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest

from breakd.adapters.busy import FREE, Reading
from breakd.adapters.busy.wayland_fullscreen import WaylandFullscreen
from breakd.adapters.watcher import WatcherUnavailable
from tests.dbus_services import WatchingReadings
from tests.desktop import require_tools, stop_process
from tests.libwayland_server import idle_server
from tests.wayland import Sway, sway_session

pytestmark = pytest.mark.desktop

APP = "breakd-test-window"


@pytest.fixture
def sway() -> Iterator[Sway]:
    require_tools("foot")
    with sway_session() as session:
        yield session


def test_the_focused_window_going_full_screen_is_busy_until_it_leaves_it(sway: Sway) -> None:
    async def scenario() -> None:
        window = sway.open_window(APP)
        try:
            signal = WaylandFullscreen(sway.display)
            assert "(now: nothing full screen)" in await signal.probe()
            async with WatchingReadings(signal) as watching:
                await watching.expect(FREE)
                sway.swaymsg("fullscreen", "enable")
                await watching.expect(Reading.of({f"fullscreen:{APP}"}))
                sway.swaymsg("fullscreen", "disable")
                await watching.expect(FREE)
                sway.swaymsg("fullscreen", "enable")
                await watching.expect(Reading.of({f"fullscreen:{APP}"}))
                stop_process(window)
                await watching.expect(FREE)
        finally:
            stop_process(window)

    asyncio.run(scenario())


def test_an_app_never_to_interrupt_is_busy_in_focus_and_one_always_to_is_not(sway: Sway) -> None:
    other = "breakd-other-window"

    async def scenario() -> None:
        window = sway.open_window(APP)
        second = sway.open_window(other)
        try:
            never = WaylandFullscreen(sway.display, never_interrupt=[other.upper()])
            assert f"(now: app:{other})" in await never.probe()
            always = WaylandFullscreen(sway.display, always_interrupt=[APP])
            async with WatchingReadings(always) as watching:
                await watching.expect(FREE)
                sway.swaymsg(f"[app_id={APP}]", "focus")
                sway.swaymsg("fullscreen", "enable")
                sway.swaymsg("fullscreen", "disable")
                # The other window's full screen comes after, in the same stream: had
                # the first counted, it would be the next reading.
                sway.swaymsg(f"[app_id={other}]", "focus")
                sway.swaymsg("fullscreen", "enable")
                await watching.expect(Reading.of({f"fullscreen:{other}"}))
        finally:
            stop_process(second)
            stop_process(window)

    asyncio.run(scenario())


def test_sway_going_away_ends_the_watch_with_the_reason(sway: Sway) -> None:
    async def scenario() -> None:
        async with WatchingReadings(WaylandFullscreen(sway.display)) as watching:
            await watching.expect(FREE)
            sway.stop()
            error = await watching.ended()
            assert isinstance(error, WatcherUnavailable)
            assert "closed the connection" in str(error)

    asyncio.run(scenario())


def test_a_compositor_without_the_protocol_is_unavailable_with_the_reason() -> None:
    lacking = pytest.raises(WatcherUnavailable, match="offers no zwlr_foreign_toplevel_manager_v1")
    with idle_server(1) as server, lacking:
        asyncio.run(WaylandFullscreen(server.display).probe())


def test_without_a_wayland_session_it_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    with pytest.raises(WatcherUnavailable, match="WAYLAND_DISPLAY is not set"):
        asyncio.run(WaylandFullscreen().probe())
