"""GNOME's idle time from Mutter's IdleMonitor on the session bus, Wayland and X11 alike.

Preferred whenever the name has an owner: under GNOME on Wayland the X server's
counter only sees input to XWayland windows. One blocking connection stays open
and each sample is one `GetIdletime` round trip with a 1 s deadline.

While the user is away, a user-active watch (`AddUserActiveWatch`) replaces the
sampling: Mutter sends `WatchFired` to this connection alone at the next input, and
drops the watch itself. The event loop watches the socket meanwhile.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable

from jeepney import DBusAddress, MatchRule, Message, new_method_call
from jeepney.bus_messages import message_bus
from jeepney.wrappers import DBusErrorResponse

from breakd.adapters.dbus.blocking import BlockingBus
from breakd.adapters.dbus.errors import BusLost, CallTimedOut
from breakd.adapters.dbus.rules import name_owner_rule, owner_change
from breakd.adapters.idle import IdleSourceUnavailable
from breakd.adapters.idle.dbus import idle_call, open_bus_for_idle
from breakd.adapters.idle.watch import InputWatch

IDLE_MONITOR = "org.gnome.Mutter.IdleMonitor"
CORE_PATH = "/org/gnome/Mutter/IdleMonitor/Core"

_CORE = DBusAddress(CORE_PATH, bus_name=IDLE_MONITOR, interface=IDLE_MONITOR)
_WATCH_FIRED = MatchRule(type="signal", interface=IDLE_MONITOR, member="WatchFired", path=CORE_PATH)
_CALL_FAILED = (DBusErrorResponse, CallTimedOut, BusLost)


class MutterIdleSource:
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
        self._watch: InputWatch | None = None
        self._watch_id = 0  # Mutter's ids start at 1
        self._listening = False
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

    def watch_for_input(self, on_input: Callable[[], None]) -> bool:
        """Add a user-active watch; False when Mutter refuses it or does not answer."""
        self.stop_watching()
        bus = self._bus
        if bus is None:
            return False
        try:
            self._watch = InputWatch(
                bus.fileno(), bus.receive_waiting, BusLost, lambda: self._fired(on_input)
            )
            self._listen(bus)
            (watch_id,) = bus.call(new_method_call(_CORE, "AddUserActiveWatch"))
        except _CALL_FAILED:
            self.stop_watching()
            return False
        self._watch_id = int(watch_id)
        return True

    def _listen(self, bus: BlockingBus) -> None:
        """Once per connection: WatchFired (addressed to us, so no AddMatch needed), and
        Mutter leaving or being replaced, which takes its watches with it."""
        if self._listening:
            return
        owner_changes = name_owner_rule(IDLE_MONITOR)
        bus.call(message_bus.AddMatch(owner_changes))
        bus.listen(owner_changes, self._on_message)
        bus.listen(_WATCH_FIRED, self._on_message)
        self._listening = True

    def stop_watching(self) -> None:
        """Remove the watch, if any, from Mutter; a WatchFired on the way will be ignored."""
        watch, watch_id = self._watch, self._watch_id
        self._watch, self._watch_id = None, 0
        if watch is None:
            return
        watch.end()
        if watch_id and self._bus is not None:
            with contextlib.suppress(*_CALL_FAILED):
                self._bus.call(new_method_call(_CORE, "RemoveWatch", "u", (watch_id,)))

    def _on_message(self, message: Message) -> None:
        watch = self._watch
        if watch is not None and (
            owner_change(message) is not None or message.body == (self._watch_id,)
        ):
            watch.fire_soon()

    def _fired(self, on_input: Callable[[], None]) -> None:
        self._watch, self._watch_id = None, 0  # gone from Mutter already: nothing to remove
        on_input()

    def close(self) -> None:
        """Safe to call twice."""
        self.stop_watching()
        bus, self._bus = self._bus, None
        if bus is not None:
            bus.close()
