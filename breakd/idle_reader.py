"""The daemon's idle source: looked for, sampled, watched and closed without the loop
ever waiting on it.

An idle source talks to another process (an X server, a bus service) and may hang
with it. So every call to it, and every look for one, is made through `Calls`: in
the daemon, one worker thread (`adapters/worker.py`). The loop waits for a reading
`SAMPLE_WAIT` at most; a command or a wake-up that gets none in time goes on with
what the tracker knows (`LATE`), and the reading is taken when it comes. A call that
hangs ends at the source's own deadline (1 s on D-Bus, 2 s on X11) with
IdleSourceUnavailable: the source is dropped like any that stopped working, the user
counts as present, and a source is looked for again once a minute.
"""

from __future__ import annotations

import asyncio
import contextlib
import enum
import functools
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from breakd.adapters.idle import IdleSource, IdleSourceUnavailable
from breakd.adapters.worker import Calls, current_worker
from breakd.repeated_log import RepeatedLog

log = logging.getLogger("breakd")

SAMPLE_WAIT = 0.2
"""Seconds a command or a wake-up waits for a reading. A working source answers in
well under a millisecond; `breakd status` must answer within half a second."""
START_WAIT = 5.0
"""Seconds the start waits for the first look for a source (a few deadlines' worth)
before it serves without one; the look goes on meanwhile."""
RETRY_SECONDS = 60.0
"""How often a source is looked for while there is none."""


class NoReading(enum.Enum):
    LATE = "late"


LATE = NoReading.LATE
"""The source has not answered in time: nothing new is known of the user's input."""

Reading = float | None | NoReading
"""Seconds idle; None when there is no source (the user counts as present); or LATE."""


@dataclass(eq=False)
class _Call:
    """One call on its way, and whether anyone still waits for it."""

    future: asyncio.Future[Any]
    source: IdleSource | None
    late: bool = False


class IdleReader:
    """The source, if any, and its calls in flight. Used from the loop only."""

    def __init__(
        self,
        find: Callable[[], tuple[IdleSource | None, str]],
        calls: Calls,
        monotonic: Callable[[], float],
        on_late: Callable[[float | None], None],
        on_watch: Callable[[], None],
    ) -> None:
        """`on_late` gets a reading that came after its wait, or None once the source
        failed meanwhile; `on_watch` hears that `watching` changed."""
        self._find = find
        self._calls = calls
        self._monotonic = monotonic
        self._on_late = on_late
        self._on_watch = on_watch
        self._source: IdleSource | None = None
        self._retry_at = 0.0
        self._closed = False
        self._searching: _Call | None = None
        self._sampling: _Call | None = None
        self._watch_call: _Call | None = None
        self._watch_wanted = False
        self._watching = False
        self._on_input: Callable[[], None] = _nothing
        self._stopped = RepeatedLog(log, monotonic)

    @property
    def name(self) -> str | None:
        return None if self._source is None else self._source.name

    @property
    def watching(self) -> bool:
        """The source will report the user's next input by itself."""
        return self._watching

    # -- looking for a source -------------------------------------------------------

    async def open(self) -> None:
        """At start: look for a source, saying why there is none."""
        await self._search(START_WAIT, first=True)

    async def _search(self, wait: float, first: bool = False) -> None:
        call = self._searching
        if call is None:
            self._retry_at = self._monotonic() + RETRY_SECONDS
            call = self._searching = _Call(self._calls.call(self._find), None)
            _when_done(call, lambda: self._found(call, first))
        await _in_time(call, wait)

    def _found(self, call: _Call, first: bool) -> None:
        self._searching = None
        try:
            source, reason = call.future.result()
        except Exception:
            log.exception("looking for an idle source failed")
            return
        if source is None:
            if first:  # the start-up summary says so; here, why
                log.debug("no idle source (%s)", reason)
            return
        if self._closed:
            _quietly(self._calls.call(source.close))
            return
        self._source = source
        # At start the summary names it; one that turns up later gets a line of its own.
        log.log(logging.DEBUG if first else logging.INFO, "idle source: %s", reason)
        self._reconcile()

    # -- samples --------------------------------------------------------------------

    async def sample(self) -> Reading:
        """A fresh reading, waited for `SAMPLE_WAIT` at most.

        Raises what the source raises other than IdleSourceUnavailable (a bug).
        """
        if self._source is None:
            if self._closed or self._monotonic() < self._retry_at:
                return None
            await self._search(SAMPLE_WAIT)
        source = self._source
        if source is None:
            return None
        call = self._sampling
        if call is None or call.source is not source:
            call = self._sampling = _Call(self._calls.call(source.idle_seconds), source)
            _when_done(call, lambda: self._sampled(call))
        if not await _in_time(call, SAMPLE_WAIT):
            return LATE
        return self._reading(call)

    def _reading(self, call: _Call) -> float | None:
        try:
            return float(call.future.result())
        except IdleSourceUnavailable as error:
            assert call.source is not None
            self._drop(call.source, error)
            return None

    def _sampled(self, call: _Call) -> None:
        if self._sampling is call:
            self._sampling = None
        if not call.late:
            return  # its waiter takes it
        try:
            reading = self._reading(call)
        except Exception:
            log.exception("the idle source %s failed", call.source and call.source.name)
            return
        self._on_late(reading)

    def _drop(self, source: IdleSource, error: Exception) -> None:
        """A source that failed: closed; another is looked for at the next sample once a
        minute has passed since the last look."""
        if self._source is not source:
            return  # dropped already
        self._stopped.warning("idle source %s stopped working (%s)", source.name, error)
        self._source = None
        self._watch_call = None
        was_watching, self._watching = self._watching, False
        _quietly(self._calls.call(source.close))
        if was_watching:
            self._on_watch()

    # -- watching for the user's return -----------------------------------------------

    def want_watch(self, wanted: bool, on_input: Callable[[], None]) -> None:
        """Have the source report the user's next input to `on_input` (on the loop), or not.

        `watching` says when it does: arming takes a round trip, and the source may
        refuse.
        """
        self._watch_wanted = wanted
        self._on_input = on_input
        self._reconcile()

    def _reconcile(self) -> None:
        """One watch call at a time, until the source does what is wanted."""
        source = self._source
        if source is None or self._watch_call is not None:
            return
        if self._watch_wanted and not self._watching:
            arm = functools.partial(source.watch_for_input, self._input_came_from(source))
            call = self._watch_call = _Call(self._calls.call(arm), source)
            _when_done(call, lambda: self._armed(call))
        elif not self._watch_wanted and self._watching:
            self._watching = False
            call = self._watch_call = _Call(self._calls.call(source.stop_watching), source)
            _when_done(call, lambda: self._watch_ended(call))

    def _armed(self, call: _Call) -> None:
        if self._watch_call is call:
            self._watch_call = None
        try:
            armed = bool(call.future.result())
        except Exception:
            log.exception("the idle source %s failed to watch for input", self.name)
            armed = False
        if call.source is not self._source:
            self._reconcile()  # a new source: watch there
        elif armed:
            self._watching = True
            self._on_watch()
            self._reconcile()  # no longer wanted meanwhile: stop
        # refused: tried again at the next change, as the source may have changed its mind

    def _watch_ended(self, call: _Call) -> None:
        if self._watch_call is call:
            self._watch_call = None
        with contextlib.suppress(Exception):
            call.future.result()  # a source that cannot stop watching has no more to say
        self._reconcile()

    def _input_came_from(self, source: IdleSource) -> Callable[[], None]:
        """What the source calls at the input: from the worker, it hands over to the loop."""
        loop = asyncio.get_running_loop()

        def came() -> None:
            if current_worker() is None:
                self._input_came(source)
            else:
                with contextlib.suppress(RuntimeError):  # the loop has closed
                    loop.call_soon_threadsafe(self._input_came, source)

        return came

    def _input_came(self, source: IdleSource) -> None:
        if source is self._source and self._watching:
            self._watching = False  # a watch goes off once
            self._on_input()

    # -- the end ---------------------------------------------------------------------------

    async def close(self) -> None:
        """Close the source, waiting for that `SAMPLE_WAIT` at most, then the worker."""
        self._closed = True
        source, self._source = self._source, None
        if source is not None:
            call = _Call(_quietly(self._calls.call(source.close)), source)
            await _in_time(call, SAMPLE_WAIT)
        self._calls.close()


async def _in_time(call: _Call, wait: float) -> bool:
    """Whether `call` is done within `wait`; one already late is not waited for again."""
    if call.future.done():
        return True
    if call.late:
        return False
    await asyncio.wait({call.future}, timeout=wait)
    if call.future.done():
        return True
    call.late = True
    return False


def _when_done(call: _Call, then: Callable[[], None]) -> None:
    """`then` as soon as the call is done: at once for a call made on the loop, so that
    a source that never waits is read exactly as it would be directly."""
    if call.future.done():
        then()
    else:
        call.future.add_done_callback(lambda _: then())


def _quietly(future: asyncio.Future[Any]) -> asyncio.Future[Any]:
    """A call whose outcome nobody needs: its failure is only logged for debugging."""

    def retrieve(done: asyncio.Future[Any]) -> None:
        if not done.cancelled() and done.exception() is not None:
            log.debug("idle source call failed: %s", done.exception())

    future.add_done_callback(retrieve)
    return future


def _nothing() -> None:
    pass
