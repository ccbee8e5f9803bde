"""A full-screen window in focus on a wlroots Wayland compositor (Sway, Hyprland, river,
labwc, Wayfire, niri), from `zwlr_foreign_toplevel_manager_v1`.

The manager announces each toplevel window; each then says its `app_id` and its `state`
(an array of activated, maximized, minimized, fullscreen), and `done` once a change is
whole. A window both activated (it has the keyboard focus) and fullscreen is busy, as
on X11 (`x11_fullscreen.py`); the app id names the app: a full screen of an app on
`always_interrupt` does not count, and an app on `never_interrupt` is busy while it
has the focus. Reasons: "fullscreen:<app id>", "app:<app id>", in lower case.

The compositor sends every window's changes, titles too (a terminal's title changes at
each command): each wakes the daemon for a moment, and only a change of the reading is
reported. GNOME and KDE do not offer the protocol; a compositor without it is reported
as such.

The watcher keeps its own connection, not the Wayland idle source's: that one is
driven by blocking calls from the idle worker's thread, this one by the loop, and one
socket shared between the two would need a lock around every read. A second
connection costs the compositor one client, and breakd a socket.
"""

from __future__ import annotations

import os
import struct
from typing import TYPE_CHECKING

from breakd.adapters.busy import Reading, Report
from breakd.adapters.busy.focused_app import FocusedAppSignal
from breakd.adapters.watcher import WatcherUnavailable

if TYPE_CHECKING:
    from breakd.adapters.wayland.async_connection import AsyncWayland
    from breakd.adapters.wayland.connection import WaylandConnection
    from breakd.config.model import DontInterruptConfig

# The Wayland client (`adapters/wayland`) is imported once WAYLAND_DISPLAY is set.

FULLSCREEN_SINCE = 2
"""The manager's version whose windows report the fullscreen state, and the one bound:
version 3 adds only each window's parent."""


class _Toplevel:
    """One window as last made whole by `done`, and the changes on their way to it."""

    __slots__ = ("app_id", "next_app_id", "next_states", "states")

    def __init__(self) -> None:
        self.app_id: str | None = None
        self.states: frozenset[int] = frozenset()
        self.next_app_id: str | None = None
        self.next_states: frozenset[int] = frozenset()


class _Toplevels:
    """The compositor's windows, kept up to date by the manager's and the windows' events."""

    def __init__(self, connection: WaylandConnection) -> None:
        self.connection = connection
        self.windows: dict[int, _Toplevel] = {}
        self.finished = False

    def manager_event(self, opcode: int, payload: bytes) -> None:
        from breakd.adapters.wayland import protocols as p
        from breakd.adapters.wayland.wire import decode

        if opcode == p.MANAGER_TOPLEVEL.opcode:
            (handle,) = decode(p.MANAGER_TOPLEVEL.signature, payload)
            assert isinstance(handle, int)
            self.windows[handle] = _Toplevel()
            self.connection.adopt(
                handle, lambda opcode, payload: self._event(handle, opcode, payload)
            )
        elif opcode == p.MANAGER_FINISHED.opcode:
            self.finished = True

    def _event(self, handle: int, opcode: int, payload: bytes) -> None:
        from breakd.adapters.wayland import protocols as p
        from breakd.adapters.wayland.wire import decode

        window = self.windows[handle]
        if opcode == p.HANDLE_APP_ID.opcode:
            (app_id,) = decode(p.HANDLE_APP_ID.signature, payload)
            window.next_app_id = app_id if isinstance(app_id, str) else None
        elif opcode == p.HANDLE_STATE.opcode:
            (array,) = decode(p.HANDLE_STATE.signature, payload)
            assert isinstance(array, bytes)
            window.next_states = frozenset(struct.unpack(f"={len(array) // 4}I", array))
        elif opcode == p.HANDLE_DONE.opcode:
            window.app_id, window.states = window.next_app_id, window.next_states
        elif opcode == p.HANDLE_CLOSED.opcode:
            del self.windows[handle]
            self.connection.send(handle, p.HANDLE_DESTROY)
            self.connection.forget(handle)


class WaylandFullscreen(FocusedAppSignal):
    """Busy while a focused Wayland window is full screen (or is a never-interrupt app);
    `display` defaults to $WAYLAND_DISPLAY."""

    name = "fullscreen:wayland"

    async def probe(self) -> str:
        from breakd.adapters.wayland.protocols import TOPLEVEL_MANAGER

        connection, toplevels = await self._connect()
        connection.close()
        now = ", ".join(sorted(self._reading(toplevels).reasons)) or "nothing full screen"
        return (
            f"the windows' state ({TOPLEVEL_MANAGER}) from the compositor at"
            f" {connection.connection.path} (now: {now})"
        )

    async def watch(self, report: Report) -> None:
        from breakd.adapters.wayland.errors import WaylandUnavailable

        connection, toplevels = await self._connect()
        try:
            reading = self._reading(toplevels)
            report(reading)
            while not toplevels.finished:
                await connection.next_events()
                now = self._reading(toplevels)
                if now != reading:
                    reading = now
                    report(reading)
        except WaylandUnavailable as error:
            raise WatcherUnavailable(str(error)) from None
        finally:
            connection.close()
        raise WatcherUnavailable("the compositor stopped listing its windows (finished)")

    async def _connect(self) -> tuple[AsyncWayland, _Toplevels]:
        """Connected, the manager bound and every window's state in."""
        display = self._display or os.environ.get("WAYLAND_DISPLAY")
        if not display:
            raise WatcherUnavailable("WAYLAND_DISPLAY is not set (no Wayland session)")
        from breakd.adapters.wayland import protocols as p
        from breakd.adapters.wayland.async_connection import AsyncWayland
        from breakd.adapters.wayland.errors import WaylandUnavailable

        try:
            connection = await AsyncWayland.open(display)
        except WaylandUnavailable as error:
            raise WatcherUnavailable(str(error)) from None
        try:
            offered = connection.connection.globals.get(p.TOPLEVEL_MANAGER)
            if offered is None:
                raise WatcherUnavailable(
                    f"the compositor offers no {p.TOPLEVEL_MANAGER} (wlroots compositors do;"
                    " GNOME and KDE do not)"
                )
            if offered.version < FULLSCREEN_SINCE:
                raise WatcherUnavailable(
                    f"the compositor's {p.TOPLEVEL_MANAGER} is version {offered.version},"
                    f" which does not say which window is full screen"
                )
            toplevels = _Toplevels(connection.connection)
            connection.connection.bind(
                p.TOPLEVEL_MANAGER, FULLSCREEN_SINCE, toplevels.manager_event
            )
            await connection.round_trip("the list of windows")
        except WaylandUnavailable as error:
            connection.close()
            raise WatcherUnavailable(str(error)) from None
        except BaseException:
            connection.close()
            raise
        return connection, toplevels

    def _reading(self, toplevels: _Toplevels) -> Reading:
        from breakd.adapters.wayland import protocols as p

        reasons: set[str] = set()
        for window in toplevels.windows.values():
            if p.STATE_ACTIVATED in window.states:
                names = [window.app_id] if window.app_id else []
                reasons |= self.reasons(names, p.STATE_FULLSCREEN in window.states)
        return Reading.of(reasons)


def open_signal(settings: DontInterruptConfig) -> WaylandFullscreen:
    return WaylandFullscreen.from_settings(settings)
