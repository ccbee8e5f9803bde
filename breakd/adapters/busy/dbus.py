"""What the D-Bus busy signals share: turning bus failures into the protocol's errors."""

from __future__ import annotations

from breakd.adapters.busy import BusySignalStopped, BusySignalUnavailable
from breakd.adapters.dbus.errors import ErrorsAs


class BusErrors(ErrorsAs):
    """D-Bus failures inside a busy signal's `watch`, as BusySignalUnavailable or Stopped."""

    unavailable = BusySignalUnavailable
    stopped = BusySignalStopped
