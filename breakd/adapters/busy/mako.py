"""Do-not-disturb of mako, a notification server for Wayland: a mode the user names.

mako has no DND switch of its own: its man page suggests a mode such as
`[mode=do-not-disturb] invisible=1`, toggled with `makoctl mode -a/-r`. So
breakd is told which mode names mean DND (`mako_dnd_modes`) and is busy
("dnd:mako") while one of them is on. mako serves `fr.emersion.Mako` at
`/fr/emersion/Mako` under the `org.freedesktop.Notifications` name:
`ListModes()` since 1.7, and a `Modes` property since 1.10, which signals a
change by invalidating it in PropertiesChanged, then read again. mako 1.7 to
1.9 signal nothing: this watcher then polls `ListModes` every few seconds, the
one case it must.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from jeepney import DBusAddress, Message, new_method_call
from jeepney.wrappers import DBusErrorResponse

from breakd.adapters.busy import FREE, Reading, Report
from breakd.adapters.busy.dbus import dnd_now
from breakd.adapters.busy.notification_server import NOTIFICATION_SERVER, NOTIFICATIONS
from breakd.adapters.dbus.errors import describe_error
from breakd.adapters.dbus.follow import follow, owned
from breakd.adapters.dbus.link import BusLink, SharedBus
from breakd.adapters.dbus.rules import PROPERTIES, is_signal, signal_rule
from breakd.adapters.watcher import WatcherUnavailable
from breakd.core.busy_reasons import DND, reason

if TYPE_CHECKING:
    from breakd.config.model import DontInterruptConfig

MAKO = "fr.emersion.Mako"
MAKO_PATH = "/fr/emersion/Mako"
POLL_EVERY = 5.0
"""Seconds between two `ListModes` for a mako (1.7 to 1.9) that signals no change."""
_ADDRESS = DBusAddress(MAKO_PATH, bus_name=NOTIFICATIONS, interface=MAKO)


class MakoDnd:
    """Busy ("dnd:mako") while one of the do-not-disturb modes is on in mako."""

    name = reason(DND, "mako")

    def __init__(
        self,
        bus: SharedBus,
        dnd_modes: Iterable[str] = ("do-not-disturb",),
        poll_every: float = POLL_EVERY,
    ) -> None:
        self._bus = bus
        self._dnd_modes = frozenset(dnd_modes)
        self._poll_every = poll_every

    async def probe(self) -> str:
        async with owned(self._bus, NOTIFICATION_SERVER) as link:
            modes = await self._modes(link)
            signals = await self._signals_changes(link)
            how = "" if signals else f", polled every {self._poll_every:g} s as before 1.10"
            on = bool(modes & self._dnd_modes)
            return dnd_now(
                f"mako's modes {', '.join(sorted(self._dnd_modes)) or '(none listed)'}{how}", on
            )

    async def watch(self, report: Report) -> None:
        changes = signal_rule(NOTIFICATIONS, PROPERTIES, "PropertiesChanged", MAKO_PATH)
        changes.add_arg_condition(0, MAKO)
        async with follow(self._bus, NOTIFICATION_SERVER, [changes]) as followed:
            link = followed.link
            reading = self._reading(await self._modes(link))
            wait = None if await self._signals_changes(link) else self._poll_every
            report(reading)
            while True:
                # None: a new mako, or time to poll one that signals nothing.
                message = await followed.next(wait)
                if message is None or _modes_changed(message):
                    report(self._reading(await self._modes(link)))

    async def _modes(self, link: BusLink) -> frozenset[str]:
        try:
            (modes,) = await link.call(new_method_call(_ADDRESS, "ListModes"), returns="as")
        except DBusErrorResponse as error:
            raise WatcherUnavailable(
                f"the notification server is not mako 1.7 or newer: it has no {MAKO}"
                f" ListModes ({describe_error(error)})"
            ) from None
        return frozenset(str(mode) for mode in modes)

    async def _signals_changes(self, link: BusLink) -> bool:
        """mako 1.10 and newer have the `Modes` property, and signal its changes."""
        try:
            await link.get_property(_ADDRESS, MAKO, "Modes")
        except DBusErrorResponse:
            return False
        return True

    def _reading(self, modes: frozenset[str]) -> Reading:
        return Reading.of({self.name}) if modes & self._dnd_modes else FREE


def _modes_changed(message: Message) -> bool:
    if not is_signal(message, PROPERTIES, "PropertiesChanged", MAKO_PATH):
        return False
    interface, changed, invalidated = message.body
    return interface == MAKO and ("Modes" in changed or "Modes" in invalidated)


def open_signal(bus: SharedBus, settings: DontInterruptConfig) -> MakoDnd:
    return MakoDnd(bus, settings.mako_dnd_modes)
