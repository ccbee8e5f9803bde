"""Do-not-disturb of SwayNotificationCenter (swaync), a notification server for Wayland.

swaync serves its control centre as `org.erikreider.swaync.cc` at
`/org/erikreider/swaync/cc`: `GetDnd()` reads the switch, and from 0.8 on
`IsInhibited()` says whether an app asked it to be quiet (`AddInhibitor`).
Every change is broadcast: `Subscribe(count, dnd, cc_open)` up to 0.7,
`SubscribeV2(count, dnd, cc_open, inhibited)` from 0.8, so nothing is polled.
Busy ("dnd:swaync") while either holds.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from jeepney import DBusAddress, Message, new_method_call
from jeepney.wrappers import DBusErrorResponse

from breakd.adapters.busy import FREE, Reading, Report
from breakd.adapters.busy.dbus import dnd_now
from breakd.adapters.dbus.follow import Service, follow, owned
from breakd.adapters.dbus.link import BusLink, SharedBus
from breakd.adapters.dbus.rules import is_signal, signal_rule
from breakd.core.busy_reasons import DND, reason

if TYPE_CHECKING:
    from breakd.config.model import DontInterruptConfig

SWAYNC = "org.erikreider.swaync.cc"
SWAYNC_PATH = "/org/erikreider/swaync/cc"
_ADDRESS = DBusAddress(SWAYNC_PATH, bus_name=SWAYNC, interface=SWAYNC)
_SWAYNC = Service.on(SWAYNC, "session", "swaync is not running")


class SwayncDnd:
    """Busy ("dnd:swaync") while swaync's do-not-disturb is on or an app inhibits it."""

    name = reason(DND, "swaync")

    def __init__(self, bus: SharedBus) -> None:
        self._bus = bus

    async def probe(self) -> str:
        async with owned(self._bus, _SWAYNC) as link:
            on, _newer = await self._read(link)
            return dnd_now("swaync's control centre on the session bus", on)

    async def watch(self, report: Report) -> None:
        rules = [signal_rule(SWAYNC, SWAYNC, None, SWAYNC_PATH)]
        async with follow(self._bus, _SWAYNC, rules) as followed:
            # 0.8+ (it has IsInhibited) sends SubscribeV2 too; its older
            # Subscribe lacks `inhibited` and is ignored then.
            on, newer = await self._read(followed.link)
            report(self._reading(on))
            while True:
                message = await followed.next()
                if message is None:
                    on, newer = await self._read(followed.link)  # swaync restarted
                else:
                    newer = newer or is_signal(message, SWAYNC, "SubscribeV2")
                    changed = _changed(message, newer)
                    if changed is None:
                        continue
                    on = changed
                report(self._reading(on))

    async def _read(self, link: BusLink) -> tuple[bool, bool]:
        """(busy, whether this swaync is 0.8 or newer)."""
        (dnd,) = await link.call(new_method_call(_ADDRESS, "GetDnd"), returns="b")
        try:
            (inhibited,) = await link.call(new_method_call(_ADDRESS, "IsInhibited"), returns="b")
        except DBusErrorResponse:  # before 0.8: no inhibitors
            return bool(dnd), False
        return bool(dnd) or bool(inhibited), True

    def _reading(self, on: bool) -> Reading:
        return Reading.of({self.name}) if on else FREE


def _changed(message: Message, newer: bool) -> bool | None:
    """DND (or inhibited) from a Subscribe/SubscribeV2 broadcast; None for other messages,
    and for Subscribe from a `newer` swaync (0.8+), whose SubscribeV2 says more."""
    if is_signal(message, SWAYNC, "SubscribeV2", SWAYNC_PATH):
        _count, dnd, _open, inhibited = message.body
        return bool(dnd) or bool(inhibited)
    if is_signal(message, SWAYNC, "Subscribe", SWAYNC_PATH) and not newer:
        _count, dnd, _open = message.body
        return bool(dnd)
    return None


def open_signal(bus: SharedBus, settings: DontInterruptConfig) -> SwayncDnd:
    return SwayncDnd(bus)
