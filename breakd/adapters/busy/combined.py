"""Several busy signals as one stream of `BusyChanged` for the tracker.

Each signal's reading must stay the same for `debounce` seconds before it counts:
a window that flips in and out of full screen, or a DND toggled by mistake, does
not flap the busy state. The first reading after a signal starts counts at once
(it is the state the user is already in). The reasons of every signal that
counts as busy are merged, and only a change of that set goes out.

A signal that is not here is reported and tried again later with a doubling
wait (as the session events are); one that stops counts as free at once, since
unknown must never silence breakd.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field

from breakd.adapters.busy import (
    UNKNOWN,
    BusySignal,
    BusySignalStopped,
    BusySignalUnavailable,
    Reading,
)
from breakd.adapters.supervise import Backoff, Supervisor, WatchReport, Wording, run_all
from breakd.core.events import BusyChanged

log = logging.getLogger(__name__)

DEBOUNCE = 2.0
RETRY_AFTER = 60.0
MAX_RETRY_AFTER = 900.0

_WORDING = Wording(
    log,
    failed="busy signal %s failed",
    stopped="busy signal %s stopped: %s; trying again in %g s",
    unavailable="busy signal %s is not available: %s",
)


@dataclass
class SignalReport(WatchReport):
    """How one signal is doing and what it last said, for the log and `breakd doctor`."""

    reading: Reading = UNKNOWN


@dataclass
class _Debounced:
    raw: Reading = UNKNOWN
    stable: Reading = UNKNOWN
    timer: asyncio.TimerHandle | None = field(default=None, repr=False)

    def cancel(self) -> None:
        if self.timer is not None:
            self.timer.cancel()
            self.timer = None


class CombinedBusySignals:
    """Runs busy signals as tasks on the loop; `emit` gets one BusyChanged per change.

    `run()` returns only when cancelled; cancelling it stops every watcher.
    """

    def __init__(
        self,
        signals: Sequence[BusySignal],
        emit: Callable[[BusyChanged], None],
        *,
        debounce: float = DEBOUNCE,
        retry_after: float = RETRY_AFTER,
        max_retry_after: float = MAX_RETRY_AFTER,
        sleep: Callable[[float], Awaitable[object]] = asyncio.sleep,
    ) -> None:
        self._signals = list(signals)
        self._emit = emit
        self._debounce = debounce
        self._supervisor = Supervisor(
            BusySignalUnavailable,
            BusySignalStopped,
            Backoff(retry_after, max_retry_after, sleep),
            _WORDING,
        )
        self._state = [_Debounced() for _ in self._signals]
        self.reasons: frozenset[str] = frozenset()
        self.reports = [SignalReport(signal.name) for signal in self._signals]

    async def run(self) -> None:
        try:
            await run_all(self._keep_watching(i) for i in range(len(self._signals)))
        finally:
            for state in self._state:
                state.cancel()

    async def _keep_watching(self, index: int) -> None:
        signal = self._signals[index]
        watch = lambda: signal.watch(lambda reading: self._take(index, reading))  # noqa: E731
        await self._supervisor.keep_watching(
            watch, self.reports[index], lambda: self._forget(index)
        )

    def _take(self, index: int, reading: Reading) -> None:
        report = self.reports[index]
        state = self._state[index]
        report.reading = reading
        if report.start_watching():
            log.info("busy signals: watching %s (%s)", report.name, _describe(reading))
            state.cancel()
            state.raw = state.stable = reading
            self._publish()
            return
        if reading == state.raw:
            return
        log.debug("busy signal %s says %s", report.name, _describe(reading))
        state.raw = reading
        state.cancel()
        if reading != state.stable:
            state.timer = asyncio.get_running_loop().call_later(
                self._debounce, self._settled, index
            )

    def _settled(self, index: int) -> None:
        state = self._state[index]
        state.timer = None
        state.stable = state.raw
        self._publish()

    def _forget(self, index: int) -> None:
        state = self._state[index]
        state.cancel()
        state.raw = state.stable = UNKNOWN
        self.reports[index].reading = UNKNOWN
        self._publish()

    def _publish(self) -> None:
        reasons = frozenset(
            reason for state in self._state if state.stable.busy for reason in state.stable.reasons
        )
        if reasons == self.reasons:
            return
        self.reasons = reasons
        log.info("busy: %s", ", ".join(sorted(reasons)) if reasons else "no longer")
        try:
            self._emit(BusyChanged(reasons))
        except Exception:  # the receiver's bug must not stop the watchers
            log.exception("handling the busy change failed")


def _describe(reading: Reading) -> str:
    if reading.busy is None:
        return "unknown"
    if not reading.busy:
        return "free"
    return "busy: " + ", ".join(sorted(reading.reasons))
