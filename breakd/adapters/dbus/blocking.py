"""A blocking bus connection, for the idle sources, whose `idle_seconds()` is synchronous.

Every call has a deadline, so a wedged service cannot stall the daemon's loop.
(jeepney's blocking Hello has none, so only a bus that accepts a connection and
then never answers could hold the daemon up.)
"""

from __future__ import annotations

from typing import Any

from jeepney import Message
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
