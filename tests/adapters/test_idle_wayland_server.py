"""The Wayland idle source against ext-idle-notify-v1 on a real libwayland server
(tests/libwayland_server.py): versions 1 and 2 of the notifier, idled and resumed as
the server sends them, and the server going away.

What this shows: breakd's requests are the ones the protocol's XML describes, as
libwayland itself reads them (a wrong opcode or argument is a protocol error); the
request each version calls for is the one made, with breakd's timeout; the events are
read as the edges they are. What it does not show: a real compositor's idle timing
(when it sends idled after the last input, what it counts as input) and its handling
of idle inhibitors, which decide in practice whether version 1's notification is held
back. Those are tested against KWin 5.27 (test_idle_wayland_kwin.py), the one compositor
in Debian bookworm that offers the protocol, at version 1 only: version 2 is shown here
alone.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest

from breakd.adapters.idle import IdleSourceUnavailable
from breakd.adapters.idle import wayland as wayland_idle
from breakd.adapters.idle.wayland import WaylandIdleSource
from tests.dbus_services import recorder, until
from tests.libwayland_server import IdleServer, idle_server

pytestmark = pytest.mark.desktop


@pytest.fixture(autouse=True)
def short_notice(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(wayland_idle, "NOTICE_MS", 1000)


@pytest.fixture
def version_2() -> Iterator[IdleServer]:
    with idle_server(2) as server:
        yield server


def test_version_2_asks_for_input_idle_and_reads_idled_then_resumed(version_2: IdleServer) -> None:
    calls, on_input = recorder()

    async def scenario() -> None:
        with WaylandIdleSource(version_2.display) as source:
            assert source.description.endswith("(input idle notification)")
            version_2.wait_for("input-idle 1000")
            assert source.idle_seconds() == 0.0
            version_2.tell("idled")
            assert 1.0 <= source.idle_seconds() < 1.5
            assert source.watch_for_input(on_input)
            await asyncio.sleep(0.2)
            assert calls == [], "the watch went off before resumed"
            version_2.tell("resumed")
            await until(lambda: calls, timeout=5, message="no call back at resumed")
            assert source.idle_seconds() == 0.0
        version_2.wait_for("destroyed")

    asyncio.run(scenario())
    assert len(calls) == 1


def test_version_1_asks_for_the_plain_idle_notification() -> None:
    with idle_server(1) as server, WaylandIdleSource(server.display) as source:
        assert source.description.endswith("(idle notification)")
        server.wait_for("idle 1000")
        server.tell("idled")
        assert source.idle_seconds() >= 1.0
        server.tell("resumed")
        assert source.idle_seconds() == 0.0


def test_the_server_going_away_calls_the_watch_and_then_says_why(version_2: IdleServer) -> None:
    calls, on_input = recorder()

    async def scenario() -> None:
        with WaylandIdleSource(version_2.display) as source:
            version_2.tell("idled")
            assert source.watch_for_input(on_input)
            version_2.stop()
            await until(lambda: calls, timeout=5, message="no call back when the server went")
            with pytest.raises(IdleSourceUnavailable, match="closed the connection"):
                source.idle_seconds()

    asyncio.run(scenario())
