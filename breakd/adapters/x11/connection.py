"""One X11 client connection, blocking: connect, authenticate, set up, then round trips.

Each exchange has a deadline, so an unresponsive server holds its caller for a few
seconds at most (only the name lookup of a remote DISPLAY's host is not bounded); the
daemon's callers are threads, never its loop (`idle_reader.py`, `async_connection.py`).
Between round trips the event loop may watch the socket and call `read_waiting`, so a
client that waits for an event sleeps until the server has one.
"""

from __future__ import annotations

import socket
import struct
import time
from collections.abc import Callable
from typing import NoReturn

from breakd.adapters.x11.display import (
    COOKIE_NAME,
    TCP_PORT,
    UNIX_SOCKET,
    auth_candidates,
    find_cookie,
    parse_display,
)
from breakd.adapters.x11.errors import XError, XLost, XUnavailable
from breakd.adapters.x11.wire import REPLY, kind, packet_size, pad, whole_packets

TIMEOUT = 2.0
"""Seconds for connect, setup and each reply; a local server answers in µs."""


class XConnection:
    """One X11 client connection: connect, authenticate, set up, then requests and replies.

    Blocking I/O with a deadline per exchange. A reply that arrives after its deadline
    is still framed correctly and skipped later by its sequence number. Events go to
    `on_event`, whoever meets them: a round trip, or the event loop's `read_waiting`.
    Raises XUnavailable (XLost, XError), never anything lower-level.
    """

    def __init__(self, display: str) -> None:
        self.display = display
        try:
            host, path, number, screen = parse_display(display)
        except ValueError:
            raise XUnavailable(f"{display!r} is not an X display name") from None
        self._sock = self._connect(host, path, number)
        self._pending = bytearray()
        self._sequence = 0  # of the last request sent; the setup has none
        self._last_id = 0  # of the last resource ID handed out, within the mask
        self.on_event: Callable[[bytes], None] | None = None
        try:
            self.root = self._set_up(number, screen)
        except BaseException:
            self.close()
            raise

    def _connect(self, host: str, path: str, number: int) -> socket.socket:
        """A connected socket: the given path; the local sockets; or TCP to `host`."""
        if host:
            try:
                sock = socket.create_connection((host, TCP_PORT + number), timeout=TIMEOUT)
            except OSError:
                raise XUnavailable(f"cannot open X display {self.display}") from None
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            return sock
        if path:
            paths = [path]
        else:
            # The abstract name first, as libxcb does: Linux servers listen on both, and
            # it also works where /tmp/.X11-unix is not shared with the server (sandboxes).
            file = UNIX_SOCKET.format(number)
            paths = ["\0" + file, file]
        for address in paths:
            sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            sock.settimeout(TIMEOUT)
            try:
                sock.connect(address)
            except (OSError, ValueError):  # ValueError: no abstract sockets on this OS
                sock.close()
                continue
            return sock
        raise XUnavailable(f"cannot open X display {self.display}")

    def _set_up(self, number: int, screen: int) -> int:
        """Authenticate and read the setup reply; the root window of `screen`."""
        try:
            candidates = auth_candidates(self._sock)
        except OSError:  # the peer is already gone
            self._lose()
        cookie = find_cookie(candidates, number)
        name = COOKIE_NAME if cookie is not None else b""
        cookie = cookie or b""
        # 'l': little-endian, protocol 11.0.
        header = struct.pack("<BxHHHHxx", 0x6C, 11, 0, len(name), len(cookie))
        self._send(header + pad(name) + pad(cookie))
        deadline = time.monotonic() + TIMEOUT
        what = "connection setup"
        status, reason_length, _major, _minor, length = struct.unpack(
            "<BBHHH", self._take(8, deadline, what)
        )
        data = self._take(4 * length, deadline, what)
        if status != 1:  # 0 failed, 2 authenticate (more than a cookie: unsupported)
            reason = data[:reason_length] if status == 0 else data
            text = reason.decode("latin-1").strip("\0 \n")
            raise XUnavailable(f"the X server on {self.display} refused the connection: {text}")
        try:
            self._id_base, self._id_mask = struct.unpack_from("<II", data, 4)
            return self._root_window(data, screen)
        except (struct.error, IndexError):
            raise XUnavailable(
                f"the X server on {self.display} sent a malformed connection setup"
            ) from None

    def _root_window(self, setup: bytes, screen: int) -> int:
        """The root window of `screen` from the setup reply (after its 8-byte prefix).

        Skips the vendor string and pixmap formats, then the screens before ours: each is
        40 bytes (root window first) and its depths, each 8 bytes and 24 per visual.
        """
        vendor_length, _max_request, screens, formats = struct.unpack_from("<HHBB", setup, 16)
        if screen >= screens:
            raise XUnavailable(f"the X server on {self.display} has no screen {screen}")
        offset = 32 + vendor_length + (-vendor_length % 4) + 8 * formats
        for _ in range(screen):
            depths = setup[offset + 39]
            offset += 40
            for _ in range(depths):
                (visuals,) = struct.unpack_from("<H", setup, offset + 2)
                offset += 8 + 24 * visuals
        (root,) = struct.unpack_from("<I", setup, offset)
        return root

    def round_trip(self, request: bytes, what: str) -> bytes:
        """Send one request and return its reply (32 bytes or more).

        Events met on the way go to `on_event`. Replies and errors to earlier requests
        (whose answer came too late, or that have no reply) are skipped. An X error for
        this request raises XError.
        """
        self.send_request(request)
        deadline = time.monotonic() + TIMEOUT
        while True:
            packet = self._take(32, deadline, what)
            extra = packet_size(packet) - 32
            if extra:
                try:
                    packet += self._take(extra, deadline, what)
                except XLost:
                    self._pending[:0] = packet  # whole again for the next call
                    raise
            if kind(packet) > REPLY:
                self._event(packet)
                continue
            (sequence,) = struct.unpack_from("<H", packet, 2)
            if sequence != self._sequence:
                continue
            if kind(packet) != REPLY:
                code = packet[1]
                raise XError(
                    code, f"the X server on {self.display} answered the {what} with X error {code}"
                )
            return packet

    def send_request(self, request: bytes) -> None:
        """Send a request without waiting for anything; its errors, if any, are skipped."""
        self._send(request)
        self._sequence = (self._sequence + 1) & 0xFFFF

    def read_waiting(self) -> None:
        """Read what the server has sent, without waiting, and pass on each whole event.

        For the event loop's reader. Replies found here came too late: skipped.
        """
        if not self._read_available():
            self._lose()
        for packet in whole_packets(self._pending):
            if kind(packet) > REPLY:
                self._event(packet)

    def _read_available(self) -> bool:
        """Take in what the server has sent, without waiting; False once it hung up."""
        try:
            self._sock.settimeout(0)
            chunk = self._sock.recv(65536)
        except (BlockingIOError, InterruptedError):
            return True
        except OSError:
            chunk = b""
        self._pending += chunk
        return bool(chunk)

    def _event(self, packet: bytes) -> None:
        if self.on_event is not None:
            self.on_event(packet)

    def new_id(self) -> int:
        """A resource ID for a new object: the next in the range the server gave us."""
        step = self._id_mask & -self._id_mask
        self._last_id = (self._last_id + step) & self._id_mask
        return self._id_base | self._last_id

    def fileno(self) -> int:
        return self._sock.fileno()

    def _send(self, data: bytes) -> None:
        try:
            self._sock.settimeout(TIMEOUT)
            self._sock.sendall(data)
        except OSError:  # also a closed socket, and a partial write would desynchronise
            self._lose()

    def _take(self, size: int, deadline: float, what: str) -> bytes:
        """Exactly `size` bytes from the connection, waiting until `deadline` at most.

        Reads no further than it needs, so a message usually arrives in one piece and
        is returned without copying; bytes of one cut short by the deadline wait in
        `_pending` for the next call.
        """
        pending = self._pending
        while len(pending) < size:
            remaining = deadline - time.monotonic()
            try:
                if remaining <= 0:
                    raise TimeoutError
                self._sock.settimeout(remaining)
                chunk = self._sock.recv(size - len(pending))
            except TimeoutError:
                raise XLost(f"the X server on {self.display} did not answer the {what}") from None
            except OSError:
                chunk = b""
            if not chunk:
                self._lose()
            if not pending and len(chunk) == size:
                return chunk
            pending += chunk
        data = bytes(pending[:size])
        del pending[:size]
        return data

    def _lose(self) -> NoReturn:
        """Close for good (later calls fail on the closed socket) and say so."""
        self.close()
        raise XLost(f"the X server on {self.display} went away")

    def close(self) -> None:
        self._sock.close()  # idempotent
