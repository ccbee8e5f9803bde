"""Idle inhibitors from GNOME's session manager, on the session bus.

Video players, calls and presentations ask `org.gnome.SessionManager` to
inhibit idle (flag 8). It signals `InhibitorAdded`/`InhibitorRemoved` for every
kind of inhibitor, so each one triggers a fresh `IsInhibited(8)`.
"""

from __future__ import annotations

from jeepney import DBusAddress, new_method_call

from breakd.adapters.dbus.follow import Service, follow, owned
from breakd.adapters.dbus.link import BusLink, SharedBus
from breakd.adapters.dbus.rules import is_signal, signal_rule
from breakd.adapters.session import Emit
from breakd.core.events import InhibitorChanged

SESSION_MANAGER = "org.gnome.SessionManager"
SESSION_MANAGER_PATH = "/org/gnome/SessionManager"
INHIBIT_IDLE = 8

_ADDRESS = DBusAddress(SESSION_MANAGER_PATH, bus_name=SESSION_MANAGER, interface=SESSION_MANAGER)
_SESSION_MANAGER = Service.on(SESSION_MANAGER, "session", "not a GNOME session")


class GnomeSessionManagerSource:
    """Whether GNOME's session manager holds an idle inhibitor."""

    name = "gnome-session-manager"

    def __init__(self, bus: SharedBus) -> None:
        self._bus = bus

    async def probe(self) -> str:
        async with owned(self._bus, _SESSION_MANAGER) as link:
            held = "held" if await self._inhibited(link) else "none"
            return f"idle inhibitors from {SESSION_MANAGER} (now: {held})"

    async def watch(self, emit: Emit) -> None:
        rules = [signal_rule(SESSION_MANAGER, SESSION_MANAGER, None, SESSION_MANAGER_PATH)]
        async with follow(self._bus, _SESSION_MANAGER, rules) as followed:
            emit(InhibitorChanged(await self._inhibited(followed.link)))
            while True:
                message = await followed.next()
                if message is None or any(
                    is_signal(message, SESSION_MANAGER, member)
                    for member in ("InhibitorAdded", "InhibitorRemoved")
                ):
                    emit(InhibitorChanged(await self._inhibited(followed.link)))

    async def _inhibited(self, link: BusLink) -> bool:
        message = new_method_call(_ADDRESS, "IsInhibited", "u", (INHIBIT_IDLE,))
        return bool((await link.call(message))[0])
