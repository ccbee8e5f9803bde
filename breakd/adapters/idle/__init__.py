"""Idle-time sources: how long since the user last touched keyboard or mouse.

One module per mechanism, each a row of `adapters/table.py`; `adapters/select.py`
decides which one runs here.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol


class IdleSourceUnavailable(Exception):
    """This mechanism cannot work here; the message is one sentence saying why."""


class IdleSource(Protocol):
    """Threading contract: called from one thread at a time, never concurrently; the
    daemon makes every call on its idle worker (`adapters/worker.py`), so a call may
    wait on another process, within a deadline of its own, without holding the loop.
    """

    name: str
    description: str
    """What it reads, in a few words, for the log and `breakd doctor` (which path
    answered, where there are several)."""

    def idle_seconds(self) -> float:
        """Seconds since the last user input; raises IdleSourceUnavailable if the source died."""
        ...

    def watch_for_input(self, on_input: Callable[[], None]) -> bool:
        """Call `on_input` once, on the event loop, at the user's next input.

        This is how the daemon notices a return without sampling on a beat while the
        user is away. A new call replaces the earlier watch. Returns False where the
        mechanism cannot tell: the daemon then samples every `activity.poll_every`.
        Should the source die while watching, `on_input` is called all the same, so
        that the next `idle_seconds` raises IdleSourceUnavailable with the reason.
        """
        ...

    def stop_watching(self) -> None:
        """Drop the watch, if any; safe to call at any time."""
        ...

    def close(self) -> None: ...


class SampledOnly:
    """For a source that can only be asked: the daemon samples it while the user is away."""

    def watch_for_input(self, on_input: Callable[[], None]) -> bool:
        return False

    def stop_watching(self) -> None:
        pass
