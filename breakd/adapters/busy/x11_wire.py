"""An X11 connection on the asyncio loop: requests, replies and events, no Xlib.

Builds on `breakd.adapters.idle.x11`, which connects, authenticates and sets up
over the raw X socket in pure Python (see there for why no Xlib). After that
the socket is handed to the loop: replies are matched to their requests by
sequence number, and events wait in a queue, so a watcher sleeps until the X
server has something to say.

References: X Window System Protocol (X11R7): InternAtom, GetProperty,
ChangeWindowAttributes, PropertyNotify.
"""

from __future__ import annotations

import asyncio
import struct
from dataclasses import dataclass

from breakd.adapters.idle import IdleSourceUnavailable
from breakd.adapters.idle.x11 import _XConnection

CALL_TIMEOUT = 2.0
ANY_PROPERTY_TYPE = 0
ATOM = 4
STRING = 31
WINDOW = 33
WM_CLASS = 67
PROPERTY_NOTIFY = 28
PROPERTY_CHANGE_MASK = 0x400000
_CW_EVENT_MASK = 0x800
_INTERN_ATOM = 16
_GET_PROPERTY = 20
_CHANGE_WINDOW_ATTRIBUTES = 2
_GENERIC_EVENT = 35
BAD_WINDOW = 3


class XLost(Exception):
    """The X server closed the connection, or did not answer in time."""


class XError(Exception):
    """The X server refused a request; `code` is the X error code (3: BadWindow)."""

    def __init__(self, code: int) -> None:
        super().__init__(f"X error {code}")
        self.code = code


@dataclass(frozen=True)
class PropertyNotify:
    window: int
    atom: int
    deleted: bool


@dataclass(frozen=True)
class Property:
    type: int
    format: int
    value: bytes

    def cardinals(self) -> list[int]:
        """The value as 32-bit numbers (ATOM, WINDOW, CARDINAL lists)."""
        if self.format != 32:
            return []
        return list(struct.unpack(f"<{len(self.value) // 4}I", self.value))


class AsyncXConnection(_XConnection):
    """One X connection served by the loop. Connect with `open()`; `close()` when done."""

    def __init__(self, display: str) -> None:
        """Connects and sets up (blocking: a local server answers in well under 1 ms)."""
        super().__init__(display)
        self._buffer = bytearray(self._pending)
        self._replies: dict[int, asyncio.Future[bytes]] = {}
        self._events: asyncio.Queue[PropertyNotify | None] = asyncio.Queue()
        self._loop: asyncio.AbstractEventLoop | None = None
        self.lost = False

    @classmethod
    def open(cls, display: str) -> AsyncXConnection:
        """Connect and hand the socket to the running loop; IdleSourceUnavailable if not."""
        connection = cls(display)
        connection._loop = asyncio.get_running_loop()
        connection._sock.setblocking(False)
        connection._loop.add_reader(connection._sock.fileno(), connection._readable)
        return connection

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
            return await asyncio.wait_for(future, CALL_TIMEOUT)
        except asyncio.TimeoutError:
            raise XLost(f"the X server on {self.display} did not answer") from None
        finally:
            self._replies.pop(sequence, None)

    async def intern_atom(self, name: str) -> int:
        data = name.encode("latin-1")
        length = 2 + (len(data) + 3) // 4
        request = struct.pack("<BBHHxx", _INTERN_ATOM, 0, length, len(data)) + _padded(data)
        (atom,) = struct.unpack_from("<I", await self.call(request), 8)
        return int(atom)

    async def get_property(
        self, window: int, atom: int, kind: int = ANY_PROPERTY_TYPE, longs: int = 1024
    ) -> Property | None:
        """The property, or None when the window has none of that name."""
        request = struct.pack("<BBHIIIII", _GET_PROPERTY, 0, 6, window, atom, kind, 0, longs)
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
        try:
            chunk = self._sock.recv(65536)
        except (BlockingIOError, InterruptedError):
            return
        except OSError:
            chunk = b""
        if not chunk:
            self._hang_up()
            return
        buffer = self._buffer
        buffer += chunk
        while len(buffer) >= 32:
            kind = buffer[0] & 0x7F  # the top bit marks an event sent by a client
            size = 32
            if kind in (1, _GENERIC_EVENT):
                (extra,) = struct.unpack_from("<I", buffer, 4)
                size += 4 * extra
            if len(buffer) < size:
                break
            packet = bytes(buffer[:size])
            del buffer[:size]
            self._dispatch(kind, packet)

    def _dispatch(self, kind: int, packet: bytes) -> None:
        if kind in (0, 1):
            (sequence,) = struct.unpack_from("<H", packet, 2)
            future = self._replies.get(sequence)
            if future is not None and not future.done():
                if kind == 0:
                    future.set_exception(XError(packet[1]))
                else:
                    future.set_result(packet)
        elif kind == PROPERTY_NOTIFY:
            window, atom, _time, state = struct.unpack_from("<IIIB", packet, 4)
            self._events.put_nowait(PropertyNotify(window, atom, state == 1))

    def _hang_up(self) -> None:
        if self.lost:
            return
        self.lost = True
        if self._loop is not None:
            self._loop.remove_reader(self._sock.fileno())
        for future in self._replies.values():
            if not future.done():
                future.set_exception(XLost(f"the X server on {self.display} went away"))
        self._events.put_nowait(None)

    def close(self) -> None:
        if getattr(self, "_loop", None) is not None and not self.lost:
            assert self._loop is not None
            self.lost = True
            self._loop.remove_reader(self._sock.fileno())
        super().close()


def _padded(data: bytes) -> bytes:
    return data + b"\0" * (-len(data) % 4)


__all__ = ["AsyncXConnection", "IdleSourceUnavailable", "XError", "XLost"]
