"""Session-event sources: screen lock, suspend and idle inhibitors, as core events.

One module per mechanism (logind, the ScreenSaver interfaces, GNOME's session
manager). Each watches its D-Bus signals on the daemon's loop and hands the
daemon core events; `combined.py` merges several into one clean stream.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from breakd.core.events import SessionEvent

Emit = Callable[[SessionEvent], None]


class SessionSourceUnavailable(Exception):
    """This mechanism is not here; the message says why in one sentence."""


class SessionSourceStopped(Exception):
    """The mechanism worked and then went away (its bus hung up, its service left)."""


class SessionEventSource(Protocol):
    """Threading contract: `watch` runs as a task on the daemon's asyncio loop and calls
    `emit` from that loop only. It raises SessionSourceUnavailable before emitting
    anything if the mechanism is missing, and returns or raises (SessionSourceStopped)
    when the bus goes away.

    As soon as it watches, a source emits the state it reads (ScreenUnlocked and
    InhibitorChanged(False) included), and again whenever its service is replaced:
    it reports states, and `combined.py` turns them into changes. Used alone, a
    source's first ScreenUnlocked would read as "the user is back".
    """

    name: str

    async def probe(self) -> str:
        """Check the mechanism without watching it: one sentence on what would be
        watched and what it says now; raises SessionSourceUnavailable with the reason.
        """
        ...

    async def watch(self, emit: Emit) -> None: ...
