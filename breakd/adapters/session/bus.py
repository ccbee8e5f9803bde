"""The session sources' D-Bus failures as their protocol's errors (`SourceErrors`).

The D-Bus plumbing itself is in `breakd.adapters.dbus`.
"""

from __future__ import annotations

from breakd.adapters.dbus.errors import ErrorsAs
from breakd.adapters.session import SessionSourceStopped, SessionSourceUnavailable


class SourceErrors(ErrorsAs):
    """D-Bus failures inside a session source's `watch`: SessionSourceUnavailable before
    it watches (`started` still False), SessionSourceStopped after."""

    unavailable = SessionSourceUnavailable
    stopped = SessionSourceStopped
