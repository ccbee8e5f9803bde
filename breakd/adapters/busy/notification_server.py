"""Do-not-disturb as the notification server itself reports it, on the session bus.

- dunst (1.5+): property `paused` of `org.dunstproject.cmd0`, with
  PropertiesChanged since 1.6 (`dunstctl set-paused true`).
- KDE Plasma: property `Inhibited` of `org.freedesktop.Notifications`, true
  during manual DND, app inhibitions, screen sharing and (6.4+) full screen.

Both live on the owner of `org.freedesktop.Notifications` at
`/org/freedesktop/Notifications`; a server without the property is not that
server, and the watcher says so. No polling: the property's change signal
and NameOwnerChanged drive everything.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from jeepney import DBusAddress, Message
from jeepney.wrappers import DBusErrorResponse

from breakd.adapters.busy import FREE, Reading, Report
from breakd.adapters.busy.dbus import dnd_now
from breakd.adapters.dbus.errors import describe_error
from breakd.adapters.dbus.follow import Service, follow, owned
from breakd.adapters.dbus.link import BusLink, SharedBus
from breakd.adapters.dbus.rules import PROPERTIES, is_signal, signal_rule
from breakd.adapters.watcher import WatcherUnavailable
from breakd.core.busy_reasons import DND, reason
from breakd.core.record import record

if TYPE_CHECKING:
    from breakd.config.model import DontInterruptConfig

NOTIFICATIONS = "org.freedesktop.Notifications"
NOTIFICATIONS_PATH = "/org/freedesktop/Notifications"
_ADDRESS = DBusAddress(NOTIFICATIONS_PATH, bus_name=NOTIFICATIONS)
NOTIFICATION_SERVER = Service(
    NOTIFICATIONS,
    missing=f"no notification server ({NOTIFICATIONS}) on the bus",
    left=f"{NOTIFICATIONS} left the session bus",
)


@record
class DndProperty:
    server: str
    interface: str
    property: str


DUNST = DndProperty("dunst", "org.dunstproject.cmd0", "paused")
PLASMA = DndProperty("plasma", NOTIFICATIONS, "Inhibited")


class NotificationServerDnd:
    """Busy ("dnd:<server>") while the notification server's DND property is true."""

    def __init__(self, bus: SharedBus, dnd: DndProperty) -> None:
        self._bus = bus
        self._dnd = dnd
        self.name = reason(DND, dnd.server)

    async def probe(self) -> str:
        async with owned(self._bus, NOTIFICATION_SERVER) as link:
            on = await self._read(link)
            return dnd_now(
                f"{self._dnd.server}'s {self._dnd.property} property on the session bus", on
            )

    async def watch(self, report: Report) -> None:
        changes = signal_rule(NOTIFICATIONS, PROPERTIES, "PropertiesChanged", NOTIFICATIONS_PATH)
        changes.add_arg_condition(0, self._dnd.interface)
        async with follow(self._bus, NOTIFICATION_SERVER, [changes]) as followed:
            link = followed.link
            report(self._reading(await self._read(link)))
            while True:
                message = await followed.next()
                if message is None:
                    report(self._reading(await self._read(link)))  # a new server
                    continue
                value = await self._changed(link, message)
                if value is not None:
                    report(self._reading(value))

    async def _read(self, link: BusLink) -> bool:
        try:
            value = await link.get_property(
                _ADDRESS, self._dnd.interface, self._dnd.property, returns="b"
            )
        except DBusErrorResponse as error:
            raise WatcherUnavailable(
                f"the notification server is not {self._dnd.server}: it has no"
                f" {self._dnd.interface} {self._dnd.property} property ({describe_error(error)})"
            ) from None
        return bool(value)

    async def _changed(self, link: BusLink, message: Message) -> bool | None:
        if not is_signal(message, PROPERTIES, "PropertiesChanged", NOTIFICATIONS_PATH):
            return None
        interface, changed, invalidated = message.body
        if interface != self._dnd.interface:
            return None
        if self._dnd.property in changed:
            _signature, value = changed[self._dnd.property]
            return bool(value)
        if self._dnd.property in invalidated:
            return await self._read(link)
        return None

    def _reading(self, on: bool) -> Reading:
        return Reading.of({self.name}) if on else FREE


def open_dunst(bus: SharedBus, settings: DontInterruptConfig) -> NotificationServerDnd:
    return NotificationServerDnd(bus, DUNST)


def open_plasma(bus: SharedBus, settings: DontInterruptConfig) -> NotificationServerDnd:
    return NotificationServerDnd(bus, PLASMA)
