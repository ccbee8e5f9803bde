"""Idle time on Wayland compositors other than GNOME and KDE's own paths (Sway, Hyprland,
river, niri, labwc, Wayfire, COSMIC): the compositor's idle protocol, over breakd's own
Wayland client (`adapters/wayland`).

Two protocols say it: `ext_idle_notifier_v1` (the standard: wlroots 0.16+, KWin,
Hyprland, niri, COSMIC) and its predecessor `org_kde_kwin_idle` (older wlroots, such as
Sway 1.7). Neither gives an idle time to sample: the compositor says "idle" once no input
came for a timeout the client chose, and "resumed" at the next input. And a
notification's clock starts when it is made, not at the last input, so one made later
for a longer timeout cannot reach back.

So the source keeps one notification with a short timeout (`NOTICE_MS`) armed for good.
Its "idle", read as it comes, says the last input was `NOTICE_MS` before: from then on
the idle time is known to the moment, for every threshold the tracker has (going away,
a reminder held for an empty chair), and "resumed" marks the return. Before it fires
the idle time is under the timeout and reads as 0. The protocols carry no timestamps,
so an edge is timed by its reading: the event loop watches the socket for as long as
the source is open (the worker reads), which wakes the daemon twice for each pause in
the user's input longer than `NOTICE_MS`, and never otherwise.

Limits: idle time from before the source opened is not seen (the notification's clock
starts then). Idle inhibitors (a video player) hold back the notification on
`org_kde_kwin_idle` and on version 1 of the ext protocol, so there the user counts as
present while one is held; version 2's `get_input_idle_notification` counts input
only, and the tracker judges inhibitors itself (`activity.inhibitors_count_as_present`).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import time
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

from breakd.adapters.idle import IdleSourceUnavailable

if TYPE_CHECKING:
    from breakd.adapters.idle.watch import InputWatch
    from breakd.adapters.wayland.connection import WaylandConnection

# The Wayland client (`adapters/wayland`) is imported once WAYLAND_DISPLAY is set: an
# X11 session tries this source before its own and should not carry it.

NOTICE_MS = 5000
"""The notification's timeout: idle times under it read as 0. Below every threshold
worth having (a reminder waits for a user idle under 30 s), and long enough that
typing with short pauses does not wake the daemon."""

_SEAT = "wl_seat"


@contextlib.contextmanager
def _as_unavailable() -> Iterator[None]:
    """The Wayland layer's failures as the idle source's own error, in the same sentence."""
    from breakd.adapters.wayland.errors import WaylandUnavailable

    try:
        yield
    except WaylandUnavailable as error:
        raise IdleSourceUnavailable(str(error)) from None


class WaylandIdleSource:
    """Idle time from the compositor's ext-idle-notify-v1, or else org_kde_kwin_idle.

    Each call waits a few seconds at most for an unresponsive compositor; one that went
    away is a closed socket, reported as IdleSourceUnavailable (the daemon tries again
    later, as with any source).
    """

    name = "wayland-idle-notify"

    def __init__(
        self, display: str | None = None, monotonic: Callable[[], float] = time.monotonic
    ) -> None:
        """Connect to `display` (default: $WAYLAND_DISPLAY) and arm the notification."""
        display = display or os.environ.get("WAYLAND_DISPLAY") or None
        if display is None:
            raise IdleSourceUnavailable("WAYLAND_DISPLAY is not set (no Wayland session)")
        from breakd.adapters.wayland.connection import WaylandConnection

        self._monotonic = monotonic
        self._idle_since: float | None = None
        """Monotonic time of the last input, once the notification said idle."""
        self._reader: InputWatch | None = None
        """The loop's watch on the socket, so that each edge is read (and timed) as it comes."""
        self._on_input: Callable[[], None] | None = None
        self._post: Callable[[Callable[[], None]], object] = _now
        self._connection: WaylandConnection | None = None
        with _as_unavailable():
            connection = WaylandConnection(display)
        try:
            with _as_unavailable():
                self.description = self._arm(connection)
        except BaseException:
            connection.close()
            raise
        self._connection = connection
        self._keep_reading()

    def _arm(self, connection: WaylandConnection) -> str:
        """Bind the best protocol offered and ask for the notification; what it reads."""
        from breakd.adapters.wayland import protocols as p
        from breakd.adapters.wayland.errors import WaylandUnavailable

        offered = connection.globals
        if _SEAT not in offered:
            raise WaylandUnavailable("the compositor offers no seat (wl_seat)")
        if p.EXT_NOTIFIER in offered:
            request = p.EXT_GET_INPUT_IDLE_NOTIFICATION
            notifier = connection.bind(p.EXT_NOTIFIER, request.since)
            seat = connection.bind(_SEAT, 1)
            self._notification = connection.new_id(self._ext_event)
            self._release = p.EXT_NOTIFICATION_DESTROY
            if offered[p.EXT_NOTIFIER].version >= request.since:
                what = "input idle notification"
            else:
                request, what = p.EXT_GET_IDLE_NOTIFICATION, "idle notification"
            connection.send(notifier, request, self._notification, NOTICE_MS, seat)
            description = f"the compositor's {p.EXT_NOTIFIER} ({what})"
        elif p.KDE_IDLE in offered:
            idle = connection.bind(p.KDE_IDLE, 1)
            seat = connection.bind(_SEAT, 1)
            self._notification = connection.new_id(self._kde_event)
            self._release = p.KDE_TIMEOUT_RELEASE
            connection.send(idle, p.KDE_GET_IDLE_TIMEOUT, self._notification, seat, NOTICE_MS)
            description = f"the compositor's {p.KDE_IDLE} idle timeout"
        else:
            raise WaylandUnavailable(
                f"the compositor offers neither {p.EXT_NOTIFIER} nor {p.KDE_IDLE}"
            )
        connection.round_trip("the idle notification")  # a refusal is an error here
        return description

    # -- events -----------------------------------------------------------------------

    def _ext_event(self, opcode: int, payload: bytes) -> None:
        from breakd.adapters.wayland import protocols as p

        self._edge(idle=opcode == p.EXT_IDLED.opcode, resumed=opcode == p.EXT_RESUMED.opcode)

    def _kde_event(self, opcode: int, payload: bytes) -> None:
        from breakd.adapters.wayland import protocols as p

        self._edge(idle=opcode == p.KDE_IDLE_EVENT.opcode, resumed=opcode == p.KDE_RESUMED.opcode)

    def _edge(self, idle: bool, resumed: bool) -> None:
        if idle:
            self._idle_since = self._monotonic() - NOTICE_MS / 1000
        elif resumed:
            self._idle_since = None
            self._input_came()

    def _input_came(self) -> None:
        """The watch, if any, goes off: after the call that met the news, never inside it."""
        on_input, self._on_input = self._on_input, None
        if on_input is not None:
            self._post(on_input)

    def _keep_reading(self) -> None:
        """Have the event loop watch the socket, from the daemon's worker or loop; without
        a loop (`breakd doctor`) edges are read at each call, which times them late."""
        if self._reader is not None or self._connection is None:
            return
        from breakd.adapters.idle.watch import InputWatch
        from breakd.adapters.wayland.errors import WaylandLost

        connection = self._connection
        with contextlib.suppress(RuntimeError):
            self._reader = InputWatch(
                connection.fileno(), connection.read_waiting, WaylandLost, self._lost
            )

    def _lost(self) -> None:
        """The compositor went away while the loop watched: a watch goes off, so that the
        daemon's next call hears why."""
        self._reader = None
        self._input_came()

    # -- the source -----------------------------------------------------------------------

    @classmethod
    def open(cls, display: str | None = None) -> WaylandIdleSource:
        """Same as the constructor; reads better at call sites that try several sources."""
        return cls(display)

    def idle_seconds(self) -> float:
        """One round trip, so that every edge sent before it is counted; raises
        IdleSourceUnavailable once the compositor is gone."""
        with _as_unavailable():
            self._live_connection().round_trip("idle-time check")
        self._keep_reading()
        since = self._idle_since
        return 0.0 if since is None else max(0.0, self._monotonic() - since)

    def _live_connection(self) -> WaylandConnection:
        if self._connection is None:
            raise IdleSourceUnavailable("the Wayland idle source is closed")
        return self._connection

    def watch_for_input(self, on_input: Callable[[], None]) -> bool:
        """Watch for "resumed"; at once if an input came since the notification last
        said idle. False when the compositor does not answer, or no loop reads."""
        self.stop_watching()
        try:
            with _as_unavailable():
                self._live_connection().round_trip("the state before watching")
        except IdleSourceUnavailable:
            return False
        self._keep_reading()
        if self._reader is None:
            return False
        from breakd.adapters.worker import current_worker

        worker = current_worker()
        if worker is not None and worker.loop is not None:
            self._post = worker.post
        else:
            self._post = asyncio.get_running_loop().call_soon
        self._on_input = on_input
        if self._idle_since is None:  # an input within NOTICE_MS: back already
            self._input_came()
        return True

    def stop_watching(self) -> None:
        self._on_input = None

    def close(self) -> None:
        """Release the notification and disconnect; safe to call twice, and on a dead
        compositor."""
        self.stop_watching()
        reader, self._reader = self._reader, None
        if reader is not None:
            reader.end()
        connection, self._connection = self._connection, None
        if connection is not None:
            with contextlib.suppress(IdleSourceUnavailable), _as_unavailable():
                connection.send(self._notification, self._release)
            connection.close()

    def __enter__(self) -> WaylandIdleSource:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def _now(call: Callable[[], None]) -> None:
    call()
