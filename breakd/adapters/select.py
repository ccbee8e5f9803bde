"""The one place that looks at the platform and picks the adapters that run here."""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING

from breakd.adapters.busy import BusySignal
from breakd.adapters.dbus.address import Bus
from breakd.adapters.idle import IdleSource, IdleSourceUnavailable
from breakd.adapters.notify import AnswerHandler, Notifier
from breakd.adapters.notify.fallback import FallbackNotifier
from breakd.adapters.notify.log_notifier import LogNotifier
from breakd.adapters.session import SessionEventSource
from breakd.config.model import Config

if TYPE_CHECKING:
    from breakd.adapters.dbus.blocking import BlockingBus
    from breakd.adapters.dbus.link import SharedBus

log = logging.getLogger(__name__)


IDLE_SOURCES = (
    "mutter-idle-monitor",
    "freedesktop-screensaver",
    "x11-screensaver",
    "wayland-ext-idle-notify",
    "macos-iokit-hid",
)
"""Every idle source breakd has, in the order they are preferred."""


def platform_idle_sources(platform: str = sys.platform) -> tuple[str, ...]:
    """The idle sources worth trying on `platform`, best first."""
    if platform == "darwin":
        return ("macos-iokit-hid",)
    if platform.startswith("linux") or "bsd" in platform:
        return IDLE_SOURCES[:4]
    return ()


def open_idle_source() -> tuple[IdleSource | None, str]:
    """The idle source for this desktop, and one sentence on what was picked and why.

    Tried in order: GNOME's Mutter (Wayland and X11), the freedesktop
    ScreenSaver (KDE Plasma), X11 when DISPLAY is set, Wayland; macOS has one.
    The sentence names the pick and why each one before it was passed over;
    with none, why none works.
    """
    names = platform_idle_sources()
    if not names:
        return None, f"breakd has no idle source for {sys.platform} yet"
    passed_over: list[str] = []
    for name, source, text in try_idle_sources(names):
        if source is not None:
            sentence = f"{name} ({text})"
            if passed_over:
                sentence += f"; passed over {'; '.join(passed_over)}"
            return source, sentence
        log.debug("idle source %s: %s", name, text)
        passed_over.append(f"{name}: {text}")
    return None, "; ".join(passed_over)


def try_idle_sources(
    names: Sequence[str],
) -> Iterator[tuple[str, IdleSource | None, str]]:
    """Open each named idle source in turn: (name, source, what it reads) or (name, None, why not).

    The D-Bus sources share one session-bus connection, which the one that works
    keeps; stop iterating early and the unused connection is closed.
    """
    session_bus = _SessionBusForIdle()
    try:
        for name in names:
            try:
                source = _IDLE_OPENERS[name](session_bus)
            except IdleSourceUnavailable as error:
                yield name, None, str(error)
                continue
            yield name, source, getattr(source, "description", None) or _X11_DESCRIPTION
    finally:
        session_bus.close()


_X11_DESCRIPTION = "the X server's MIT-SCREEN-SAVER idle time"


class _SessionBusForIdle:
    """One blocking session-bus connection for every D-Bus idle source tried.

    jeepney is imported only once there is a bus address to connect to.
    """

    def __init__(self) -> None:
        self._bus: BlockingBus | None = None
        self._error: str | None = None

    def get(self) -> BlockingBus:
        if self._error is not None:
            raise IdleSourceUnavailable(self._error)
        if self._bus is None:
            from breakd.adapters.dbus.address import BusUnavailable as SessionBusUnavailable
            from breakd.adapters.dbus.address import session_bus_address

            try:
                session_bus_address()
                from breakd.adapters.idle.dbus import open_bus_for_idle

                self._bus = open_bus_for_idle()
            except (SessionBusUnavailable, IdleSourceUnavailable) as error:
                self._error = str(error)
                raise IdleSourceUnavailable(self._error) from None
        return self._bus

    def hand_over(self) -> None:
        """The source that works owns the connection now."""
        self._bus = None

    def close(self) -> None:
        bus, self._bus = self._bus, None
        if bus is not None:
            bus.close()


def _open_mutter(session_bus: _SessionBusForIdle) -> IdleSource:
    bus = session_bus.get()  # before the import: no bus, no jeepney
    from breakd.adapters.idle.mutter import MutterIdleSource

    source = MutterIdleSource(bus)
    session_bus.hand_over()
    return source


def _open_freedesktop_screensaver(session_bus: _SessionBusForIdle) -> IdleSource:
    bus = session_bus.get()
    from breakd.adapters.idle.freedesktop_screensaver import FreedesktopScreenSaverIdleSource

    source = FreedesktopScreenSaverIdleSource(bus)
    session_bus.hand_over()
    return source


def _open_x11(session_bus: _SessionBusForIdle) -> IdleSource:
    from breakd.adapters.idle.x11 import X11IdleSource

    return X11IdleSource()


def _open_wayland(session_bus: _SessionBusForIdle) -> IdleSource:
    from breakd.adapters.idle.wayland import WaylandIdleSource

    return WaylandIdleSource()


def _open_macos(session_bus: _SessionBusForIdle) -> IdleSource:
    from breakd.adapters.idle.macos import MacOSIdleSource

    return MacOSIdleSource()


_IDLE_OPENERS: dict[str, Callable[[_SessionBusForIdle], IdleSource]] = {
    "mutter-idle-monitor": _open_mutter,
    "freedesktop-screensaver": _open_freedesktop_screensaver,
    "x11-screensaver": _open_x11,
    "wayland-ext-idle-notify": _open_wayland,
    "macos-iokit-hid": _open_macos,
}


class Buses:
    """One shared connection per bus for everything that watches it: session sources
    and busy signals handed the same Buses use the same two connections."""

    def __init__(self) -> None:
        self._shared: dict[Bus, SharedBus] = {}

    def session(self) -> SharedBus:
        return self._get("session")

    def system(self) -> SharedBus:
        return self._get("system")

    def _get(self, bus: Bus) -> SharedBus:
        if bus not in self._shared:
            from breakd.adapters.dbus.link import SharedBus  # jeepney: only when a bus is used

            self._shared[bus] = SharedBus(bus)
        return self._shared[bus]


def open_session_sources(buses: Buses | None = None) -> list[SessionEventSource]:
    """Every session-event source that may work on this platform (none yet off Linux and the BSDs).

    Run them with `CombinedSessionEvents`, which skips and retries the ones that
    are not here. The D-Bus ones share one connection per bus.
    """
    if not (sys.platform.startswith("linux") or "bsd" in sys.platform):
        return []
    from breakd.adapters.session.gnome_session import GnomeSessionManagerSource
    from breakd.adapters.session.logind import LogindSource
    from breakd.adapters.session.screensaver import ScreenSaverSource

    buses = buses or Buses()
    return [
        LogindSource(buses.system()),
        ScreenSaverSource(buses.session()),
        GnomeSessionManagerSource(buses.session()),
    ]


BUSY_SIGNALS: dict[str, str] = {
    "dnd:dunst": "dnd",
    "dnd:plasma": "dnd",
    "dnd:xfce": "dnd",
    "dnd:gnome": "dnd",
    "dnd:swaync": "dnd",
    "dnd:mako": "dnd",
    "fullscreen:x11": "fullscreen",
    "camera": "camera",
    "microphone": "microphone",
    "inhibitors:gnome": "inhibitors",
    "inhibitors:logind": "inhibitors",
    "dnd:macos": "macos_focus",
}
"""Every busy signal breakd has, in `breakd doctor`'s order, with its `dont_interrupt.signals` switch."""

_ONLY_ON: dict[str, str] = {
    "camera": "linux",
    "dnd:macos": "darwin",
}
"""The platform (a `sys.platform` prefix) of each signal that runs on one only; the rest
run on Linux and the BSDs."""


def open_busy_signals(
    config: Config, *, switched_off_too: bool = False, buses: Buses | None = None
) -> list[BusySignal]:
    """The busy signals `dont_interrupt` switches on that may work on this platform.

    Run them with `CombinedBusySignals`, which skips and retries those that are not
    here. Nothing is imported or connected for a signal that is switched off.
    `switched_off_too` opens every signal that may work here whatever the config
    says, so `breakd doctor` can say which would.
    """
    settings = config.dont_interrupt
    everything = switched_off_too
    if not (settings.enabled or everything):
        return []
    if sys.platform == "darwin":
        return _macos_busy_signals(config, everything)
    if not _linux_or_bsd():
        return []
    buses = buses or Buses()
    signals: list[BusySignal] = []
    switches = settings.signals
    session_bus = buses.session()
    if switches.dnd or everything:
        from breakd.adapters.busy.gnome import GnomeDnd
        from breakd.adapters.busy.mako import MakoDnd
        from breakd.adapters.busy.notification_server import (
            DUNST,
            PLASMA,
            NotificationServerDnd,
        )
        from breakd.adapters.busy.swaync import SwayncDnd
        from breakd.adapters.busy.xfce import XfceDnd

        signals += [
            NotificationServerDnd(session_bus, DUNST),
            NotificationServerDnd(session_bus, PLASMA),
            XfceDnd(session_bus),
            GnomeDnd(session_bus),
            SwayncDnd(session_bus),
            MakoDnd(session_bus, settings.mako_dnd_modes),
        ]
    apps = settings.apps
    if switches.fullscreen or apps.never_interrupt or everything:
        from breakd.adapters.busy.x11_fullscreen import X11Fullscreen

        signals.append(
            X11Fullscreen(
                always_interrupt=apps.always_interrupt,
                never_interrupt=apps.never_interrupt,
                fullscreen=switches.fullscreen or everything,
            )
        )
    if (switches.camera or everything) and sys.platform.startswith("linux"):
        from breakd.adapters.busy.camera import CameraInUse

        camera = settings.camera
        signals.append(CameraInUse(camera.devices, camera.ignore_processes))
    if switches.microphone or everything:
        from breakd.adapters.busy.microphone import MicrophoneInUse

        signals.append(MicrophoneInUse(settings.microphone.ignore_apps))
    if switches.inhibitors != "off" or everything:
        from breakd.adapters.busy.inhibitors import (
            GnomeMeetingInhibitors,
            LogindMeetingInhibitors,
            MeetingRules,
        )

        lists = settings.inhibitors
        mode = "meeting_only" if switches.inhibitors == "off" else switches.inhibitors
        rules = MeetingRules.of(mode, lists.meeting_reasons, lists.meeting_apps, lists.ignore_apps)
        signals += [
            GnomeMeetingInhibitors(session_bus, rules),
            LogindMeetingInhibitors(buses.system(), rules),
        ]
    return signals


def _macos_busy_signals(config: Config, everything: bool) -> list[BusySignal]:
    """The Focus file, only when asked for: it is private to macOS (see macos_focus.py)."""
    if not (config.dont_interrupt.signals.macos_focus or everything):
        return []
    from breakd.adapters.busy.macos_focus import MacOSFocus

    return [MacOSFocus()]


def busy_signal_switched_off(config: Config, name: str) -> str | None:
    """Why the config keeps the busy signal `name` from running, in one sentence; None if it runs."""
    settings = config.dont_interrupt
    if not settings.enabled:
        return "switched off in the config: dont_interrupt.enabled is false"
    switch = BUSY_SIGNALS[name]
    value = getattr(settings.signals, switch)
    key = f"dont_interrupt.signals.{switch}"
    if name == "fullscreen:x11" and not value:  # it also watches apps.never_interrupt
        if settings.apps.never_interrupt:
            return None
        return f"switched off in the config: {key} is false and apps.never_interrupt is empty"
    if switch == "inhibitors" and value == "off":
        return f'switched off in the config: {key} is "off"'
    if switch != "inhibitors" and not value:
        return f"switched off in the config: {key} is false"
    return None


def busy_signal_runs_on(name: str, platform: str = sys.platform) -> bool:
    """Whether the busy signal `name` can run at all on `platform`, whatever the config says."""
    only = _ONLY_ON.get(name)
    if only is not None:
        return platform.startswith(only)
    return platform.startswith("linux") or "bsd" in platform


def busy_signal_platforms(name: str) -> str:
    """Where the busy signal `name` can run, as doctor says it of a platform without it."""
    return {
        "linux": "only on Linux",
        "darwin": "only on macOS",
    }.get(_ONLY_ON.get(name, ""), "only on Linux and the BSDs")


def _linux_or_bsd() -> bool:
    return sys.platform.startswith("linux") or "bsd" in sys.platform


def choose_notifier(backend: str, answer: AnswerHandler, config: Callable[[], Config]) -> Notifier:
    """The notifier chain for `notify.backend`; every chain ends in the log.

    `dbus`: freedesktop notifications with buttons. `plyer`: plyer's plain notifications.
    `auto`: dbus on Linux and the BSDs, then plyer; plyer elsewhere. `log`: the log only.
    `config` returns the config in force, so button labels follow a reload.
    """
    if backend == "log":
        return LogNotifier()
    chain: list[Notifier] = []
    freedesktop = sys.platform.startswith("linux") or "bsd" in sys.platform
    if backend == "dbus" or (backend == "auto" and freedesktop):
        from breakd.adapters.notify.freedesktop import FreedesktopNotifier  # jeepney: only here

        chain.append(FreedesktopNotifier(answer, config))
    if backend in ("auto", "plyer"):
        from breakd.adapters.notify.plyer_notifier import PlyerNotifier  # plyer loads at first use

        chain.append(PlyerNotifier())
    return FallbackNotifier([*chain, LogNotifier()])
