"""The control commands: one table for the CLI, the control surface and the core.

The CLI builds a subcommand from each entry, `Control` has one handler per entry,
and each command event in `events.py` names its entry; tests/test_commands.py
fails for a command that is missing from any of them. Plain data that imports
nothing: the CLI reads it on every call, `breakd status` included.
"""

from __future__ import annotations

STATUS = "status"
SNOOZE = "snooze"
DONE = "done"
SKIP = "skip"
PAUSE = "pause"
RESUME = "resume"
REMIND_NOW = "remind-now"
GUIDE = "guide"
CANCEL = "cancel"


class CommandSpec:
    """One command as the CLI offers it: a line of help and, for a command that takes
    a DURATION, what leaving it out means (None: it takes no duration)."""

    __slots__ = ("duration_default", "exercise", "name", "summary")

    def __init__(
        self,
        name: str,
        summary: str,
        duration_default: str | None = None,
        exercise: bool = False,
    ) -> None:
        self.name = name
        self.summary = summary
        self.duration_default = duration_default
        self.exercise = exercise
        """It takes an optional EXERCISE (a stretch's id) instead of a duration."""


COMMANDS: dict[str, CommandSpec] = {
    spec.name: spec
    for spec in (
        CommandSpec(STATUS, "show what breakd is tracking now"),
        CommandSpec(SNOOZE, "put off the current or next reminder", "the config's snooze.default"),
        CommandSpec(
            DONE, "mark the stretch as done: sitting restarts and the next stretch comes up"
        ),
        CommandSpec(
            SKIP, "let this reminder go: sitting restarts, the same stretch comes next time"
        ),
        CommandSpec(PAUSE, "stop tracking for a while, or until `breakd resume`", "until resumed"),
        CommandSpec(RESUME, "end a pause"),
        CommandSpec(REMIND_NOW, "show the next stretch now"),
        CommandSpec(
            GUIDE,
            "do the stretch now, guided: a countdown for each side (or resume a paused one)",
            exercise=True,
        ),
        CommandSpec(CANCEL, "stop the guided stretch: nothing counts, the reminder comes back"),
    )
}
