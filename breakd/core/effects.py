"""What the tracker asks the world to do; the daemon performs these."""

from __future__ import annotations

from enum import Enum

from breakd.core.record import record


class State(str, Enum):
    SITTING = "sitting"
    AWAY = "away"
    REMINDING = "reminding"
    SNOOZED = "snoozed"
    PAUSED = "paused"
    OFF_HOURS = "off_hours"
    GUIDING = "guiding"


@record
class ShowReminder:
    """Prompt `exercise`; `repeat` is 0 for the first prompt, 1.. for re-reminders."""

    exercise: str
    repeat: int
    sitting_seconds: float
    held_by: frozenset[str] = frozenset()
    """Non-empty when this prompt was held while the user was busy (the busy reasons)."""


@record
class WithdrawReminder:
    """Take back any reminder on screen: it was answered or no longer applies."""


@record
class StateChanged:
    previous: State
    current: State


@record
class NaturalBreak:
    """The user was away `seconds` long enough for it to count as a break."""

    seconds: float


@record
class Record:
    """An entry for the history, as the tracker saw it happen: `kind` (one of
    `history.KINDS`) at `at` on the tracker's own clock; a span began at `since`.
    `details` are plain JSON values. The daemon's history store stamps wall time."""

    kind: str
    at: float
    since: float | None = None
    details: tuple[tuple[str, object], ...] = ()


TYPE_CHECKING = False
if TYPE_CHECKING:
    # A guide's frames are effects too (guide.GuideFrame), imported only once a guide starts.
    from breakd.core.guide import GuideFrame

    Effect = ShowReminder | WithdrawReminder | StateChanged | NaturalBreak | Record | GuideFrame
else:
    Effect = ShowReminder | WithdrawReminder | StateChanged | NaturalBreak | Record
