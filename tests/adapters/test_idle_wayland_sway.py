"""The Wayland idle source against a real compositor: Debian's sway, headless.

sway 1.7 offers org_kde_kwin_idle (not ext-idle-notify-v1, which came with wlroots
0.16); `wtype` types through its virtual-keyboard protocol, which sway counts as
input. ext-idle-notify-v1 is covered against KWin (test_idle_wayland_kwin.py, version 1)
and a real libwayland server (test_idle_wayland_server.py, versions 1 and 2).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator

import pytest

from breakd.adapters.idle import IdleSourceUnavailable
from breakd.adapters.idle import wayland as wayland_idle
from breakd.adapters.idle.wayland import WaylandIdleSource
from tests.dbus_services import recorder, until
from tests.wayland import Sway, sway_session

pytestmark = pytest.mark.desktop


@pytest.fixture
def sway() -> Iterator[Sway]:
    with sway_session() as session:
        yield session


@pytest.fixture(autouse=True)
def short_notice(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(wayland_idle, "NOTICE_MS", 1000)


def test_idle_time_grows_from_the_idle_edge_and_a_key_press_ends_it(sway: Sway) -> None:
    calls, on_input = recorder()

    async def scenario() -> None:
        opened = time.monotonic()
        source = WaylandIdleSource(sway.display)
        try:
            assert "org_kde_kwin_idle" in source.description
            assert source.idle_seconds() < 1.0
            idle = await until(lambda: source.idle_seconds() >= 1.5, message="never idle")
            assert idle
            # Timed from the edge as it came, not from when it was asked for.
            assert abs(source.idle_seconds() - (time.monotonic() - opened)) < 0.5
            assert source.watch_for_input(on_input)
            await asyncio.sleep(0.3)
            assert calls == [], "the watch went off with no input"
            sway.type("a")
            await until(lambda: calls, timeout=5, message="no call back at the key press")
            assert source.idle_seconds() < 1.0
        finally:
            source.close()

    asyncio.run(scenario())
    assert len(calls) == 1


def test_a_watch_armed_after_an_input_goes_off_at_once(sway: Sway) -> None:
    calls, on_input = recorder()

    async def scenario() -> None:
        with WaylandIdleSource(sway.display) as source:
            sway.type("a")
            assert source.watch_for_input(on_input)
            await until(lambda: calls, timeout=2, message="no call back for the input before")

    asyncio.run(scenario())


def test_the_compositor_going_away_calls_the_watch_and_then_says_why(sway: Sway) -> None:
    calls, on_input = recorder()

    async def scenario() -> None:
        with WaylandIdleSource(sway.display) as source:
            await until(lambda: source.idle_seconds() >= 1.0, message="never idle")
            assert source.watch_for_input(on_input)
            sway.stop()
            await until(lambda: calls, timeout=5, message="no call back when sway went away")
            with pytest.raises(IdleSourceUnavailable, match="closed the connection"):
                source.idle_seconds()

    asyncio.run(scenario())


def test_no_compositor_at_the_socket_is_unavailable_with_the_reason(sway: Sway) -> None:
    sway.stop()
    with pytest.raises(IdleSourceUnavailable, match="cannot connect to the Wayland compositor"):
        WaylandIdleSource(sway.display)
