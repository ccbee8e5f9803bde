"""Do-not-disturb of XFCE's notification server (xfce4-notifyd), from xfconf.

xfce4-notifyd keeps its DND switch in the xfconf channel `xfce4-notifyd`,
property `/do-not-disturb` (bool). xfconfd serves it on the session bus:
`GetProperty(channel, property)` reads it, and `PropertyChanged(channel,
property, value)` / `PropertyRemoved(channel, property)` signal every change,
so nothing is polled. Until the user first toggles DND the property does not
exist (`org.xfce.Xfconf.Error.PropertyNotFound`): that is "off".

xfconfd is D-Bus activated. The watcher never starts it: without an xfconfd on
the bus this is not an XFCE session, and the signal says so.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from jeepney import DBusAddress, MatchRule, Message, new_method_call
from jeepney.wrappers import DBusErrorResponse

from breakd.adapters.busy import FREE, Reading, Report
from breakd.adapters.busy.dbus import dnd_now
from breakd.adapters.dbus.follow import Service, follow, owned
from breakd.adapters.dbus.link import BusLink, SharedBus
from breakd.adapters.dbus.rules import is_signal, signal_rule
from breakd.core.busy_reasons import DND, reason

if TYPE_CHECKING:
    from breakd.config.model import DontInterruptConfig

XFCONF = "org.xfce.Xfconf"
XFCONF_PATH = "/org/xfce/Xfconf"
CHANNEL = "xfce4-notifyd"
PROPERTY = "/do-not-disturb"
PROPERTY_NOT_FOUND = "org.xfce.Xfconf.Error.PropertyNotFound"
_ADDRESS = DBusAddress(XFCONF_PATH, bus_name=XFCONF, interface=XFCONF)
_XFCONF = Service.on(XFCONF, "session", "not an XFCE session")


class XfceDnd:
    """Busy ("dnd:xfce") while xfce4-notifyd's do-not-disturb is on."""

    name = reason(DND, "xfce")

    def __init__(self, bus: SharedBus) -> None:
        self._bus = bus

    async def probe(self) -> str:
        async with owned(self._bus, _XFCONF) as link:
            on = await self._read(link)
            return dnd_now(f"xfconf's {CHANNEL} {PROPERTY} on the session bus", on)

    async def watch(self, report: Report) -> None:
        rules: list[MatchRule] = []
        for member in ("PropertyChanged", "PropertyRemoved"):
            rule = signal_rule(XFCONF, XFCONF, member, XFCONF_PATH)
            rule.add_arg_condition(0, CHANNEL)
            rule.add_arg_condition(1, PROPERTY)
            rules.append(rule)
        async with follow(self._bus, _XFCONF, rules) as followed:
            report(self._reading(await self._read(followed.link)))
            while True:
                message = await followed.next()
                on = await self._read(followed.link) if message is None else _changed(message)
                if on is not None:  # None: not about DND; a new xfconfd is read again
                    report(self._reading(on))

    async def _read(self, link: BusLink) -> bool:
        message = new_method_call(_ADDRESS, "GetProperty", "ss", (CHANNEL, PROPERTY))
        try:
            ((_signature, value),) = await link.call(message, returns="v")
        except DBusErrorResponse as error:
            if error.name == PROPERTY_NOT_FOUND:
                return False  # never switched on since XFCE was installed
            raise
        return _as_bool(value)

    def _reading(self, on: bool) -> Reading:
        return Reading.of({self.name}) if on else FREE


def _changed(message: Message) -> bool | None:
    """The new DND value a PropertyChanged/PropertyRemoved carries; None for other messages."""
    if is_signal(message, XFCONF, "PropertyRemoved", XFCONF_PATH):
        channel, name = message.body[:2]
        return False if (channel, name) == (CHANNEL, PROPERTY) else None
    if is_signal(message, XFCONF, "PropertyChanged", XFCONF_PATH):
        channel, name, (_signature, value) = message.body
        return _as_bool(value) if (channel, name) == (CHANNEL, PROPERTY) else None
    return None


def _as_bool(value: Any) -> bool:
    """xfconf-query stores what it is told: a bool normally, "true" if typed as a string."""
    if isinstance(value, str):
        return value.strip().casefold() == "true"
    return bool(value)


def open_signal(bus: SharedBus, settings: DontInterruptConfig) -> XfceDnd:
    return XfceDnd(bus)
