"""Idle inhibitors from GNOME's session manager, on the session bus.

Video players, calls and presentations ask `org.gnome.SessionManager` to
inhibit idle (flag 8). It signals `InhibitorAdded`/`InhibitorRemoved` for every
kind of inhibitor, so each one triggers a fresh `IsInhibited(8)`.
"""

from __future__ import annotations

from jeepney import DBusAddress, new_method_call

from breakd.adapters.dbus.errors import BusLost
from breakd.adapters.dbus.link import BusLink, SharedBus
from breakd.adapters.dbus.rules import header, is_signal, name_owner_rule, owner_change, signal_rule
from breakd.adapters.session import Emit, SessionSourceStopped, SessionSourceUnavailable
from breakd.adapters.session.bus import SourceErrors
from breakd.core.events import InhibitorChanged

SESSION_MANAGER = "org.gnome.SessionManager"
SESSION_MANAGER_PATH = "/org/gnome/SessionManager"
INHIBIT_IDLE = 8

_ADDRESS = DBusAddress(SESSION_MANAGER_PATH, bus_name=SESSION_MANAGER, interface=SESSION_MANAGER)


class GnomeSessionManagerSource:
    """Whether GNOME's session manager holds an idle inhibitor."""

    name = "gnome-session-manager"

    def __init__(self, bus: SharedBus) -> None:
        self._bus = bus

    async def probe(self) -> str:
        with SourceErrors(SESSION_MANAGER):
            async with self._bus.connected() as link:
                await self._require_owner(link)
                held = "held" if await self._inhibited(link) else "none"
                return f"idle inhibitors from {SESSION_MANAGER} (now: {held})"

    async def watch(self, emit: Emit) -> None:
        with SourceErrors(SESSION_MANAGER) as errors:
            async with self._bus.connected() as link:
                await self._require_owner(link)
                rules = [
                    name_owner_rule(SESSION_MANAGER),
                    signal_rule(SESSION_MANAGER, SESSION_MANAGER, None, SESSION_MANAGER_PATH),
                ]
                async with link.subscribe(rules) as queue:
                    owner = await self._require_owner(link)
                    emit(InhibitorChanged(await self._inhibited(link)))
                    errors.started = True
                    while True:
                        try:
                            message = await link.next_message(queue)
                        except BusLost as error:
                            raise SessionSourceStopped(str(error)) from None
                        change = owner_change(message)
                        if change is not None:
                            owner = change[1]
                            if owner is None:
                                raise SessionSourceStopped(
                                    f"{SESSION_MANAGER} left the session bus"
                                )
                            emit(InhibitorChanged(await self._inhibited(link)))
                        elif header(message, "sender") == owner and any(
                            is_signal(message, SESSION_MANAGER, member)
                            for member in ("InhibitorAdded", "InhibitorRemoved")
                        ):
                            emit(InhibitorChanged(await self._inhibited(link)))

    async def _require_owner(self, link: BusLink) -> str:
        owner = await link.name_owner(SESSION_MANAGER)
        if owner is None:
            raise SessionSourceUnavailable(
                f"no {SESSION_MANAGER} on the session bus (not a GNOME session)"
            )
        return owner

    async def _inhibited(self, link: BusLink) -> bool:
        message = new_method_call(_ADDRESS, "IsInhibited", "u", (INHIBIT_IDLE,))
        return bool((await link.call(message))[0])
