"""Busy signals: why the user must not be interrupted now, one watcher per mechanism.

Each watcher reports readings (busy, free or unknown, with reason strings such as
"dnd:dunst" or "fullscreen:firefox"); `combined.py` debounces each signal and
hands the tracker one `BusyChanged` per change of the union of reasons.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class Reading:
    """What one signal says now. `busy` None: unknown here, which never holds a reminder."""

    busy: bool | None
    reasons: frozenset[str] = frozenset()

    @classmethod
    def of(cls, reasons: frozenset[str] | set[str]) -> Reading:
        """Busy exactly when there is a reason."""
        return cls(bool(reasons), frozenset(reasons))


FREE = Reading(False)
UNKNOWN = Reading(None)

Report = Callable[[Reading], None]


class BusySignalUnavailable(Exception):
    """This mechanism is not here; the message says why in one sentence."""


class BusySignalStopped(Exception):
    """The mechanism worked and then went away (its bus hung up, its server left)."""


class BusySignal(Protocol):
    """Threading contract: `watch` runs as a task on the daemon's asyncio loop and calls
    `report` from that loop only, first with the state it reads at start, then on every
    change. It raises BusySignalUnavailable before reporting anything if the mechanism
    is missing, and BusySignalStopped (or returns) when it goes away. Event-driven
    wherever the desktop signals a change; a watcher that must poll says so in its name's
    docs. Dependencies are imported when it starts, not when it is created.
    """

    name: str

    async def probe(self) -> str:
        """One sentence on what would be watched and what it says now, without watching;
        raises BusySignalUnavailable with the reason."""
        ...

    async def watch(self, report: Report) -> None: ...
