"""Reminders written to the log: for headless use, tests, and as the last fallback."""

from __future__ import annotations

import logging

from breakd.core.reminder_text import ReminderMessage

log = logging.getLogger("breakd.reminder")


class LogNotifier:
    name = "log"

    async def show(self, message: ReminderMessage) -> None:
        log.info("REMINDER %s | %s", message.title, message.body.replace("\n", " "))

    async def withdraw(self) -> None:
        log.debug("reminder withdrawn")
