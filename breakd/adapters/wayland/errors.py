"""How talking to a Wayland compositor fails, each error one sentence for the log and
`breakd doctor`."""

from __future__ import annotations


class WaylandUnavailable(Exception):
    """This compositor cannot be used: no socket, refused, or malformed; why, in one sentence."""


class WaylandLost(WaylandUnavailable):
    """The compositor closed the connection, or did not answer in time."""


class WaylandError(WaylandUnavailable):
    """The compositor reported a protocol error (wl_display.error), and closes the connection."""

    def __init__(self, object_id: int, code: int, message: str) -> None:
        super().__init__(
            f"the compositor reported a protocol error on object {object_id} (code {code}): {message}"
        )
        self.object_id = object_id
        self.code = code
