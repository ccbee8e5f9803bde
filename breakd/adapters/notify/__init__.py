"""Notifiers: how a reminder reaches the user. One module per mechanism."""

from __future__ import annotations

from typing import Protocol

from breakd.core.reminder_text import ReminderMessage


class NotifierError(Exception):
    """This reminder could not be delivered; the message says why in one sentence."""


class Notifier(Protocol):
    """Threading contract: called only from the daemon's event loop; may block briefly."""

    name: str

    def show(self, message: ReminderMessage) -> None:
        """Show `message`, replacing any reminder this notifier still has on screen."""
        ...

    def withdraw(self) -> None:
        """Take back the reminder on screen, where the mechanism allows it."""
        ...
