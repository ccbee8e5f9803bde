"""Suspend, screen lock and idle inhibitors from systemd-logind, on the system bus.

- `PrepareForSleep(true/false)` on the Manager: Sleeping / Woke.
- The session's `LockedHint` (read at start, then PropertiesChanged), and its
  `Lock`/`Unlock` signals: ScreenLocked / ScreenUnlocked. GNOME and KDE set
  LockedHint; `loginctl lock-session` sends Lock.
- The Manager's `BlockInhibited` (e.g. "handle-lid-switch:idle"): containing
  `idle` means an idle inhibitor is held (`systemd-inhibit --what=idle`).
  logind's inhibitors are system-wide, so another user's counts too. The value
  is read again on each change signal rather than taken from it, since some
  logind versions sent the value from before the change.

The session is the one breakd runs in (GetSessionByPID), else $XDG_SESSION_ID,
else logind's `auto` session (the user's graphical session; a daemon started by
`systemd --user` is in none of its own). With no session at all, suspend and
inhibitors are still watched.
"""

from __future__ import annotations

import os

from jeepney import DBusAddress, Message, new_method_call
from jeepney.bus_messages import MatchRule
from jeepney.wrappers import DBusErrorResponse

from breakd.adapters.dbus.follow import Followed, Service, owned, require_owner
from breakd.adapters.dbus.link import BusLink, SharedBus
from breakd.adapters.dbus.rules import (
    PROPERTIES,
    is_signal,
    name_owner_rule,
    signal_rule,
)
from breakd.adapters.session import Emit
from breakd.core.events import InhibitorChanged, ScreenLocked, ScreenUnlocked, Sleeping, Woke

LOGIN1 = "org.freedesktop.login1"
MANAGER_PATH = "/org/freedesktop/login1"
MANAGER = "org.freedesktop.login1.Manager"
SESSION = "org.freedesktop.login1.Session"
AUTO_SESSION_PATH = "/org/freedesktop/login1/session/auto"

_MANAGER = DBusAddress(MANAGER_PATH, bus_name=LOGIN1, interface=MANAGER)
_LOGIN1 = Service.on(LOGIN1, "system", "systemd-logind is not running")


class LogindSource:
    """Session events from systemd-logind (org.freedesktop.login1 on the system bus)."""

    name = "logind"

    def __init__(
        self, bus: SharedBus, pid: int | None = None, session_id: str | None = None
    ) -> None:
        """`pid` and `session_id` default to this process and $XDG_SESSION_ID."""
        self._bus = bus
        self._pid = pid
        self._session_id = session_id

    async def probe(self) -> str:
        async with owned(self._bus, _LOGIN1) as link:
            session = await self._find_session(link)
            locked, inhibited = await self._read_state(link, session)
            idle = "an idle inhibitor is held" if inhibited else "no idle inhibitor"
            if session is None:
                return (
                    "suspend and idle inhibitors; breakd is in no login session, so no"
                    f" lock state from logind (now: {idle})"
                )
            session_name = await link.get_property(_session(session), SESSION, "Id")
            state = "locked" if locked else "unlocked"
            return (
                f"suspend, lock state of session {session_name} and idle inhibitors"
                f" (now: {state}, {idle})"
            )

    async def watch(self, emit: Emit) -> None:
        # Not `follow`: the session, and so the match rules, are known only once connected.
        async with owned(self._bus, _LOGIN1) as link:
            session = await self._find_session(link)
            async with link.subscribe(_rules(session)) as queue:
                owner = await require_owner(link, _LOGIN1)
                followed = Followed(link, queue, owner, left=_LOGIN1.left)
                await self._report(link, session, emit)
                while True:
                    message = await followed.next()
                    if message is None:
                        await self._report(link, session, emit)  # a restarted logind
                    else:
                        await self._handle(link, message, session, emit)

    async def _find_session(self, link: BusLink) -> str | None:
        """The object path of breakd's login session, or None if it has none."""
        pid = os.getpid() if self._pid is None else self._pid
        try:
            return str((await link.call(_manager_call("GetSessionByPID", "u", pid)))[0])
        except DBusErrorResponse:
            pass  # e.g. NoSessionForPID: started by systemd --user
        session_id = self._session_id or os.environ.get("XDG_SESSION_ID")
        if session_id:
            try:
                return str((await link.call(_manager_call("GetSession", "s", session_id)))[0])
            except DBusErrorResponse:
                pass
        try:
            auto_id = await link.get_property(_session(AUTO_SESSION_PATH), SESSION, "Id")
            return str((await link.call(_manager_call("GetSession", "s", auto_id)))[0])
        except DBusErrorResponse:
            return None

    async def _read_state(self, link: BusLink, session: str | None) -> tuple[bool, bool]:
        locked = False
        if session is not None:
            locked = bool(await link.get_property(_session(session), SESSION, "LockedHint"))
        return locked, await self._read_inhibited(link)

    async def _read_inhibited(self, link: BusLink) -> bool:
        blocked = await link.get_property(_MANAGER, MANAGER, "BlockInhibited")
        return "idle" in str(blocked).split(":")

    async def _report(self, link: BusLink, session: str | None, emit: Emit) -> None:
        locked, inhibited = await self._read_state(link, session)
        if session is not None:
            emit(ScreenLocked() if locked else ScreenUnlocked())
        emit(InhibitorChanged(inhibited))

    async def _handle(
        self, link: BusLink, message: Message, session: str | None, emit: Emit
    ) -> None:
        if is_signal(message, MANAGER, "PrepareForSleep", MANAGER_PATH):
            emit(Sleeping() if message.body[0] else Woke())
        elif is_signal(message, PROPERTIES, "PropertiesChanged", MANAGER_PATH):
            interface, changed, invalidated = message.body
            if interface == MANAGER and (
                "BlockInhibited" in changed or "BlockInhibited" in invalidated
            ):
                emit(InhibitorChanged(await self._read_inhibited(link)))
        elif session is None:
            return
        elif is_signal(message, PROPERTIES, "PropertiesChanged", session):
            interface, changed, invalidated = message.body
            if interface != SESSION:
                return
            if "LockedHint" in changed:
                _signature, locked = changed["LockedHint"]
            elif "LockedHint" in invalidated:
                locked = await link.get_property(_session(session), SESSION, "LockedHint")
            else:
                return
            emit(ScreenLocked() if locked else ScreenUnlocked())
        elif is_signal(message, SESSION, "Lock", session):
            emit(ScreenLocked())
        elif is_signal(message, SESSION, "Unlock", session):
            emit(ScreenUnlocked())


def _session(path: str) -> DBusAddress:
    return DBusAddress(path, bus_name=LOGIN1, interface=SESSION)


def _manager_call(method: str, signature: str, argument: object) -> Message:
    return new_method_call(_MANAGER, method, signature, (argument,))


def _rules(session: str | None) -> list[MatchRule]:
    manager_properties = signal_rule(LOGIN1, PROPERTIES, "PropertiesChanged", MANAGER_PATH)
    manager_properties.add_arg_condition(0, MANAGER)
    rules = [
        name_owner_rule(LOGIN1),
        signal_rule(LOGIN1, MANAGER, "PrepareForSleep", MANAGER_PATH),
        manager_properties,
    ]
    if session is not None:
        session_properties = signal_rule(LOGIN1, PROPERTIES, "PropertiesChanged", session)
        session_properties.add_arg_condition(0, SESSION)
        rules += [session_properties, signal_rule(LOGIN1, SESSION, None, session)]
    return rules
