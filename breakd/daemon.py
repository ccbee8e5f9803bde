"""Wiring only: adapters -> tracker -> effects, on one asyncio loop.

The daemon is handed every part it talks to (`DaemonParts`, built by
`composition.py` or by a test) and only connects them: idle samples and session
events go into the tracker, its effects go out to the notifier and the state
file, and its next check becomes the one wake-up timer, on the tracker's own
clock. Calendar alarms (active hours, a new day) and a wall-clock step only ask
the tracker to look again. Everything runs on the loop, so the tracker has
exactly one owner and needs no locks. Nothing on the loop waits on another
process: the idle source is called on a worker (`idle_reader.py`), notifiers and
watchers are asynchronous with deadlines, and a failure while handling one event
or command is logged and the daemon goes on.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Coroutine, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from breakd.adapters.calendar import CalendarAlarms
from breakd.adapters.clock_steps import ClockSteps
from breakd.adapters.history import HistoryStore
from breakd.adapters.idle import IdleSource
from breakd.adapters.notify import AnswerHandler, Notifier, NotifierError, actions
from breakd.adapters.notify.fallback import FallbackNotifier
from breakd.adapters.storage import StateStore
from breakd.adapters.wakeup_timer import WakeupTimer
from breakd.adapters.worker import Calls
from breakd.config.model import Config
from breakd.control import CommandRefused, Control
from breakd.core.clock import Clock
from breakd.core.durations import spoken_duration
from breakd.core.effects import (
    Effect,
    NaturalBreak,
    Record,
    ShowReminder,
    State,
    StateChanged,
    WithdrawReminder,
)
from breakd.core.events import (
    BusyChanged,
    Event,
    IdleSampled,
    IdleSampleLate,
    InhibitorChanged,
    ReminderOpened,
    ScreenLocked,
    ScreenUnlocked,
    SessionEvent,
    Sleeping,
    Woke,
)
from breakd.core.reminder_text import compose_reminder
from breakd.core.tracker import Tracker, TrackerSnapshot
from breakd.errors import ConfigError
from breakd.idle_reader import LATE, IdleReader, Reading
from breakd.ipc import protocol
from breakd.ipc.followers import Followers
from breakd.ipc.server import ControlServer
from breakd.ipc.status import StatusReply, build_status
from breakd.repeated_log import RepeatedLog

if TYPE_CHECKING:
    from breakd.adapters.notify import NotifierCheck
    from breakd.adapters.supervise import WatchReport
    from breakd.core.guide import GuideFrame

log = logging.getLogger("breakd")
RETRY_AFTER_FAILURE = 1.0
"""Seconds before the daemon looks again after handling an event failed: a failure that
comes back at every look must not spin the loop."""

MINUTE_MARGIN = 0.05
"""Seconds past the sitting minute's end that its followers' refresh comes: the
whole minutes are then surely up."""

STARTUP_SETTLE_SECONDS = 5.0
"""How long the start-up summary waits for every watcher's first try; local buses
answer in milliseconds, so this only matters for a hung peer."""

Observer = Callable[[SessionEvent], None]
Watchers = Coroutine[Any, Any, None]


class DaemonClock(Clock, Protocol):
    def slept_since_last_check(self) -> float:
        """Seconds spent suspended since the last call, as the clocks themselves show it."""
        ...


@dataclass
class DaemonParts:
    """Everything the daemon talks to. Factories where a reload may need a new one."""

    clock: DaemonClock
    store: StateStore
    timer: WakeupTimer
    calendar: CalendarAlarms
    clock_steps: ClockSteps
    socket_path: Path
    load_config: Callable[[], Awaitable[Config]]
    """The config file read afresh, for a reload; the loop goes on meanwhile."""
    find_idle_source: Callable[[], tuple[IdleSource | None, str]]
    idle_calls: Calls
    """Where the idle source is looked for and called: a worker thread, off the loop."""
    make_notifier: Callable[[str, AnswerHandler, Callable[[], Config]], Notifier]
    watch_session: Callable[[Observer], Watchers]
    watch_busy: Callable[[Config, Observer], Watchers | None]
    watch_reports: Callable[[], Sequence[tuple[str, WatchReport]]] = lambda: ()
    """("session" or "busy", report) for every watcher running, for the start-up summary."""
    history: HistoryStore | None = None
    """Where the tracker's records go while `history.enabled`; None keeps none."""
    check_notifier: Callable[[str], Awaitable[tuple[str, NotifierCheck, list[str]]]] | None = None
    """The notifier of `notify.backend`'s chain that works now, what it reaches, and why
    each before it does not; None: name the chain's first."""


class Daemon:
    def __init__(self, config: Config, parts: DaemonParts) -> None:
        self._config = config
        self._parts = parts
        self._clock = parts.clock
        self._tracker = Tracker(config.tracker_settings(), parts.clock)
        self._control = Control(self)
        self._notifier = parts.make_notifier(config.notify.backend, self._answer, self._current)
        self._saved: TrackerSnapshot | None = None
        self._save_errors = RepeatedLog(log, parts.clock.monotonic)
        self._failures = RepeatedLog(log, parts.clock.monotonic)
        self._history_errors = RepeatedLog(log, parts.clock.monotonic)
        self._idle = IdleReader(
            parts.find_idle_source,
            parts.idle_calls,
            parts.clock.monotonic,
            on_late=self._late_reading,
            on_watch=self._watch_changed,
        )
        self._deliveries: set[asyncio.Task[None]] = set()
        self._handlers: set[asyncio.Task[None]] = set()
        self._delivery_lock = asyncio.Lock()
        self._reloading = asyncio.Lock()
        """One reload at a time, so a second SIGHUP's file is the one that stays."""
        self._busy: asyncio.Task[None] | None = None
        self._followers = Followers(on_join=self._follower_joined)

    # -- lifecycle --------------------------------------------------------------

    async def serve(self, stopping: asyncio.Event) -> None:
        """Run until `stopping` is set; then take back a reminder and save the state."""
        loop = asyncio.get_running_loop()
        self._restore()
        self._perform(self._tracker.begin())
        await self._idle.open()
        server = ControlServer(self._parts.socket_path, self._control.handle, self._followers)
        await server.start()
        self._parts.clock_steps.start(self._clock_was_set)
        self._set_calendar()
        await self.refresh()
        session = loop.create_task(self._parts.watch_session(self.observe))
        self._start_busy()
        summary = loop.create_task(self._say_what_runs())
        try:
            await stopping.wait()
        finally:
            log.info("stopping")
            await _cancel(summary)
            await _cancel(session)
            for task in list(self._handlers):
                await _cancel(task)
            await self._stop_busy()
            self._parts.timer.close()
            self._parts.calendar.close()
            self._parts.clock_steps.close()
            await server.close()
            await self._settle_deliveries()
            if self._tracker.state in (State.REMINDING, State.GUIDING):
                await self._notifier.withdraw()  # a guide's countdown would wait for nobody
            self._perform(self._tracker.end())
            self._persist(force=True)
            await self._idle.close()

    def reload(self) -> None:
        """SIGHUP: take the new config, or report it and keep running the old one. The file
        is read in a task (by a child process, in `breakd run`), so this returns at once."""
        self._in_task("the config reload", self._reload())

    async def _reload(self) -> None:
        async with self._reloading:
            await self._take_new_config()

    async def _take_new_config(self) -> None:
        try:
            config = await self._parts.load_config()
        except ConfigError as error:
            log.error("config reload failed; still running the previous config:")
            for line in ConfigError.lines_for(error.problems):
                log.error("  %s", line)
            return
        if config.notify.backend != self._config.notify.backend:
            self._notifier = self._parts.make_notifier(
                config.notify.backend, self._answer, self._current
            )
        restart_busy = config.dont_interrupt != self._config.dont_interrupt
        self._config = config
        logging.getLogger().setLevel(config.log.level.upper())
        if restart_busy:
            asyncio.get_running_loop().create_task(self._restart_busy())
        self._perform(self._tracker.reconfigure(config.tracker_settings()))
        self._set_calendar()
        self._after_change()
        log.info("config reloaded")

    def _current(self) -> Config:
        return self._config

    # -- what the control surface, the timer and the watchers call ----------------

    async def refresh(self) -> None:
        """Take a fresh idle sample and act on it; the loop waits for the sample
        `idle_reader.SAMPLE_WAIT` at most, and takes a late one when it comes."""
        self._act_on(await self._idle.sample())

    def _act_on(self, reading: Reading) -> None:
        """An idle reading, after a suspend or a clock step the clocks show, if any."""
        self._parts.clock_steps.check()
        slept = self._clock.slept_since_last_check()
        if slept:
            log.info("the machine was suspended for %s", spoken_duration(slept, "en"))
            self._perform(self._tracker.handle(Woke(slept_seconds=slept)))
        sampled = IdleSampleLate() if reading is LATE else IdleSampled(reading)
        self._perform(self._tracker.handle(sampled))
        self._after_change()

    def _late_reading(self, reading: float | None) -> None:
        with self._handling("a late idle reading"):
            self._act_on(reading)

    def _refresh_soon(self, why: str) -> None:
        """Refresh for what cannot wait for a sample (a timer, a watcher); `why` names
        the event in the log should handling it fail."""
        self._in_task(why, self.refresh())

    def _in_task(self, what: str, work: Awaitable[None]) -> None:
        """Handle one event in a task of its own, which the daemon cancels when it stops."""

        async def handle() -> None:
            with self._handling(what):
                await work

        task = asyncio.get_running_loop().create_task(handle())
        self._handlers.add(task)
        task.add_done_callback(self._handlers.discard)

    @contextlib.contextmanager
    def _handling(self, what: str) -> Iterator[None]:
        """One event's handling: a failure is logged (once a minute at most, should it
        come back each time) and the daemon goes on, its next look planned a little later."""
        try:
            yield
        except Exception:
            self._failures.error("handling %s failed", what, exc_info=True)
            with contextlib.suppress(Exception):  # the timer itself may be what failed
                self._plan(RETRY_AFTER_FAILURE)

    def observe(self, event: SessionEvent) -> None:
        """A lock, unlock, suspend, resume, inhibitor or busy change from the watchers."""
        with self._handling(f"the session event ({_describe(event)})"):
            self._observe(event)

    def _observe(self, event: SessionEvent) -> None:
        log.info("session: %s", _describe(event))
        if isinstance(event, Woke):
            self._clock.slept_since_last_check()  # logind timed this suspend; don't count it twice
        self._perform(self._tracker.handle(event))
        self._after_change()
        if isinstance(event, Woke):
            # re-evaluate at once: no stale reminder, maybe a natural break
            self._refresh_soon("the sample after resuming")

    def apply(self, event: Event) -> None:
        self._perform(self._tracker.handle(event))
        self._after_change()

    def status(self) -> StatusReply:
        config = self._config
        return build_status(
            self._tracker.status(),
            self._clock.wall(),
            language=config.language,
            idle_source=self._idle.name,
            notifier=self._notifier.name,
            config=None if config.source is None else str(config.source),
            remind_after=self._tracker.settings.remind_after,
        )

    def _answer(self, key: str) -> None:
        """A button on the notification: the CLI command of its name, by the same path.
        Start (or a click on the body) guides the stretch on screen and answers nothing yet."""
        if key == actions.BODY:
            log.info("notification opened: guiding the stretch")

            async def open_it() -> None:
                await self.refresh()
                self.apply(ReminderOpened())

            self._in_task("the notification's opening", open_it())
            return
        command = actions.command_for(key)
        if command is None:
            log.warning("ignored an unknown notification action %r", key)
            return
        log.info("notification answered: %s", key)

        async def execute() -> None:
            try:
                await self._control.execute(*command)  # a failure inside is logged there
            except CommandRefused as refused:
                log.info("%s", refused)

        self._in_task(f"the notification answer {key!r}", execute())

    def _clock_was_set(self) -> None:
        with self._handling("the wall clock step"):
            log.info("the wall clock was set; active hours and the day follow the new time")
            self._set_calendar()
            self._refresh_soon("the sample after the wall clock step")

    def _set_calendar(self) -> None:
        edges = self._tracker.settings.calendar_edges()
        self._parts.calendar.set(edges, self._calendar_edge)

    def _calendar_edge(self) -> None:
        self._refresh_soon("the calendar edge")

    def _wake(self) -> None:
        if not self._tracker.needs_idle_sample():
            with self._handling("the guide's tick"):  # the next frame, on what is known
                self._act_on(LATE)
            return
        self._refresh_soon("the timer wake-up")

    # -- busy signals (don't interrupt) -------------------------------------------

    def _start_busy(self) -> None:
        watchers = self._parts.watch_busy(self._config, self.observe)
        self._busy = None if watchers is None else asyncio.get_running_loop().create_task(watchers)

    async def _stop_busy(self) -> None:
        task, self._busy = self._busy, None
        if task is not None:
            await _cancel(task)
            if self._tracker.status().busy_reasons:
                self.observe(BusyChanged(frozenset()))  # nobody watches any more

    async def _restart_busy(self) -> None:
        await self._stop_busy()
        self._start_busy()

    # -- effects ------------------------------------------------------------------

    def _perform(self, effects: list[Effect]) -> None:
        for effect in effects:
            if isinstance(effect, ShowReminder):
                self._show(effect)
            elif isinstance(effect, WithdrawReminder):
                self._deliver(self._notifier.withdraw)
            elif isinstance(effect, StateChanged):
                log.info("%s -> %s", effect.previous.value, effect.current.value)
            elif isinstance(effect, NaturalBreak):
                length = spoken_duration(effect.seconds, "en")
                log.info("natural break of %s: sitting time starts again from 0", length)
            elif isinstance(effect, Record):
                self._record(effect)
            else:
                self._show_guide(effect)

    def _record(self, record: Record) -> None:
        """Append to the history; a failed write loses that record alone, and is logged
        once a minute at most (a full disk fails every one)."""
        history = self._parts.history
        if history is None or not self._config.history.enabled:
            return
        try:
            history.append(record)
        except OSError as error:
            self._history_errors.error("cannot write the history: %s", error.strerror or error)
            return
        if self._history_errors.reset() is not None:
            log.info("writing the history again")

    def _show(self, effect: ShowReminder) -> None:
        message = compose_reminder(
            effect.exercise,
            self._config.language,
            self._config.exercises.hold,
            effect.sitting_seconds,
            effect.repeat,
            effect.held_by,
        )
        log.info(
            "reminder%s: %s", f" (repeat {effect.repeat})" if effect.repeat else "", message.title
        )
        self._deliver(lambda: self._notifier.show(message))

    def _show_guide(self, frame: GuideFrame) -> None:
        """One frame of a guided stretch, in place of whatever of ours is on screen."""
        from breakd.core.guide_text import compose_guide  # only once a guide runs

        message = compose_guide(frame, self._config.language)
        if frame.value in (0, 100) or frame.paused:  # a phase's first second: not each tick
            log.info("guide: %s", message.title)
        self._deliver(lambda: self._notifier.show_guide(message))

    def _deliver(self, operation: Callable[[], Awaitable[None]]) -> None:
        """Run a notifier call on the loop, in the order the effects came, never blocking the tracker."""

        async def run() -> None:
            async with self._delivery_lock:
                try:
                    await operation()
                except NotifierError as error:
                    log.error("%s", error)
                except Exception:  # a notifier bug must never take the daemon down
                    log.exception("notifier %s failed", self._notifier.name)

        task = asyncio.get_running_loop().create_task(run())
        self._deliveries.add(task)
        task.add_done_callback(self._deliveries.discard)

    async def _settle_deliveries(self) -> None:
        if self._deliveries:
            await asyncio.wait(list(self._deliveries), timeout=5)

    def _after_change(self) -> None:
        self._persist()
        # While only the user's return can move things on, let the idle source report it.
        self._idle.want_watch(self._tracker.awaiting_return(), self._input_came)
        self._tell_followers()
        self._plan()

    def _tell_followers(self) -> None:
        """Push the status to `breakd status --follow` and the bars, if what they show changed."""
        if not self._followers:
            return
        status = self.status()
        if self._followers.changed(status):
            self._followers.push(status, protocol.reply("", status))

    def _follower_joined(self) -> None:
        """A follower got the status as its first reply just now; it needs the minutes."""
        with self._handling("a new status follower"):
            self._followers.showing(self.status())
            self._plan()

    def _plan(self, not_sooner: float = 0.0) -> None:
        """The one wake-up timer, at the tracker's next check, `not_sooner` seconds from now
        at the earliest; while followers show the sitting time, also when its minute goes up."""
        at = self._tracker.next_check(input_watched=self._idle.watching)
        tick = self._next_minute()
        if tick is not None and (at is None or tick < at):
            at = tick
        if at is not None:
            at = max(at, self._clock.monotonic() + not_sooner)
        self._parts.timer.wake_at(at, self._wake)

    def _next_minute(self) -> float | None:
        """When the sitting time followers show (whole minutes) next goes up; None
        without followers or while not sitting."""
        if not self._followers:
            return None
        sitting = self._tracker.status().sitting_seconds
        if sitting is None:
            return None
        return self._clock.monotonic() + 60 - sitting % 60 + MINUTE_MARGIN

    def _watch_changed(self) -> None:
        with self._handling("a change of the idle source's watch"):
            self._plan()

    def _input_came(self) -> None:
        self._refresh_soon("the user's return")

    def _persist(self, force: bool = False) -> None:
        """Save the snapshot if it changed; a save that fails is tried again at the next
        change, and its error logged once a minute at most (a full disk fails every one)."""
        snapshot = self._tracker.snapshot()
        if snapshot == self._saved and not force:
            return
        store = self._parts.store
        try:
            store.save(snapshot, self._clock.wall())
        except Exception as error:  # a full disk, or a bug: the state is saved at the next change
            reason = (error.strerror if isinstance(error, OSError) else None) or error
            self._save_errors.error("cannot save state to %s: %s", store.path, reason, flush=force)
            return
        self._saved = snapshot
        if self._save_errors.reset() is not None:
            log.info("state saved to %s again", store.path)

    def _restore(self) -> None:
        loaded = self._parts.store.load()
        if loaded is not None:
            snapshot, saved_at = loaded
            self._tracker.restore(snapshot, saved_at)
            self._saved = snapshot

    async def _say_what_runs(self) -> None:
        """The start-up summary: one line on what breakd uses, one on what is not here
        (`breakd doctor` says why); the reasons went to the debug log as each was tried.
        It waits for every watcher's first try, which takes milliseconds."""
        parts = self._parts
        notifier = self._notifier.name
        passed_over: list[str] = []
        only_log = False
        if parts.check_notifier is not None:
            name, found, passed_over = await parts.check_notifier(self._config.notify.backend)
            notifier = found.brief
            if isinstance(self._notifier, FallbackNotifier):
                self._notifier.start_from(name)
            only_log = name == "log" and self._config.notify.backend != "log"
            for why in passed_over:
                log.debug("notifier %s", why)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + STARTUP_SETTLE_SECONDS
        while loop.time() < deadline and any(
            report.state == "starting" for _, report in parts.watch_reports()
        ):
            await asyncio.sleep(0.02)
        reports = parts.watch_reports()

        def names(kind: str, working: bool) -> str:
            found = [
                report.name + (f" ({report.reading})" if working and report.reading else "")
                for of, report in reports
                if of == kind and (report.state == "watching") == working
            ]
            return ", ".join(found) or "none"

        idle = self._idle.name
        log.info(
            "in use: idle source %s; session events %s; busy signals %s; reminders through %s",
            idle or "none (you count as present until one appears)",
            names("session", True),
            names("busy", True),
            notifier,
        )
        missing = [
            f"{what} {listed}"
            for what, listed in (
                ("session events", names("session", False)),
                ("busy signals", names("busy", False)),
            )
            if listed != "none"
        ]
        if passed_over:
            missing.append("notifiers " + ", ".join(why.split(":")[0] for why in passed_over))
        if idle is None:
            missing.insert(0, "an idle source")
        if missing:
            level = logging.WARNING if idle is None or only_log else logging.INFO
            log.log(level, "not here: %s (`breakd doctor` says why)", "; ".join(missing))


async def _cancel(task: asyncio.Task[None]) -> None:
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task


def _describe(event: SessionEvent) -> str:
    if isinstance(event, BusyChanged):
        return "busy: " + ", ".join(sorted(event.reasons)) if event.reasons else "free again"
    if isinstance(event, InhibitorChanged):
        return "an idle inhibitor is held" if event.active else "no idle inhibitor any more"
    return {
        ScreenLocked: "screen locked",
        ScreenUnlocked: "screen unlocked",
        Sleeping: "going to sleep",
        Woke: "resumed",
    }[type(event)]
