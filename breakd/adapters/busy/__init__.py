"""Busy signals: why the user must not be interrupted now, one watcher per mechanism.

Each is a watcher (`adapters/watcher.py`) that reports readings (busy, free or
unknown, with reason strings such as "dnd:dunst" or "fullscreen:firefox");
`combined.py` debounces each signal and hands the tracker one `BusyChanged` per
change of the union of reasons.
"""

from __future__ import annotations

from collections.abc import Callable

from breakd.adapters.watcher import Watcher
from breakd.core.record import record


@record
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

BusySignal = Watcher[Reading]
