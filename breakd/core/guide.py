"""A guided stretch as a pure countdown: get into position, hold, switch sides, hold, end.

The tracker owns one `Guide` while it runs and asks it at each look which frame
is due now; `next_change` says when the next one is (a whole second at most), so
the daemon's one wake-up timer drives the countdown and nothing else ticks. Times
are the tracker's monotonic seconds, handed in: no clock is read here.

Imported when a guide starts, not before: an idle daemon carries none of it.
"""

from __future__ import annotations

import math
from enum import Enum

from breakd.core.record import record

_EPSILON = 1e-6
"""Float slack, so that a wake-up at a second's boundary counts as on it."""


class Phase(str, Enum):
    POSITION = "position"
    SIDE_ONE = "side_one"
    SWITCH = "switch"
    SIDE_TWO = "side_two"
    HOLD = "hold"
    """A stretch done on both sides at once (the prone press-up): one hold."""
    END = "end"


CUES = frozenset({Phase.SWITCH, Phase.END})
"""The frames a sound goes with, where sounds are on: change legs, and done."""


@record
class GuideFrame:
    """What the guide shows now: also the tracker's effect that asks to show it.

    `seconds_left` is the phase's time left in whole seconds (rounded up), `value`
    the share of the phase gone in percent (a progress bar's `value` hint).
    `paused`: walked away, locked or busy; the frame offers to resume or finish.
    """

    exercise: str
    phase: Phase
    seconds_left: int
    value: int
    paused: bool = False


class Guide:
    """One guided stretch, from `start` (monotonic seconds)."""

    def __init__(
        self, exercise: str, each_side: bool, get_ready: float, hold: float, start: float
    ) -> None:
        self.exercise = exercise
        holds = (
            [(Phase.SIDE_ONE, hold), (Phase.SWITCH, get_ready), (Phase.SIDE_TWO, hold)]
            if each_side
            else [(Phase.HOLD, hold)]
        )
        self._phases: list[tuple[Phase, float]] = [(Phase.POSITION, get_ready), *holds]
        self.length = sum(seconds for _, seconds in self._phases)
        self._origin = start  # when the guide's own time was 0; moves on by each pause
        self._paused_at: float | None = None

    @property
    def paused(self) -> bool:
        return self._paused_at is not None

    def pause(self, now: float) -> None:
        if self._paused_at is None:
            self._paused_at = now

    def resume(self, now: float) -> None:
        """Carry on where it stopped: the time spent paused does not count."""
        if self._paused_at is not None:
            self._origin += now - self._paused_at
            self._paused_at = None

    def _elapsed(self, now: float) -> float:
        return (self._paused_at if self._paused_at is not None else now) - self._origin

    def finished(self, now: float) -> bool:
        return not self.paused and self._elapsed(now) >= self.length - _EPSILON

    def frame(self, now: float) -> GuideFrame:
        into = self._elapsed(now)
        for phase, seconds in self._phases:
            if into < seconds - _EPSILON:
                left = max(1, math.ceil(seconds - into - _EPSILON))
                value = round(100 * (seconds - left) / seconds)
                return GuideFrame(self.exercise, phase, left, value, self.paused)
            into -= seconds
        return GuideFrame(self.exercise, Phase.END, 0, 100)

    def next_change(self, now: float) -> float | None:
        """When the shown frame next changes: the next whole second of the guide's own
        time (phases last whole seconds), or None while paused."""
        if self._paused_at is not None:
            return None
        into = self._elapsed(now)
        return self._origin + min(math.floor(into + _EPSILON) + 1, self.length)
