"""Idle inhibitors that mean a meeting: GNOME's session manager and systemd-logind.

An inhibitor alone is a poor meeting signal (music players and "caffeine"
extensions hold one all day; Firefox holds one for any video), so by default
only one whose reason or app is on the meeting lists counts: Chromium's
"WebRTC has active PeerConnections" during a browser call, or an app such as
zoom. Reasons: "meeting:<app>", and "inhibitor:<app>" in `any` mode.

- GNOME: `GetInhibitors()` and each inhibitor's `GetAppId()`/`GetReason()`,
  read again on `InhibitorAdded`/`InhibitorRemoved`.
- logind (system bus): `ListInhibitors()` (what, who, why, mode, uid, pid),
  read again when `BlockInhibited`/`DelayInhibited` change.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from typing import TYPE_CHECKING, Literal

from jeepney import DBusAddress, MatchRule, Message, new_method_call
from jeepney.wrappers import DBusErrorResponse

from breakd.adapters.busy import Reading, Report
from breakd.adapters.dbus.follow import Service, follow, owned
from breakd.adapters.dbus.link import BusLink, SharedBus
from breakd.adapters.dbus.rules import PROPERTIES, is_signal, signal_rule
from breakd.core import busy_reasons
from breakd.core.record import record

if TYPE_CHECKING:
    from breakd.config.model import DontInterruptConfig

Mode = Literal["meeting_only", "any"]

SESSION_MANAGER = "org.gnome.SessionManager"
SESSION_MANAGER_PATH = "/org/gnome/SessionManager"
INHIBITOR = "org.gnome.SessionManager.Inhibitor"
LOGIN1 = "org.freedesktop.login1"
LOGIN1_PATH = "/org/freedesktop/login1"
LOGIN1_MANAGER = "org.freedesktop.login1.Manager"


@record
class MeetingRules:
    """Which inhibitors count, and as what."""

    mode: Mode = "meeting_only"
    meeting_reasons: frozenset[str] = frozenset({"WebRTC has active PeerConnections"})
    meeting_apps: frozenset[str] = frozenset({"zoom", "teams", "webex"})
    ignore_apps: frozenset[str] = frozenset({"caffeine-gnome-extension", "spotify"})

    @classmethod
    def of(
        cls,
        mode: Mode,
        meeting_reasons: Iterable[str],
        meeting_apps: Iterable[str],
        ignore_apps: Iterable[str],
    ) -> MeetingRules:
        return cls(
            mode, frozenset(meeting_reasons), frozenset(meeting_apps), frozenset(ignore_apps)
        )

    @classmethod
    def of_settings(cls, settings: DontInterruptConfig) -> MeetingRules:
        """The rules `dont_interrupt` sets: its `inhibitors` lists and `signals.inhibitors`."""
        lists = settings.inhibitors
        mode: Mode = "any" if settings.signals.inhibitors == "any" else "meeting_only"
        return cls.of(mode, lists.meeting_reasons, lists.meeting_apps, lists.ignore_apps)

    def reason(self, app: str, why: str) -> str | None:
        """The busy reason for an inhibitor held by `app` because of `why`, or None."""
        name = _app_name(app)
        if _among(name, self.ignore_apps) or _among(app, self.ignore_apps):
            return None
        if _among(why, self.meeting_reasons) or _among(name, self.meeting_apps):
            return busy_reasons.reason(busy_reasons.MEETING, name)
        if self.mode == "any":
            return busy_reasons.reason(busy_reasons.INHIBITOR, name)
        return None

    def reading(self, held: Iterable[tuple[str, str]]) -> Reading:
        return Reading.of({r for app, why in held if (r := self.reason(app, why)) is not None})


def _among(text: str, names: frozenset[str]) -> bool:
    folded = text.casefold()
    return any(folded == name.casefold() for name in names)


def _app_name(app: str) -> str:
    """`/app/extra/bin/spotify` as `spotify`, `org.chromium.Chromium` as is; never empty."""
    name = os.path.basename(app.rstrip("/")) if "/" in app else app
    return name or "unknown"


class _InhibitorWatcher:
    """The watch loop both services share: read the list, then again on each change."""

    service: str
    bus_name: str

    def __init__(self, bus: SharedBus, rules: MeetingRules) -> None:
        self._bus = bus
        self._rules = rules
        self._service = Service(
            self.bus_name,
            missing=f"no {self.bus_name} on the {bus.bus} bus",
            left=f"{self.service} left the bus",
        )

    async def probe(self) -> str:
        async with owned(self._bus, self._service) as link:
            held = await self._held(link)
            reading = self._rules.reading(held)
            now = ", ".join(sorted(reading.reasons)) or "no meeting"
            return f"{len(held)} inhibitor(s) from {self.service} (now: {now})"

    async def watch(self, report: Report) -> None:
        async with follow(self._bus, self._service, self._rules_()) as followed:
            report(self._rules.reading(await self._held(followed.link)))
            while True:
                message = await followed.next()
                if message is None or self._is_change(message):
                    report(self._rules.reading(await self._held(followed.link)))

    def _rules_(self) -> list[MatchRule]:
        raise NotImplementedError

    def _is_change(self, message: Message) -> bool:
        raise NotImplementedError

    async def _held(self, link: BusLink) -> list[tuple[str, str]]:
        raise NotImplementedError


class GnomeMeetingInhibitors(_InhibitorWatcher):
    """Inhibitors held through GNOME's session manager (browsers, players, Zoom)."""

    name = "inhibitors:gnome"
    service = SESSION_MANAGER
    bus_name = SESSION_MANAGER

    def _rules_(self) -> list[MatchRule]:
        return [signal_rule(SESSION_MANAGER, SESSION_MANAGER, None, SESSION_MANAGER_PATH)]

    def _is_change(self, message: Message) -> bool:
        return any(
            is_signal(message, SESSION_MANAGER, member)
            for member in ("InhibitorAdded", "InhibitorRemoved")
        )

    async def _held(self, link: BusLink) -> list[tuple[str, str]]:
        manager = DBusAddress(SESSION_MANAGER_PATH, SESSION_MANAGER, SESSION_MANAGER)
        (paths,) = await link.call(new_method_call(manager, "GetInhibitors"))
        held = []
        for path in paths:
            inhibitor = DBusAddress(path, SESSION_MANAGER, INHIBITOR)
            try:
                (app,) = await link.call(new_method_call(inhibitor, "GetAppId"))
                (why,) = await link.call(new_method_call(inhibitor, "GetReason"))
            except DBusErrorResponse:
                continue  # released between the list and the read
            held.append((str(app), str(why)))
        return held


class LogindMeetingInhibitors(_InhibitorWatcher):
    """Inhibitors held through systemd-logind (`systemd-inhibit --who=zoom ...`)."""

    name = "inhibitors:logind"
    service = LOGIN1
    bus_name = LOGIN1

    def _rules_(self) -> list[MatchRule]:
        rule = signal_rule(LOGIN1, PROPERTIES, "PropertiesChanged", LOGIN1_PATH)
        rule.add_arg_condition(0, LOGIN1_MANAGER)
        return [rule]

    def _is_change(self, message: Message) -> bool:
        if not is_signal(message, PROPERTIES, "PropertiesChanged", LOGIN1_PATH):
            return False
        _interface, changed, invalidated = message.body
        names = set(changed) | set(invalidated)
        return bool(names & {"BlockInhibited", "DelayInhibited"})

    async def _held(self, link: BusLink) -> list[tuple[str, str]]:
        manager = DBusAddress(LOGIN1_PATH, LOGIN1, LOGIN1_MANAGER)
        (inhibitors,) = await link.call(new_method_call(manager, "ListInhibitors"))
        return [(str(who), str(why)) for _what, who, why, _mode, _uid, _pid in inhibitors]


def open_gnome(bus: SharedBus, settings: DontInterruptConfig) -> GnomeMeetingInhibitors:
    return GnomeMeetingInhibitors(bus, MeetingRules.of_settings(settings))


def open_logind(bus: SharedBus, settings: DontInterruptConfig) -> LogindMeetingInhibitors:
    return LogindMeetingInhibitors(bus, MeetingRules.of_settings(settings))
