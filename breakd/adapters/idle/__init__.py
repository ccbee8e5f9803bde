"""Idle-time sources: how long since the user last touched keyboard or mouse.

One module per mechanism. `adapters/select.py` is the one place that decides
which one runs here.
"""

from __future__ import annotations

from typing import Protocol


class IdleSourceUnavailable(Exception):
    """This mechanism cannot work here; the message is one sentence saying why."""


class IdleSource(Protocol):
    """Threading contract: called only from the daemon's event loop thread, never
    concurrently; `idle_seconds` must return quickly (one local round trip).
    """

    name: str

    def idle_seconds(self) -> float:
        """Seconds since the last user input; raises IdleSourceUnavailable if the source died."""
        ...

    def close(self) -> None: ...
