"""An error that comes back with every event, logged without flooding the log.

On a full disk every command fails to save the state. The first failure is logged
at once; the same message again at most once a minute, with how many times it came
in between, so the log shows that it goes on and how often, in a few lines.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

EVERY = 60.0
REMEMBERED = 32  # distinct messages; the oldest is forgotten first


@dataclass
class _Seen:
    logged_at: float
    held: int = 0


class RepeatedLog:
    """Logs each distinct message, then holds back its repeats for `every` seconds.

    `monotonic` is the clock to measure that by: the daemon's own, so a test's fake
    clock holds too.
    """

    def __init__(
        self,
        logger: logging.Logger,
        monotonic: Callable[[], float] = time.monotonic,
        every: float = EVERY,
    ) -> None:
        self._logger = logger
        self._monotonic = monotonic
        self._every = every
        self._seen: dict[str, _Seen] = {}

    def log(
        self,
        level: int,
        message: str,
        *args: object,
        flush: bool = False,
        exc_info: bool = False,
    ) -> None:
        """Log `message % args` unless it was logged less than `every` seconds ago.

        `flush` logs it now regardless, with the count held back so far: the last
        chance to say it, as before stopping. `exc_info` adds the exception being
        handled, as `Logger.exception` does, to the lines that are logged.
        """
        text = message % args if args else message
        now = self._monotonic()
        seen = self._seen.get(text)
        if seen is not None and now - seen.logged_at < self._every and not flush:
            seen.held += 1
            return
        held = 0 if seen is None else seen.held
        self._logger.log(level, "%s%s", text, _more(held), exc_info=True if exc_info else None)
        self._seen.pop(text, None)
        self._seen[text] = _Seen(now)
        if len(self._seen) > REMEMBERED:
            del self._seen[next(iter(self._seen))]

    def error(
        self, message: str, *args: object, flush: bool = False, exc_info: bool = False
    ) -> None:
        self.log(logging.ERROR, message, *args, flush=flush, exc_info=exc_info)

    def warning(self, message: str, *args: object, flush: bool = False) -> None:
        self.log(logging.WARNING, message, *args, flush=flush)

    def reset(self) -> int | None:
        """Forget every message, so that the next one is logged at once: the trouble
        is over. Returns how many repeats were never logged, or None if nothing was."""
        if not self._seen:
            return None
        held = sum(seen.held for seen in self._seen.values())
        self._seen.clear()
        return held


def _more(held: int) -> str:
    if held == 0:
        return ""
    return f" ({held} more time{'s' * (held != 1)})"
