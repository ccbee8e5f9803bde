"""Where the buses are, and the one sentence for a bus that cannot be reached.

jeepney (like the other Python D-Bus libraries) only reads
DBUS_SESSION_BUS_ADDRESS. A systemd user service, or a session started without
that variable, still has its bus at `$XDG_RUNTIME_DIR/bus`, so this module looks
there too. Importing it is free: jeepney is imported only to read an address
that is about to be connected to.
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
from collections.abc import Mapping
from typing import Literal

Bus = Literal["session", "system"]

SYSTEM_BUS_DEFAULT = "unix:path=/var/run/dbus/system_bus_socket"

_UNESCAPED = re.compile(r"[-0-9A-Za-z_/.\\*]")


class BusUnavailable(Exception):
    """There is no such bus here, or it cannot be reached; one sentence says why."""


def bus_address(bus: Bus, environ: Mapping[str, str] | None = None) -> str:
    """The address to connect to; BusUnavailable when the session bus cannot be found."""
    environ = os.environ if environ is None else environ
    if bus == "system":
        return environ.get("DBUS_SYSTEM_BUS_ADDRESS") or SYSTEM_BUS_DEFAULT
    return session_bus_address(environ)


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
    raise BusUnavailable(
        "no D-Bus session bus: DBUS_SESSION_BUS_ADDRESS is unset and there is no $XDG_RUNTIME_DIR/bus"
    )


def _escape(value: str) -> str:
    """D-Bus address escaping as jeepney reads it back: ASCII outside a small safe set
    becomes %XX. Other characters stay as they are: jeepney turns %XX into one character,
    so the bytes of an escaped UTF-8 character would come back as several."""
    return "".join(
        char if _UNESCAPED.fullmatch(char) or not char.isascii() else f"%{ord(char):02x}"
        for char in value
    )


def socket_path(bus: Bus, address: str) -> str:
    """The Unix socket `address` names, as jeepney reads it; BusUnavailable if it names none.

    Checked before connecting, so an address jeepney cannot use (tcp:, a typo)
    gets a sentence of its own rather than an error from deep in a connect.
    `get_connectable_addresses` is undocumented: test_dependency_contracts.py pins it.
    """
    from jeepney.bus import get_connectable_addresses

    try:
        return next(get_connectable_addresses(address))
    except (RuntimeError, ValueError, StopIteration) as error:
        raise BusUnavailable(f"the {bus} bus address {address!r} is not usable: {error}") from None


def cannot_connect(bus: Bus, address: str, error: BaseException) -> BusUnavailable:
    """A failed connect as one sentence: the OS's reason where there is one."""
    reason = getattr(error, "strerror", None) or str(error) or type(error).__name__
    return BusUnavailable(f"cannot connect to the {bus} bus at {address} ({reason})")
