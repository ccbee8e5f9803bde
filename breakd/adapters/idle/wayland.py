"""Wayland compositors other than GNOME and KDE (Sway, Hyprland, river...): none yet.

Their idle protocol is ext-idle-notify-v1. It gives no idle time to sample: the
compositor says "idled" once no input came for a timeout the client chose, and
"resumed" at the next input. A source would keep a Wayland connection and a
notification armed for good and turn those edges into a clock. pywayland could
speak it, but it needs libwayland-client through cffi and protocol code
generated from the XML at build time: more weight than one number is worth for
now. The selector names this source so that the log and `breakd doctor` say
plainly why such a session has no idle time, and the daemon counts the user
as present.
"""

from __future__ import annotations

import os

from breakd.adapters.idle import IdleSourceUnavailable, SampledOnly

NOT_SUPPORTED = (
    "this compositor has no idle source in breakd yet (ext-idle-notify-v1 is not supported)"
)


class WaylandIdleSource(SampledOnly):
    """Always unavailable; it exists to say why."""

    name = "wayland-ext-idle-notify"
    description = "the compositor's ext-idle-notify-v1 protocol"

    def __init__(self, display: str | None = None) -> None:
        display = display or os.environ.get("WAYLAND_DISPLAY") or None
        if display is None:
            raise IdleSourceUnavailable("WAYLAND_DISPLAY is not set (no Wayland session)")
        raise IdleSourceUnavailable(NOT_SUPPORTED)

    def idle_seconds(self) -> float:
        raise IdleSourceUnavailable(NOT_SUPPORTED)

    def close(self) -> None:
        """Nothing to close."""
