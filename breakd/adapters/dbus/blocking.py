"""A blocking bus connection, for the idle sources, whose `idle_seconds()` is synchronous.

Every call has a deadline, so a wedged service holds its caller (the daemon's idle
worker, never its loop: `idle_reader.py`) for a second at most. (jeepney's blocking
Hello has none, so a bus that accepts a connection and then never answers holds the
worker for good; the daemon then counts the user as present.) Signals can be
listened for too: the event loop watches the socket, and the worker takes in what
has arrived, without waiting.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from jeepney import MatchRule, Message
from jeepney.io.blocking import DBusConnection, open_dbus_connection
from jeepney.wrappers import unwrap_msg

from breakd.adapters.dbus.address import Bus, bus_address, cannot_connect, socket_path
from breakd.adapters.dbus.errors import CALL_TIMEOUT, BusLost, CallTimedOut


class BlockingBus:
    """One blocking connection, each call with a deadline."""

    def __init__(self, bus: Bus = "session", timeout: float = CALL_TIMEOUT) -> None:
        """Connect now; BusUnavailable with the reason if that fails."""
        self.bus = bus
        self.timeout = timeout
        address = bus_address(bus)
        socket_path(bus, address)  # a clear sentence for an unusable address
        try:
            self._connection: DBusConnection | None = open_dbus_connection(
                address, auth_timeout=timeout
            )
        except (OSError, EOFError, ValueError) as error:
            raise cannot_connect(bus, address, error) from None

    def call(self, message: Message) -> tuple[Any, ...]:
        """The reply's body. Raises DBusErrorResponse, CallTimedOut or BusLost."""
        connection = self._live()
        try:
            reply = connection.send_and_get_reply(message, timeout=self.timeout)
        except TimeoutError:
            raise CallTimedOut(f"no answer within {self.timeout:g} s") from None
        except (OSError, EOFError, ValueError) as error:
            self.close()
            raise BusLost(f"the {self.bus} bus went away ({error})") from None
        return tuple(unwrap_msg(reply))

    def listen(self, rule: MatchRule, deliver: Callable[[Message], None]) -> None:
        """Hand each message matching `rule` to `deliver` as it is received: by a call
        waiting for its reply, or by `receive_waiting`. This filter is ours alone: what
        is not addressed to this connection needs an AddMatch on the bus as well."""
        self._live().filter(rule, queue=_Deliver(deliver))  # type: ignore[arg-type]

    def receive_waiting(self) -> None:
        """Take in every message that has arrived, without waiting, for the listeners.

        Raises BusLost once the bus has hung up; the connection stays, for the next
        call to say so in its own words.
        """
        connection = self._live()
        try:
            while True:
                connection.recv_messages(timeout=0)
        except TimeoutError:  # first: it is an OSError too
            return
        except (OSError, EOFError, ValueError) as error:
            raise BusLost(f"the {self.bus} bus went away ({error})") from None

    def fileno(self) -> int:
        """The socket, for an event loop to watch."""
        return self._live().sock.fileno()

    def _live(self) -> DBusConnection:
        if self._connection is None:
            raise BusLost(f"the {self.bus} bus connection is closed")
        return self._connection

    def close(self) -> None:
        """Safe to call twice."""
        connection, self._connection = self._connection, None
        if connection is not None:
            connection.close()


class _Deliver:
    """Stands where jeepney's filters keep a queue: each message they append goes to a function."""

    def __init__(self, deliver: Callable[[Message], None]) -> None:
        self.append = deliver
