"""Reminders written to the log: for headless use, tests, and as the last fallback."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from breakd.adapters.notify import AnswerHandler, NotifierCheck
from breakd.core.reminder_text import ReminderMessage

if TYPE_CHECKING:
    from breakd.config.model import Config

log = logging.getLogger("breakd.reminder")


class LogNotifier:
    name = "log"

    async def show(self, message: ReminderMessage) -> None:
        log.info("REMINDER %s | %s", message.title, message.body.replace("\n", " "))

    async def withdraw(self) -> None:
        log.debug("reminder withdrawn")


async def probe() -> NotifierCheck:
    """The log always works, but nobody sees it unless they look."""
    return NotifierCheck(
        "the daemon's log only", "reminders written to the daemon's log, as a REMINDER line"
    )


def open_notifier(answer: AnswerHandler, config: Callable[[], Config]) -> LogNotifier:
    """The log has no buttons to answer."""
    return LogNotifier()
