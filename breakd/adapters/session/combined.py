"""Several session sources as one clean stream of changes for the tracker.

Each source reports states (locked, inhibited, asleep). Merged: locked when
any source says locked, inhibited when any says inhibited, asleep when any says
asleep; only changes go out, so two sources seeing one lock give one
ScreenLocked.

A source that is not here is reported and tried again later; one that stops
(its bus hung up, its service left) has its states dropped, which may itself
be a change (a Woke, so the tracker never stays asleep), and is tried again
after `retry_after` seconds. Each failed retry doubles the wait, up to
`max_retry_after`: a missing service costs one name lookup every few minutes,
and a session that starts GNOME after breakd still gets its events.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass

from breakd.adapters.session import (
    Emit,
    SessionEventSource,
    SessionSourceStopped,
    SessionSourceUnavailable,
)
from breakd.adapters.supervise import Backoff, Supervisor, WatchReport, Wording, run_all
from breakd.core.events import (
    InhibitorChanged,
    ScreenLocked,
    ScreenUnlocked,
    SessionEvent,
    Sleeping,
    Woke,
)

log = logging.getLogger(__name__)

RETRY_AFTER = 60.0
MAX_RETRY_AFTER = 900.0

_WORDING = Wording(
    log,
    failed="session events from %s failed",
    stopped="session events from %s stopped: %s; trying again in %g s",
    unavailable="session events: %s is not available: %s",
)

SourceReport = WatchReport
"""How one source is doing, for the log and `breakd doctor`."""


@dataclass
class _Reported:
    """What one source last said; False until it says otherwise."""

    locked: bool = False
    inhibited: bool = False
    asleep: bool = False


class CombinedSessionEvents:
    """Runs session sources as tasks on the loop and merges what they say.

    `run()` returns only when cancelled; cancel it to stop every source and
    close their connections. `emit` is called on the loop, once per change.
    """

    def __init__(
        self,
        sources: Sequence[SessionEventSource],
        emit: Emit,
        *,
        retry_after: float = RETRY_AFTER,
        max_retry_after: float = MAX_RETRY_AFTER,
        sleep: Callable[[float], Awaitable[object]] = asyncio.sleep,
    ) -> None:
        """`sleep` is the wait between retries; tests hand in one that records it."""
        self._sources = list(sources)
        self._emit = emit
        self._supervisor = Supervisor(
            SessionSourceUnavailable,
            SessionSourceStopped,
            Backoff(retry_after, max_retry_after, sleep),
            _WORDING,
        )
        self._said = [_Reported() for _ in self._sources]
        self._merged = _Reported()
        self.reports = [SourceReport(source.name) for source in self._sources]

    @property
    def locked(self) -> bool:
        return self._merged.locked

    @property
    def inhibited(self) -> bool:
        return self._merged.inhibited

    @property
    def asleep(self) -> bool:
        return self._merged.asleep

    async def run(self) -> None:
        if not self._sources:
            log.info("no session-event source on this platform: lock and suspend are not seen")
        await run_all(self._keep_watching(index) for index in range(len(self._sources)))

    async def _keep_watching(self, index: int) -> None:
        source = self._sources[index]
        watch = lambda: source.watch(lambda event: self._take(index, event))  # noqa: E731
        await self._supervisor.keep_watching(
            watch, self.reports[index], lambda: self._forget(index)
        )

    def _take(self, index: int, event: SessionEvent) -> None:
        """One source's report: update what it says, then pass on what changed overall."""
        report = self.reports[index]
        if report.start_watching():
            log.info("session events: watching %s", report.name)
        log.debug("session events: %s says %s", report.name, _describe(event))
        said = self._said[index]
        if isinstance(event, (ScreenLocked, ScreenUnlocked)):
            said.locked = isinstance(event, ScreenLocked)
        elif isinstance(event, InhibitorChanged):
            said.inhibited = event.active
        elif isinstance(event, (Sleeping, Woke)):
            said.asleep = isinstance(event, Sleeping)
        self._publish(event if isinstance(event, Woke) else None)

    def _forget(self, index: int) -> None:
        """A stopped source's states are unknown, and unknown must not silence breakd."""
        self._said[index] = _Reported()
        self._publish(None)

    def _publish(self, woke: Woke | None) -> None:
        said = self._said
        merged = self._merged
        asleep = any(one.asleep for one in said)
        if asleep != merged.asleep:
            merged.asleep = asleep
            self._send(Sleeping() if asleep else (woke or Woke()))
        locked = any(one.locked for one in said)
        if locked != merged.locked:
            merged.locked = locked
            self._send(ScreenLocked() if locked else ScreenUnlocked())
        inhibited = any(one.inhibited for one in said)
        if inhibited != merged.inhibited:
            merged.inhibited = inhibited
            self._send(InhibitorChanged(inhibited))

    def _send(self, event: SessionEvent) -> None:
        try:
            self._emit(event)
        except Exception:  # the receiver's bug must not stop the sources
            log.exception("handling %s failed", event)


def _describe(event: SessionEvent) -> str:
    if isinstance(event, InhibitorChanged):
        return "an idle inhibitor is held" if event.active else "no idle inhibitor any more"
    if isinstance(event, Woke):
        slept = event.slept_seconds
        return "woke up" if slept is None else f"woke up after {slept:.0f} s"
    return {ScreenLocked: "screen locked", ScreenUnlocked: "screen unlocked"}.get(
        type(event), "going to sleep"
    )
