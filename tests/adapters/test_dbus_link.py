"""BusLink against a stand-in on a private bus: replies, deadlines, signals, a hang-up.

The session and busy sources exercise `subscribe` and SharedBus; the notifier's
own needs (the reply's sender, signals sent to it alone, a bus that went away)
are checked here, and end to end in tests/e2e/test_notification_buttons.py.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from jeepney import DBusAddress, new_method_call
from jeepney.bus_messages import MatchRule
from jeepney.wrappers import DBusErrorResponse, new_error

from breakd.adapters.dbus.errors import BusLost, CallTimedOut, UnexpectedReply
from breakd.adapters.dbus.link import BusLink, open_link
from breakd.adapters.dbus.rules import header
from tests.dbus_services import (
    UNKNOWN_METHOD,
    DBusError,
    PrivateBuses,
    ServiceHost,
    StandIn,
    private_buses,
    service_host,
)

NAME = "org.example.BreakdTest"
PATH = "/org/example/BreakdTest"
ADDRESS = DBusAddress(PATH, bus_name=NAME, interface=NAME)


class Echo(StandIn):
    """Answers Ping, fails Fail, never answers Hang, and answers Twice twice."""

    names = (NAME,)

    def __init__(self, host: ServiceHost, bus_address: str) -> None:
        super().__init__(host, bus_address)
        self.method(PATH, NAME, "Ping", lambda _: ("s", ("pong",)))
        self.method(PATH, NAME, "Hang", lambda _: None)
        self.method(PATH, NAME, "Fail", self._fail)
        self.method(PATH, NAME, "Twice", self._twice)

    def _fail(self, _message: object) -> None:
        raise DBusError("org.example.Error.Refused", "not today")

    def _twice(self, message: Any) -> tuple[str, tuple[Any, ...]]:
        """As mako 1.7.1 answers ListModes on Debian 12: the reply, then an error."""
        error = new_error(message, UNKNOWN_METHOD, "s", ("Unknown method",))
        self.host.loop.create_task(self._router.send(error))  # sent after the reply
        return "as", (["default"],)


@dataclass
class Setup:
    buses: PrivateBuses
    echo: Echo


@pytest.fixture
def setup(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Setup]:
    """Echo on a private session bus, which this process is pointed at."""
    with private_buses(tmp_path) as buses, service_host() as host:
        monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", buses.session_address)
        echo = Echo(host, buses.session_address)
        echo.start()
        yield Setup(buses, echo)


def on_a_link(scenario: Callable[[BusLink], Awaitable[None]]) -> None:
    """Run `scenario` on a fresh session-bus link, closed after it whatever happens."""

    async def run() -> None:
        link = await open_link("session")
        try:
            await scenario(link)
        finally:
            await link.close()

    asyncio.run(run())


def test_a_reply_names_who_answered_and_an_error_reply_raises(setup: Setup) -> None:
    async def scenario(link: BusLink) -> None:
        reply = await link.reply(new_method_call(ADDRESS, "Ping"))
        assert header(reply, "sender") == await link.name_owner(NAME)
        assert await link.call(new_method_call(ADDRESS, "Ping")) == ("pong",)
        with pytest.raises(DBusErrorResponse) as refused:
            await link.call(new_method_call(ADDRESS, "Fail"))
        assert refused.value.name == "org.example.Error.Refused"
        with pytest.raises(CallTimedOut, match=r"^no answer within 0.2 s$"):
            await link.call(new_method_call(ADDRESS, "Hang"), timeout=0.2)
        with pytest.raises(
            UnexpectedReply, match=r"^answered Ping with \(s\) where \(as\) was expected$"
        ):
            await link.call(new_method_call(ADDRESS, "Ping"), returns="as")
        assert await link.name_owner("org.example.Nobody") is None

    on_a_link(scenario)


def test_a_second_answer_to_one_call_is_dropped_and_the_link_lives_on(setup: Setup) -> None:
    """A peer's second answer (mako 1.7.1's) once ended jeepney's receiver: every call on
    the link, and every watcher sharing it, then failed."""

    async def scenario(link: BusLink) -> None:
        queue = await link.listen([MatchRule(type="signal", interface=NAME, path=PATH)])
        for _ in range(3):
            assert await link.call(new_method_call(ADDRESS, "Twice")) == (["default"],)
        assert await link.call(new_method_call(ADDRESS, "Ping")) == ("pong",)
        setup.echo.emit(PATH, NAME, "Answer", "s", ("still here",))
        assert (await asyncio.wait_for(link.next_message(queue), 5)).body == ("still here",)
        assert not link.lost

    on_a_link(scenario)


def test_signals_sent_to_the_link_alone_arrive_while_it_lives(setup: Setup) -> None:
    async def scenario(link: BusLink) -> None:
        queue = await link.listen([MatchRule(type="signal", interface=NAME, path=PATH)])
        for word in ("one", "two"):
            setup.echo.emit(PATH, NAME, "Answer", "s", (word,), destination=link.router.unique_name)
        first = await asyncio.wait_for(link.next_message(queue), 5)
        second = await asyncio.wait_for(link.next_message(queue), 5)
        assert (first.body, second.body) == (("one",), ("two",))
        assert header(first, "member") == "Answer"

    on_a_link(scenario)


def test_a_bus_that_hangs_up_is_noticed_and_every_call_then_fails_at_once(setup: Setup) -> None:
    async def scenario(link: BusLink) -> None:
        queue = await link.listen([MatchRule(type="signal", interface=NAME)])
        assert not link.lost
        setup.buses.kill("session")
        with pytest.raises(BusLost, match=r"^the session bus went away"):
            await asyncio.wait_for(link.next_message(queue), 5)
        assert link.lost
        with pytest.raises(BusLost, match=r"^the session bus went away$"):
            await link.call(new_method_call(ADDRESS, "Ping"))
        await link.close()  # and again after the scenario: it never raises

    on_a_link(scenario)


def test_a_call_in_flight_when_the_link_closes_ends_as_bus_lost(setup: Setup) -> None:
    """jeepney raises KeyError here, from the cleanup of its reply matcher: pinned, so that
    a jeepney that changes it fails this test rather than a user's button press."""

    async def scenario(link: BusLink) -> None:
        call = asyncio.ensure_future(link.call(new_method_call(ADDRESS, "Hang"), timeout=5))
        await asyncio.sleep(0.1)
        await link.close()
        with pytest.raises(BusLost, match=r"^the session bus connection was closed$"):
            await asyncio.wait_for(call, 5)

    on_a_link(scenario)
