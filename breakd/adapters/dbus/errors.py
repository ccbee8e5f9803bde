"""How a call can fail once connected, and failures as the one sentence breakd logs.

jeepney's DBusErrorResponse stays what an error reply raises (every reply goes
through `unwrap_msg`, so an error is never read as data); the rest are breakd's.
"""

from __future__ import annotations

from typing import Any

from jeepney.wrappers import DBusErrorResponse

from breakd.adapters.dbus.address import BusUnavailable

CALL_TIMEOUT = 1.0
"""Seconds a local service gets to answer one call; they answer in well under 1 ms."""

NAME_GONE_ERRORS = frozenset(
    {"org.freedesktop.DBus.Error.ServiceUnknown", "org.freedesktop.DBus.Error.NameHasNoOwner"}
)
"""The error names that mean the service is not (or no longer) on the bus."""


class BusLost(Exception):
    """The bus hung up after the connection was made; a new connection may work."""


class CallTimedOut(Exception):
    """The service did not answer within the deadline."""


def describe_error(error: BaseException) -> str:
    """A D-Bus error as its name and message; other errors as their text."""
    if isinstance(error, DBusErrorResponse):
        detail = error.data[0] if error.data and isinstance(error.data[0], str) else ""
        return f"{error.name}: {detail}" if detail else str(error.name)
    return str(error) or type(error).__name__


class ErrorsAs:
    """D-Bus failures inside a watcher's `with` block, raised as its protocol's own errors.

    A subclass names the two: `unavailable` while the watcher has reported
    nothing yet (`started` still False: the mechanism is not usable here), and
    `stopped` after (it went away). Either way the message is one sentence.
    """

    unavailable: type[Exception]
    stopped: type[Exception]

    def __init__(self, service: str) -> None:
        self.service = service
        self.started = False

    def __enter__(self) -> ErrorsAs:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, tb: Any
    ) -> bool:
        if error is None or isinstance(error, (self.stopped, self.unavailable)):
            return False
        if isinstance(error, BusUnavailable):
            raise self.unavailable(str(error)) from None
        if isinstance(error, BusLost):
            raise self.stopped(str(error)) from None
        if isinstance(error, (CallTimedOut, DBusErrorResponse)):
            reason = f"{self.service}: {describe_error(error)}"
            raise (self.stopped if self.started else self.unavailable)(reason) from None
        return False
