"""The real daemon, built in-process with a fake clock and fake sources.

Everything between the fakes is real: `Daemon` and its wiring, the tracker, the
control socket (spoken to by the CLI's own client), the state file and the
calendar's cron triggers. Only the OS edges are fakes: the clock, the idle
source, the watchers, the timer and the notification server. `advance()` moves
the fake clock from one wake-up to the next, so hours pass in milliseconds.
"""

from __future__ import annotations

import asyncio
import logging
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TypeVar

from breakd import paths
from breakd.adapters.calendar import cron_triggers, next_edge
from breakd.adapters.clock_steps import ComparedClocks
from breakd.adapters.history import DailyFiles
from breakd.adapters.notify import AnswerHandler
from breakd.adapters.storage import JsonStateFile, StateStore
from breakd.adapters.worker import Calls
from breakd.config.load import load_config
from breakd.config.model import Config
from breakd.core.events import BusyChanged, SessionEvent
from breakd.core.guide_text import GuideMessage
from breakd.core.reminder_text import ReminderMessage
from breakd.core.settings import WeeklyTime
from breakd.daemon import Daemon, DaemonParts, Observer
from breakd.errors import BreakdError
from breakd.ipc import client
from breakd.ipc.runtime_dir import ensure_private_dir
from breakd.ipc.status import StatusReply
from tests.core.fake_clock import FakeClock

T = TypeVar("T")


class SuspendingClock(FakeClock):
    """The fake clock, plus what the real one shows of a suspend."""

    def __init__(self, wall: datetime | None = None) -> None:
        super().__init__(wall)
        self._slept = 0.0

    def slept_since_last_check(self) -> float:
        slept, self._slept = self._slept, 0.0
        return slept

    def suspend(self, seconds: float) -> None:
        self.advance(seconds)
        self._slept += seconds


class FakeIdle:
    """A user's keyboard and mouse, as an idle source sees them."""

    name = "fake-idle"

    def __init__(self, clock: FakeClock, can_watch: bool = True) -> None:
        self._clock = clock
        self._can_watch = can_watch
        self._last_input = clock.monotonic()
        self.present = True
        self.samples = 0
        self.on_input: Callable[[], None] | None = None

    def idle_seconds(self) -> float:
        self.samples += 1
        return 0.0 if self.present else self._clock.monotonic() - self._last_input

    def leave(self) -> None:
        self._last_input = self._clock.monotonic()
        self.present = False

    def come_back(self) -> None:
        self.present = True
        self._last_input = self._clock.monotonic()
        callback, self.on_input = self.on_input, None
        if callback is not None:
            callback()

    def watch_for_input(self, on_input: Callable[[], None]) -> bool:
        if self._can_watch:
            self.on_input = on_input
        return self._can_watch

    def stop_watching(self) -> None:
        self.on_input = None

    def close(self) -> None:
        pass


class InlineCalls:
    """The idle source's calls made on the loop, at once: a fake source never waits,
    and the day's timing stays exact. A test of a source that hangs hands the daemon
    a real `Worker` instead."""

    def call(self, function: Callable[[], T]) -> asyncio.Future[T]:
        outcome: asyncio.Future[T] = asyncio.get_running_loop().create_future()
        try:
            outcome.set_result(function())
        except Exception as error:
            outcome.set_exception(error)
        return outcome

    def close(self) -> None:
        pass


class FakeTimer:
    def __init__(self) -> None:
        self.deadline: float | None = None
        self.callback: Callable[[], None] | None = None
        self.wakeups = 0

    def wake_at(self, deadline: float | None, callback: Callable[[], None]) -> None:
        self.deadline, self.callback = deadline, callback

    def fire(self) -> None:
        callback, self.deadline, self.callback = self.callback, None, None
        self.wakeups += 1
        if callback is not None:
            callback()

    def close(self) -> None:
        self.deadline = self.callback = None


class FakeCalendar:
    """The real cron triggers, evaluated at the fake clock's wall time."""

    def __init__(self, clock: FakeClock) -> None:
        self._clock = clock
        self._edges: tuple[WeeklyTime, ...] = ()
        self._on_edge: Callable[[], None] | None = None
        self.next_at: datetime | None = None

    def set(self, edges: tuple[WeeklyTime, ...], on_edge: Callable[[], None]) -> None:
        self._edges, self._on_edge = tuple(edges), on_edge
        self._plan()

    def _plan(self) -> None:
        wall = self._clock.wall()
        self.next_at = next_edge(cron_triggers(self._edges, wall.tzinfo), wall)

    def fire(self) -> None:
        self._plan()
        if self._on_edge is not None:
            self._on_edge()

    def close(self) -> None:
        self._on_edge = None


@dataclass
class ShownReminder:
    """A reminder, or a guide's frame (a GuideMessage), as it reached the screen."""

    message: ReminderMessage | GuideMessage
    withdrawn: bool = False
    at: float = 0.0
    """When, on the daemon's clock."""


@dataclass
class RecordingNotifier:
    """A notification server that shows one reminder at a time and has buttons."""

    answer: AnswerHandler
    clock: FakeClock
    name: str = "recording"
    shown: list[ShownReminder] = field(default_factory=list)

    async def show(self, message: ReminderMessage) -> None:
        self.shown.append(ShownReminder(message, at=self.clock.monotonic()))

    async def show_guide(self, message: GuideMessage) -> None:
        """Each frame replaces what is on screen, as a server given `replaces_id` does;
        the closing one goes by itself (the server's own timeout), so it counts as gone."""
        ending = message.kind == "end"
        self.shown.append(ShownReminder(message, withdrawn=ending, at=self.clock.monotonic()))

    @property
    def guide_frames(self) -> list[ShownReminder]:
        return [shown for shown in self.shown if isinstance(shown.message, GuideMessage)]

    async def withdraw(self) -> None:
        if self.shown:
            self.shown[-1].withdrawn = True

    def press(self, key: str) -> None:
        self.answer(key)

    @property
    def on_screen(self) -> ShownReminder | None:
        last = self.shown[-1] if self.shown else None
        return last if last is not None and not last.withdrawn else None


class LogGuard(logging.Handler):
    """Collects every ERROR and traceback the daemon logs, for the test to account for."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []
        self.expected: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)

    def unexpected(self) -> list[str]:
        bad = []
        for record in self.records:
            if record.levelno < logging.ERROR and record.exc_info is None:
                continue
            text = record.getMessage()
            if not any(expected in text for expected in self.expected):
                bad.append(
                    f"{record.levelname} {text}" + (" (with traceback)" * bool(record.exc_info))
                )
        return bad

    def messages(self) -> list[str]:
        return [record.getMessage() for record in self.records]


class InProcessDaemon:
    """One daemon on the test's loop; use `async with`, then drive it."""

    def __init__(
        self,
        state_dir: Path,
        config_text: str = "",
        wall: datetime | None = None,
        can_watch_input: bool = True,
        idle: bool = True,
        idle_calls: Calls | None = None,
    ) -> None:
        self.config_file = state_dir / "config.yaml"
        self.config_file.write_text(config_text)
        self.clock = SuspendingClock(wall)
        self.idle = FakeIdle(self.clock, can_watch_input)
        self.has_idle = idle
        self.idle_calls: Calls = idle_calls or InlineCalls()
        self.timer = FakeTimer()
        self.calendar = FakeCalendar(self.clock)
        self.store: StateStore = JsonStateFile(state_dir / "state.json", self.clock.wall)
        self.clock_steps = ComparedClocks(self.clock)
        self.history = DailyFiles(paths.history_dir(), self.clock)
        """The real history store, in the test's own XDG data dir, where `breakd stats` reads."""
        self.notifier: RecordingNotifier | None = None
        self.observe: Observer | None = None
        self.observe_busy: Observer | None = None
        self.guard = LogGuard()
        self._stopping = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self.daemon: Daemon | None = None

    def load_config(self) -> Config:
        return load_config(self.config_file)

    async def _reload_config(self) -> Config:
        return self.load_config()  # looked up at each reload: a test may swap it

    def _parts(self) -> DaemonParts:
        def make_notifier(
            backend: str, answer: AnswerHandler, config: Callable[[], Config]
        ) -> RecordingNotifier:
            self.notifier = RecordingNotifier(answer, self.clock)
            return self.notifier

        async def watch(observe: Observer) -> None:
            self.observe = observe
            await asyncio.Event().wait()

        async def watch_busy(config: Config, observe: Observer) -> None:
            self.observe_busy = observe
            try:
                await asyncio.Event().wait()
            finally:
                self.observe_busy = None

        return DaemonParts(
            clock=self.clock,
            store=self.store,
            timer=self.timer,
            calendar=self.calendar,
            clock_steps=self.clock_steps,
            socket_path=paths.socket_path(),
            load_config=self._reload_config,
            find_idle_source=lambda: (self.idle, "a fake") if self.has_idle else (None, "none"),
            idle_calls=self.idle_calls,
            make_notifier=make_notifier,
            watch_session=watch,
            watch_busy=watch_busy,
            history=self.history,
        )

    async def __aenter__(self) -> InProcessDaemon:
        logging.getLogger().addHandler(self.guard)
        logging.getLogger().setLevel(logging.DEBUG)
        ensure_private_dir(paths.runtime_dir())
        self.daemon = Daemon(self.load_config(), self._parts())
        self._task = asyncio.get_running_loop().create_task(self.daemon.serve(self._stopping))
        while not paths.socket_path().exists() or None in (self.observe, self.observe_busy):
            if self._task.done():
                self._task.result()
            await asyncio.sleep(0.001)
        return self

    async def __aexit__(self, *exc: object) -> None:
        self._stopping.set()
        assert self._task is not None
        await self._task
        logging.getLogger().removeHandler(self.guard)
        if exc[0] is None:
            assert self.guard.unexpected() == [], "the daemon logged errors"

    # -- driving it ---------------------------------------------------------------

    @property
    def now(self) -> float:
        return self.clock.monotonic()

    async def advance(self, seconds: float) -> None:
        """Let `seconds` pass on the fake clock, firing the timer and the calendar on time."""
        end = self.now + seconds
        while True:
            timer = math.inf if self.timer.deadline is None else self.timer.deadline
            edge = math.inf
            if self.calendar.next_at is not None:
                wall = self.clock.wall()
                edge = self.now + (self.calendar.next_at - wall).total_seconds()
            step = min(timer, edge, end)
            self.clock.advance(max(0.0, step - self.now))
            if step == end and step < min(timer, edge):
                await self.settle()
                return
            if edge <= timer:
                self.calendar.fire()
            else:
                self.timer.fire()
            await self.settle()

    async def settle(self) -> None:
        """Let deliveries and other tasks the daemon started run."""
        for _ in range(5):
            await asyncio.sleep(0)

    async def set_wall_clock(self, step: float) -> None:
        """Step the wall clock, and wake the daemon as Linux's timerfd does when it is set."""
        self.clock.jump_wall(step)
        self.clock_steps.check()
        await self.settle()

    def session(self, event: SessionEvent) -> None:
        assert self.observe is not None
        self.observe(event)

    def busy(self, *reasons: str) -> None:
        """What the busy watchers report after their debounce: busy for `reasons`, or free."""
        assert self.observe_busy is not None, "the daemon is not watching busy signals"
        self.observe_busy(BusyChanged(frozenset(reasons)))

    async def cli(self, command: str, **args: object) -> dict[str, object]:
        """The command as the CLI sends it, over the real socket; the reply, or the error."""
        try:
            reply = await asyncio.to_thread(client.call, command, dict(args))
        except BreakdError as error:
            return {"ok": False, "message": str(error)}
        await self.settle()
        return reply

    async def status(self) -> StatusReply:
        reply = await self.cli("status")
        return reply["status"]  # type: ignore[return-value]

    async def state(self) -> str:
        return str((await self.status())["state"])
