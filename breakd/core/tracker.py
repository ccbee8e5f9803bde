"""The sitting tracker: a state machine fed events and an injected clock.

It performs no I/O and reads no clock of its own. Each `handle` call returns the
effects the daemon must perform, and `next_check()` says when the tracker next
needs a fresh idle sample: the moment a break could be complete, a reminder is
due, a snooze or pause ends, or active hours begin or end. Between those
moments nothing can change, so the daemon can sleep.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from breakd.core import history
from breakd.core.clock import Clock
from breakd.core.deferral import Deferral, Verdict
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
    CancelGuide,
    Command,
    Done,
    Event,
    EventRejected,
    IdleSampled,
    IdleSampleLate,
    InhibitorChanged,
    Pause,
    ReminderOpened,
    RemindNow,
    Resume,
    ScreenLocked,
    ScreenUnlocked,
    SessionEvent,
    Skip,
    Sleeping,
    Snooze,
    StartGuide,
    Woke,
)
from breakd.core.record import record
from breakd.core.settings import ActiveHours, TrackerSettings, day_of
from breakd.core.stretches import STRETCHES

TYPE_CHECKING = False
if TYPE_CHECKING:
    from breakd.core.guide import Guide, GuideFrame

_TRACKING = frozenset({State.SITTING, State.REMINDING, State.SNOOZED, State.GUIDING})
_SHOWING = frozenset({State.REMINDING, State.GUIDING})
# A reminder that falls due while there has been no input for this long waits
# for the next sign of life (or becomes a break): nobody is prompted at an empty chair.
PRESENT_WITHIN = 30.0


@record
class TrackerStatus:
    state: State
    sitting_seconds: float | None
    idle_seconds: float
    next_reminder_at: datetime | None
    snoozed_until: datetime | None
    paused_until: datetime | None
    exercise: str
    done_count: int
    skipped_count: int
    locked: bool = False
    inhibited: bool = False
    deferred_since: datetime | None = None
    deferred_reasons: tuple[str, ...] = ()
    busy_reasons: tuple[str, ...] = ()
    awaiting_return: bool = False
    """A reminder is due but waits for the user's next input (they look absent)."""
    active_again_at: datetime | None = None
    """Outside active hours: when they next begin, if within a week."""
    guide: GuideFrame | None = None
    """The guided stretch's frame now, while one runs or waits paused."""


@record
class TrackerSnapshot:
    """What survives a restart, in wall time since monotonic clocks restart with the machine.

    A restored one comes from the state store, which vouches for its values: times
    from 2000 to a day ahead, so no arithmetic on them can overflow, and counts >= 0.
    """

    exercise: str
    done_count: int = 0
    skipped_count: int = 0
    sitting_since: datetime | None = None
    snoozed_until: datetime | None = None
    paused: bool = False
    paused_until: datetime | None = None


class Tracker:
    """Owns all sitting state. Not thread-safe: one owner, the daemon's event loop."""

    def __init__(
        self,
        settings: TrackerSettings,
        clock: Clock,
        rng: random.Random | None = None,
    ) -> None:
        self._settings = settings
        self._clock = clock
        self._rng = rng or random.Random()
        now = clock.monotonic()
        self._state = State.SITTING
        self._last_input = now
        self._sitting_since: float | None = now
        # Where the seated span began: the history's unit of sitting, which a done or
        # skip (a new sitting time) does not end, and a break, pause or lock does.
        self._span_start = now
        self._reminded_at: float | None = None
        self._away_since: float | None = None
        self._shown_at: float | None = None
        self._repeat = 0
        self._snoozed_until: float | None = None
        self._paused_until: float | None = None
        self._exercise = settings.exercises[0]
        self._done_count = 0
        self._skipped_count = 0
        # A done or skip answered since the last reminder: with none out, a second
        # answer would count the same stretch twice.
        self._answered = False
        self._locked = False
        self._inhibited = False
        self._asleep_since: float | None = None
        self._last_sleep: tuple[float, float] | None = None
        # Unlocking, or an inhibitor ending, proves presence at that moment even
        # if the idle source saw no input: samples cannot reach back past it.
        self._input_floor = float("-inf")
        self._deferral = Deferral(settings.dont_interrupt)
        self._day = day_of(clock.wall(), settings.day_starts_at)
        self._guide: Guide | None = None
        # The guide's frame on screen (None: nothing of it is), and whether Cancel
        # goes back to a reminder (the guide began from one) or to sitting.
        self._guide_shown: GuideFrame | None = None
        self._guide_reminded = False

    # -- events ---------------------------------------------------------------

    def handle(self, event: Event) -> list[Effect]:
        """Apply one event; raises EventRejected for a command that does not apply now."""
        now = self._clock.monotonic()
        effects: list[Effect] = []
        self._follow_day()
        if isinstance(event, IdleSampled | IdleSampleLate | SessionEvent):
            self._observe(event, now, effects)
            self._follow_schedule(now, effects)
            self._follow_presence(now, effects)
        elif isinstance(event, ReminderOpened):
            self._follow_schedule(now, effects)
            self._open_reminder(now, effects)
        else:
            self._follow_schedule(now, effects)
            self._command(event, now, effects)
        self._follow_timers(now, effects)
        self._follow_guide(now, effects)
        return effects

    def reconfigure(self, settings: TrackerSettings) -> list[Effect]:
        """Take new settings, keeping what the user is in the middle of."""
        self._settings = settings
        self._deferral.settings = settings.dont_interrupt
        if self._exercise not in settings.exercises:
            self._exercise = settings.exercises[0]
        now = self._clock.monotonic()
        effects: list[Effect] = []
        self._follow_day()
        self._follow_schedule(now, effects)
        self._follow_timers(now, effects)
        return effects

    def _follow_day(self) -> None:
        """The day's counts start again from 0 once `day_starts_at` has passed."""
        today = day_of(self._clock.wall(), self._settings.day_starts_at)
        if today != self._day:
            self._day = today
            self._done_count = 0
            self._skipped_count = 0

    def _observe(self, event: Event, now: float, effects: list[Effect]) -> None:
        """Update what is known about input; presence rules then follow from it."""
        if isinstance(event, IdleSampled):
            self._take_sample(now, event.idle_seconds)
        elif isinstance(event, ScreenLocked):
            self._locked = True
            self._withdraw_for_absence(effects, "lock")
        elif isinstance(event, ScreenUnlocked):
            self._locked = False
            self._last_input = self._input_floor = now
        elif isinstance(event, Sleeping):
            self._asleep_since = now
            self._withdraw_for_absence(effects, "suspend")
        elif isinstance(event, Woke):
            if event.slept_seconds is not None:
                start = now - max(0.0, event.slept_seconds)
            else:
                start = self._asleep_since if self._asleep_since is not None else now
            self._asleep_since = None
            self._last_sleep = (start, now)
            self._last_input = min(self._last_input, start)
        elif isinstance(event, BusyChanged):
            self._deferral.set_busy(event.reasons, now)
            if self._deferral.busy:
                self._pause_guide(now, effects)
        elif isinstance(event, InhibitorChanged):
            if self._inhibited and not event.active and self._counts_inhibitor():
                self._last_input = self._input_floor = now
            self._inhibited = event.active

    def _take_sample(self, now: float, idle_seconds: float | None) -> None:
        if self._locked or self._asleep_since is not None:
            return  # nothing counts as input behind a lock screen or in suspend
        if idle_seconds is None or (self._inhibited and self._counts_inhibitor()):
            self._last_input = now
            return
        last_input = now - max(0.0, idle_seconds)
        if self._last_sleep is not None:
            start, end = self._last_sleep
            if start <= last_input <= end:
                # A source whose clock stopped during the suspend (X11's does):
                # its "last input" is really that long before the suspend began.
                last_input -= end - start
        self._last_input = max(last_input, self._input_floor)

    def _counts_inhibitor(self) -> bool:
        return self._settings.inhibitors_count_as_present

    def _withdraw_for_absence(self, effects: list[Effect], why: str) -> None:
        """No reminder stays on a locked or sleeping screen; it comes back if still due.
        A guide pauses, and offers to resume once the screen is back."""
        if self._state is State.GUIDING:
            self._pause_guide(self._clock.monotonic(), effects)
        elif self._state is State.REMINDING:
            self._clear_reminder(effects, why)
            self._move(State.SITTING, effects)

    def _command(self, event: Command, now: float, effects: list[Effect]) -> None:
        if isinstance(event, Pause):
            self._clear_reminder(effects, "pause")
            self._paused_until = None if event.seconds is None else now + event.seconds
            self._sitting_since = None
            self._move(State.PAUSED, effects)
        elif isinstance(event, Resume):
            if self._state is not State.PAUSED:
                raise EventRejected("refused_not_paused")
            self._paused_until = None
            self._leave_pause_or_hours(now, effects)
        else:
            self._require_tracking(event)
            if isinstance(event, Snooze):
                self._clear_reminder(effects)
                seconds = self._settings.snooze_default if event.seconds is None else event.seconds
                self._record_answer("snooze", now, effects, seconds=seconds)
                self._snoozed_until = now + seconds
                self._move(State.SNOOZED, effects)
            elif isinstance(event, (Done, Skip)):
                self._require_reminder(event, now)
                self._answered = True
                self._clear_reminder(effects)
                how = "done" if isinstance(event, Done) else "skip"
                self._record_answer(how, now, effects, exercise=self._exercise)
                self._reminded_at = None
                if isinstance(event, Done):
                    self._done_count += 1
                    self._exercise = self._following_exercise()
                else:
                    self._skipped_count += 1
                self._sitting_since = now
                self._move(State.SITTING, effects)
            elif isinstance(event, StartGuide):
                self._start_guide(event.exercise, now, effects)
            elif isinstance(event, CancelGuide):
                self._cancel_guide(now, effects)
            elif isinstance(event, RemindNow):
                if self._sitting_since is None:
                    self._sitting_since = now
                self._snoozed_until = None
                self._show(now, 0, effects)

    def _record_answer(
        self, how: str, now: float, effects: list[Effect], **details: object
    ) -> None:
        after = None if self._reminded_at is None else now - self._reminded_at
        details.update(how=how, after=after)
        effects.append(Record(history.ANSWER, now, details=tuple(details.items())))

    def _require_tracking(self, event: Command) -> None:
        allowed = _TRACKING | ({State.AWAY} if isinstance(event, RemindNow) else set())
        if self._state in allowed:
            return
        reasons = {
            State.AWAY: "refused_away",
            State.PAUSED: "refused_paused",
            State.OFF_HOURS: "refused_off_hours",
        }
        raise EventRejected(reasons[self._state])

    def _require_reminder(self, event: Done | Skip, now: float) -> None:
        """Honest counts: with no reminder out and none due, `done` records a stretch the
        user chose to do, once until the next reminder; `skip` has nothing to skip."""
        due = self._reminder_due()
        if self._state is not State.SITTING or (due is not None and due <= now):
            return  # a reminder on screen, snoozed, or due and held back
        if isinstance(event, Skip):
            raise EventRejected("refused_nothing_to_skip")
        if self._answered:
            raise EventRejected("refused_counted")

    def _open_reminder(self, now: float, effects: list[Effect]) -> None:
        """The reminder's Start (or its body): the guide replaces it on screen. On a
        paused guide's offer, the guide resumes."""
        if self._state is State.REMINDING:
            self._start_guide(None, now, effects)
        elif self._state is State.GUIDING and self._guide is not None and self._guide.paused:
            self._guide.resume(now)
            self._shown_at = None
        # else answered or withdrawn meanwhile: nothing to open

    # -- the guided stretch -----------------------------------------------------

    def _start_guide(self, exercise: str | None, now: float, effects: list[Effect]) -> None:
        """The guide takes the reminder's place on screen (no withdrawal: its first frame
        replaces the reminder), and no reminder comes while it runs."""
        if self._guide is not None:
            if not self._guide.paused:
                raise EventRejected("refused_guiding")
            self._guide.resume(now)
            self._shown_at = None
            return
        if exercise is not None and exercise not in STRETCHES:
            raise EventRejected("refused_unknown_exercise", exercise=exercise)
        from breakd.core.guide import Guide  # only once a guide starts

        chosen = exercise or self._exercise
        settings = self._settings
        self._guide_reminded = self._state is State.REMINDING
        self._guide = Guide(
            chosen, STRETCHES[chosen].each_side, settings.guide_get_ready, settings.hold, now
        )
        self._guide_shown = None
        self._shown_at = None
        self._snoozed_until = None
        self._deferral.clear()
        self._move(State.GUIDING, effects)

    def _cancel_guide(self, now: float, effects: list[Effect]) -> None:
        """Nothing counts. A guide begun from a reminder gives it back (its Snooze and Skip
        work again); one begun on the user's own goes, and sitting goes on."""
        if self._state is not State.GUIDING:
            raise EventRejected("refused_no_guide")
        self._drop_guide()
        if self._guide_reminded:
            self._show(now, self._repeat, effects)
        else:
            effects.append(WithdrawReminder())
            if self._sitting_since is None:
                self._sitting_since = now
            self._move(State.SITTING, effects)

    def _pause_guide(self, now: float, effects: list[Effect]) -> None:
        """Away, locked or busy: the guide waits, off screen, until the user is back."""
        if self._guide is None or self._guide.paused:
            return
        self._guide.pause(now)
        if self._guide_shown is not None:
            effects.append(WithdrawReminder())
            self._guide_shown = None

    def _drop_guide(self) -> None:
        self._guide = None
        self._guide_shown = None

    def _guide_hidden(self) -> bool:
        """Whether a guide frame must not be shown now: nobody to see it, or busy."""
        return self._locked or self._asleep_since is not None or self._deferral.busy

    def _follow_guide(self, now: float, effects: list[Effect]) -> None:
        """The frame due now, if it changed; at the end the stretch counts as done."""
        guide = self._guide
        if guide is None or self._state is not State.GUIDING:
            return
        if guide.finished(now):
            self._drop_guide()
            effects.append(guide.frame(now))  # the closing line, in place of the countdown
            self._record_answer("done", now, effects, exercise=guide.exercise, guided=True)
            self._reminded_at = None
            self._done_count += 1
            self._exercise = self._following_exercise()
            self._answered = True
            self._sitting_since = now
            self._move(State.SITTING, effects)
            return
        if self._guide_hidden():
            self._pause_guide(now, effects)
            return
        frame = guide.frame(now)
        if frame != self._guide_shown:
            if frame.paused and (self._guide_shown is None or not self._guide_shown.paused):
                self._shown_at = now  # the offer to resume repeats as a reminder would
            self._guide_shown = frame
            effects.append(frame)

    # -- the rules ------------------------------------------------------------

    def _follow_schedule(self, now: float, effects: list[Effect]) -> None:
        """Pause expiry and active hours, which override presence."""
        if self._state is State.PAUSED:
            if self._paused_until is None or now < self._paused_until:
                return
            self._paused_until = None
            self._leave_pause_or_hours(now, effects)
            return
        active = self._in_active_hours()
        if not active and self._state is not State.OFF_HOURS:
            self._clear_reminder(effects, "off_hours")
            self._sitting_since = None
            self._away_since = None
            self._move(State.OFF_HOURS, effects)
        elif active and self._state is State.OFF_HOURS:
            self._leave_pause_or_hours(now, effects)

    def _leave_pause_or_hours(self, now: float, effects: list[Effect]) -> None:
        if not self._in_active_hours():
            self._move(State.OFF_HOURS, effects)
        elif now - self._last_input >= self._settings.break_after_idle:
            self._away_since = self._last_input
            self._move(State.AWAY, effects)
        else:
            self._sitting_since = now
            self._move(State.SITTING, effects)

    def _follow_presence(self, now: float, effects: list[Effect]) -> None:
        if self._state in (State.PAUSED, State.OFF_HOURS):
            return
        away = now - self._last_input >= self._settings.break_after_idle
        if away and self._state is not State.AWAY:
            guide = self._guide if self._state is State.GUIDING else None
            if guide is not None:
                self._pause_guide(now, effects)
            self._clear_reminder(effects, self._absence())
            self._guide, self._guide_reminded = guide, False  # it waits for the return
            self._sitting_since = None
            self._away_since = self._last_input
            self._move(State.AWAY, effects)
        elif not away and self._state is State.AWAY:
            away_since = self._away_since if self._away_since is not None else self._last_input
            effects.append(NaturalBreak(seconds=self._last_input - away_since))
            effects.append(Record(history.BREAK, self._last_input, since=away_since))
            self._away_since = None
            self._answered = False  # a new stretch of sitting after a break
            self._sitting_since = self._last_input
            # Back to a paused guide: its offer to resume or finish comes up.
            self._move(State.SITTING if self._guide is None else State.GUIDING, effects)

    def _follow_timers(self, now: float, effects: list[Effect]) -> None:
        due = self._reminder_due()
        if due is None or now < due or self._looks_absent(now):
            return
        verdict = self._deferral.decide(now)
        if verdict is Verdict.HOLD:
            if self._state is State.SNOOZED:
                self._snoozed_until = None
                self._move(State.SITTING, effects)
            return
        pending = self._deferral.pending
        held_by = pending.reasons if pending else frozenset()
        held = None if pending is None else now - pending.since
        self._deferral.clear()
        if verdict is Verdict.DROP:
            details = (("held", held), ("held_by", sorted(held_by)))
            effects.append(Record(history.DROPPED, now, details=details))
            self._clear_reminder(effects, "dropped")  # a repeat dropped: the one on screen goes too
            self._sitting_since = now
            self._move(State.SITTING, effects)
            return
        repeat = self._repeat + 1 if self._state in _SHOWING else 0
        self._snoozed_until = None
        self._show(now, repeat, effects, held_by, held)

    def _show(
        self,
        now: float,
        repeat: int,
        effects: list[Effect],
        held_by: frozenset[str] = frozenset(),
        held: float | None = None,
    ) -> None:
        self._drop_guide()
        self._shown_at = now
        if repeat == 0:
            self._reminded_at = now
        self._repeat = repeat
        self._answered = False
        self._move(State.REMINDING, effects)
        sitting = self._sitting_for(now) or 0.0
        effects.append(ShowReminder(self._exercise, repeat, sitting, held_by))
        details: tuple[tuple[str, object], ...] = (("exercise", self._exercise), ("repeat", repeat))
        if held is not None:
            details += (("held", held), ("held_by", sorted(held_by)))
        effects.append(Record(history.REMINDER, now, details=details))

    def _clear_reminder(self, effects: list[Effect], why: str | None = None) -> None:
        """Take any reminder back; `why` it goes unanswered, None when the user answers it."""
        if self._state in _SHOWING:
            effects.append(WithdrawReminder())
            if why is not None:
                now = self._clock.monotonic()
                after = None if self._reminded_at is None else now - self._reminded_at
                details = (("why", why), ("after", after))
                effects.append(Record(history.UNANSWERED, now, details=details))
        if why is not None:
            self._reminded_at = None
        self._drop_guide()
        self._shown_at = None
        self._repeat = 0
        self._snoozed_until = None
        self._deferral.clear()

    def _move(self, state: State, effects: list[Effect]) -> None:
        if state is self._state:
            return
        effects.append(StateChanged(self._state, state))
        was, self._state = self._state, state
        now = self._clock.monotonic()
        if state in _TRACKING and was not in _TRACKING:
            self._span_start = now if self._sitting_since is None else self._sitting_since
            effects.append(Record(history.SAT_DOWN, self._span_start))
        elif was in _TRACKING and state not in _TRACKING:
            if state is State.AWAY:
                how = self._absence()
                end = now if self._away_since is None else self._away_since
            else:
                how = "pause" if state is State.PAUSED else "off_hours"
                end = now
            self._stood_up(max(end, self._span_start), how, effects)

    def _stood_up(self, end: float, how: str, effects: list[Effect]) -> None:
        effects.append(
            Record(history.STOOD_UP, end, since=self._span_start, details=(("how", how),))
        )

    def _absence(self) -> str:
        """What ended a span by absence: a lock screen, a suspend (the last input came
        before the latest one began), or the user just went: a natural break."""
        if self._locked:
            return "lock"
        if self._asleep_since is not None or (
            self._last_sleep is not None and self._last_input <= self._last_sleep[0]
        ):
            return "suspend"
        return "break"

    def begin(self) -> list[Effect]:
        """The history's first record of a daemon run: the seated span going on, if any.
        Called once, after `restore`."""
        if self._state not in _TRACKING:
            return []
        return [Record(history.SAT_DOWN, self._span_start)]

    def end(self) -> list[Effect]:
        """The daemon stops: the seated span going on ends here, for the history."""
        effects: list[Effect] = []
        if self._state in _TRACKING:
            self._stood_up(max(self._clock.monotonic(), self._span_start), "stop", effects)
        return effects

    def _following_exercise(self) -> str:
        enabled = self._settings.exercises
        if self._settings.order == "random":
            others = [exercise for exercise in enabled if exercise != self._exercise]
            return self._rng.choice(others) if others else enabled[0]
        position = enabled.index(self._exercise) if self._exercise in enabled else -1
        return enabled[(position + 1) % len(enabled)]

    def _looks_absent(self, now: float) -> bool:
        if self._locked or self._asleep_since is not None:
            return True
        return now - self._last_input >= min(PRESENT_WITHIN, self._settings.break_after_idle)

    def _in_active_hours(self) -> bool:
        hours = self._settings.active_hours
        return hours is None or hours.contains(self._clock.wall())

    def _sitting_for(self, now: float) -> float | None:
        return None if self._sitting_since is None else max(0.0, now - self._sitting_since)

    # -- questions --------------------------------------------------------------

    @property
    def state(self) -> State:
        return self._state

    @property
    def settings(self) -> TrackerSettings:
        return self._settings

    def next_check(self, input_watched: bool = False) -> float | None:
        """Monotonic time at which the tracker next needs a sample; None if only an
        event or a calendar edge (`TrackerSettings.calendar_edges`) can change anything.

        While the user's return is awaited (`awaiting_return`), the tracker asks for a
        sample every `poll_every`, unless `input_watched` says the idle source will
        report the next input by itself.
        """
        now = self._clock.monotonic()
        settings = self._settings
        candidates: list[float] = []
        if self.awaiting_return() and not input_watched:
            candidates.append(now + settings.poll_every)
        if self._state in _TRACKING:
            candidates.append(self._last_input + settings.break_after_idle)
        due = self._reminder_due()
        if due is not None and due > now:
            candidates.append(due)
        elif self._deferral.pending is not None:
            settled_or_expired = self._deferral.next_change()
            if settled_or_expired is not None and settled_or_expired > now:
                candidates.append(settled_or_expired)
        if self._state is State.PAUSED and self._paused_until is not None:
            candidates.append(self._paused_until)
        if self._state is State.GUIDING and self._guide is not None:
            tick = self._guide.next_change(now)
            if tick is not None:
                candidates.append(tick)
        return max(min(candidates), now + 0.01) if candidates else None

    def needs_idle_sample(self) -> bool:
        """Whether the next look needs a fresh idle reading. A running guide's frames
        need only the time: until the last input known is `break_after_idle` old, no
        reading could make the user away, so its once-a-second ticks go without one."""
        if self._state is not State.GUIDING or self._guide is None or self._guide.paused:
            return True
        now = self._clock.monotonic()
        return now >= self._last_input + self._settings.break_after_idle

    def awaiting_return(self) -> bool:
        """Whether only the user's next input can move things on: they are away, or a
        reminder is due but held for their return (behind a lock screen the unlock
        event says so instead)."""
        if self._state is State.AWAY:
            return True
        if self._locked:
            return False
        now = self._clock.monotonic()
        due = self._reminder_due()
        if due is None or due > now:
            return False
        if self._deferral.pending is None:
            return True
        # Held while busy: only once that hold is over does absence alone hold it.
        change = self._deferral.next_change()
        return not self._deferral.busy if change is None else change <= now

    def _reminder_due(self) -> float | None:
        if self._state is State.SITTING and self._sitting_since is not None:
            return self._sitting_since + self._settings.remind_after
        if self._state is State.SNOOZED:
            return self._snoozed_until
        if self._state in _SHOWING and self._settings.repeat_every > 0:
            # A running guide has no `_shown_at`; a paused one's offer repeats as a reminder.
            return None if self._shown_at is None else self._shown_at + self._settings.repeat_every
        return None

    def status(self) -> TrackerStatus:
        now = self._clock.monotonic()
        wall = self._clock.wall()
        due = self._reminder_due()
        next_reminder_at = None if due is None else _wall_at(wall, now, due)
        pending = self._deferral.pending
        hours = self._settings.active_hours
        if (
            next_reminder_at is not None
            and hours is not None
            and not hours.contains(next_reminder_at)
        ):
            next_reminder_at = None
        overdue = self._state in (State.SITTING, State.SNOOZED) and due is not None and due <= now
        return TrackerStatus(
            state=self._state,
            sitting_seconds=self._sitting_for(now),
            idle_seconds=max(0.0, now - self._last_input),
            next_reminder_at=next_reminder_at,
            snoozed_until=_maybe_wall_at(wall, now, self._snoozed_until),
            paused_until=_maybe_wall_at(wall, now, self._paused_until),
            exercise=self._exercise,
            done_count=self._done_count,
            skipped_count=self._skipped_count,
            locked=self._locked,
            inhibited=self._inhibited,
            deferred_since=None if pending is None else _wall_at(wall, now, pending.since),
            deferred_reasons=() if pending is None else tuple(sorted(pending.reasons)),
            busy_reasons=tuple(sorted(self._deferral.reasons)),
            awaiting_return=overdue and self._looks_absent(now),
            active_again_at=_next_start(hours, wall) if self._state is State.OFF_HOURS else None,
            guide=None if self._guide is None else self._guide.frame(now),
        )

    # -- persistence ----------------------------------------------------------

    def snapshot(self) -> TrackerSnapshot:
        now = self._clock.monotonic()
        wall = self._clock.wall()

        def whole_second(at: float | None) -> datetime | None:
            # Whole seconds keep two snapshots of an unchanged tracker equal, so
            # the daemon can skip writing when nothing changed.
            moment = _maybe_wall_at(wall, now, at)
            return None if moment is None else moment.replace(microsecond=0)

        return TrackerSnapshot(
            exercise=self._exercise,
            done_count=self._done_count,
            skipped_count=self._skipped_count,
            sitting_since=whole_second(self._sitting_since),
            snoozed_until=whole_second(self._snoozed_until),
            paused=self._state is State.PAUSED,
            paused_until=whole_second(self._paused_until),
        )

    def restore(self, snapshot: TrackerSnapshot, saved_at: datetime) -> None:
        """Carry on from a snapshot taken at `saved_at` (wall time).

        The rotation always carries over, the day's counts within the same day. Sitting time and a snooze carry
        over only if the daemon was down for less than `break_after_idle`: a longer
        gap was a break. A pause carries over until it ends.
        """
        now = self._clock.monotonic()
        wall = self._clock.wall()
        if snapshot.exercise in self._settings.exercises:
            self._exercise = snapshot.exercise
        if day_of(saved_at, self._settings.day_starts_at) == self._day:
            self._done_count = max(0, snapshot.done_count)
            self._skipped_count = max(0, snapshot.skipped_count)
        if snapshot.paused and (snapshot.paused_until is None or snapshot.paused_until > wall):
            self._state = State.PAUSED
            self._sitting_since = None
            self._paused_until = _monotonic_at(wall, now, snapshot.paused_until)
            return
        down_for = (wall - saved_at).total_seconds()
        if not 0 <= down_for < self._settings.break_after_idle:
            return
        if snapshot.sitting_since is not None and snapshot.sitting_since <= wall:
            self._sitting_since = _monotonic_at(wall, now, snapshot.sitting_since)
            # The span before the restart was recorded up to then; this one goes on from there.
            self._span_start = now - max(0.0, down_for)
        if snapshot.snoozed_until is not None and snapshot.snoozed_until > wall:
            self._snoozed_until = _monotonic_at(wall, now, snapshot.snoozed_until)
            self._state = State.SNOOZED


def _next_start(hours: ActiveHours | None, wall: datetime) -> datetime | None:
    """The next time active hours begin after `wall`, looking a week ahead."""
    if hours is None:
        return None
    for days_ahead in range(8):
        start = datetime.combine(
            (wall + timedelta(days=days_ahead)).date(), hours.start, wall.tzinfo
        )
        if start > wall and hours.contains(start):
            return start
    return None


def _wall_at(wall: datetime, now: float, at: float) -> datetime:
    return wall + timedelta(seconds=at - now)


def _maybe_wall_at(wall: datetime, now: float, at: float | None) -> datetime | None:
    return None if at is None else _wall_at(wall, now, at)


def _monotonic_at(wall: datetime, now: float, at: datetime | None) -> float | None:
    return None if at is None else now + (at - wall).total_seconds()
