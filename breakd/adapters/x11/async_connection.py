"""An X11 connection on the asyncio loop: requests, replies and events.

It connects, authenticates and sets up as `XConnection` does, in a thread of its
own, so that a hung X server holds no more than that thread; after that the
socket is handed to the loop: replies are matched to their requests by sequence
number, and events wait in a queue, so a watcher sleeps until the X server has
something to say.

References: X Window System Protocol (X11R7): InternAtom, GetProperty,
ChangeWindowAttributes, PropertyNotify.
"""

from __future__ import annotations

import asyncio
import struct

from breakd.adapters.worker import in_own_thread
from breakd.adapters.x11 import connection
from breakd.adapters.x11.connection import XConnection
from breakd.adapters.x11.errors import XError, XLost
from breakd.adapters.x11.wire import REPLY, kind, pad, whole_packets
from breakd.core.record import record

ANY_PROPERTY_TYPE = 0
ATOM = 4
STRING = 31
WINDOW = 33
WM_CLASS = 67
PROPERTY_NOTIFY = 28
PROPERTY_CHANGE_MASK = 0x400000
BAD_WINDOW = 3
_CW_EVENT_MASK = 0x800
_INTERN_ATOM = 16
_GET_PROPERTY = 20
_CHANGE_WINDOW_ATTRIBUTES = 2


@record
class PropertyNotify:
    window: int
    atom: int
    deleted: bool


@record
class Property:
    type: int
    format: int
    value: bytes

    def cardinals(self) -> list[int]:
        """The value as 32-bit numbers (ATOM, WINDOW, CARDINAL lists)."""
        if self.format != 32:
            return []
        return list(struct.unpack(f"<{len(self.value) // 4}I", self.value))


class AsyncXConnection(XConnection):
    """One X connection served by the loop. Connect with `open()`; `close()` when done."""

    def __init__(self, display: str) -> None:
        """Connects and sets up, blocking, within `connection.TIMEOUT` for each exchange."""
        self._loop: asyncio.AbstractEventLoop | None = None
        self.lost = False
        self._replies: dict[int, asyncio.Future[bytes]] = {}
        self._events: asyncio.Queue[PropertyNotify | None] = asyncio.Queue()
        super().__init__(display)

    @classmethod
    async def open(cls, display: str) -> AsyncXConnection:
        """Connect off the loop and hand the socket to the running loop; XUnavailable if not."""
        opened = await in_own_thread(lambda: cls(display), "x11-connect")
        opened._loop = asyncio.get_running_loop()
        opened._sock.setblocking(False)
        opened._loop.add_reader(opened.fileno(), opened._readable)
        return opened

    # -- requests ----------------------------------------------------------------

    def send(self, request: bytes) -> int:
        """Send one request; its sequence number."""
        if self.lost:
            raise XLost(f"the X server on {self.display} went away")
        try:
            self._sock.sendall(request)
        except OSError:
            self._hang_up()
            raise XLost(f"the X server on {self.display} went away") from None
        self._sequence = (self._sequence + 1) & 0xFFFF
        return self._sequence

    async def call(self, request: bytes) -> bytes:
        """Send a request that has a reply and return the reply; XError or XLost."""
        assert self._loop is not None
        sequence = self.send(request)
        future = self._loop.create_future()
        self._replies[sequence] = future
        try:
            return await asyncio.wait_for(future, connection.TIMEOUT)
        except asyncio.TimeoutError:
            raise XLost(f"the X server on {self.display} did not answer") from None
        finally:
            self._replies.pop(sequence, None)

    async def intern_atom(self, name: str) -> int:
        data = name.encode("latin-1")
        length = 2 + (len(data) + 3) // 4
        request = struct.pack("<BBHHxx", _INTERN_ATOM, 0, length, len(data)) + pad(data)
        (atom,) = struct.unpack_from("<I", await self.call(request), 8)
        return int(atom)

    async def get_property(
        self, window: int, atom: int, of_type: int = ANY_PROPERTY_TYPE, longs: int = 1024
    ) -> Property | None:
        """The property, or None when the window has none of that name."""
        request = struct.pack("<BBHIIIII", _GET_PROPERTY, 0, 6, window, atom, of_type, 0, longs)
        reply = await self.call(request)
        value_format = reply[1]
        value_type, _after, count = struct.unpack_from("<III", reply, 8)
        if value_type == 0:
            return None
        size = count * (value_format // 8)
        return Property(value_type, value_format, bytes(reply[32 : 32 + size]))

    def watch_properties(self, window: int) -> None:
        """Ask for PropertyNotify on `window`; an error (window gone) is ignored."""
        request = struct.pack(
            "<BxHIII", _CHANGE_WINDOW_ATTRIBUTES, 4, window, _CW_EVENT_MASK, PROPERTY_CHANGE_MASK
        )
        self.send(request)

    async def next_event(self) -> PropertyNotify:
        """The next PropertyNotify; XLost once the server is gone."""
        event = await self._events.get()
        if event is None:
            self._events.put_nowait(None)  # for any later caller too
            raise XLost(f"the X server on {self.display} went away")
        return event

    # -- what the loop calls -------------------------------------------------------

    def _readable(self) -> None:
        if not self._read_available():
            self._hang_up()
            return
        for packet in whole_packets(self._pending):
            self._dispatch(packet)

    def _dispatch(self, packet: bytes) -> None:
        code = kind(packet)
        if code <= REPLY:
            (sequence,) = struct.unpack_from("<H", packet, 2)
            future = self._replies.get(sequence)
            if future is not None and not future.done():
                if code == REPLY:
                    future.set_result(packet)
                else:
                    future.set_exception(XError(packet[1]))
        elif code == PROPERTY_NOTIFY:
            window, atom, _time, state = struct.unpack_from("<IIIB", packet, 4)
            self._events.put_nowait(PropertyNotify(window, atom, state == 1))

    def _hang_up(self) -> None:
        if self.lost:
            return
        self.lost = True
        if self._loop is not None:
            self._loop.remove_reader(self.fileno())
        for future in self._replies.values():
            if not future.done():
                future.set_exception(XLost(f"the X server on {self.display} went away"))
        self._events.put_nowait(None)

    def close(self) -> None:
        if self._loop is not None and not self.lost:
            self.lost = True
            self._loop.remove_reader(self.fileno())
        super().close()
