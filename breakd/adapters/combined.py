"""Watchers of one kind as one stream for the daemon: each kept running, their reports merged.

The combiner is the same for every kind: one task per watcher under the
supervisor (`supervise.py`), and every report handed to the kind's merge rule,
which alone knows what the watchers' words mean together and what goes out:
session states merged into changes (`session/combined.py`), busy readings
debounced into one set of reasons (`busy/combined.py`).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from functools import partial
from typing import Generic, Protocol, TypeVar

from breakd.adapters.supervise import Backoff, Supervisor, WatchReport, Wording, run_all
from breakd.adapters.watcher import Watcher

Said = TypeVar("Said")
Taken = TypeVar("Taken", contravariant=True)

RETRY = Backoff(first=60.0, most=900.0)
"""A watcher that is not here is tried again after a minute, then less often, up to 15 min."""


class MergeRule(Protocol[Taken]):
    """What one kind's reports mean together. Called on the loop only."""

    wording: Wording

    def take(self, index: int, name: str, said: Taken, first: bool) -> None:
        """Watcher `index` (called `name`) reports `said`; `first` for the first report
        since it (re)started."""
        ...

    def describe(self, said: Taken) -> str:
        """A report in a few words for the log ("free", "busy: dnd:dunst"), or ""."""
        ...

    def forget(self, index: int) -> None:
        """Watcher `index` ended: what it said is unknown now."""
        ...

    def close(self) -> None:
        """The stream is over: drop any timer."""
        ...


class Combined(Generic[Said]):
    """Runs watchers as tasks on the loop and hands what they report to `rule`.

    `run()` returns only when cancelled; cancel it to stop every watcher and close
    their connections. `reports` say how each watcher is doing.
    """

    def __init__(
        self,
        watchers: Sequence[Watcher[Said]],
        rule: MergeRule[Said],
        retry: Backoff = RETRY,
    ) -> None:
        """Tests hand in a `retry` whose sleep records the waits."""
        self.watchers = list(watchers)
        self.rule = rule
        self.reports = [WatchReport(watcher.name) for watcher in self.watchers]
        self._supervisor = Supervisor(retry, rule.wording)

    async def run(self) -> None:
        wording = self.rule.wording
        if not self.watchers and wording.nothing is not None:
            wording.log.info(wording.nothing)
        try:
            await run_all(
                self._supervisor.keep_watching(
                    watcher,
                    partial(self._take, index, report),
                    report,
                    partial(self.rule.forget, index),
                )
                for index, (watcher, report) in enumerate(
                    zip(self.watchers, self.reports, strict=True)
                )
            )
        finally:
            self.rule.close()

    def _take(self, index: int, report: WatchReport, said: Said, first: bool) -> None:
        if first:
            report.reading = self.rule.describe(said)
            wording = self.rule.wording
            suffix = f" ({report.reading})" if report.reading else ""
            level = logging.INFO if report.late else logging.DEBUG
            wording.log.log(level, wording.watching, report.name, suffix)
        self.rule.take(index, report.name, said, first)
