"""Deliver through the first notifier that works, so a reminder is never lost."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from breakd.adapters.notify import Notifier, NotifierError
from breakd.core.reminder_text import ReminderMessage

TYPE_CHECKING = False
if TYPE_CHECKING:
    from breakd.core.guide_text import GuideMessage

log = logging.getLogger(__name__)


class FallbackNotifier:
    """Tries each notifier in order for every reminder; the last one must not fail.

    Every reminder starts again from the first, so a notification server that
    comes back is used again without a restart. A change of route is logged once.
    """

    def __init__(self, notifiers: Sequence[Notifier]) -> None:
        self._notifiers = list(notifiers)
        self._current = self._notifiers[0]

    @property
    def name(self) -> str:
        return self._current.name

    def start_from(self, name: str) -> None:
        """Take the notifier called `name` as the one in use: the start-up check found
        those before it not working and said so, so their failing at the first reminder
        is no news (and `breakd status` names the one that works)."""
        for notifier in self._notifiers:
            if notifier.name == name:
                self._current = notifier

    async def show(self, message: ReminderMessage) -> None:
        for notifier in self._notifiers:
            try:
                await notifier.show(message)
            except NotifierError as error:
                # A warning when the one in use stops working; one already passed over
                # (no bus, say: the start-up summary said so) fails at debug level.
                level = logging.WARNING if notifier is self._current else logging.DEBUG
                log.log(level, "%s; falling back", error)
                continue
            if notifier is not self._current:
                log.info("reminders now go through %s", notifier.name)
                self._current = notifier
            return
        raise NotifierError("no notifier could deliver the reminder")

    async def show_guide(self, message: GuideMessage) -> None:
        """The frames go where the reminders went: a guide is not worth a route change."""
        await self._current.show_guide(message)

    async def withdraw(self) -> None:
        """Ask every notifier: an earlier reminder may still be up where a later one failed."""
        for notifier in self._notifiers:
            try:
                await notifier.withdraw()
            except NotifierError as error:
                log.warning("%s", error)
