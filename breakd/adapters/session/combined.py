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
import contextlib
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Literal

from breakd.adapters.session import (
    Emit,
    SessionEventSource,
    SessionSourceStopped,
    SessionSourceUnavailable,
)
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

SourceState = Literal["starting", "watching", "unavailable", "stopped"]


@dataclass
class SourceReport:
    """How one source is doing, for the log and `breakd doctor`."""

    name: str
    state: SourceState = "starting"
    reason: str = ""


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
        self._sleep = sleep
        self._emit = emit
        self._retry_after = retry_after
        self._max_retry_after = max(retry_after, max_retry_after)
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
        tasks = [
            asyncio.ensure_future(self._keep_watching(index)) for index in range(len(self._sources))
        ]
        try:
            await asyncio.gather(*tasks)  # the tasks never end, except by cancelling
            await asyncio.Event().wait()  # with no sources: wait to be cancelled all the same
        finally:
            for task in tasks:
                task.cancel()
            for task in tasks:
                with contextlib.suppress(asyncio.CancelledError):
                    await task

    async def _keep_watching(self, index: int) -> None:
        source = self._sources[index]
        report = self.reports[index]
        delay = self._retry_after
        while True:  # the report keeps the last outcome until this try says otherwise
            try:
                await source.watch(lambda event: self._take(index, event))
                reason, ran = "it stopped", True
            except SessionSourceUnavailable as error:
                reason, ran = str(error), report.state == "watching"
            except SessionSourceStopped as error:
                reason, ran = str(error), True
            except asyncio.CancelledError:
                raise
            except Exception as error:  # a source's bug must not end the others
                log.exception("session events from %s failed", source.name)
                reason, ran = f"it failed ({type(error).__name__}: {error})", True
            self._forget(index)
            if ran:
                delay = self._retry_after
                log.warning(
                    "session events from %s stopped: %s; trying again in %s",
                    source.name,
                    reason,
                    _seconds(delay),
                )
                report.state = "stopped"
            else:
                level = logging.INFO if report.reason != reason else logging.DEBUG
                log.log(level, "session events: %s is not available: %s", source.name, reason)
                report.state = "unavailable"
            report.reason = reason
            await self._sleep(delay)
            if not ran:
                delay = min(delay * 2, self._max_retry_after)

    def _take(self, index: int, event: SessionEvent) -> None:
        """One source's report: update what it says, then pass on what changed overall."""
        report = self.reports[index]
        if report.state != "watching":
            report.state, report.reason = "watching", ""
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


def _seconds(delay: float) -> str:
    return f"{delay:g} s"
