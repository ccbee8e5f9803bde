"""The session bus, opened with jeepney: how every breakd adapter reaches D-Bus.

jeepney (like the other Python D-Bus libraries) only reads
DBUS_SESSION_BUS_ADDRESS. A systemd user service, or a session started without
that variable, still has its bus at `$XDG_RUNTIME_DIR/bus`, so this module looks
there too. Importing it is free: jeepney is imported when a bus is opened.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import stat
from collections.abc import Mapping
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from jeepney import Message
    from jeepney.bus_messages import MatchRule
    from jeepney.io.asyncio import DBusConnection, DBusRouter

OPEN_TIMEOUT = 5.0
"""Connecting, authenticating and the Hello call together; a local socket answers in ms."""

_UNESCAPED = re.compile(r"[-0-9A-Za-z_/.\\*]")


class SessionBusUnavailable(Exception):
    """No session bus could be reached; the message says why in one sentence."""


class ConnectionLost(Exception):
    """The bus connection broke (the bus went away); a new one may work."""


def session_bus_address(environ: Mapping[str, str] | None = None) -> str:
    """DBUS_SESSION_BUS_ADDRESS, else the socket at $XDG_RUNTIME_DIR/bus, as systemd sets it up."""
    environ = os.environ if environ is None else environ
    address = environ.get("DBUS_SESSION_BUS_ADDRESS", "").strip()
    if address:
        return address
    runtime_dir = environ.get("XDG_RUNTIME_DIR")
    if runtime_dir:
        path = os.path.join(runtime_dir, "bus")
        with contextlib.suppress(OSError):
            if stat.S_ISSOCK(os.stat(path).st_mode):
                return f"unix:path={_escape(path)}"
    raise SessionBusUnavailable(
        "no D-Bus session bus: DBUS_SESSION_BUS_ADDRESS is unset and there is no $XDG_RUNTIME_DIR/bus"
    )


def _escape(value: str) -> str:
    """D-Bus address escaping: every byte outside a small safe set becomes %XX."""
    return "".join(
        char if _UNESCAPED.fullmatch(char) else "".join(f"%{byte:02x}" for byte in char.encode())
        for char in value
    )


class SessionBus:
    """One connection to the session bus, with jeepney's router matching replies and signals.

    Runs on the caller's asyncio loop; the router's one receiver task is its only task,
    and it sleeps until the bus sends something.
    """

    def __init__(self, connection: DBusConnection, router: DBusRouter) -> None:
        self._connection = connection
        self._router = router

    @property
    def unique_name(self) -> str:
        return str(self._router.unique_name)

    async def call(self, message: Message, timeout: float) -> Message:
        """Send a method call and return its reply.

        Raises jeepney's DBusErrorResponse for an error reply (so that an error is
        never read as data), ConnectionLost when the bus connection is gone, and
        asyncio.TimeoutError when no reply comes within `timeout` seconds.
        """
        from jeepney.io.asyncio import RouterClosed
        from jeepney.wrappers import unwrap_msg

        try:
            reply = await asyncio.wait_for(self._router.send_and_get_reply(message), timeout)
        except asyncio.TimeoutError:
            raise  # before OSError: from Python 3.11 on, TimeoutError is an OSError
        except (RouterClosed, EOFError, OSError) as error:
            raise ConnectionLost(str(error) or type(error).__name__) from error
        unwrap_msg(reply)
        return reply

    async def subscribe(self, rule: MatchRule, timeout: float) -> asyncio.Queue[Message]:
        """Ask the bus for the signals `rule` matches, and return the queue they arrive in.

        The filter is in place before AddMatch is sent, so no signal can slip between.
        """
        from jeepney.bus_messages import message_bus

        queue: asyncio.Queue[Message] = asyncio.Queue()
        self._router.filter(rule, queue=queue)
        await self.call(message_bus.AddMatch(rule), timeout)
        return queue

    async def close(self) -> None:
        """Stop the receiver and close the socket; never raises, the bus may be gone already."""
        with contextlib.suppress(Exception):
            await self._router.__aexit__(None, None, None)
        with contextlib.suppress(Exception):
            await self._connection.close()


async def open_session_bus(
    environ: Mapping[str, str] | None = None, timeout: float = OPEN_TIMEOUT
) -> SessionBus:
    """Connect to the session bus; SessionBusUnavailable says why when there is none."""
    address = session_bus_address(environ)
    from jeepney.io.asyncio import DBusRouter, open_dbus_connection

    try:
        connection = await asyncio.wait_for(open_dbus_connection(address), timeout)
    except asyncio.TimeoutError as error:
        raise SessionBusUnavailable(
            f"the D-Bus session bus at {address} did not answer within {timeout:g} s"
        ) from error
    except (OSError, EOFError, ValueError, RuntimeError, KeyError) as error:
        # OSError: no socket or refused; EOFError/ValueError: the handshake failed;
        # RuntimeError/KeyError: jeepney cannot use this address.
        reason = getattr(error, "strerror", None) or str(error) or type(error).__name__
        raise SessionBusUnavailable(
            f"cannot connect to the D-Bus session bus at {address}: {reason}"
        ) from error
    return SessionBus(connection, DBusRouter(connection))
