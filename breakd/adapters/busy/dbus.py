"""What the D-Bus busy signals share: turning bus failures into the protocol's errors."""

from __future__ import annotations

from typing import Any

from jeepney.wrappers import DBusErrorResponse

from breakd.adapters.busy import BusySignalStopped, BusySignalUnavailable
from breakd.adapters.session.bus import BusLost, BusUnavailable, CallTimedOut, describe_error


class BusErrors:
    """D-Bus failures inside a busy signal's `watch`, as BusySignalUnavailable or Stopped.

    Before the signal reports (`started` still False) a failure means the mechanism
    is not usable here; after, it went away. Either way in one sentence.
    """

    def __init__(self, service: str) -> None:
        self.service = service
        self.started = False

    def __enter__(self) -> BusErrors:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, tb: Any
    ) -> bool:
        if error is None or isinstance(error, (BusySignalStopped, BusySignalUnavailable)):
            return False
        if isinstance(error, BusUnavailable):
            raise BusySignalUnavailable(str(error)) from None
        if isinstance(error, BusLost):
            raise BusySignalStopped(str(error)) from None
        if isinstance(error, (CallTimedOut, DBusErrorResponse)):
            reason = f"{self.service}: {describe_error(error)}"
            if self.started:
                raise BusySignalStopped(reason) from None
            raise BusySignalUnavailable(reason) from None
        return False
