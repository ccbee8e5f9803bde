"""Several busy signals as one stream of `BusyChanged` for the tracker.

Each signal's reading must stay the same for `debounce` seconds before it counts:
a window that flips in and out of full screen, or a DND toggled by mistake, does
not flap the busy state. The first reading after a signal starts counts at once
(it is the state the user is already in), and a reading that repeats the last is
no news. The reasons of every signal that counts as busy are merged, and only a
change of that set goes out.

The signals run under the one combiner (`adapters/combined.py`), tried again
later when not here, as the session sources are; one that stops counts as free
at once, since unknown must never silence breakd.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from breakd.adapters.busy import UNKNOWN, BusySignal, Reading
from breakd.adapters.combined import RETRY, Combined
from breakd.adapters.supervise import Backoff, Wording
from breakd.core.events import BusyChanged

log = logging.getLogger(__name__)

DEBOUNCE = 2.0

_WORDING = Wording(
    log,
    failed="busy signal %s failed",
    stopped="busy signal %s stopped: %s; trying again in %g s",
    unavailable="busy signal %s is not available: %s",
    watching="busy signals: watching %s%s",
)


@dataclass
class _Debounced:
    raw: Reading = UNKNOWN
    stable: Reading = UNKNOWN
    timer: asyncio.TimerHandle | None = field(default=None, repr=False)

    def cancel(self) -> None:
        if self.timer is not None:
            self.timer.cancel()
            self.timer = None


class BusyMerge:
    """The busy merge rule: each signal debounced, then the union of their reasons."""

    wording = _WORDING

    def __init__(self, emit: Callable[[BusyChanged], None], debounce: float = DEBOUNCE) -> None:
        self._emit = emit
        self._debounce = debounce
        self._state: dict[int, _Debounced] = {}
        self.reasons: frozenset[str] = frozenset()

    def take(self, index: int, name: str, reading: Reading, first: bool) -> None:
        state = self._state.setdefault(index, _Debounced())
        if first:
            state.cancel()
            state.raw = state.stable = reading
            self._publish()
            return
        if reading == state.raw:
            return
        log.debug("busy signal %s says %s", name, _describe(reading))
        state.raw = reading
        state.cancel()
        if reading != state.stable:
            state.timer = asyncio.get_running_loop().call_later(
                self._debounce, self._settled, state
            )

    def describe(self, said: Reading) -> str:
        return _describe(said)

    def forget(self, index: int) -> None:
        state = self._state.pop(index, None)
        if state is not None:
            state.cancel()
        self._publish()

    def close(self) -> None:
        for state in self._state.values():
            state.cancel()

    def _settled(self, state: _Debounced) -> None:
        state.timer = None
        state.stable = state.raw
        self._publish()

    def _publish(self) -> None:
        reasons = frozenset(
            reason
            for state in self._state.values()
            if state.stable.busy
            for reason in state.stable.reasons
        )
        if reasons == self.reasons:
            return
        self.reasons = reasons
        log.info("busy: %s", ", ".join(sorted(reasons)) if reasons else "no longer")
        try:
            self._emit(BusyChanged(reasons))
        except Exception:  # the receiver's bug must not stop the watchers
            log.exception("handling the busy change failed")


class CombinedBusySignals(Combined[Reading]):
    """The busy signals under the one combiner, merged by `BusyMerge`; `emit` gets one
    BusyChanged per change, on the loop."""

    rule: BusyMerge

    def __init__(
        self,
        signals: Sequence[BusySignal],
        emit: Callable[[BusyChanged], None],
        *,
        debounce: float = DEBOUNCE,
        retry: Backoff = RETRY,
    ) -> None:
        super().__init__(signals, BusyMerge(emit, debounce), retry)


def _describe(reading: Reading) -> str:
    if reading.busy is None:
        return "unknown"
    if not reading.busy:
        return "free"
    return "busy: " + ", ".join(sorted(reading.reasons))
