"""The Wayland idle source against a real compositor that offers ext-idle-notify-v1:
Debian's KWin 5.27, headless (tests/kwin.py). It offers version 1 of the protocol, and
org_kde_kwin_idle too: breakd takes the standard one.

KWin's own idle timing is what is shown here: idled a timeout after the notification
was made or the last activity, resumed at the next. Activity is KWin's
simulate_user_activity, which KWin handles as it does input for idle; nothing types
into it (it offers no virtual keyboard to other programs). Not shown: version 2's
input-only notification (tests/adapters/test_idle_wayland_server.py) and KWin's
handling of idle inhibitors.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator

import pytest

from breakd.adapters.busy.wayland_fullscreen import WaylandFullscreen
from breakd.adapters.idle import IdleSourceUnavailable
from breakd.adapters.idle import wayland as wayland_idle
from breakd.adapters.idle.wayland import WaylandIdleSource
from breakd.adapters.watcher import WatcherUnavailable
from tests.dbus_services import recorder, until
from tests.kwin import KWin, kwin_session

pytestmark = pytest.mark.desktop


@pytest.fixture
def kwin() -> Iterator[KWin]:
    with kwin_session() as session:
        yield session


@pytest.fixture(autouse=True)
def short_notice(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(wayland_idle, "NOTICE_MS", 1000)


def test_idle_from_kwins_edge_and_back_at_its_user_activity(kwin: KWin) -> None:
    calls, on_input = recorder()

    async def scenario() -> None:
        opened = time.monotonic()
        with WaylandIdleSource(kwin.display) as source:
            assert source.description == (
                "the compositor's ext_idle_notifier_v1 (idle notification)"
            )
            assert source.idle_seconds() < 1.0
            await until(lambda: source.idle_seconds() >= 1.5, message="KWin never said idled")
            # Timed from the edge as it came: KWin's clock started at the notification.
            assert abs(source.idle_seconds() - (time.monotonic() - opened)) < 0.5
            assert source.watch_for_input(on_input)
            await asyncio.sleep(0.3)
            assert calls == [], "the watch went off with no activity"
            kwin.simulate_activity()
            await until(lambda: calls, timeout=5, message="no call back at the activity")
            assert source.idle_seconds() < 1.0
            await until(lambda: source.idle_seconds() >= 1.0, message="KWin never idled again")

    asyncio.run(scenario())
    assert len(calls) == 1


def test_kwin_going_away_calls_the_watch_and_then_says_why(kwin: KWin) -> None:
    calls, on_input = recorder()

    async def scenario() -> None:
        with WaylandIdleSource(kwin.display) as source:
            await until(lambda: source.idle_seconds() >= 1.0, message="never idle")
            assert source.watch_for_input(on_input)
            kwin.stop()
            await until(lambda: calls, timeout=5, message="no call back when KWin went away")
            with pytest.raises(IdleSourceUnavailable, match="closed the connection"):
                source.idle_seconds()

    asyncio.run(scenario())


def test_kwin_offers_no_wlroots_window_list_so_full_screen_is_unavailable(kwin: KWin) -> None:
    with pytest.raises(WatcherUnavailable, match="offers no zwlr_foreign_toplevel_manager_v1"):
        asyncio.run(WaylandFullscreen(kwin.display).probe())
