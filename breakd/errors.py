"""The error tree: every error a user can see, each with its exit code.

The CLI prints `str(error)` as one line (or one line per problem) and exits
with `exit_code`; nothing else reaches the terminal.

The CLI imports this module on every call, so it stays free of heavy imports
(no dataclasses: importing it costs more than a whole `breakd status`).
"""

from __future__ import annotations


class BreakdError(Exception):
    exit_code = 1


class UsageError(BreakdError):
    exit_code = 2


class ConfigProblem:
    """One thing wrong with a config file, with where it is."""

    __slots__ = ("file", "key", "line", "message")

    def __init__(self, file: str, line: int | None, key: str | None, message: str) -> None:
        self.file = file
        self.line = line
        self.key = key
        self.message = message

    def _fields(self) -> tuple[str, int | None, str | None, str]:
        return (self.file, self.line, self.key, self.message)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ConfigProblem) and self._fields() == other._fields()

    def __hash__(self) -> int:
        return hash(self._fields())

    def __repr__(self) -> str:
        return f"ConfigProblem{self._fields()!r}"

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        return f"{where}: {self.key}: {self.message}" if self.key else f"{where}: {self.message}"


class ConfigError(BreakdError):
    """All problems found in one config file, not only the first."""

    exit_code = 2
    SHOWN = 50
    """A file with more problems is not a config at all: the first ones say enough."""

    def __init__(self, problems: list[ConfigProblem]) -> None:
        super().__init__("\n".join(self.lines_for(problems)))
        self.problems = problems

    @classmethod
    def lines_for(cls, problems: list[ConfigProblem]) -> list[str]:
        lines = [str(problem) for problem in problems[: cls.SHOWN]]
        if len(problems) > cls.SHOWN:
            lines.append(f"... and {len(problems) - cls.SHOWN} more problems")
        return lines


class DaemonNotRunning(BreakdError):
    exit_code = 3


class AlreadyRunning(BreakdError):
    exit_code = 1


class CommandRejected(BreakdError):
    """The daemon understood the command but it does not apply now (e.g. resume when not paused)."""

    exit_code = 1
