"""Threads for the calls that wait on another process, so that the loop never does.

The idle sources talk to an X server or a bus service over blocking connections,
each exchange with a deadline of a second or two. On the loop such a wait would hold
every command up while a peer hangs; here it holds only the next call to the same
source. One thread, started at the first call and then kept, makes the calls one at a
time in order: a source is never called from two threads at once, and the idle daemon
pays for one sleeping thread rather than a new thread per sample. It is a daemon
thread, so a call that never returns cannot hold the exit up. A rare call (a
connection's set-up, a helper program) gets a thread of its own instead
(`in_own_thread`), gone once it returns.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import logging
import threading
from collections.abc import Callable
from typing import Protocol, TypeVar

T = TypeVar("T")
log = logging.getLogger(__name__)


class Calls(Protocol):
    """Where blocking calls are made for the loop: a `Worker`, or in tests the loop itself."""

    def call(self, function: Callable[[], T]) -> asyncio.Future[T]:
        """Run `function`; its outcome as a future of the running loop."""
        ...

    def close(self) -> None: ...


class Worker:
    """The thread and its queue of calls; each call's outcome comes back to the loop."""

    def __init__(self, name: str) -> None:
        self._name = name
        # A deque and a count rather than `queue`, which the idle daemon need not load.
        self._calls: collections.deque[Callable[[], None] | None] = collections.deque()
        self._queued = threading.Semaphore(0)
        self._thread: _WorkerThread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    def call(self, function: Callable[[], T]) -> asyncio.Future[T]:
        """Run `function` after the calls already queued; its outcome as a future of the
        running loop. The future is settled from the loop, never from the thread."""
        loop = self._loop = asyncio.get_running_loop()
        outcome: asyncio.Future[T] = loop.create_future()
        self.post(lambda: _run_for(loop, outcome, function))
        return outcome

    def post(self, function: Callable[[], None]) -> None:
        """Queue `function` with no outcome to wait for; from the loop or the worker itself.
        Should it raise, the error is logged."""
        if self._thread is None:
            self._thread = _WorkerThread(self, self._name)
            self._thread.start()
        self._calls.append(function)
        self._queued.release()

    @property
    def loop(self) -> asyncio.AbstractEventLoop | None:
        """The loop of the last `call`: where the outcomes go."""
        return self._loop

    def close(self) -> None:
        """Let the thread end once the calls queued so far are made; safe to call twice."""
        thread, self._thread = self._thread, None
        if thread is not None:
            self._calls.append(None)
            self._queued.release()

    def _serve(self) -> None:
        while self._queued.acquire() and (function := self._calls.popleft()) is not None:
            try:
                function()
            except Exception:
                log.exception("a call on the %s thread failed", self._name)


def in_own_thread(function: Callable[[], T], name: str) -> asyncio.Future[T]:
    """Run `function` once in a daemon thread of its own; its outcome as a future of the
    running loop. (The loop's default executor would keep its thread, and be joined at
    exit, a hung call with it.)"""
    loop = asyncio.get_running_loop()
    outcome: asyncio.Future[T] = loop.create_future()
    threading.Thread(
        target=_run_for, args=(loop, outcome, function), name=name, daemon=True
    ).start()
    return outcome


class _WorkerThread(threading.Thread):
    def __init__(self, worker: Worker, name: str) -> None:
        super().__init__(target=worker._serve, name=name, daemon=True)
        self.worker = worker


def current_worker() -> Worker | None:
    """The worker whose thread is running this, if any."""
    thread = threading.current_thread()
    return thread.worker if isinstance(thread, _WorkerThread) else None


def _run_for(
    loop: asyncio.AbstractEventLoop, outcome: asyncio.Future[T], function: Callable[[], T]
) -> None:
    """Call `function` here, off the loop, and settle `outcome` on the loop."""
    try:
        result = function()
    except Exception as error:  # handed to the awaiting side, whatever it is
        settle = _failure(outcome, error)
    else:
        settle = _success(outcome, result)
    with contextlib.suppress(RuntimeError):  # the loop closed while it hung
        loop.call_soon_threadsafe(settle)


def _success(outcome: asyncio.Future[T], result: T) -> Callable[[], None]:
    def settle() -> None:
        if not outcome.done():  # cancelled by a waiter meanwhile
            outcome.set_result(result)

    return settle


def _failure(outcome: asyncio.Future[T], error: BaseException) -> Callable[[], None]:
    def settle() -> None:
        if not outcome.done():
            outcome.set_exception(error)

    return settle
