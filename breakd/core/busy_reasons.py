"""Why the user must not be interrupted: the kinds of busy reason, built and read here only.

A reason is "<kind>:<source>", e.g. "dnd:dunst" or "camera:zoom": the kind says
what holds a reminder back, the source which program or desktop said so. The busy
signals (breakd/adapters/busy) build reasons with `reason`, and the core reads
the kinds back with `kinds`, so neither side parses the other's strings. Reasons
stay plain strings because `breakd status --json` shows them as they are.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:  # typing only: `breakd status` reads the kinds, and imports nothing
    from collections.abc import Iterable

DND = "dnd"
"""A do-not-disturb switch is on (the notification server's, the desktop's, a Focus)."""
FULLSCREEN = "fullscreen"
"""The focused window is full screen."""
APP = "app"
"""The focused window is one the config says never to interrupt."""
CAMERA = "camera"
MICROPHONE = "microphone"
MEETING = "meeting"
"""An idle inhibitor that means a meeting (a call in a browser, zoom)."""
INHIBITOR = "inhibitor"
"""Any other idle inhibitor, with `dont_interrupt.inhibitors: any`."""

KINDS = frozenset({DND, FULLSCREEN, APP, CAMERA, MICROPHONE, MEETING, INHIBITOR})
IN_A_CALL = frozenset({CAMERA, MICROPHONE, MEETING})
"""The kinds that mean a call: a prompt held by one of them says the call is over."""


def reason(kind: str, source: str) -> str:
    """The reason `kind` from `source`: reason(CAMERA, "zoom") == "camera:zoom"."""
    return f"{kind}:{source}"


def kinds(reasons: Iterable[str]) -> frozenset[str]:
    """The kinds among `reasons`, whichever sources said them."""
    return frozenset(text.split(":", 1)[0] for text in reasons)
