"""Weeks of a user's days through the in-process daemon, with faults thrown in.

Each step is one thing that happens to a running breakd: time passes, the user
types, reads, leaves or sleeps the machine, answers from the CLI or a button,
locks the screen, gets busy, edits the config, or something breaks (the idle
source dies, the notification server fails, the disk is full, a command hits a
bug). After every step the daemon must answer `status` over its socket, and what
it says must satisfy the invariants (`invariants.py`), and it must have logged no
error that the soak did not cause on purpose. One seeded generator decides
everything, so a seed replays a run exactly.
"""

from __future__ import annotations

import errno
import random
from collections.abc import Awaitable, Callable
from datetime import datetime

from breakd.adapters.idle import IdleSourceUnavailable
from breakd.adapters.notify import NotifierError
from breakd.config.load import load_config_text
from breakd.core.events import InhibitorChanged, ScreenLocked, ScreenUnlocked, Sleeping, Woke
from breakd.core.reminder_text import ReminderMessage
from breakd.core.settings import ActiveHours
from breakd.core.tracker import TrackerSnapshot
from breakd.ipc.status import StatusReply
from tests.fuzz.invariants import Invariants, Moment, new_errors
from tests.fuzz.tally import Tally
from tests.inprocess.harness import InProcessDaemon

MIN = 60.0
HOUR = 3600.0
DAY = 24 * HOUR

CONFIGS = [
    "",
    "sitting:\n  remind_after: 20m\n  repeat_every: 2m\n",
    "sitting:\n  repeat_every: 0s\nexercises:\n  order: random\n",
    "active_hours:\n  days: [mon, tue, wed, thu, fri]\n  from: '08:00'\n  to: '18:00'\n",
    "active_hours:\n  days: [sat, sun]\n  from: '10:00'\n  to: '12:30'\n",
    "sitting:\n  remind_after: 30m\n  break_after_idle: 3m\n"
    "dont_interrupt:\n  settle: 0s\n  max_deferral: 20m\n  on_max_deferral: drop\n",
    "dont_interrupt:\n  max_deferral: 10m\n  on_max_deferral: keep_waiting\n",
    "dont_interrupt:\n  enabled: false\nactivity:\n  inhibitors_count_as_present: false\n",
]
BAD_CONFIGS = ["sitting:\n  remind_after: 0s\n", "sitting: [", "\x00", "active_hours: {from: 9}\n"]
COMMANDS = ["status", "snooze", "done", "skip", "pause", "resume", "remind-now", "stretch"]
SECONDS: list[object] = [None, None, 1, 60, 300.5, 86400, 0, -1, 86401, float("nan"), "5m", [60]]
KEYS = ["done", "skip", "default", "snooze:300", "snooze:1", "snooze:86401", "snooze:", "?"]
BUSY_REASONS = ["dnd:dunst", "fullscreen:mpv", "camera:zoom", "microphone:firefox"]
EXPECTED = [
    "config reload failed",
    "notifier recording failed",
    "the notification server went away",
    "cannot save state to",
    "command failed",
]


class Soak:
    def __init__(self, d: InProcessDaemon, rng: random.Random, tally: Tally) -> None:
        assert d.notifier is not None
        self.d, self.rng, self.tally = d, rng, tally
        self.notifier = d.notifier
        self.invariants = Invariants(d.now)
        d.guard.expected += [*EXPECTED, str(d.config_file)]
        self.break_after_idle = 5 * MIN
        self.hours: ActiveHours | None = None
        self.locked = self.asleep = self.busy = self.inhibited = False
        self.show_fault: Exception | None = None
        self.show_failed = False
        self.idle_dead = False
        self.disk_full = False
        self.drop_policy = self.drop_seen = False
        """on_max_deferral is drop now / was at some point in this step (see `check`)."""
        self.shown = 0
        self._wrap_edges()
        self.steps: list[tuple[Callable[[], Awaitable[None]], int]] = [
            (self.wait, 60),
            (self.read, 16),
            (self.leave, 8),
            (self.night, 1),
            (self.command, 20),
            (self.press, 12),
            (self.lock, 6),
            (self.suspend, 2),
            (self.toggle_busy, 8),
            (self.toggle_inhibitor, 4),
            (self.reload, 6),
            (self.step_wall_clock, 2),
            (self.toggle_notifier_fault, 4),
            (self.toggle_idle_fault, 2),
            (self.toggle_disk_full, 2),
            (self.command_hits_a_bug, 2),
        ]
        """Each step and its weight: a few hours pass between a night and the next."""

    # -- the fakes' failure modes -----------------------------------------------

    def _wrap_edges(self) -> None:
        show, idle_seconds, save = self.notifier.show, self.d.idle.idle_seconds, self.d.store.save

        async def failing_show(message: ReminderMessage) -> None:
            assert not (self.locked or self.asleep), "a reminder shown behind a lock or in sleep"
            assert self.hours is None or self.hours.contains(self.d.clock.wall()), "off hours"
            self.shown += 1
            self.show_failed = self.show_fault is not None
            if self.show_fault is not None:
                self.tally.faults += 1
                raise self.show_fault
            await show(message)

        def failing_idle_seconds() -> float:
            if self.idle_dead:
                self.tally.faults += 1
                raise IdleSourceUnavailable("the fake idle source went away")
            return idle_seconds()

        def failing_save(snapshot: TrackerSnapshot, saved_at: datetime) -> None:
            if self.disk_full:
                self.tally.faults += 1
                raise OSError(errno.ENOSPC, "No space left on device")
            save(snapshot, saved_at)

        self.notifier.show = failing_show  # type: ignore[method-assign]
        self.d.idle.idle_seconds = failing_idle_seconds  # type: ignore[method-assign]
        self.d.store.save = failing_save  # type: ignore[method-assign]

    # -- running -----------------------------------------------------------------

    async def run(self, days: float) -> None:
        end = self.d.now + days * DAY
        steps, weights = zip(*self.steps, strict=True)
        while self.d.now < end:
            step = self.rng.choices(steps, weights)[0]
            self.drop_seen = self.drop_policy
            await step()
            await self.check()

    async def check(self) -> None:
        """The daemon answers, its status holds the invariants, its log has no new error."""
        d = self.d
        await d.settle()
        reply = await d.cli("status")
        assert reply["ok"], reply
        status: StatusReply = reply["status"]  # type: ignore[assignment]
        on_screen = self.notifier.on_screen
        if on_screen is not None and status["state"] != "reminding" and self.drop_seen:
            # A held repeat dropped after max_deferral stays on screen (test_found.py):
            # the user dismisses it, and the soak goes on to find something else.
            on_screen.withdrawn = True
            self.tally.known_bugs += 1
        moment = Moment(
            now=d.now,
            wall=d.clock.wall(),
            on_screen=self.notifier.on_screen is not None,
            asleep=self.asleep,
            show_failed=self.show_failed,
        )
        self.invariants.check(status, moment)
        self.tally.examples += 1
        assert new_errors(d.guard) == []

    def seconds(self, low: float, high: float) -> float:
        return self.rng.uniform(low, high)

    # -- the user ------------------------------------------------------------------

    async def wait(self) -> None:
        await self.d.advance(min(self.rng.expovariate(1 / (5 * MIN)), 2 * HOUR))

    async def away_for(self, seconds: float) -> None:
        self.d.idle.leave()
        await self.d.advance(seconds)
        self.d.idle.come_back()

    async def read(self) -> None:
        """No input for a while, less than a break."""
        await self.away_for(self.seconds(5, self.break_after_idle * 0.9))

    async def leave(self) -> None:
        await self.away_for(self.seconds(self.break_after_idle, 90 * MIN))

    async def night(self) -> None:
        await self.away_for(self.seconds(8 * HOUR, 16 * HOUR))

    async def command(self) -> None:
        command = self.rng.choice(COMMANDS)
        seconds = self.rng.choice(SECONDS)
        args = {} if seconds is None else {"seconds": seconds}
        reply = await self.d.cli(command, **args)
        if not reply["ok"]:
            self.tally.bad_inputs += 1
            assert isinstance(reply["message"], str) and reply["message"], reply

    async def press(self) -> None:
        if self.notifier.on_screen is None:
            return
        key = self.rng.choice(KEYS)
        self.tally.bad_inputs += key not in ("done", "skip", "default", "snooze:300", "snooze:1")
        self.notifier.press(key)

    async def lock(self) -> None:
        self.d.idle.leave()
        self.d.session(ScreenLocked())
        self.locked = True
        await self.d.advance(self.seconds(10, HOUR))
        await self.check()
        self.d.idle.come_back()
        self.d.session(ScreenUnlocked())
        self.locked = False

    async def suspend(self) -> None:
        """The lid closes; logind says so, or only the clocks show it afterwards."""
        told = self.rng.random() < 0.5
        self.d.idle.leave()
        if told:
            self.d.session(Sleeping())
            self.asleep = True
        self.d.clock.suspend(self.seconds(MIN, 10 * HOUR))
        if told:
            self.asleep = False
            self.d.session(Woke())
        await self.d.advance(0.5)
        await self.check()
        self.d.idle.come_back()

    async def toggle_busy(self) -> None:
        if self.d.observe_busy is None:
            return  # the watchers are restarting after a reload
        reasons = [] if self.busy else self.rng.sample(BUSY_REASONS, self.rng.randint(1, 2))
        self.d.busy(*reasons)
        self.busy = bool(reasons)

    async def toggle_inhibitor(self) -> None:
        self.inhibited = not self.inhibited
        self.d.session(InhibitorChanged(active=self.inhibited))

    async def step_wall_clock(self) -> None:
        """NTP or a hand-set clock: wall time moves by up to 10 minutes, either way."""
        await self.d.set_wall_clock(self.seconds(-10 * MIN, 10 * MIN))

    async def reload(self) -> None:
        assert self.d.daemon is not None
        if self.rng.random() < 0.25:
            self.tally.bad_inputs += 1
            self.d.config_file.write_text(self.rng.choice(BAD_CONFIGS))
        else:
            text = self.rng.choice(CONFIGS)
            self.d.config_file.write_text(text)
            settings = load_config_text(text, "soak").tracker_settings()
            self.break_after_idle = settings.break_after_idle
            self.hours = settings.active_hours
            self.drop_policy = settings.dont_interrupt.on_max_deferral == "drop"
            self.drop_seen |= self.drop_policy
        self.d.daemon.reload()
        await self.d.settle()
        self.busy = False
        if self.d.observe_busy is not None:
            self.d.busy()  # the watchers report afresh after a restart; start from free

    # -- faults ------------------------------------------------------------------

    async def toggle_notifier_fault(self) -> None:
        if self.show_fault is not None:
            self.show_fault = None
            return
        self.show_fault = self.rng.choice(
            [NotifierError("the notification server went away"), RuntimeError("a notifier bug")]
        )

    def toggle_off_faults(self) -> None:
        """Everything working again, for the daemon's own shutdown."""
        self.show_fault = None
        self.idle_dead = self.disk_full = False
        self.d.has_idle = True

    async def toggle_idle_fault(self) -> None:
        """The idle source dies (and cannot be found again) until it comes back."""
        self.idle_dead = not self.idle_dead
        self.d.has_idle = not self.idle_dead

    async def toggle_disk_full(self) -> None:
        self.disk_full = not self.disk_full

    async def command_hits_a_bug(self) -> None:
        """An adapter raises something it should not while a command takes its sample."""
        idle = self.d.idle
        working = idle.idle_seconds

        def broken() -> float:
            raise ZeroDivisionError("an adapter bug")

        idle.idle_seconds = broken  # type: ignore[method-assign]
        try:
            reply = await self.d.cli(self.rng.choice(COMMANDS[:-1]))
        finally:
            idle.idle_seconds = working  # type: ignore[method-assign]
        if "failed inside breakd" in str(reply.get("message")):
            self.tally.faults += 1  # else the daemon had no idle source to ask: nothing failed
