"""Every adapter breakd has, one row each: what `select.py` opens, `breakd doctor` lists
and the tests read.

A row names the adapter and says what kind it is, where it can run, the config
switch that turns it on, where its code is, which bus it is handed and what it
watches. The rows of a kind are in order: the order idle sources are preferred,
notifiers chained, and every kind listed by `breakd doctor`.

The code is named by its import path, "module:attribute", and imported only when
the adapter is opened: this module imports nothing of any adapter, so a daemon
carries only the adapters that run. Adding a source is one row here and one module.

How the opener is called: with the row's bus first when it names one, then what
its kind hands every adapter:

- idle: nothing; the bus is a blocking connection, made before the opener is even
  imported (no bus, no jeepney). Raises IdleSourceUnavailable when not here.
- session: nothing; the bus is the shared asyncio connection. Returns a watcher.
- busy: the `dont_interrupt` section of the config. Returns a watcher.
- notifier: the answer handler and the config in force (`choose_notifier`).
"""

from __future__ import annotations

import importlib
import sys
from functools import reduce
from typing import TYPE_CHECKING, Any, Literal

from breakd.core.record import record

if TYPE_CHECKING:
    from breakd.adapters.dbus.address import Bus
    from breakd.config.model import Config

Kind = Literal["idle", "session", "busy", "notifier"]


@record
class Platforms:
    """Where an adapter can run: the `sys.platform` values that start with one of
    `prefixes` or contain one of `parts`."""

    name: str
    prefixes: tuple[str, ...] = ()
    parts: tuple[str, ...] = ()

    def __contains__(self, platform: object) -> bool:
        return isinstance(platform, str) and (
            platform.startswith(self.prefixes) or any(part in platform for part in self.parts)
        )

    def __str__(self) -> str:
        return self.name


LINUX_AND_BSD = Platforms("Linux and the BSDs", ("linux",), ("bsd",))
LINUX = Platforms("Linux", ("linux",))
MACOS = Platforms("macOS", ("darwin",))
ANYWHERE = Platforms("any platform", ("",))


@record
class Switch:
    """A config key that turns an adapter on: true, or any value but "off".

    `key` is a dotted path under `section`, whose `enabled` must be true as well (as
    `dont_interrupt.enabled` holds every busy signal). A non-empty list at `or_list`,
    under the same section, turns it on too.
    """

    section: str
    key: str
    or_list: str | None = None

    def off(self, config: Config) -> str | None:
        """Why the config keeps the adapter from running, in one sentence; None if it runs."""
        section = getattr(config, self.section)
        if not section.enabled:
            return f"switched off in the config: {self.section}.enabled is false"
        value = _value(section, self.key)
        key = f"{self.section}.{self.key}"
        if value == "off":
            return f'switched off in the config: {key} is "off"'
        if value is not False:
            return None
        if self.or_list is None:
            return f"switched off in the config: {key} is false"
        if _value(section, self.or_list):
            return None
        return f"switched off in the config: {key} is false and {self.or_list} is empty"


@record
class Choice:
    """A config key whose value picks adapters: this one when it says `value`, or "auto"
    on a platform the adapter runs on (`notify.backend`)."""

    key: str
    value: str

    def picks(self, chosen: str, runs_here: bool) -> bool:
        return chosen == self.value or (chosen == "auto" and runs_here)


@record
class Adapter:
    """One adapter: see the module docstring for how its opener is called."""

    name: str
    kind: Kind
    opener: str
    """"module:attribute", imported only when the adapter is opened."""
    description: str
    """What it watches or does, in one line."""
    platforms: Platforms = LINUX_AND_BSD
    bus: Bus | None = None
    switch: Switch | Choice | None = None
    """None: always on where it runs."""
    probe: str | None = None
    """A notifier's "module:attribute": an async function that says what reminders would
    reach (a `NotifierCheck`), or raises NotifierError with why not. `breakd doctor` and
    the daemon's start-up line ask it."""
    start_probe: str | None = None
    """The same, for the daemon's start-up line, where `probe` would load what the
    notifier loads only at its first reminder (an idle daemon should not carry it)."""

    def runs_on(self, platform: str | None = None) -> bool:
        """Whether it can run on `platform` (default: this one), whatever the config says."""
        return (sys.platform if platform is None else platform) in self.platforms

    def off(self, config: Config) -> str | None:
        """Why `config` keeps it from running, in one sentence; None if it runs."""
        return self.switch.off(config) if isinstance(self.switch, Switch) else None

    def load(self, what: str | None = None) -> Any:
        """The opener (or another "module:attribute" of the row), its module imported now."""
        module, _, attribute = (what or self.opener).partition(":")
        return getattr(importlib.import_module(module), attribute)


def _value(section: object, key: str) -> Any:
    return reduce(getattr, key.split("."), section)


ADAPTERS: tuple[Adapter, ...] = (
    Adapter(
        "mutter-idle-monitor",
        "idle",
        "breakd.adapters.idle.mutter:MutterIdleSource",
        "GNOME, on Wayland and on X11: Mutter's IdleMonitor",
        bus="session",
    ),
    Adapter(
        "freedesktop-screensaver",
        "idle",
        "breakd.adapters.idle.freedesktop_screensaver:FreedesktopScreenSaverIdleSource",
        "KDE Plasma and other desktops that answer org.freedesktop.ScreenSaver's idle time",
        bus="session",
    ),
    Adapter(
        "wayland-idle-notify",
        "idle",
        "breakd.adapters.idle.wayland:WaylandIdleSource",
        "other Wayland compositors (Sway, Hyprland, river, niri...): ext-idle-notify-v1 or org_kde_kwin_idle",
    ),
    Adapter(
        "x11-screensaver",
        "idle",
        "breakd.adapters.idle.x11:X11IdleSource",
        "any X11 session: the X server's MIT-SCREEN-SAVER extension",
    ),
    Adapter(
        "macos-iokit-hid",
        "idle",
        "breakd.adapters.idle.macos:MacOSIdleSource",
        "macOS: IOKit's HIDIdleTime",
        platforms=MACOS,
    ),
    Adapter(
        "logind",
        "session",
        "breakd.adapters.session.logind:LogindSource",
        "suspend, the session's lock and idle inhibitors from systemd-logind",
        bus="system",
    ),
    Adapter(
        "screensaver",
        "session",
        "breakd.adapters.session.screensaver:ScreenSaverSource",
        "the lock screen, from org.freedesktop.ScreenSaver or org.gnome.ScreenSaver",
        bus="session",
    ),
    Adapter(
        "gnome-session-manager",
        "session",
        "breakd.adapters.session.gnome_session:GnomeSessionManagerSource",
        "idle inhibitors held through GNOME's session manager",
        bus="session",
    ),
    Adapter(
        "dnd:dunst",
        "busy",
        "breakd.adapters.busy.notification_server:open_dunst",
        "dunst's do-not-disturb (its paused property)",
        bus="session",
        switch=Switch("dont_interrupt", "signals.dnd"),
    ),
    Adapter(
        "dnd:plasma",
        "busy",
        "breakd.adapters.busy.notification_server:open_plasma",
        "KDE Plasma's do-not-disturb (Inhibited of its notification server)",
        bus="session",
        switch=Switch("dont_interrupt", "signals.dnd"),
    ),
    Adapter(
        "dnd:xfce",
        "busy",
        "breakd.adapters.busy.xfce:open_signal",
        "xfce4-notifyd's do-not-disturb, from xfconf",
        bus="session",
        switch=Switch("dont_interrupt", "signals.dnd"),
    ),
    Adapter(
        "dnd:gnome",
        "busy",
        "breakd.adapters.busy.gnome:open_signal",
        "GNOME's do-not-disturb: notification banners switched off",
        bus="session",
        switch=Switch("dont_interrupt", "signals.dnd"),
    ),
    Adapter(
        "dnd:swaync",
        "busy",
        "breakd.adapters.busy.swaync:open_signal",
        "swaync's do-not-disturb, or an app inhibiting it",
        bus="session",
        switch=Switch("dont_interrupt", "signals.dnd"),
    ),
    Adapter(
        "dnd:mako",
        "busy",
        "breakd.adapters.busy.mako:open_signal",
        "a mako mode listed in dont_interrupt.mako_dnd_modes",
        bus="session",
        switch=Switch("dont_interrupt", "signals.dnd"),
    ),
    Adapter(
        "fullscreen:x11",
        "busy",
        "breakd.adapters.busy.x11_fullscreen:open_signal",
        "the focused X11 window full screen, or a never_interrupt app in focus",
        switch=Switch("dont_interrupt", "signals.fullscreen", "apps.never_interrupt"),
    ),
    Adapter(
        "fullscreen:wayland",
        "busy",
        "breakd.adapters.busy.wayland_fullscreen:open_signal",
        "the focused Wayland window full screen, or a never_interrupt app in focus (wlroots)",
        switch=Switch("dont_interrupt", "signals.fullscreen", "apps.never_interrupt"),
    ),
    Adapter(
        "camera",
        "busy",
        "breakd.adapters.busy.camera:open_signal",
        "a camera device that a process holds open",
        platforms=LINUX,
        switch=Switch("dont_interrupt", "signals.camera"),
    ),
    Adapter(
        "microphone",
        "busy",
        "breakd.adapters.busy.microphone:open_signal",
        "a program recording from a microphone, as pactl lists them",
        switch=Switch("dont_interrupt", "signals.microphone"),
    ),
    Adapter(
        "inhibitors:gnome",
        "busy",
        "breakd.adapters.busy.inhibitors:open_gnome",
        "meeting apps' idle inhibitors held through GNOME's session manager",
        bus="session",
        switch=Switch("dont_interrupt", "signals.inhibitors"),
    ),
    Adapter(
        "inhibitors:logind",
        "busy",
        "breakd.adapters.busy.inhibitors:open_logind",
        "meeting apps' idle inhibitors held through systemd-logind",
        bus="system",
        switch=Switch("dont_interrupt", "signals.inhibitors"),
    ),
    Adapter(
        "dnd:macos",
        "busy",
        "breakd.adapters.busy.macos_focus:open_signal",
        "macOS Focus, from a private file of the Focus daemon (best effort)",
        platforms=MACOS,
        switch=Switch("dont_interrupt", "signals.macos_focus"),
    ),
    Adapter(
        "dbus",
        "notifier",
        "breakd.adapters.notify.freedesktop:FreedesktopNotifier",
        "freedesktop notifications with buttons, over D-Bus",
        switch=Choice("notify.backend", "dbus"),
        probe="breakd.adapters.notify.freedesktop:probe",
    ),
    Adapter(
        "plyer",
        "notifier",
        "breakd.adapters.notify.plyer_notifier:open_notifier",
        "plyer's plain notifications, on any platform it supports",
        platforms=ANYWHERE,
        switch=Choice("notify.backend", "plyer"),
        probe="breakd.adapters.notify.plyer_notifier:probe",
        start_probe="breakd.adapters.notify.plyer_notifier:probe_without_plyer",
    ),
    Adapter(
        "log",
        "notifier",
        "breakd.adapters.notify.log_notifier:open_notifier",
        "the log, where every chain of notifiers ends",
        platforms=ANYWHERE,
        probe="breakd.adapters.notify.log_notifier:probe",
    ),
)


def of_kind(kind: Kind) -> tuple[Adapter, ...]:
    """The rows of one kind, in order."""
    return tuple(row for row in ADAPTERS if row.kind == kind)


def named(name: str) -> Adapter:
    """The row called `name`; KeyError if there is none."""
    for row in ADAPTERS:
        if row.name == name:
            return row
    raise KeyError(name)
