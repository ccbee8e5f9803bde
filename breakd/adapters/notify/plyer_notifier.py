"""Reminders through plyer, the portable fallback: it reaches the desktop on most
platforms, but cannot show buttons or take a notification back.

On Linux and the BSDs the reminder goes past plyer's public `notify()` to the
backend's `_notify()`, the only way to hand notify-send the icon;
tests/adapters/test_dependency_contracts.py pins what that call does.
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import sys
import warnings
from collections.abc import Callable
from typing import TYPE_CHECKING

from breakd.adapters.dbus.address import BusUnavailable, session_bus_address
from breakd.adapters.notify import AnswerHandler, NotifierCheck, NotifierError, icon_file
from breakd.adapters.worker import in_own_thread
from breakd.core.reminder_text import ReminderMessage

if TYPE_CHECKING:
    from breakd.config.model import Config
    from breakd.core.guide_text import GuideMessage

_FREEDESKTOP = sys.platform.startswith("linux") or "bsd" in sys.platform
DEADLINE = 5.0
"""Seconds a reminder waits for plyer's helper before the next notifier gets it."""


class PlyerNotifier:
    name = "plyer"

    def __init__(self) -> None:
        self._backend: object | None = None

    def ready(self) -> object:
        """plyer's backend, once it is known that it could show a reminder; NotifierError
        says why not."""
        if sys.platform.startswith("linux") and not _session_bus_reachable():
            # plyer's Linux backends cannot report a failed delivery, so catch the
            # commonest one here: with no session bus there is no notification server.
            raise NotifierError("no D-Bus session bus, so no desktop notification can be shown")
        return self._resolve()

    def _resolve(self) -> object:
        """plyer and its platform backend load at the first reminder, not at start:
        an idle daemon should not carry them."""
        if self._backend is None:
            with warnings.catch_warnings(), contextlib.redirect_stderr(io.StringIO()):
                warnings.simplefilter("ignore")
                from plyer import notification
                from plyer.facades import Notification

                kind = notification.__class__  # plyer's proxy loads the backend and answers for it
            if kind is Notification:
                raise NotifierError(
                    "plyer found no way to notify here (on Linux it needs notify-send, from libnotify-bin)"
                )
            self._backend = notification
            self.name = f"plyer ({kind.__name__})"
        return self._backend

    async def show(self, message: ReminderMessage) -> None:
        backend = self.ready()
        try:
            # plyer blocks until its helper (notify-send, osascript) exits, and a hung
            # notification server can hold that for long: a worker thread waits instead
            # of the loop, and the reminder moves on after DEADLINE.
            delivery = in_own_thread(lambda: _deliver(backend, message), "plyer")
            await asyncio.wait_for(delivery, DEADLINE)
        except asyncio.TimeoutError:
            raise NotifierError(f"plyer did not deliver within {DEADLINE:g} s") from None
        except Exception as error:  # plyer backends raise anything from OSError to DBusException
            raise NotifierError(f"plyer could not notify: {error}") from error

    async def show_guide(self, message: GuideMessage) -> None:
        """plyer cannot replace a notification: a frame each second would pile up, so the
        countdown is `breakd guide`'s, in a terminal."""

    async def withdraw(self) -> None:
        """plyer cannot take a notification back; the next one simply follows it."""


def _deliver(backend: object, message: ReminderMessage) -> None:
    if _FREEDESKTOP:
        icon = icon_file(message.exercise)
        path = "" if icon is None else str(icon)
        # plyer's notify-send backend reads `icon`, not the facade's
        # `app_icon`, so the PNG goes under both names, past the facade.
        backend._notify(  # type: ignore[attr-defined]
            title=message.title,
            message=message.body,
            app_name=message.app_name,
            app_icon=path,
            icon=path,
            timeout=0,
            ticker="",
            toast=False,
            hints={},
        )
    else:  # macOS ignores icons: none there
        backend.notify(  # type: ignore[attr-defined]
            title=message.title,
            message=message.body,
            app_name=message.app_name,
            timeout=0,
        )


def _session_bus_reachable() -> bool:
    try:
        session_bus_address()
    except BusUnavailable:
        return False
    return True


async def probe() -> NotifierCheck:
    """`breakd doctor`'s line: the way plyer would notify here, or NotifierError."""
    try:
        notifier = PlyerNotifier()
        notifier.ready()
    except ImportError:
        raise NotifierError("plyer is not installed") from None
    return NotifierCheck(
        f"{notifier.name} without buttons",
        f"plain notifications without buttons, through {notifier.name}",
    )


async def probe_without_plyer() -> NotifierCheck:
    """`probe` without importing plyer: on Linux its backend is notify-send, so that and
    a session bus are what it needs; elsewhere plyer's own backend is trusted."""
    if sys.platform.startswith("linux"):
        if not _session_bus_reachable():
            raise NotifierError("no D-Bus session bus, so no desktop notification can be shown")
        import shutil

        if shutil.which("notify-send") is None:
            raise NotifierError(
                "plyer found no way to notify here (on Linux it needs notify-send, from libnotify-bin)"
            )
        return NotifierCheck(
            "plyer (notify-send) without buttons", "plain notifications through notify-send"
        )
    return NotifierCheck("plyer without buttons", "plyer's plain notifications")


def open_notifier(answer: AnswerHandler, config: Callable[[], Config]) -> PlyerNotifier:
    """plyer's notifications have no buttons to answer and no words from the config."""
    return PlyerNotifier()
