"""Session-event sources: screen lock, suspend and idle inhibitors, as core events.

One module per mechanism (logind, the ScreenSaver interfaces, GNOME's session
manager), each a watcher (`adapters/watcher.py`) on the daemon's loop;
`combined.py` merges what they say into one clean stream.

As soon as it watches, a source emits the state it reads (ScreenUnlocked and
InhibitorChanged(False) included), and again whenever its service is replaced:
it reports states, and `combined.py` turns them into changes. Used alone, a
source's first ScreenUnlocked would read as "the user is back".
"""

from __future__ import annotations

from collections.abc import Callable

from breakd.adapters.watcher import Watcher
from breakd.core.events import SessionEvent

Emit = Callable[[SessionEvent], None]

SessionEventSource = Watcher[SessionEvent]
