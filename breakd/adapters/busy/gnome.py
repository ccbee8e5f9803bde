"""Do-not-disturb on GNOME: the GSettings key `org.gnome.desktop.notifications show-banners`.

GNOME Shell's "Do Not Disturb" switch sets `show-banners` to false. The key
lives in dconf, and every write to the user's dconf database goes through
dconf-service, which then broadcasts `ca.desrt.dconf.Writer.Notify(prefix,
changes, tag)` from `/ca/desrt/dconf/Writer/user`. So the watcher sleeps on
that signal and, only when a write touches `/org/gnome/desktop/notifications/`,
reads the value again with one `gsettings get` (no polling, no GLib main loop
in the daemon; the settings portal cannot read this schema). dconf-service is
D-Bus activated: it need not run yet, the match rule names its bus name.
"""

from __future__ import annotations

import os
import shutil
from typing import TYPE_CHECKING

from jeepney import Message

from breakd.adapters.busy import FREE, Reading, Report
from breakd.adapters.busy.command import CommandTimedOut, run_command
from breakd.adapters.busy.dbus import dnd_now
from breakd.adapters.dbus.errors import watcher_errors
from breakd.adapters.dbus.follow import Followed
from breakd.adapters.dbus.link import SharedBus
from breakd.adapters.dbus.rules import is_signal, name_owner_rule, signal_rule
from breakd.adapters.watcher import WatcherUnavailable
from breakd.core.busy_reasons import DND, reason

if TYPE_CHECKING:
    from breakd.config.model import DontInterruptConfig

DCONF = "ca.desrt.dconf"
WRITER = "ca.desrt.dconf.Writer"
WRITER_PATH = "/ca/desrt/dconf/Writer/user"
SCHEMA = "org.gnome.desktop.notifications"
KEY = "show-banners"
KEY_DIR = "/org/gnome/desktop/notifications/"
READ_TIMEOUT = 5.0
"""Seconds `gsettings get` may take; it answers in a few ms from the mmapped database."""


class GnomeDnd:
    """Busy ("dnd:gnome") while GNOME's notification banners are switched off."""

    name = reason(DND, "gnome")

    def __init__(self, bus: SharedBus) -> None:
        self._bus = bus

    async def probe(self) -> str:
        _require_gnome()
        with watcher_errors(DCONF):
            async with self._bus.connected() as link:
                await link.name_owner(DCONF)  # the session bus answers
        on = await _read_dnd()
        return dnd_now(f"GSettings {SCHEMA} {KEY}, read again when dconf signals a change", on)

    async def watch(self, report: Report) -> None:
        _require_gnome()
        with watcher_errors(DCONF):
            async with self._bus.connected() as link:
                writes = signal_rule(DCONF, WRITER, "Notify", WRITER_PATH)
                async with link.subscribe([name_owner_rule(DCONF), writes]) as queue:
                    owner = await link.name_owner(DCONF)  # None until a first write starts it
                    # dconf-service comes and goes (D-Bus activated): it never stops this.
                    followed = Followed(link, queue, owner, left=None)
                    report(self._reading(await _read_dnd()))
                    while True:
                        message = await followed.next()
                        if message is None or not _touches_key(message):
                            continue  # None: a new dconf-service, which wrote nothing yet
                        followed.drop_queued()  # one read for a burst of writes
                        report(self._reading(await _read_dnd()))

    def _reading(self, on: bool) -> Reading:
        return Reading.of({self.name}) if on else FREE


def _touches_key(message: Message) -> bool:
    """A dconf write to the notifications settings, or to a folder holding them (a reset)."""
    if not is_signal(message, WRITER, "Notify", WRITER_PATH):
        return False
    prefix, changes, _tag = message.body
    for change in changes or [""]:
        path = prefix + change
        if path.startswith(KEY_DIR) or KEY_DIR.startswith(path):
            return True
    return False


async def _read_dnd() -> bool:
    """`show-banners` false means do not disturb; WatcherUnavailable says why it can't be read."""
    gsettings = shutil.which("gsettings")
    if gsettings is None:
        raise WatcherUnavailable("gsettings is not installed (no GSettings to read)")
    try:
        result = await run_command([gsettings, "get", SCHEMA, KEY], READ_TIMEOUT)
    except CommandTimedOut:
        raise WatcherUnavailable(
            f"`gsettings get {SCHEMA} {KEY}` gave no answer within {READ_TIMEOUT:g} s"
        ) from None
    text, problem = result.stdout.strip(), result.stderr.strip()
    if result.returncode != 0:
        raise WatcherUnavailable(
            f"`gsettings get {SCHEMA} {KEY}` failed: {problem or f'exit {result.returncode}'}"
        )
    if "memory" in problem and "backend" in problem:
        raise WatcherUnavailable(
            "GSettings has no dconf backend here, so GNOME's settings cannot be read"
        )
    if text not in ("true", "false"):
        raise WatcherUnavailable(f"`gsettings get {SCHEMA} {KEY}` said {text!r}")
    return text == "false"


def _require_gnome() -> None:
    """Only a GNOME session reads this key. Elsewhere the watcher would spawn `gsettings`
    (and load asyncio's subprocess machinery into the daemon) for a key nothing sets."""
    desktop = os.environ.get("XDG_CURRENT_DESKTOP", "")
    if "gnome" not in desktop.lower().split(":"):
        shown = desktop or "unset"
        raise WatcherUnavailable(f"not a GNOME session (XDG_CURRENT_DESKTOP is {shown})")


def open_signal(bus: SharedBus, settings: DontInterruptConfig) -> GnomeDnd:
    return GnomeDnd(bus)
