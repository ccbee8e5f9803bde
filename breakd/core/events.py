"""What can happen to the tracker: samples of the world and the user's commands."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class IdleSampled:
    """A fresh idle reading; None means no idle source, so the user counts as present."""

    idle_seconds: float | None


@dataclass(frozen=True)
class Done:
    """The user did the stretch."""


@dataclass(frozen=True)
class Skip:
    """The user let this one go; sitting restarts but nothing counts as done."""


@dataclass(frozen=True)
class Snooze:
    seconds: float | None = None


@dataclass(frozen=True)
class Pause:
    """Pause for `seconds`, or until resumed when None."""

    seconds: float | None = None


@dataclass(frozen=True)
class Resume:
    pass


@dataclass(frozen=True)
class RemindNow:
    pass


Event = IdleSampled | Done | Skip | Snooze | Pause | Resume | RemindNow


class EventRejected(ValueError):
    """A command that does not apply in the current state; the message says why."""
