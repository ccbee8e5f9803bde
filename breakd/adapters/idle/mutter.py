"""GNOME's idle time from Mutter's IdleMonitor on the session bus, Wayland and X11 alike.

Preferred whenever the name has an owner: under GNOME on Wayland the X server's
counter only sees input to XWayland windows. One blocking connection stays open
and each sample is one `GetIdletime` round trip with a 1 s deadline.
"""

from __future__ import annotations

from jeepney import DBusAddress, new_method_call
from jeepney.bus_messages import message_bus

from breakd.adapters.dbus.blocking import BlockingBus
from breakd.adapters.idle import IdleSourceUnavailable, SampledOnly
from breakd.adapters.idle.dbus import idle_call, open_bus_for_idle

IDLE_MONITOR = "org.gnome.Mutter.IdleMonitor"
CORE_PATH = "/org/gnome/Mutter/IdleMonitor/Core"

_CORE = DBusAddress(CORE_PATH, bus_name=IDLE_MONITOR, interface=IDLE_MONITOR)


class MutterIdleSource(SampledOnly):
    """Idle time of a GNOME session, in milliseconds from Mutter."""

    name = "mutter-idle-monitor"
    description = f"GNOME's {IDLE_MONITOR} on the session bus"

    def __init__(self, bus: BlockingBus | None = None) -> None:
        """Check the name and make one real call; IdleSourceUnavailable says why not.

        A `bus` handed in is taken over on success (closed by `close()`) and left
        open for the caller on failure, so a selector can try several sources on
        one connection.
        """
        owned = bus is None
        self._bus: BlockingBus | None = open_bus_for_idle() if bus is None else bus
        try:
            if not idle_call(self._bus, message_bus.NameHasOwner(IDLE_MONITOR), "the session bus")[
                0
            ]:
                raise IdleSourceUnavailable(
                    f"no {IDLE_MONITOR} on the session bus (not a GNOME session)"
                )
            self.idle_seconds()
        except IdleSourceUnavailable:
            if owned:
                self._bus.close()
            self._bus = None
            raise

    def idle_seconds(self) -> float:
        if self._bus is None:
            raise IdleSourceUnavailable(f"the {self.name} idle source is closed")
        (milliseconds,) = idle_call(self._bus, new_method_call(_CORE, "GetIdletime"), IDLE_MONITOR)
        return int(milliseconds) / 1000.0

    def close(self) -> None:
        """Safe to call twice."""
        bus, self._bus = self._bus, None
        if bus is not None:
            bus.close()
