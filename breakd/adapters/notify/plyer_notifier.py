"""Reminders through plyer, the portable fallback: it reaches the desktop on most
platforms, but cannot show buttons or take a notification back."""

from __future__ import annotations

import contextlib
import io
import os
import sys
import warnings

from breakd.adapters.notify import NotifierError
from breakd.core.reminder_text import ReminderMessage


class PlyerNotifier:
    name = "plyer"

    def __init__(self) -> None:
        """Resolve plyer's platform backend now, so that a missing one is known at start."""
        with warnings.catch_warnings(), contextlib.redirect_stderr(io.StringIO()):
            warnings.simplefilter("ignore")
            from plyer import notification
            from plyer.facades import Notification

            backend = object.__getattribute__(notification, "_ensure_obj")()
        if type(backend) is Notification:
            raise NotifierError(
                "plyer found no way to notify here (on Linux it needs notify-send, from libnotify-bin)"
            )
        self._backend = backend
        self.name = f"plyer ({type(backend).__name__})"

    async def show(self, message: ReminderMessage) -> None:
        if sys.platform.startswith("linux") and not _session_bus_reachable():
            # plyer's Linux backends cannot report a failed delivery, so catch the
            # commonest one here: with no session bus there is no notification server.
            raise NotifierError("no D-Bus session bus, so no desktop notification can be shown")
        try:
            self._backend.notify(
                title=message.title,
                message=message.body,
                app_name=message.app_name,
                timeout=0,
            )
        except Exception as error:  # plyer backends raise anything from OSError to DBusException
            raise NotifierError(f"plyer could not notify: {error}") from error

    async def withdraw(self) -> None:
        """plyer cannot take a notification back; the next one simply follows it."""


def _session_bus_reachable() -> bool:
    if os.environ.get("DBUS_SESSION_BUS_ADDRESS"):
        return True
    runtime = os.environ.get("XDG_RUNTIME_DIR")
    return bool(runtime) and os.path.exists(os.path.join(runtime, "bus"))
