"""Notifiers: how a reminder reaches the user. One module per mechanism."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Literal, NamedTuple, Protocol

from breakd.core.reminder_text import ReminderMessage

TYPE_CHECKING = False
if TYPE_CHECKING:
    from breakd.core.guide_text import GuideMessage

AnswerHandler = Callable[[str], None]
"""Called with the key of the button the user picked (`actions.py`). Notifiers without
buttons never call it."""


ICONS = Path(__file__).parent / "icons"
"""One icon per stretch, drawn as SVG, with a 128 px PNG beside it for servers without SVG."""


def icon_file(exercise: str, kind: Literal["png", "svg"] = "png") -> Path | None:
    """The stretch's icon as an absolute path, or None if it is missing (a reminder goes anyway)."""
    path = ICONS / f"{exercise}.{kind}"
    return path if path.is_file() else None


class NotifierCheck(NamedTuple):
    """What a notifier's probe found: `brief` for the start-up line and doctor's verdict
    ("dunst 1.9.0 with buttons"), `detail` for doctor's row."""

    brief: str
    detail: str


class NotifierError(Exception):
    """This reminder could not be delivered; the message says why in one sentence."""


class Notifier(Protocol):
    """Threading contract: awaited only on the daemon's event loop, one call at a time
    (the daemon serialises deliveries), so implementations need no locking."""

    name: str

    async def show(self, message: ReminderMessage) -> None:
        """Show `message`, replacing any reminder this notifier still has on screen."""
        ...

    async def show_guide(self, message: GuideMessage) -> None:
        """Show a guided stretch's frame in place of ours on screen; a notifier that cannot
        replace a notification shows none (`breakd guide` in a terminal does)."""
        ...

    async def withdraw(self) -> None:
        """Take back the reminder on screen, where the mechanism allows it."""
        ...
