"""What the D-Bus busy signals share: bus failures as the protocol's errors, and the words."""

from __future__ import annotations

from breakd.adapters.busy import BusySignalStopped, BusySignalUnavailable
from breakd.adapters.dbus.errors import ErrorsAs


class BusErrors(ErrorsAs):
    """D-Bus failures inside a busy signal's `watch`, as BusySignalUnavailable or Stopped."""

    unavailable = BusySignalUnavailable
    stopped = BusySignalStopped


def dnd_now(what: str, on: bool) -> str:
    """A do-not-disturb probe's sentence: what is watched, then the switch as it is now."""
    return f"{what} (now: do not disturb is {'on' if on else 'off'})"
