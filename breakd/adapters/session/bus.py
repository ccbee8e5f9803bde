"""D-Bus plumbing for breakd's D-Bus idle and session sources, on jeepney.

What they need beyond `adapters/dbus_connection.py` (which finds the session
bus, falling back to `$XDG_RUNTIME_DIR/bus`):

- the system bus too, for logind (`DBUS_SYSTEM_BUS_ADDRESS`, as jeepney reads it);
- a deadline on every call, so a wedged service cannot stall the daemon's loop;
- noticing that a bus hung up: jeepney's asyncio router ends its receiver task
  but never tells its filter queues, so a source waiting for a signal would
  wait forever. `BusLink.next_message` waits for the signal or the hang-up;
- sharing: `SharedBus` is one asyncio connection per bus for every session
  source on it, opened on first use and closed when the last one lets go.

`BlockingBus` serves the idle sources, whose `idle_seconds()` is synchronous:
one blocking connection each call of which has a deadline. (jeepney's blocking
Hello has none, so only a bus that accepts a connection and then never answers
could hold the daemon up.)
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
import os
from collections.abc import AsyncIterator, Iterable
from dataclasses import dataclass, field
from typing import Any, Literal

from jeepney import DBusAddress, HeaderFields, Message, MessageType, new_method_call
from jeepney.auth import BEGIN, Authenticator
from jeepney.bus import get_connectable_addresses
from jeepney.bus_messages import MatchRule, message_bus
from jeepney.io.asyncio import DBusConnection, DBusRouter
from jeepney.io.blocking import DBusConnection as BlockingConnection
from jeepney.io.blocking import open_dbus_connection as open_blocking_connection
from jeepney.io.common import RouterClosed
from jeepney.wrappers import DBusErrorResponse, unwrap_msg

from breakd.adapters.dbus_connection import SessionBusUnavailable, session_bus_address
from breakd.adapters.idle import IdleSourceUnavailable
from breakd.adapters.session import SessionSourceStopped, SessionSourceUnavailable

Bus = Literal["session", "system"]

CALL_TIMEOUT = 1.0
"""Seconds a local service gets to answer one call; they answer in well under 1 ms."""

SYSTEM_BUS_DEFAULT = "unix:path=/var/run/dbus/system_bus_socket"
PROPERTIES = "org.freedesktop.DBus.Properties"
NAME_GONE_ERRORS = frozenset(
    {"org.freedesktop.DBus.Error.ServiceUnknown", "org.freedesktop.DBus.Error.NameHasNoOwner"}
)


class BusUnavailable(Exception):
    """There is no such bus here, or it cannot be reached; one sentence says why."""


class BusLost(Exception):
    """The bus hung up after the connection was made."""


class CallTimedOut(Exception):
    """The service did not answer within the deadline."""


def bus_address(bus: Bus) -> str:
    """The address to connect to; BusUnavailable when the session bus cannot be found."""
    if bus == "system":
        return os.environ.get("DBUS_SYSTEM_BUS_ADDRESS") or SYSTEM_BUS_DEFAULT
    try:
        return session_bus_address()
    except SessionBusUnavailable as error:
        raise BusUnavailable(str(error)) from None


def _socket_path(bus: Bus, address: str) -> str:
    try:
        return next(get_connectable_addresses(address))
    except (RuntimeError, ValueError, StopIteration) as error:
        raise BusUnavailable(f"the {bus} bus address {address!r} is not usable: {error}") from None


def _cannot_connect(bus: Bus, address: str, error: BaseException) -> BusUnavailable:
    reason = getattr(error, "strerror", None) or str(error) or type(error).__name__
    return BusUnavailable(f"cannot connect to the {bus} bus at {address} ({reason})")


# -- blocking: the idle sources ------------------------------------------------


class BlockingBus:
    """One blocking connection, each call with a deadline; for the synchronous idle sources."""

    def __init__(self, bus: Bus = "session", timeout: float = CALL_TIMEOUT) -> None:
        """Connect now; BusUnavailable with the reason if that fails."""
        self.bus = bus
        self.timeout = timeout
        address = bus_address(bus)
        _socket_path(bus, address)  # a clear sentence for an unusable address
        try:
            self._connection: BlockingConnection | None = open_blocking_connection(
                address, auth_timeout=timeout
            )
        except (OSError, EOFError, ValueError) as error:
            raise _cannot_connect(bus, address, error) from None

    def call(self, message: Message) -> tuple[Any, ...]:
        """The reply's body. Raises DBusErrorResponse, CallTimedOut or BusLost."""
        connection = self._connection
        if connection is None:
            raise BusLost(f"the {self.bus} bus connection is closed")
        try:
            reply = connection.send_and_get_reply(message, timeout=self.timeout)
        except TimeoutError:
            raise CallTimedOut(f"no answer within {self.timeout:g} s") from None
        except (OSError, EOFError, ValueError) as error:
            self.close()
            raise BusLost(f"the {self.bus} bus went away ({error})") from None
        return tuple(unwrap_msg(reply))

    def close(self) -> None:
        """Safe to call twice."""
        connection, self._connection = self._connection, None
        if connection is not None:
            connection.close()


def open_bus_for_idle() -> BlockingBus:
    """The session bus for an idle source; IdleSourceUnavailable with the reason if none."""
    try:
        return BlockingBus("session")
    except BusUnavailable as error:
        raise IdleSourceUnavailable(str(error)) from None


def idle_call(bus: BlockingBus, message: Message, service: str) -> tuple[Any, ...]:
    """One idle-time call; every failure becomes IdleSourceUnavailable, in one sentence."""
    try:
        return bus.call(message)
    except (DBusErrorResponse, CallTimedOut, BusLost) as error:
        raise idle_error(error, service) from None


def idle_error(error: Exception, service: str) -> IdleSourceUnavailable:
    """A failed call to `service` as the sentence an idle source gives up with."""
    if isinstance(error, DBusErrorResponse):
        if error.name in NAME_GONE_ERRORS:
            return IdleSourceUnavailable(f"{service} left the session bus")
        return IdleSourceUnavailable(f"{service} failed: {describe_error(error)}")
    if isinstance(error, CallTimedOut):
        return IdleSourceUnavailable(f"{service} gave {error}")
    return IdleSourceUnavailable(str(error))


# -- asyncio: the session sources ----------------------------------------------


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


@dataclass(eq=False)
class BusLink:
    """A live asyncio connection, shared; the helpers the session sources need."""

    bus: Bus
    router: DBusRouter
    connection: _WatchedConnection
    users: int = 0
    _closed: bool = field(default=False, repr=False)

    @property
    def lost(self) -> bool:
        return self.connection.lost.is_set()

    async def call(self, message: Message, timeout: float = CALL_TIMEOUT) -> tuple[Any, ...]:
        """The reply's body. Raises DBusErrorResponse, CallTimedOut or BusLost."""
        if self.lost:
            raise BusLost(f"the {self.bus} bus went away")
        try:
            reply = await asyncio.wait_for(self.router.send_and_get_reply(message), timeout)
        except asyncio.TimeoutError:
            raise CallTimedOut(f"no answer within {timeout:g} s") from None
        except (RouterClosed, OSError, EOFError) as error:
            raise BusLost(f"the {self.bus} bus went away ({error})") from None
        return tuple(unwrap_msg(reply))

    async def name_owner(self, name: str) -> str | None:
        """The unique name that owns `name` now, or None."""
        try:
            return str((await self.call(message_bus.GetNameOwner(name)))[0])
        except DBusErrorResponse as error:
            if error.name in NAME_GONE_ERRORS:
                return None
            raise

    async def get_property(self, address: DBusAddress, interface: str, name: str) -> Any:
        """One property's value (the variant unwrapped)."""
        message = new_method_call(
            address.with_interface(PROPERTIES), "Get", "ss", (interface, name)
        )
        _signature, value = (await self.call(message))[0]
        return value

    @contextlib.asynccontextmanager
    async def subscribe(self, rules: Iterable[MatchRule]) -> AsyncIterator[asyncio.Queue[Message]]:
        """Every message matching any of `rules`, in arrival order, in one queue.

        The local filters are in place before AddMatch, so nothing the bus sends
        after it is missed; subscribe before reading the state to watch.
        """
        rules = list(rules)
        queue: asyncio.Queue[Message] = asyncio.Queue()  # unbounded: a full one drops silently
        with contextlib.ExitStack() as filters:
            for rule in rules:
                filters.enter_context(self.router.filter(_local(rule), queue=queue))
            for rule in rules:
                await self.call(message_bus.AddMatch(rule))
            try:
                yield queue
            finally:
                if not self.lost and not self._closed:
                    for rule in rules:
                        # Not awaited for a reply: the rule goes on the bus's own time.
                        with contextlib.suppress(Exception):
                            await self.router.send(message_bus.RemoveMatch(rule))

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
        if self._closed:
            return
        self._closed = True
        with contextlib.suppress(Exception):
            await self.router.__aexit__(None, None, None)
        with contextlib.suppress(Exception):
            await self.connection.close()


async def _open_link(bus: Bus, timeout: float) -> BusLink:
    """Connect, authenticate and say Hello, like jeepney's own opener, with a deadline.

    Built here rather than with `jeepney.io.asyncio.open_dbus_connection` so the
    connection is a `_WatchedConnection` from the first byte.
    """
    address = bus_address(bus)
    path = _socket_path(bus, address)
    writer: asyncio.StreamWriter | None = None
    try:
        reader, writer = await asyncio.wait_for(asyncio.open_unix_connection(path), timeout)

        async def authenticate() -> None:
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

        await asyncio.wait_for(authenticate(), timeout)
        connection = _WatchedConnection(reader, writer)
        router = DBusRouter(connection)
        link = BusLink(bus, router, connection)
        try:
            hello = await link.call(message_bus.Hello(), timeout)
        except BaseException:
            await link.close()
            raise
        connection.unique_name = hello[0]
        return link
    except (OSError, EOFError, ValueError, asyncio.TimeoutError, CallTimedOut, BusLost) as error:
        if writer is not None:
            writer.close()
        raise _cannot_connect(bus, address, error) from None
    except DBusErrorResponse as error:
        raise BusUnavailable(f"the {bus} bus refused breakd ({error.name})") from None


class SharedBus:
    """One asyncio connection to a bus, shared by every session source on it.

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
                self._link = await _open_link(self.bus, self.timeout)
            self._link.users += 1
            return self._link


def signal_rule(
    sender: str, interface: str, member: str | None = None, path: str | None = None
) -> MatchRule:
    """Signals from the owner of `sender` (a well-known name: the bus resolves it)."""
    return MatchRule(type="signal", sender=sender, interface=interface, member=member, path=path)


def name_owner_rule(name: str) -> MatchRule:
    """NameOwnerChanged for one well-known name: how a source notices its service come or go."""
    rule = MatchRule(
        type="signal",
        sender="org.freedesktop.DBus",
        interface="org.freedesktop.DBus",
        member="NameOwnerChanged",
        path="/org/freedesktop/DBus",
    )
    rule.add_arg_condition(0, name)
    return rule


def _local(rule: MatchRule) -> MatchRule:
    """The rule without its sender, for jeepney's local filter.

    Messages carry the sender's unique name (":1.42"), never the well-known name
    the bus matched on, so a local filter with a sender would match nothing;
    sources check the sender against the name's current owner themselves.
    """
    local = copy.copy(rule)
    local.header_fields = {k: v for k, v in rule.header_fields.items() if k != "sender"}
    return local


def header(message: Message, name: str) -> Any:
    """A header field by name ("path", "interface", "member", "sender"), or None."""
    return message.header.fields.get(HeaderFields[name])


def is_signal(message: Message, interface: str, member: str, path: str | None = None) -> bool:
    return (
        message.header.message_type is MessageType.signal
        and header(message, "interface") == interface
        and header(message, "member") == member
        and (path is None or header(message, "path") == path)
    )


def owner_change(message: Message) -> tuple[str, str | None] | None:
    """(name, new owner or None) for a NameOwnerChanged signal; None for anything else."""
    if not is_signal(message, "org.freedesktop.DBus", "NameOwnerChanged"):
        return None
    if header(message, "sender") != "org.freedesktop.DBus":
        return None
    name, _old, new = message.body
    return str(name), (str(new) or None)


def describe_error(error: BaseException) -> str:
    """A D-Bus error as its name and message; other errors as their text."""
    if isinstance(error, DBusErrorResponse):
        detail = error.data[0] if error.data and isinstance(error.data[0], str) else ""
        return f"{error.name}: {detail}" if detail else str(error.name)
    return str(error) or type(error).__name__


class SourceErrors:
    """Turns D-Bus failures inside a session source's `watch` into the protocol's errors.

    Before the source watches (`started` still False) a failure means the
    mechanism is not usable here: SessionSourceUnavailable. After, it went away:
    SessionSourceStopped. Either way the message is one sentence.
    """

    def __init__(self, service: str) -> None:
        self.service = service
        self.started = False

    def __enter__(self) -> SourceErrors:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, tb: Any
    ) -> bool:
        if error is None or isinstance(error, (SessionSourceStopped, SessionSourceUnavailable)):
            return False
        if isinstance(error, BusUnavailable):
            raise SessionSourceUnavailable(str(error)) from None
        if isinstance(error, BusLost):
            raise SessionSourceStopped(str(error)) from None
        if isinstance(error, (CallTimedOut, DBusErrorResponse)):
            reason = f"{self.service}: {describe_error(error)}"
            if self.started:
                raise SessionSourceStopped(reason) from None
            raise SessionSourceUnavailable(reason) from None
        return False
