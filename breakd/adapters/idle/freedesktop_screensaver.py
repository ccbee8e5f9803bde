"""Idle time from `org.freedesktop.ScreenSaver.GetSessionIdleTime` on the session bus.

KDE Plasma answers it (milliseconds, on `/org/freedesktop/ScreenSaver`; older
versions only on `/ScreenSaver`, so both are tried). GNOME owns the name too but
answers NotSupported, which is why Mutter's monitor is tried first.
"""

from __future__ import annotations

from jeepney import DBusAddress, new_method_call
from jeepney.bus_messages import message_bus
from jeepney.wrappers import DBusErrorResponse

from breakd.adapters.dbus.blocking import BlockingBus
from breakd.adapters.dbus.errors import NAME_GONE_ERRORS, BusLost, CallTimedOut
from breakd.adapters.idle import IdleSourceUnavailable, SampledOnly
from breakd.adapters.idle.dbus import idle_call, idle_error, open_bus_for_idle

SCREENSAVER = "org.freedesktop.ScreenSaver"
PATHS = ("/org/freedesktop/ScreenSaver", "/ScreenSaver")


class FreedesktopScreenSaverIdleSource(SampledOnly):
    """Idle time from the freedesktop ScreenSaver service (KDE Plasma and others)."""

    name = "freedesktop-screensaver"
    description = f"{SCREENSAVER}.GetSessionIdleTime on the session bus"

    def __init__(self, bus: BlockingBus | None = None) -> None:
        """Find a path that answers; IdleSourceUnavailable says why none does.

        A `bus` handed in is taken over on success and left open on failure, as
        with MutterIdleSource.
        """
        owned = bus is None
        self._bus: BlockingBus | None = open_bus_for_idle() if bus is None else bus
        self._address: DBusAddress | None = None
        try:
            if not idle_call(self._bus, message_bus.NameHasOwner(SCREENSAVER), "the session bus")[
                0
            ]:
                raise IdleSourceUnavailable(
                    f"no {SCREENSAVER} on the session bus (no KDE Plasma or other screen saver"
                    " service)"
                )
            self._address = self._first_answering_path(self._bus)
        except IdleSourceUnavailable:
            if owned:
                self._bus.close()
            self._bus = None
            raise

    def _first_answering_path(self, bus: BlockingBus) -> DBusAddress:
        refusals = []
        for path in PATHS:
            address = DBusAddress(path, bus_name=SCREENSAVER, interface=SCREENSAVER)
            try:
                bus.call(new_method_call(address, "GetSessionIdleTime"))
            except DBusErrorResponse as error:
                if error.name in NAME_GONE_ERRORS:
                    raise IdleSourceUnavailable(f"{SCREENSAVER} left the session bus") from None
                refusals.append(f"{path}: {error.name}")
                continue
            except (CallTimedOut, BusLost) as error:
                raise idle_error(error, SCREENSAVER) from None
            self.description = f"{SCREENSAVER}.GetSessionIdleTime on {path}"
            return address
        raise IdleSourceUnavailable(
            f"{SCREENSAVER} does not report idle time here ({'; '.join(refusals)})"
        )

    def idle_seconds(self) -> float:
        if self._bus is None or self._address is None:
            raise IdleSourceUnavailable(f"the {self.name} idle source is closed")
        message = new_method_call(self._address, "GetSessionIdleTime")
        (milliseconds,) = idle_call(self._bus, message, SCREENSAVER)
        return int(milliseconds) / 1000.0

    def close(self) -> None:
        """Safe to call twice."""
        bus, self._bus = self._bus, None
        if bus is not None:
            bus.close()
