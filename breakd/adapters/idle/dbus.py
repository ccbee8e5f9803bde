"""What the D-Bus idle sources share: the session bus, and every failure as
IdleSourceUnavailable in one sentence."""

from __future__ import annotations

from typing import Any

from jeepney import Message
from jeepney.wrappers import DBusErrorResponse

from breakd.adapters.dbus.address import BusUnavailable
from breakd.adapters.dbus.blocking import BlockingBus
from breakd.adapters.dbus.errors import NAME_GONE_ERRORS, BusLost, CallTimedOut, describe_error
from breakd.adapters.idle import IdleSourceUnavailable


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
