"""Wiring only: config -> adapters -> tracker -> effects, on one asyncio loop.

APScheduler (its asyncio scheduler and executor, so jobs run on the loop
itself, with no thread pool) holds a single date job: the next moment the
tracker asked to be woken. Commands from the control socket run on the same
loop, so the tracker has exactly one owner and needs no locks.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal
import sys
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta, timezone

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from breakd import __version__, paths
from breakd.adapters.idle import IdleSource, IdleSourceUnavailable
from breakd.adapters.instance_lock import InstanceLock
from breakd.adapters.notify import NotifierError
from breakd.adapters.select import (
    Buses,
    choose_notifier,
    open_busy_signals,
    open_idle_source,
    open_session_sources,
)
from breakd.adapters.session.combined import CombinedSessionEvents
from breakd.adapters.storage import JsonStateFile
from breakd.adapters.system_clock import SystemClock
from breakd.config.effective import config_path, load_effective_config
from breakd.config.model import Config
from breakd.control import Control
from breakd.core.effects import (
    Effect,
    NaturalBreak,
    ShowReminder,
    State,
    StateChanged,
    WithdrawReminder,
)
from breakd.core.events import (
    BusyChanged,
    Done,
    Event,
    EventRejected,
    IdleSampled,
    InhibitorChanged,
    ScreenLocked,
    ScreenUnlocked,
    SessionEvent,
    Skip,
    Sleeping,
    Snooze,
    Woke,
)
from breakd.core.reminder_text import compose_reminder, exercise_name, spoken_duration
from breakd.core.tracker import Tracker, TrackerSnapshot
from breakd.errors import ConfigError
from breakd.ipc.runtime_dir import ensure_private_dir
from breakd.ipc.server import ControlServer

log = logging.getLogger("breakd")
IDLE_SOURCE_RETRY_SECONDS = 60.0


def run_daemon(config_arg: str | None) -> int:
    """`breakd run`: returns the exit code; errors a user can fix raise BreakdError."""
    config = load_effective_config(config_arg)
    _configure_logging(config.log.level)
    ensure_private_dir(paths.runtime_dir())
    lock = InstanceLock(paths.lock_path())
    lock.acquire()
    try:
        asyncio.run(Daemon(config, config_arg).serve())
    finally:
        lock.release()
    return 0


class Daemon:
    def __init__(self, config: Config, config_arg: str | None) -> None:
        self._config = config
        self._config_arg = config_arg
        self._clock = SystemClock()
        self._tracker = Tracker(config.tracker_settings(), self._clock)
        self._store = JsonStateFile(paths.state_dir() / "state.json")
        self._saved: TrackerSnapshot | None = None
        self._idle_source: IdleSource | None = None
        self._idle_retry_at = 0.0
        self._notifier = choose_notifier(config.notify.backend, self.answer, lambda: self._config)
        self._deliveries: set[asyncio.Task[None]] = set()
        self._delivery_lock = asyncio.Lock()
        self._scheduler: AsyncIOScheduler | None = None
        self._busy_signals: asyncio.Task[None] | None = None
        self._buses = Buses()
        self._restore()
        self._open_idle_source()

    # -- lifecycle --------------------------------------------------------------

    async def serve(self) -> None:
        loop = asyncio.get_running_loop()
        stopping = asyncio.Event()
        for signum in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(signum, stopping.set)
        loop.add_signal_handler(signal.SIGHUP, self.reload)
        self._scheduler = AsyncIOScheduler(
            event_loop=loop,
            job_defaults={"misfire_grace_time": None, "coalesce": True, "max_instances": 1},
        )
        self._scheduler.start()
        server = ControlServer(paths.socket_path(), Control(self).handle)
        await server.start()
        source = config_path(self._config_arg)
        log.info(
            "breakd %s running (pid %d); config: %s; control socket: %s; reminders via %s",
            __version__,
            os.getpid(),
            source if self._config.source else f"built-in defaults ({source} not found)",
            server.path,
            self._notifier.name,
        )
        self.refresh()
        session_events = loop.create_task(
            CombinedSessionEvents(open_session_sources(self._buses), self.observe).run()
        )
        self._start_busy_signals()
        try:
            await stopping.wait()
        finally:
            log.info("stopping")
            await _cancel(session_events)
            await self._stop_busy_signals()
            self._scheduler.shutdown(wait=False)
            await server.close()
            await self._settle_deliveries()
            if self._tracker.state is State.REMINDING:
                await self._notifier.withdraw()
            self._persist(force=True)
            if self._idle_source is not None:
                self._idle_source.close()

    def reload(self) -> None:
        """SIGHUP: take the new config, or report it and keep running the old one."""
        try:
            config = load_effective_config(self._config_arg)
        except ConfigError as error:
            log.error("config reload failed; still running the previous config:")
            for problem in error.problems:
                log.error("  %s", problem)
            return
        if config.notify.backend != self._config.notify.backend:
            self._notifier = choose_notifier(
                config.notify.backend, self.answer, lambda: self._config
            )
        restart_busy = config.dont_interrupt != self._config.dont_interrupt
        self._config = config
        _configure_logging(config.log.level)
        if restart_busy:
            asyncio.get_running_loop().create_task(self._restart_busy_signals())
        self._perform(self._tracker.reconfigure(config.tracker_settings()))
        self._after_change()
        log.info("config reloaded")

    # -- busy signals (don't interrupt) ---------------------------------------------

    def _start_busy_signals(self) -> None:
        """Watch what `dont_interrupt` switches on; their changes reach `observe`."""
        from breakd.adapters.busy.combined import CombinedBusySignals

        signals = open_busy_signals(self._config, buses=self._buses)
        if not signals:
            self._busy_signals = None
            return
        self._busy_signals = asyncio.get_running_loop().create_task(
            CombinedBusySignals(signals, self.observe).run()
        )

    async def _stop_busy_signals(self) -> None:
        task, self._busy_signals = self._busy_signals, None
        if task is not None:
            await _cancel(task)
            if self._tracker.status().busy_reasons:
                self.observe(BusyChanged(frozenset()))  # nobody watches any more

    async def _restart_busy_signals(self) -> None:
        await self._stop_busy_signals()
        self._start_busy_signals()

    # -- what the control surface and the scheduler call ------------------------

    def refresh(self) -> None:
        slept = self._clock.slept_since_last_check()
        if slept:
            log.info("the machine was suspended for %s", spoken_duration(slept, "en"))
            self._perform(self._tracker.handle(Woke(slept_seconds=slept)))
        self._perform(self._tracker.handle(IdleSampled(self._sample_idle())))
        self._after_change()

    def observe(self, event: SessionEvent) -> None:
        """A lock, unlock, suspend, resume or inhibitor change from the session sources."""
        log.info("session: %s", _describe(event))
        if isinstance(event, Woke):
            self._clock.slept_since_last_check()  # logind timed this suspend; don't count it twice
        self._perform(self._tracker.handle(event))
        if isinstance(event, Woke):
            self.refresh()  # re-evaluate at once: no stale reminder, maybe a natural break
        else:
            self._after_change()

    def apply(self, event: Event) -> None:
        self._perform(self._tracker.handle(event))
        self._after_change()

    def status(self) -> dict[str, object]:
        status = self._tracker.status()

        def when(moment: datetime | None) -> str | None:
            return None if moment is None else moment.isoformat(timespec="seconds")

        next_in = None
        if status.next_reminder_at is not None:
            next_in = max(0, round((status.next_reminder_at - self._clock.wall()).total_seconds()))
        return {
            "state": status.state.value,
            "sitting_seconds": None
            if status.sitting_seconds is None
            else round(status.sitting_seconds),
            "next_reminder_at": when(status.next_reminder_at),
            "next_reminder_in_seconds": next_in,
            "snoozed_until": when(status.snoozed_until),
            "paused_until": when(status.paused_until),
            "exercise": status.exercise,
            "exercise_name": exercise_name(status.exercise, self._config.language),
            "done_count": status.done_count,
            "skipped_count": status.skipped_count,
            "idle_seconds": round(status.idle_seconds),
            "idle_source": None if self._idle_source is None else self._idle_source.name,
            "locked": status.locked,
            "inhibited": status.inhibited,
            "deferred": None
            if status.deferred_since is None
            else {"since": when(status.deferred_since), "reasons": list(status.deferred_reasons)},
            "notifier": self._notifier.name,
            "config": None if self._config.source is None else str(self._config.source),
            "pid": os.getpid(),
            "version": __version__,
        }

    def answer(self, key: str) -> None:
        """A button on the notification: each acts exactly as the CLI command of its name."""
        event: Event
        if key.startswith("snooze:") and key[7:].isdigit():
            event = Snooze(float(key[7:]))
        elif key in ("done", "default"):
            event = Done()
        elif key == "skip":
            event = Skip()
        else:
            log.warning("ignored an unknown notification action %r", key)
            return
        log.info("notification answered: %s", key)
        try:
            self.refresh()
            self.apply(event)
        except EventRejected as error:
            log.info("%s", error)

    async def _tick(self) -> None:
        self.refresh()

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
        self._schedule_next_check()

    def _schedule_next_check(self) -> None:
        if self._scheduler is None:
            return
        delay = self._tracker.next_check() - self._clock.monotonic()
        run_date = datetime.now(timezone.utc) + timedelta(seconds=delay)
        self._scheduler.add_job(
            self._tick, "date", run_date=run_date, id="tick", replace_existing=True
        )

    def _persist(self, force: bool = False) -> None:
        snapshot = self._tracker.snapshot()
        if snapshot == self._saved and not force:
            return
        try:
            self._store.save(snapshot, self._clock.wall())
        except OSError as error:
            log.error("cannot save state to %s: %s", self._store.path, error.strerror or error)
            return
        self._saved = snapshot

    def _restore(self) -> None:
        loaded = self._store.load()
        if loaded is not None:
            snapshot, saved_at = loaded
            self._tracker.restore(snapshot, saved_at)
            self._saved = snapshot

    # -- idle source --------------------------------------------------------------

    def _open_idle_source(self, first: bool = True) -> None:
        """Look for an idle source: at start (saying why there is none), then once a minute."""
        self._idle_source, reason = open_idle_source()
        self._idle_retry_at = self._clock.monotonic() + IDLE_SOURCE_RETRY_SECONDS
        if self._idle_source is not None:
            log.info("idle source: %s", reason)
        elif first:
            log.warning("no idle source (%s); treating you as present until one appears", reason)

    def _sample_idle(self) -> float | None:
        if self._idle_source is None:
            if self._clock.monotonic() < self._idle_retry_at:
                return None
            self._open_idle_source(first=False)
            if self._idle_source is None:
                return None
        try:
            return self._idle_source.idle_seconds()
        except IdleSourceUnavailable as error:
            log.warning("idle source %s stopped working (%s)", self._idle_source.name, error)
            self._idle_source.close()
            self._idle_source = None
            return None


async def _cancel(task: asyncio.Task[None]) -> None:
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task


def _configure_logging(level: str) -> None:
    root = logging.getLogger()
    if not root.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(
            logging.Formatter("%(asctime)s breakd %(levelname)s %(message)s", "%Y-%m-%d %H:%M:%S")
        )
        root.addHandler(handler)
    root.setLevel(level.upper())
    logging.getLogger("apscheduler").setLevel(logging.WARNING)


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
