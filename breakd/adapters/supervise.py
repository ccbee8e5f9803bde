"""Keeping watchers running: one task each, tried again with a doubling wait.

Session sources and busy signals follow the same rule: a watcher that is not
here is reported once and tried again less and less often (a missing service
costs one look every few minutes, and one that starts later is still found);
one that ran and stopped, or failed with a bug, is tried again after the first
wait. Each outcome is logged once: a watcher that stops or fails again for the
same reason says so at debug level only, so a bug's traceback is in the log once
rather than at every retry. Which of the two it was is seen here, from whether it reported anything:
watchers keep no such flag. Whatever the watcher said is forgotten before
waiting, since unknown must never silence breakd. Each kind keeps its own logger
and words (`Wording`), so the log reads the same whichever watcher it is about.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from typing import Literal, TypeVar

from breakd.adapters.watcher import Watcher, WatcherUnavailable
from breakd.core.record import record

Said = TypeVar("Said")
WatchState = Literal["starting", "watching", "unavailable", "stopped"]


@dataclass
class WatchReport:
    """How one watcher is doing, for the log and `breakd doctor`."""

    name: str
    state: WatchState = "starting"
    reason: str = ""
    reading: str = ""
    """What it said first since it last started watching, in a few words ("free"), if
    its kind says it that way."""
    late: bool = False
    """It started watching after its first try failed or stopped: the daemon's start-up
    summary did not name it, so the log says so on its own."""

    def start_watching(self) -> bool:
        """Mark it watching; True the first time since it (re)started, to say so once."""
        if self.state == "watching":
            return False
        self.late = self.state != "starting"
        self.state, self.reason = "watching", ""
        return True


@record
class Backoff:
    """The wait before trying again: `first`, doubled after each miss up to `most`."""

    first: float
    most: float
    sleep: Callable[[float], Awaitable[object]] = asyncio.sleep


@record
class Wording:
    """One kind's log lines; each gets the watcher's name, then the reason and wait
    (`watching`: then " (what it reads)" or nothing).

    `nothing` is said once when there is no watcher of the kind on this platform. What
    each watcher does at its first try is said at debug level only: the daemon's
    start-up summary names them all in one line.
    """

    log: logging.Logger
    failed: str
    stopped: str
    unavailable: str
    watching: str
    nothing: str | None = None


@record
class Supervisor:
    """The policy for one kind of watcher: the back-off and the log words."""

    backoff: Backoff
    wording: Wording

    async def keep_watching(
        self,
        watcher: Watcher[Said],
        take: Callable[[Said, bool], None],
        report: WatchReport,
        forget: Callable[[], None],
    ) -> None:
        """Run `watcher.watch` again and again until cancelled, keeping `report` up to date.

        `take` gets what the watcher reports, and True with the first report of each
        run. A run that reported something and then ended (WatcherUnavailable, a
        return, a bug) "stopped"; one that ended before reporting anything is
        "unavailable". The report keeps the last outcome until the next try says
        otherwise, and an unavailable watcher is logged at info level only when its
        reason changes. `forget` drops what the watcher said, before each wait.
        """
        backoff, wording = self.backoff, self.wording
        delay = backoff.first
        last_end = ""  # why the last run that got going ended, to say a repeat quietly

        def said(value: Said) -> None:
            take(value, report.start_watching())

        while True:
            try:
                await watcher.watch(said)
                reason, ran = "it stopped", True
            except WatcherUnavailable as error:
                reason, ran = str(error), report.state == "watching"
            except asyncio.CancelledError:
                raise
            except Exception as error:  # one watcher's bug must not end the others
                reason, ran = f"it failed ({type(error).__name__}: {error})", True
                if reason != last_end:
                    wording.log.exception(wording.failed, report.name)
            forget()
            if ran:
                delay = backoff.first
                level = logging.WARNING if reason != last_end else logging.DEBUG
                wording.log.log(level, wording.stopped, report.name, reason, delay)
                report.state = "stopped"
                last_end = reason
            else:
                first_try = report.state == "starting"
                level = logging.INFO if report.reason != reason and not first_try else logging.DEBUG
                wording.log.log(level, wording.unavailable, report.name, reason)
                report.state = "unavailable"
            report.reason = reason
            await backoff.sleep(delay)
            if not ran:
                delay = min(delay * 2, max(backoff.first, backoff.most))


async def run_all(jobs: Iterable[Awaitable[None]]) -> None:
    """Run every job as a task; return only when cancelled, cancelling and awaiting them all.

    With no jobs it waits to be cancelled all the same, so the caller's task
    looks alike whatever the platform offers.
    """
    tasks = [asyncio.ensure_future(job) for job in jobs]
    try:
        await asyncio.gather(*tasks)  # the jobs never end, except by cancelling
        await asyncio.Event().wait()
    finally:
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
