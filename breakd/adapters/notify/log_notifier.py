"""Reminders written to the log: for headless use, tests, and as the last fallback."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from breakd.adapters.notify import AnswerHandler, NotifierCheck
from breakd.core.reminder_text import ReminderMessage

if TYPE_CHECKING:
    from breakd.config.model import Config
    from breakd.core.guide_text import GuideMessage

log = logging.getLogger("breakd.reminder")


class LogNotifier:
    name = "log"

    async def show(self, message: ReminderMessage) -> None:
        log.info("REMINDER %s | %s", message.title, message.body.replace("\n", " "))

    async def show_guide(self, message: GuideMessage) -> None:
        """A countdown each second is no use in a log: `breakd guide` in a terminal shows it."""
        log.debug("guide frame: %s", message.title)

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
