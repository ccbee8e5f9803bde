"""Notifiers: how a reminder reaches the user. One module per mechanism."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from breakd.core.reminder_text import ReminderMessage

AnswerHandler = Callable[[str], None]
"""Called with the key of the button the user picked: "snooze:<seconds>", "done",
"skip", or "default" (a click on the body). Notifiers without buttons never call it."""


class NotifierError(Exception):
    """This reminder could not be delivered; the message says why in one sentence."""


class Notifier(Protocol):
    """Threading contract: awaited only on the daemon's event loop, one call at a time
    (the daemon serialises deliveries), so implementations need no locking."""

    name: str

    async def show(self, message: ReminderMessage) -> None:
        """Show `message`, replacing any reminder this notifier still has on screen."""
        ...

    async def withdraw(self) -> None:
        """Take back the reminder on screen, where the mechanism allows it."""
        ...
