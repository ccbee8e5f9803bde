"""What can happen to the tracker: samples of the world and the user's commands.

Each command event names its entry in `commands.COMMANDS` (its `command`), so the
tracker speaks of a command as the CLI does.
"""

from __future__ import annotations

from typing import ClassVar

from breakd.core import commands
from breakd.core.record import record
from breakd.core.words import WORDS, Words


@record
class IdleSampled:
    """A fresh idle reading; None means no idle source, so the user counts as present."""

    idle_seconds: float | None


@record
class IdleSampleLate:
    """The idle source has not answered in time: nothing new is known of the user's
    input, but the schedule moves on (its reading follows as IdleSampled)."""


@record
class Done:
    """The user did the stretch."""

    command: ClassVar[str] = commands.DONE


@record
class Skip:
    """The user let this one go; sitting restarts but nothing counts as done."""

    command: ClassVar[str] = commands.SKIP


@record
class Snooze:
    command: ClassVar[str] = commands.SNOOZE

    seconds: float | None = None


@record
class Pause:
    """Pause for `seconds`, or until resumed when None."""

    command: ClassVar[str] = commands.PAUSE

    seconds: float | None = None


@record
class Resume:
    command: ClassVar[str] = commands.RESUME


@record
class RemindNow:
    command: ClassVar[str] = commands.REMIND_NOW


@record
class StartGuide:
    """Guide the user through `exercise` (None: the one due); over a paused guide, resume it."""

    command: ClassVar[str] = commands.GUIDE

    exercise: str | None = None


@record
class CancelGuide:
    """Stop the guide: nothing counts, and a reminder it came from is back to answer."""

    command: ClassVar[str] = commands.CANCEL


@record
class ScreenLocked:
    """From the lock onwards nothing counts as input; locked long enough is a break."""


@record
class ScreenUnlocked:
    """Unlocking is input: the user is back."""


@record
class Sleeping:
    """The machine is about to suspend."""


@record
class Woke:
    """The machine resumed.

    `slept_seconds` is given when the daemon measured the suspend itself (its
    clocks jumped with no signal); None means "since the Sleeping event".
    """

    slept_seconds: float | None = None


@record
class InhibitorChanged:
    """An idle inhibitor (a video player, a call) is held or released."""

    active: bool


@record
class BusyChanged:
    """Why the user must not be interrupted now, e.g. {"dnd:dunst", "camera:zoom"}; empty = free."""

    reasons: frozenset[str]


@record
class ReminderOpened:
    """A click on the reminder's body, or its Start action: guide the stretch on screen;
    on a paused guide's offer, resume it.

    Not a command: it applies only to what is on screen (a late click on an answered
    reminder starts nothing), and nothing counts until the guide ends.
    """


SessionEvent = ScreenLocked | ScreenUnlocked | Sleeping | Woke | InhibitorChanged | BusyChanged
Command = Done | Skip | Snooze | Pause | Resume | RemindNow | StartGuide | CancelGuide
Event = IdleSampled | IdleSampleLate | SessionEvent | Command | ReminderOpened


class EventRejected(ValueError):
    """A command that does not apply in the current state.

    `text` names the `Words` text that says why, so the daemon can say it in the
    user's language; `fields` fill its placeholders. `str()` gives the English, for logs.
    """

    def __init__(self, text: str, **fields: str) -> None:
        self.text = text
        self.fields = fields
        super().__init__(self.say(WORDS["en"]))

    def say(self, words: type[Words]) -> str:
        return str(getattr(words, self.text)).format(**self.fields)
