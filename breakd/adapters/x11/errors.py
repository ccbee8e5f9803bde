"""How talking to an X server fails, each error one sentence for the log and `breakd doctor`."""

from __future__ import annotations


class XUnavailable(Exception):
    """This X server cannot be used: no such display, refused, or malformed; why, in one
    sentence."""


class XLost(XUnavailable):
    """The X server closed the connection, or did not answer in time."""


class XError(XUnavailable):
    """The X server refused a request; `code` is the X error code (3: BadWindow)."""

    def __init__(self, code: int, message: str | None = None) -> None:
        super().__init__(message or f"X error {code}")
        self.code = code
