"""A full-screen window in focus on X11, from the window manager's EWMH hints.

The root window's `_NET_ACTIVE_WINDOW` names the focused client; that window's
`_NET_WM_STATE` holds `_NET_WM_STATE_FULLSCREEN` while it is full screen. Both
are watched with PropertyNotify, so the watcher sleeps until one changes.

The focused window's `WM_CLASS` names the app: a full screen of an app on
`always_interrupt` does not count, and an app on `never_interrupt` is busy
while it has the focus, full screen or not. Reasons: "fullscreen:<class>",
"app:<class>", with the class in lower case (WM_CLASS "Navigator", "firefox"
gives "firefox").

Under Wayland, X11 sees only XWayland windows, so a Wayland session is
reported as unsupported rather than as never full screen.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from breakd.adapters.busy import FREE, Reading, Report
from breakd.adapters.busy.focused_app import FocusedAppSignal
from breakd.adapters.watcher import WatcherUnavailable
from breakd.adapters.x11.errors import XError, XUnavailable

if TYPE_CHECKING:
    from breakd.adapters.x11.async_connection import AsyncXConnection
    from breakd.config.model import DontInterruptConfig
# The X11 client (`adapters/x11/async_connection`) is imported once the session is one
# of X11's: in a Wayland session this watcher only says so, and carries none of it.

ACTIVE_WINDOW = "_NET_ACTIVE_WINDOW"
WM_STATE = "_NET_WM_STATE"
FULLSCREEN = "_NET_WM_STATE_FULLSCREEN"


class X11Fullscreen(FocusedAppSignal):
    """Busy while the focused X11 window is full screen (or is a never-interrupt app);
    `display` defaults to $DISPLAY."""

    name = "fullscreen:x11"

    async def probe(self) -> str:
        connection = await self._connect()
        try:
            atoms = await self._atoms(connection)
            active = await self._active(connection, atoms)
            if active is None:
                return (
                    f"full screen on X display {connection.display}: no EWMH window manager"
                    " runs yet (no _NET_ACTIVE_WINDOW)"
                )
            reading = await self._read(connection, atoms, active)
            now = ", ".join(sorted(reading.reasons)) or "nothing full screen"
            return f"_NET_WM_STATE of the focused window on X display {connection.display} (now: {now})"
        except XUnavailable as error:
            raise WatcherUnavailable(f"X display {connection.display}: {error}") from None
        finally:
            connection.close()

    async def watch(self, report: Report) -> None:
        connection = await self._connect()
        from breakd.adapters.x11.async_connection import WM_CLASS

        try:
            atoms = await self._atoms(connection)
            connection.watch_properties(connection.root)  # before reading: nothing slips by
            active = await self._active(connection, atoms)
            if active:
                connection.watch_properties(active)
            report(await self._read(connection, atoms, active))
            while True:
                event = await connection.next_event()
                if event.window == connection.root and event.atom == atoms[ACTIVE_WINDOW]:
                    active = await self._active(connection, atoms)
                    if active:
                        connection.watch_properties(active)
                elif not (event.window == active and event.atom in (atoms[WM_STATE], WM_CLASS)):
                    continue
                report(await self._read(connection, atoms, active))
        except XUnavailable as error:
            raise WatcherUnavailable(f"X display {connection.display}: {error}") from None
        finally:
            connection.close()

    async def _connect(self) -> AsyncXConnection:
        if os.environ.get("WAYLAND_DISPLAY") or os.environ.get("XDG_SESSION_TYPE") == "wayland":
            raise WatcherUnavailable(
                "a Wayland session: X11 would only see XWayland windows go full screen"
            )
        display = self._display or os.environ.get("DISPLAY")
        if not display:
            raise WatcherUnavailable("DISPLAY is not set (no X11 session)")
        from breakd.adapters.x11.async_connection import AsyncXConnection

        try:
            return await AsyncXConnection.open(display)
        except XUnavailable as error:
            raise WatcherUnavailable(str(error)) from None

    async def _atoms(self, connection: AsyncXConnection) -> dict[str, int]:
        return {
            name: await connection.intern_atom(name)
            for name in (ACTIVE_WINDOW, WM_STATE, FULLSCREEN)
        }

    async def _active(self, connection: AsyncXConnection, atoms: dict[str, int]) -> int | None:
        """The focused client window; 0 for none; None without an EWMH window manager."""
        from breakd.adapters.x11.async_connection import WINDOW

        value = await connection.get_property(connection.root, atoms[ACTIVE_WINDOW], WINDOW)
        if value is None:
            return None
        windows = value.cardinals()
        return windows[0] if windows else 0

    async def _read(
        self, connection: AsyncXConnection, atoms: dict[str, int], window: int | None
    ) -> Reading:
        if not window:
            return FREE
        from breakd.adapters.x11.async_connection import ATOM, STRING, WM_CLASS

        try:
            state = await connection.get_property(window, atoms[WM_STATE], ATOM)
            names = await connection.get_property(window, WM_CLASS, STRING)
        except XError:  # the window went away between the event and the read
            return FREE
        fullscreen = state is not None and atoms[FULLSCREEN] in state.cardinals()
        classes = (
            []
            if names is None
            else [part.decode("latin-1") for part in names.value.split(b"\0") if part]
        )
        return self.reading(classes, fullscreen)


def open_signal(settings: DontInterruptConfig) -> X11Fullscreen:
    return X11Fullscreen.from_settings(settings)
