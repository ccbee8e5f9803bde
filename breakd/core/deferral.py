"""Holding a due reminder while the user must not be interrupted, then delivering it once.

Peers either skip the break or reset their timers when the user is in a call, a
full-screen presentation or do-not-disturb. breakd keeps counting sitting time,
keeps at most one prompt pending, and sends it once the user has been free for
`settle`, saying how long they have now been seated.
"""

from __future__ import annotations

from enum import Enum
from typing import Literal

from breakd.core.record import record

MaxDeferralPolicy = Literal["deliver", "keep_waiting", "drop"]


@record
class DontInterruptSettings:
    enabled: bool = True
    settle: float = 45.0
    max_deferral: float = 90 * 60.0
    on_max_deferral: MaxDeferralPolicy = "deliver"


@record
class Pending:
    since: float
    reasons: frozenset[str]


class Verdict(Enum):
    DELIVER = "deliver"
    HOLD = "hold"
    DROP = "drop"


class Deferral:
    """The busy state and the one pending prompt. Pure: times are handed in."""

    def __init__(self, settings: DontInterruptSettings) -> None:
        self.settings = settings
        self._reasons: frozenset[str] = frozenset()
        self._free_since: float | None = None
        self.pending: Pending | None = None

    @property
    def busy(self) -> bool:
        return self.settings.enabled and bool(self._reasons)

    @property
    def reasons(self) -> frozenset[str]:
        return self._reasons

    def set_busy(self, reasons: frozenset[str], now: float) -> None:
        was_busy = bool(self._reasons)
        self._reasons = reasons
        if reasons:
            self._free_since = None
            if self.pending is not None:
                self.pending = Pending(self.pending.since, self.pending.reasons | reasons)
        elif was_busy:
            self._free_since = now

    def decide(self, now: float) -> Verdict:
        """What to do with a reminder that is due now (and a user who is present)."""
        if self.busy:
            if self.pending is None:
                self.pending = Pending(now, self._reasons)
            if now - self.pending.since < self.settings.max_deferral:
                return Verdict.HOLD
            policy = self.settings.on_max_deferral
            return {"deliver": Verdict.DELIVER, "drop": Verdict.DROP}.get(policy, Verdict.HOLD)
        if self.pending is None:
            return Verdict.DELIVER
        settled = self._free_since is None or now - self._free_since >= self.settings.settle
        return Verdict.DELIVER if settled else Verdict.HOLD

    def clear(self) -> None:
        self.pending = None

    def next_change(self) -> float | None:
        """When a held prompt may become deliverable without any new event."""
        if self.pending is None:
            return None
        if not self.busy:
            return None if self._free_since is None else self._free_since + self.settings.settle
        if self.settings.on_max_deferral == "keep_waiting":
            return None
        return self.pending.since + self.settings.max_deferral
