"""How a call can fail once connected, and failures as the one sentence breakd logs.

jeepney's DBusErrorResponse stays what an error reply raises (every reply goes
through `unwrap_msg`, so an error is never read as data); the rest are breakd's.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from jeepney.wrappers import DBusErrorResponse

from breakd.adapters.dbus.address import BusUnavailable
from breakd.adapters.watcher import WatcherUnavailable

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


class UnexpectedReply(Exception):
    """The service answered, but not with the types its interface promises: what the
    message says follows the service's name ("answered ListModes with (u) where (as)
    was expected")."""


def describe_error(error: BaseException) -> str:
    """A D-Bus error as its name and message; other errors as their text."""
    if isinstance(error, DBusErrorResponse):
        detail = error.data[0] if error.data and isinstance(error.data[0], str) else ""
        detail = " ".join(detail.split())  # one line: GLib's messages end in a newline
        return f"{error.name}: {detail}" if detail else str(error.name)
    return str(error) or type(error).__name__


@contextlib.contextmanager
def watcher_errors(service: str) -> Iterator[None]:
    """D-Bus failures inside a watcher's block as WatcherUnavailable, in one sentence.

    A bus that cannot be reached or hangs up says so; a call that fails, times
    out or is answered with the wrong types is named after `service`. Whether the watcher had started is not asked:
    the supervisor knows.
    """
    try:
        yield
    except (BusUnavailable, BusLost) as error:
        raise WatcherUnavailable(str(error)) from None
    except (CallTimedOut, DBusErrorResponse) as error:
        raise WatcherUnavailable(f"{service}: {describe_error(error)}") from None
    except UnexpectedReply as error:
        raise WatcherUnavailable(f"{service} {error}") from None
