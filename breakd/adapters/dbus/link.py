"""Asyncio bus connections: BusLink, one connection, and SharedBus, one per bus to share.

Beyond jeepney's router, they give:

- a deadline on every call, so a wedged service cannot stall the daemon's loop;
- noticing that a bus hung up: jeepney's asyncio router ends its receiver task
  but never tells its filter queues, so a watcher waiting for a signal would
  wait forever. `BusLink.next_message` waits for the signal or the hang-up,
  `BusLink.lost` says it happened, and a call on a lost link fails at once;
- signals received on the very connection that made the calls: a notification
  server, for one, unicasts its answers to the sender of Notify;
- a connection that outlives a peer's second answer to one call. mako 1.7.1
  (Debian 12, with libsystemd 252) answers `ListModes`, `ListNotifications` and
  even `GetCapabilities` twice: the reply, then an `UnknownMethod` error for the
  same call. jeepney's router would end its receiver on the second one, taking
  every call and watcher on the connection down with it; the first answer counts.

Three things here rely on what jeepney does not document, and
tests/adapters/test_dependency_contracts.py pins them: its router reads every
message through the connection's `receive()` (how a hang-up is noticed), hands
each one to its `_dispatch` (where a second answer is dropped), and leaving the
router ends its receiver task (`BusLink.close`). The connection is
set up with jeepney's documented API for I/O of one's own (`Authenticator`, `BEGIN`).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Iterable
from dataclasses import dataclass, field
from typing import Any

from jeepney import DBusAddress, HeaderFields, Message, new_method_call
from jeepney.auth import BEGIN, Authenticator
from jeepney.bus_messages import MatchRule, message_bus
from jeepney.io import RouterClosed
from jeepney.io.asyncio import DBusConnection, DBusRouter
from jeepney.low_level import MessageFlag
from jeepney.wrappers import DBusErrorResponse, unwrap_msg

from breakd.adapters.dbus.address import (
    Bus,
    BusUnavailable,
    bus_address,
    cannot_connect,
    socket_path,
)
from breakd.adapters.dbus.errors import (
    CALL_TIMEOUT,
    NAME_GONE_ERRORS,
    BusLost,
    CallTimedOut,
    UnexpectedReply,
)
from breakd.adapters.dbus.rules import PROPERTIES, local_rule


class _WatchedConnection(DBusConnection):
    """jeepney's asyncio connection, plus an event set when receiving fails (a hang-up)."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        super().__init__(reader, writer)
        self.lost = asyncio.Event()

    async def receive(self) -> Message:
        try:
            return await super().receive()
        except Exception:
            self.lost.set()
            raise


class _Router(DBusRouter):
    """jeepney's asyncio router, except that an answer nobody waits for any more is dropped.

    jeepney sets the waiting future's result without looking: a second answer to one
    call, or one that arrives as its call times out, raises InvalidStateError in its
    receiver task, which ends the router for every user of the connection.
    """

    def _dispatch(self, msg: Message) -> None:
        # InvalidStateError: the call has had its answer, or gave up waiting for one.
        with contextlib.suppress(asyncio.InvalidStateError):
            super()._dispatch(msg)


@dataclass(eq=False)
class BusLink:
    """A live asyncio connection, with the calls and subscriptions its users need.

    Runs on the caller's loop; jeepney's receiver is its one task, and it sleeps
    until the bus sends something.
    """

    bus: Bus
    router: DBusRouter
    connection: _WatchedConnection
    users: int = 0
    _closed: bool = field(default=False, repr=False)

    @property
    def lost(self) -> bool:
        """The bus hung up: nothing more will come, and every call fails with BusLost."""
        return self.connection.lost.is_set()

    @property
    def _ended(self) -> bool:
        """No more answers will be read: the bus hung up or the link was closed."""
        return self.lost or self._closed

    async def reply(self, message: Message, timeout: float = CALL_TIMEOUT) -> Message:
        """The whole reply, for its header (which connection answered) as well as its body.

        Raises DBusErrorResponse for an error reply, CallTimedOut or BusLost.
        """
        if self.lost:
            raise BusLost(f"the {self.bus} bus went away")
        try:
            reply = await asyncio.wait_for(self.router.send_and_get_reply(message), timeout)
        except asyncio.TimeoutError:  # first: from Python 3.11 on, it is an OSError
            raise CallTimedOut(f"no answer within {timeout:g} s") from None
        except (RouterClosed, OSError, EOFError) as error:
            raise BusLost(f"the {self.bus} bus went away ({error})") from None
        except KeyError as error:
            # jeepney's reply matcher turns the RouterClosed of a call in flight when the
            # connection closes into a KeyError (its cleanup deletes a dropped entry); so
            # too a reply that arrived just before the receiver ended, whose result is lost.
            if not (isinstance(error.__context__, RouterClosed) or self._ended):
                raise
            raise BusLost(f"the {self.bus} bus connection was closed") from None
        unwrap_msg(reply)
        return reply

    async def call(
        self, message: Message, timeout: float = CALL_TIMEOUT, returns: str | None = None
    ) -> tuple[Any, ...]:
        """The reply's body. Raises DBusErrorResponse, CallTimedOut or BusLost; and
        UnexpectedReply when `returns` is given and the reply's signature is not it, so
        that a peer's wrong answer is said in words rather than met as a bug of ours."""
        reply = await self.reply(message, timeout)
        if returns is not None:
            _expect(message, returns, reply.header.fields.get(HeaderFields.signature, ""))
        return tuple(reply.body)

    async def send(self, message: Message) -> None:
        """A call whose answer nobody needs, flagged NO_REPLY_EXPECTED so that none comes
        back to wake the loop. Raises BusLost; a peer's failure goes unheard."""
        if self.lost:
            raise BusLost(f"the {self.bus} bus went away")
        message.header.flags |= MessageFlag.no_reply_expected
        try:
            await self.router.send(message)
        except (RouterClosed, OSError, EOFError) as error:
            raise BusLost(f"the {self.bus} bus went away ({error})") from None

    async def name_owner(self, name: str) -> str | None:
        """The unique name that owns `name` now, or None."""
        try:
            return str((await self.call(message_bus.GetNameOwner(name), returns="s"))[0])
        except DBusErrorResponse as error:
            if error.name in NAME_GONE_ERRORS:
                return None
            raise

    async def get_property(
        self, address: DBusAddress, interface: str, name: str, returns: str | None = None
    ) -> Any:
        """One property's value (the variant unwrapped); UnexpectedReply if `returns` is
        given and the value is of another type."""
        message = new_method_call(
            address.with_interface(PROPERTIES), "Get", "ss", (interface, name)
        )
        signature, value = (await self.call(message, returns="v"))[0]
        if returns is not None:
            _expect(message, returns, signature, f"{name} property")
        return value

    async def listen(
        self, rules: Iterable[MatchRule], timeout: float = CALL_TIMEOUT
    ) -> asyncio.Queue[Message]:
        """Every message matching any of `rules`, in arrival order, for as long as the link lives.

        For a user whose interest lasts as long as its connection; the bus drops
        the rules when the link closes. See `subscribe` for the rest.
        """
        queue, _filters = await self._match(list(rules), timeout)
        return queue

    @contextlib.asynccontextmanager
    async def subscribe(
        self, rules: Iterable[MatchRule], timeout: float = CALL_TIMEOUT
    ) -> AsyncIterator[asyncio.Queue[Message]]:
        """Every message matching any of `rules`, in arrival order, in one queue, while inside.

        The local filters are in place before AddMatch, so nothing the bus sends
        after it is missed: subscribe before reading the state to watch, or
        before the call whose answer comes as a signal.
        """
        rules = list(rules)
        queue, filters = await self._match(rules, timeout)
        try:
            yield queue
        finally:
            filters.close()
            if not self.lost and not self._closed:
                for rule in rules:
                    # Not awaited for a reply: the rule goes on the bus's own time.
                    with contextlib.suppress(Exception):
                        await self.router.send(message_bus.RemoveMatch(rule))

    async def _match(
        self, rules: list[MatchRule], timeout: float
    ) -> tuple[asyncio.Queue[Message], contextlib.ExitStack]:
        """The queue, and the local filters feeding it: closing the stack removes them."""
        queue: asyncio.Queue[Message] = asyncio.Queue()  # unbounded: a full one drops silently
        with contextlib.ExitStack() as filters:
            for rule in rules:
                filters.enter_context(self.router.filter(local_rule(rule), queue=queue))
            for rule in rules:
                await self.call(message_bus.AddMatch(rule), timeout)
            return queue, filters.pop_all()

    async def next_message(self, queue: asyncio.Queue[Message]) -> Message:
        """The next queued message; BusLost as soon as the bus hangs up instead."""
        if not queue.empty():
            return queue.get_nowait()
        getter = asyncio.ensure_future(queue.get())
        hang_up = asyncio.ensure_future(self.connection.lost.wait())
        try:
            await asyncio.wait({getter, hang_up}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for waiter in (getter, hang_up):
                if not waiter.done():
                    waiter.cancel()
        if getter.done() and not getter.cancelled():
            return getter.result()
        raise BusLost(f"the {self.bus} bus went away")

    async def close(self) -> None:
        """Stop the receiver and close the socket; never raises, the bus may be gone already."""
        if self._closed:
            return
        self._closed = True
        with contextlib.suppress(Exception):
            await self.router.__aexit__(None, None, None)
        with contextlib.suppress(Exception):
            await self.connection.close()


def _expect(message: Message, expected: str, got: str, what: str | None = None) -> None:
    if got != expected:
        asked = what or message.header.fields.get(HeaderFields.member, "a call")
        raise UnexpectedReply(f"answered {asked} with ({got}) where ({expected}) was expected")


async def open_link(bus: Bus, timeout: float = CALL_TIMEOUT) -> BusLink:
    """Connect, authenticate and say Hello, all within `timeout`; BusUnavailable says why not.

    Built here rather than with `jeepney.io.asyncio.open_dbus_connection` so the
    connection is a `_WatchedConnection` from the first byte.
    """
    address = bus_address(bus)
    path = socket_path(bus, address)
    try:
        return await asyncio.wait_for(_connect(bus, path, timeout), timeout)
    except (asyncio.TimeoutError, CallTimedOut):  # first: from Python 3.11 on, an OSError
        raise BusUnavailable(
            f"the {bus} bus at {address} did not answer within {timeout:g} s"
        ) from None
    except (OSError, EOFError, ValueError, BusLost) as error:
        raise cannot_connect(bus, address, error) from None
    except DBusErrorResponse as error:
        raise BusUnavailable(f"the {bus} bus refused breakd ({error.name})") from None


async def _connect(bus: Bus, path: str, timeout: float) -> BusLink:
    reader, writer = await asyncio.open_unix_connection(path)
    try:
        authenticator = Authenticator()
        for request in authenticator:
            writer.write(request)
            await writer.drain()
            data = await reader.read(1024)
            if not data:
                raise EOFError("the bus closed the connection while authenticating")
            authenticator.feed(data)
        writer.write(BEGIN)
        await writer.drain()
    except BaseException:
        writer.close()
        raise
    connection = _WatchedConnection(reader, writer)
    link = BusLink(bus, _Router(connection), connection)
    try:
        (connection.unique_name,) = await link.call(message_bus.Hello(), timeout)
    except BaseException:
        await link.close()
        raise
    return link


class SharedBus:
    """One asyncio connection to a bus, shared by every watcher on it (session sources,
    busy signals).

    Opened by the first `connected()`, closed when the last one exits. A source
    that comes back after the bus hung up gets a fresh connection, even while
    other sources still hold the dead one.
    """

    def __init__(self, bus: Bus, timeout: float = CALL_TIMEOUT) -> None:
        self.bus = bus
        self.timeout = timeout
        self._link: BusLink | None = None
        self._opening: asyncio.Lock | None = None

    @contextlib.asynccontextmanager
    async def connected(self) -> AsyncIterator[BusLink]:
        """The live connection; BusUnavailable (with the reason) if there is none."""
        link = await self._acquire()
        try:
            yield link
        finally:
            link.users -= 1
            if link.users == 0:
                if self._link is link:
                    self._link = None
                await link.close()

    async def _acquire(self) -> BusLink:
        if self._opening is None:
            self._opening = asyncio.Lock()
        async with self._opening:
            if self._link is None or self._link.lost:
                self._link = await open_link(self.bus, self.timeout)
            self._link.users += 1
            return self._link
