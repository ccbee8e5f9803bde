"""Screen lock from the ScreenSaver interfaces on the session bus.

`org.freedesktop.ScreenSaver` (KDE Plasma, which serves it on two paths, Xfce,
Cinnamon, MATE) and `org.gnome.ScreenSaver` (GNOME Shell) both signal
`ActiveChanged(b)` and answer `GetActive`. On those desktops the screen
shield comes up with the lock, so active means locked. Whichever of the two
names is on the bus is watched; either being active counts as locked.
"""

from __future__ import annotations

from jeepney import DBusAddress, new_method_call
from jeepney.bus_messages import MatchRule
from jeepney.wrappers import DBusErrorResponse

from breakd.adapters.dbus.errors import watcher_errors
from breakd.adapters.dbus.link import BusLink, SharedBus
from breakd.adapters.dbus.rules import header, is_signal, name_owner_rule, owner_change, signal_rule
from breakd.adapters.session import Emit
from breakd.adapters.watcher import WatcherUnavailable
from breakd.core.events import ScreenLocked, ScreenUnlocked
from breakd.core.record import record


@record
class ScreenSaverService:
    """One ScreenSaver name, whose interface has the same name; GetActive is tried on `paths`."""

    name: str
    paths: tuple[str, ...]


SERVICES = (
    ScreenSaverService(
        "org.freedesktop.ScreenSaver", ("/org/freedesktop/ScreenSaver", "/ScreenSaver")
    ),
    ScreenSaverService("org.gnome.ScreenSaver", ("/org/gnome/ScreenSaver",)),
)


class ScreenSaverSource:
    """Lock and unlock from whichever ScreenSaver service is on the session bus."""

    name = "screensaver"

    def __init__(self, bus: SharedBus, services: tuple[ScreenSaverService, ...] = SERVICES) -> None:
        self._bus = bus
        self._services = services

    async def probe(self) -> str:
        with watcher_errors("the ScreenSaver service"):
            async with self._bus.connected() as link:
                owners = await self._require_owners(link)
                states = []
                for service in self._services:
                    if service.name in owners:
                        active = await self._read_active(link, service)
                        shown = {True: "active", False: "not active", None: "no GetActive"}[active]
                        states.append(f"{service.name} ({shown})")
                return f"ActiveChanged from {' and '.join(states)}"

    async def watch(self, emit: Emit) -> None:
        with watcher_errors("the ScreenSaver service"):
            async with self._bus.connected() as link:
                await self._require_owners(link)
                async with link.subscribe(self._rules()) as queue:
                    owners = await self._require_owners(link)
                    active = {
                        name: bool(await self._read_active(link, self._service(name)))
                        for name in owners
                    }
                    _emit_state(active, emit)
                    while True:
                        message = await link.next_message(queue)  # BusLost when the bus hangs up
                        change = owner_change(message)
                        if change is not None:
                            name, owner = change
                            if owner is None:
                                owners.pop(name, None)
                                active.pop(name, None)
                                if not owners:
                                    raise WatcherUnavailable(f"{name} left the session bus")
                            else:
                                owners[name] = owner
                                service = self._service(name)
                                active[name] = bool(await self._read_active(link, service))
                            _emit_state(active, emit)
                            continue
                        sender = header(message, "sender")
                        for name, owner in owners.items():
                            if sender == owner and is_signal(message, name, "ActiveChanged"):
                                active[name] = bool(message.body[0])
                                _emit_state(active, emit)

    async def _require_owners(self, link: BusLink) -> dict[str, str]:
        owners = {}
        for service in self._services:
            owner = await link.name_owner(service.name)
            if owner is not None:
                owners[service.name] = owner
        if not owners:
            names = " nor ".join(service.name for service in self._services)
            raise WatcherUnavailable(
                f"{'neither ' if len(self._services) > 1 else 'no '}{names} on the session bus"
                " (no screen locker that reports over D-Bus)"
            )
        return owners

    async def _read_active(self, link: BusLink, service: ScreenSaverService) -> bool | None:
        """GetActive on the first path that answers; None if none does."""
        for path in service.paths:
            address = DBusAddress(path, bus_name=service.name, interface=service.name)
            try:
                return bool((await link.call(new_method_call(address, "GetActive")))[0])
            except DBusErrorResponse:
                continue
        return None

    def _service(self, name: str) -> ScreenSaverService:
        return next(service for service in self._services if service.name == name)

    def _rules(self) -> list[MatchRule]:
        rules = []
        for service in self._services:
            # No path: KDE signals on /ScreenSaver and /org/freedesktop/ScreenSaver.
            rules += [
                name_owner_rule(service.name),
                signal_rule(service.name, service.name, "ActiveChanged"),
            ]
        return rules


def _emit_state(active: dict[str, bool], emit: Emit) -> None:
    emit(ScreenLocked() if any(active.values()) else ScreenUnlocked())
