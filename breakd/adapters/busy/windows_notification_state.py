"""Full screen and presentation on Windows: `SHQueryUserNotificationState`.

The shell's documented answer to "may I show a notification now?". breakd holds a
reminder for three of its values:

- QUNS_BUSY (2): a full-screen app runs, or Presentation Settings are applied;
- QUNS_RUNNING_D3D_FULL_SCREEN (3): an exclusive-mode Direct3D app (a game);
- QUNS_PRESENTATION_MODE (4): the user turned presentation settings on.

The others are free: QUNS_NOT_PRESENT (1, locked or screen saver: the idle and
session sources see that as being away, not busy), QUNS_ACCEPTS_NOTIFICATIONS (5),
QUNS_QUIET_TIME (6, the first hour after a user's first login or an OS upgrade,
which is not do-not-disturb) and QUNS_APP (7, a Store app is running, which says
nothing about the user being busy). Values from shellapi.h; a value Windows adds
later counts as free, since unknown must never silence breakd.

Windows sends no event when this state changes, so it is polled, every 10 s by
default: one call into shell32, no allocation.

shell32 is loaded only when the signal runs on Windows; the function can be handed
in, so tests on other systems run every line here except `load_query()` and the
call itself.
"""

from __future__ import annotations

import ctypes
import sys
from typing import Any

from breakd.adapters.busy import FREE, BusySignalStopped, BusySignalUnavailable, Reading, Report
from breakd.adapters.busy.polling import report_changes

POLL_EVERY = 10.0

QUNS_NOT_PRESENT = 1
QUNS_BUSY = 2
QUNS_RUNNING_D3D_FULL_SCREEN = 3
QUNS_PRESENTATION_MODE = 4
QUNS_ACCEPTS_NOTIFICATIONS = 5
QUNS_QUIET_TIME = 6
QUNS_APP = 7

BUSY_REASONS: dict[int, str] = {
    QUNS_BUSY: "fullscreen:windows",
    QUNS_RUNNING_D3D_FULL_SCREEN: "fullscreen:windows",
    QUNS_PRESENTATION_MODE: "presentation:windows",
}
"""The states that hold a reminder, with the reason `breakd status` shows."""

STATE_NAMES: dict[int, str] = {
    QUNS_NOT_PRESENT: "locked or screen saver",
    QUNS_BUSY: "a full-screen app or presentation settings",
    QUNS_RUNNING_D3D_FULL_SCREEN: "a full-screen Direct3D app",
    QUNS_PRESENTATION_MODE: "presentation mode",
    QUNS_ACCEPTS_NOTIFICATIONS: "accepts notifications",
    QUNS_QUIET_TIME: "quiet time after a first login",
    QUNS_APP: "a Store app runs",
}


def reading_for(state: int) -> Reading:
    """What one QUERY_USER_NOTIFICATION_STATE value means for breakd."""
    reason = BUSY_REASONS.get(state)
    return Reading.of({reason}) if reason else FREE


def describe(state: int) -> str:
    return STATE_NAMES.get(state, f"unknown state {state}, counted as free")


def load_query() -> Any:
    """shell32's SHQueryUserNotificationState with its types set (Windows only)."""
    try:
        shell32 = ctypes.WinDLL("shell32")  # type: ignore[attr-defined]
        function = shell32.SHQueryUserNotificationState
    except (AttributeError, OSError) as error:
        raise BusySignalUnavailable(
            f"cannot load SHQueryUserNotificationState from shell32 ({error})"
        ) from None
    function.restype = ctypes.c_long  # HRESULT
    function.argtypes = (ctypes.POINTER(ctypes.c_int),)
    return function


class WindowsNotificationState:
    """Busy ("fullscreen:windows", "presentation:windows") while the shell says notifications
    would interrupt: a full-screen app, a full-screen game or presentation mode."""

    name = "fullscreen:windows"

    def __init__(self, query: Any = None, poll_every: float = POLL_EVERY) -> None:
        """`query` stands in for SHQueryUserNotificationState; None loads the real one on start."""
        self._query = query
        self._poll_every = poll_every
        self._state = ctypes.c_int(0)
        self._out = ctypes.pointer(self._state)

    async def probe(self) -> str:
        state = self.state()
        return f"SHQueryUserNotificationState every {self._poll_every:g} s (now: {describe(state)})"

    async def watch(self, report: Report) -> None:
        said = self.read()  # BusySignalUnavailable before anything is reported
        report(said)
        await report_changes(self._read_again, report, self._poll_every, said)

    def read(self) -> Reading:
        return reading_for(self.state())

    def _read_again(self) -> Reading:
        try:
            return self.read()
        except BusySignalUnavailable as error:
            raise BusySignalStopped(str(error)) from None

    def state(self) -> int:
        """One call: the QUERY_USER_NOTIFICATION_STATE value now."""
        query = self._load()
        result = query(self._out)
        if result != 0:
            raise BusySignalUnavailable(
                f"SHQueryUserNotificationState failed (HRESULT 0x{result & 0xFFFFFFFF:08X})"
            )
        return self._state.value

    def _load(self) -> Any:
        if self._query is None:
            if sys.platform != "win32":
                raise BusySignalUnavailable(
                    "not on Windows: SHQueryUserNotificationState is a Windows shell call"
                )
            self._query = load_query()
        return self._query
