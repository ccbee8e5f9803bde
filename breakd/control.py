"""The daemon's whole control surface: one method per protocol command.

The CLI (over the control socket) and the notification's buttons both come in
here, so each command maps to a core event in this one place. Each command first
takes a fresh idle sample, so that it acts on the user's real state rather than on
the last scheduled sample, then answers with a sentence for people and the status
for scripts. Every sentence, a refusal included, is in the configured language.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Protocol

from breakd.core import commands
from breakd.core.durations import MAX_DURATION, format_duration
from breakd.core.events import (
    CancelGuide,
    Done,
    Event,
    EventRejected,
    Pause,
    RemindNow,
    Resume,
    Skip,
    Snooze,
    StartGuide,
)
from breakd.core.words import WORDS, Words
from breakd.ipc import protocol
from breakd.ipc.status import StatusReply
from breakd.repeated_log import RepeatedLog
from breakd.status_text import clock_time, state_text

log = logging.getLogger(__name__)


class ControlledDaemon(Protocol):
    async def refresh(self) -> None:
        """Take a fresh idle sample (waiting a fraction of a second at most) and act on it."""
        ...

    def apply(self, event: Event) -> None:
        """Hand a command to the tracker and perform its effects; may raise EventRejected."""
        ...

    def status(self) -> StatusReply: ...


class CommandRefused(Exception):
    """A command that cannot run; `code` is one of the protocol's error codes."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


class Control:
    def __init__(self, daemon: ControlledDaemon) -> None:
        self._daemon = daemon
        self._failures = RepeatedLog(log)
        self._handlers: dict[str, Callable[[dict[str, object]], str]] = {
            commands.STATUS: lambda args: "",
            commands.SNOOZE: self._snooze,
            commands.DONE: self._done,
            commands.SKIP: self._skip,
            commands.PAUSE: self._pause,
            commands.RESUME: self._resume,
            commands.REMIND_NOW: self._remind_now,
            commands.GUIDE: self._guide,
            commands.CANCEL: self._cancel,
        }

    @property
    def handled(self) -> frozenset[str]:
        """The commands with a handler: those of `commands.COMMANDS`, as a test holds."""
        return frozenset(self._handlers)

    async def execute(self, command: str, args: dict[str, object]) -> str:
        """Run one command; returns the sentence for people, raises CommandRefused."""
        run = self._handlers.get(command)
        if run is None:
            known = ", ".join(commands.COMMANDS)
            raise CommandRefused(
                protocol.UNKNOWN_COMMAND, f"unknown command {command!r}; expected one of {known}"
            )
        try:
            await self._daemon.refresh()
            return run(args)
        except EventRejected as error:
            raise CommandRefused(protocol.NOT_APPLICABLE, error.say(self._words())) from None
        except CommandRefused:
            raise
        except Exception:  # a bug or a broken adapter: this command fails, the daemon goes on
            raise self._failed(command) from None

    async def handle(self, command: str, args: dict[str, object]) -> bytes:
        """The control socket's handler: one encoded reply, an error one if anything failed."""
        try:
            message = await self.execute(command, args)
            try:
                return protocol.reply(message, self._daemon.status())
            except Exception:
                raise self._failed(command) from None
        except CommandRefused as refused:
            return protocol.error_reply(refused.code, str(refused))

    def _failed(self, command: str) -> CommandRefused:
        """Log the failure under way with its traceback (once a minute at most, should it
        come back with every request); the client gets one line."""
        self._failures.error("the %s command failed", command, exc_info=True)
        try:
            words = self._words()
        except Exception:  # the status itself may be what fails
            words = WORDS["en"]
        return CommandRefused(protocol.FAILED, words.command_failed.format(command=command))

    def _words(self) -> type[Words]:
        return WORDS[self._daemon.status()["language"]]

    def _snooze(self, args: dict[str, object]) -> str:
        self._daemon.apply(Snooze(_seconds(args)))
        status = self._daemon.status()
        return self._words().snoozed_until.format(time=clock_time(str(status["snoozed_until"])))

    def _done(self, args: dict[str, object]) -> str:
        self._daemon.apply(Done())
        return self._words().well_done.format(name=self._daemon.status()["exercise_name"])

    def _skip(self, args: dict[str, object]) -> str:
        self._daemon.apply(Skip())
        return self._words().skipped

    def _pause(self, args: dict[str, object]) -> str:
        self._daemon.apply(Pause(_seconds(args)))
        until = self._daemon.status()["paused_until"]
        words = self._words()
        return (
            words.paused_until.format(time=clock_time(until))
            if until
            else words.paused_until_resume
        )

    def _resume(self, args: dict[str, object]) -> str:
        self._daemon.apply(Resume())
        status = self._daemon.status()
        return self._words().resumed.format(state=state_text(status["state"], self._words()))

    def _remind_now(self, args: dict[str, object]) -> str:
        self._daemon.apply(RemindNow())
        return self._words().reminder_shown.format(name=self._daemon.status()["exercise_name"])

    def _guide(self, args: dict[str, object]) -> str:
        self._daemon.apply(StartGuide(_exercise(args)))
        guide = self._daemon.status()["guide"]
        name = guide["exercise_name"] if guide else self._daemon.status()["exercise_name"]
        return self._words().guide_started.format(name=name)

    def _cancel(self, args: dict[str, object]) -> str:
        self._daemon.apply(CancelGuide())
        return self._words().guide_cancelled


def _exercise(args: dict[str, object]) -> str | None:
    """A stretch's id from a client, or None for the one due; the tracker checks it is one."""
    value = args.get("exercise")
    if value is None or isinstance(value, str):
        return value
    raise CommandRefused(protocol.BAD_ARGUMENT, f"exercise must be a string, found {_shown(value)}")


def _seconds(args: dict[str, object]) -> float | None:
    """A duration from a client or a button: a number of seconds, within what the config allows."""
    value = args.get("seconds")
    if value is None:
        return None
    if (
        isinstance(value, bool)
        or not isinstance(value, (int, float))
        or not 0 < value <= MAX_DURATION  # also refuses NaN and the infinities
    ):
        raise CommandRefused(
            protocol.BAD_ARGUMENT,
            f"seconds must be a number above 0 and at most {MAX_DURATION}"
            f" ({format_duration(MAX_DURATION)}),"
            f" found {_shown(value)}",
        )
    return float(value)


def _shown(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."
