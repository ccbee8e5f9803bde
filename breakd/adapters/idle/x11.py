"""X11 idle time from the MIT-SCREEN-SAVER extension, over breakd's own X11 layer.

The connection is `breakd.adapters.x11` (the wire protocol itself, no Xlib: see there
for why). It stays open: an X server started without `-noreset` (e.g. a bare Xvfb)
resets, and zeroes its idle counter, when its last client disconnects; and a round
trip on an open connection is far cheaper than a new connection with its
authentication and setup. A dead server is a closed socket, reported as
IdleSourceUnavailable.

While the user is away the daemon need not ask at all: the SYNC extension's IDLETIME
counter takes an alarm that the server fires at the next input, and the socket sleeps
in the event loop until then.

References: MIT-SCREEN-SAVER extension protocol 1.1, ScreenSaverQueryInfo; X
Synchronization Extension Protocol 3.1 (Initialize, ListSystemCounters, CreateAlarm,
QueryAlarm, DestroyAlarm, AlarmNotify).
"""

from __future__ import annotations

import contextlib
import functools
import os
import struct
from collections.abc import Callable, Iterator
from typing import NamedTuple

from breakd.adapters.idle import IdleSourceUnavailable
from breakd.adapters.idle.watch import InputWatch
from breakd.adapters.x11.connection import XConnection
from breakd.adapters.x11.errors import XLost, XUnavailable
from breakd.adapters.x11.wire import query_extension

_SCREEN_SAVER_QUERY_INFO = 1  # minor opcode

# SYNC: minor opcodes, the AlarmNotify event (after the extension's first event), and
# CreateAlarm's value-mask: counter, value type, value, test type, delta and events,
# all given.
_SYNC_INITIALIZE = 0
_SYNC_LIST_SYSTEM_COUNTERS = 1
_SYNC_CREATE_ALARM = 8
_SYNC_QUERY_ALARM = 10
_SYNC_DESTROY_ALARM = 11
_ALARM_NOTIFY = 1
_ALL_ALARM_VALUES = 0x3F
_ABSOLUTE = 0
_NEGATIVE_COMPARISON = 3


@contextlib.contextmanager
def _as_unavailable() -> Iterator[None]:
    """The X layer's failures as the idle source's own error, in the same sentence."""
    try:
        yield
    except XUnavailable as error:
        raise IdleSourceUnavailable(str(error)) from None


class _IdleCounter(NamedTuple):
    """The SYNC extension's IDLETIME counter on one connection, and the alarm requests."""

    opcode: int
    alarm_notify: int
    """The event code of AlarmNotify on this server."""
    counter: int

    def create_alarm(self, alarm: int, at_most: int) -> bytes:
        """An alarm that goes off once, with an event, when the idle time is at most
        `at_most` ms (a comparison, not a transition: true already means at once)."""
        return struct.pack(
            "<BBHIIIIiIIiII",
            self.opcode,
            _SYNC_CREATE_ALARM,
            11,
            alarm,
            _ALL_ALARM_VALUES,
            self.counter,
            _ABSOLUTE,
            at_most >> 32,
            at_most & 0xFFFFFFFF,
            _NEGATIVE_COMPARISON,
            0,  # delta 0: inactive once fired (a positive one is refused for this test)
            0,
            1,  # events to us
        )

    def alarm_request(self, minor: int, alarm: int) -> bytes:
        """QueryAlarm or DestroyAlarm."""
        return struct.pack("<BBHI", self.opcode, minor, 2, alarm)


def _find_idle_counter(connection: XConnection) -> _IdleCounter | None:
    """The server's IDLETIME counter; None without SYNC or without that counter."""
    reply = connection.round_trip(query_extension(b"SYNC"), "SYNC extension query")
    present, opcode, first_event = reply[8:11]
    if not present:
        return None
    initialize = struct.pack("<BBHBBxx", opcode, _SYNC_INITIALIZE, 2, 3, 1)  # version 3.1
    connection.round_trip(initialize, "SYNC initialisation")
    listing = struct.pack("<BBH", opcode, _SYNC_LIST_SYSTEM_COUNTERS, 1)
    reply = connection.round_trip(listing, "SYNC counter list")
    # Each entry: counter, resolution (8 bytes), name length, name; padded to 4 bytes.
    (count,) = struct.unpack_from("<I", reply, 8)
    offset = 32
    try:
        for _ in range(count):
            counter, _resolution, length = struct.unpack_from("<IQH", reply, offset)
            if reply[offset + 14 : offset + 14 + length] == b"IDLETIME":
                return _IdleCounter(opcode, first_event + _ALARM_NOTIFY, counter)
            offset += 14 + length + (-(14 + length) % 4)
    except struct.error:  # a malformed list: no counter we can trust
        pass
    return None


class _Alarm(NamedTuple):
    """The armed alarm, and the loop's watch that waits for its AlarmNotify."""

    counter: _IdleCounter
    id: int
    watch: InputWatch


class X11IdleSource:
    """Idle time of an X11 session, read from the server's MIT-SCREEN-SAVER extension.

    Works under Xvfb too. Not under Wayland-only sessions; XWayland's counter only sees
    input that goes to X clients, so the selector should prefer a Wayland source there.
    Opening and each query wait at most a few seconds for an unresponsive server (only
    the name lookup of a remote DISPLAY's host is not bounded).
    """

    name = "x11-screensaver"
    description = "the X server's MIT-SCREEN-SAVER idle time"

    def __init__(self, display: str | None = None) -> None:
        """Connect to `display` (default: $DISPLAY); raise IdleSourceUnavailable if useless."""
        display = display or os.environ.get("DISPLAY") or None
        if display is None:
            raise IdleSourceUnavailable("DISPLAY is not set (no X11 session)")
        self.display = display
        self._connection: XConnection | None = None
        self._alarm: _Alarm | None = None
        with _as_unavailable():
            connection = XConnection(display)
        try:
            with _as_unavailable():
                reply = connection.round_trip(
                    query_extension(b"MIT-SCREEN-SAVER"), "extension query"
                )
        except BaseException:
            connection.close()
            raise
        present, major_opcode = reply[8], reply[9]
        if not present:
            connection.close()
            raise IdleSourceUnavailable(
                f"the X server on {display} has no MIT-SCREEN-SAVER extension"
            )
        self._query = struct.pack(
            "<BBHI", major_opcode, _SCREEN_SAVER_QUERY_INFO, 2, connection.root
        )
        connection.on_event = self._on_event
        self._connection = connection

    @classmethod
    def open(cls, display: str | None = None) -> X11IdleSource:
        """Same as the constructor; reads better at call sites that try several sources."""
        return cls(display)

    def idle_seconds(self) -> float:
        """One QueryInfo round trip; raises IdleSourceUnavailable once the server is gone."""
        return self._idle_ms() / 1000.0

    def _idle_ms(self) -> int:
        with _as_unavailable():
            reply = self._live_connection().round_trip(self._query, "idle-time query")
        # Reply: type, state, sequence, length, saver window, ms until saver, ms idle, ...
        (idle_ms,) = struct.unpack_from("<I", reply, 16)
        return int(idle_ms)

    def _live_connection(self) -> XConnection:
        if self._connection is None:
            raise IdleSourceUnavailable("the X11 idle source is closed")
        return self._connection

    @functools.cached_property
    def _idle_counter(self) -> _IdleCounter | None:
        """Looked up at the first watch, not at opening: a source tried and passed over,
        or only sampled, costs one round trip as before."""
        return _find_idle_counter(self._live_connection())

    def watch_for_input(self, on_input: Callable[[], None]) -> bool:
        """Arm an alarm for when IDLETIME falls below its value now: the next input resets it.

        False without SYNC or IDLETIME, or when the server refuses or does not answer.
        """
        self.stop_watching()
        try:
            connection = self._live_connection()
            counter = self._idle_counter
            if counter is None:
                return False
            # Just below the idle time now: an input since that reading fires at once.
            at_most = max(self._idle_ms() - 1, 0)
            watch = InputWatch(
                connection.fileno(), connection.read_waiting, XLost, lambda: self._fired(on_input)
            )
            alarm = self._alarm = _Alarm(counter, connection.new_id(), watch)
            connection.send_request(counter.create_alarm(alarm.id, at_most))
            # An X error here means the server refused that alarm.
            query = counter.alarm_request(_SYNC_QUERY_ALARM, alarm.id)
            connection.round_trip(query, "alarm check")
        except (IdleSourceUnavailable, XUnavailable):
            self.stop_watching()
            return False
        return True

    def stop_watching(self) -> None:
        """Destroy the alarm, if any; its AlarmNotify still on the way will be ignored."""
        alarm, self._alarm = self._alarm, None
        if alarm is None:
            return
        alarm.watch.end()
        if self._connection is not None:
            with contextlib.suppress(XUnavailable):  # gone with the server
                self._connection.send_request(
                    alarm.counter.alarm_request(_SYNC_DESTROY_ALARM, alarm.id)
                )

    def _on_event(self, packet: bytes) -> None:
        """An AlarmNotify for our alarm: it went off (or, rarely, another client destroyed
        it: look again all the same)."""
        alarm = self._alarm
        if alarm is None or packet[0] != alarm.counter.alarm_notify:
            return
        if struct.unpack_from("<I", packet, 4)[0] == alarm.id:
            alarm.watch.fire_soon()

    def _fired(self, on_input: Callable[[], None]) -> None:
        self.stop_watching()  # the alarm is spent, but still takes room on the server
        on_input()

    def close(self) -> None:
        """Disconnect; safe to call twice, and on a dead server."""
        self.stop_watching()
        connection, self._connection = self._connection, None
        if connection is not None:
            connection.close()

    def __enter__(self) -> X11IdleSource:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
