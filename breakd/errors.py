"""The error tree: every error a user can see, each with its exit code.

The CLI prints `str(error)` as one line (or one line per problem) and exits
with `exit_code`; nothing else reaches the terminal.
"""

from __future__ import annotations

from dataclasses import dataclass


class BreakdError(Exception):
    exit_code = 1


class UsageError(BreakdError):
    exit_code = 2


@dataclass(frozen=True)
class ConfigProblem:
    """One thing wrong with a config file, with where it is."""

    file: str
    line: int | None
    key: str | None
    message: str

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        return f"{where}: {self.key}: {self.message}" if self.key else f"{where}: {self.message}"


class ConfigError(BreakdError):
    """All problems found in one config file, not only the first."""

    exit_code = 2

    def __init__(self, problems: list[ConfigProblem]) -> None:
        super().__init__("\n".join(str(problem) for problem in problems))
        self.problems = problems


class DaemonNotRunning(BreakdError):
    exit_code = 3


class AlreadyRunning(BreakdError):
    exit_code = 1


class CommandRejected(BreakdError):
    """The daemon understood the command but it does not apply now (e.g. resume when not paused)."""

    exit_code = 1
