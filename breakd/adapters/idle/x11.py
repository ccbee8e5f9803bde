"""X11 idle time from the MIT-SCREEN-SAVER extension, spoken directly on the X socket.

Why no Xlib: breakd must stay the lightest thing in the tray. Loading libX11 and libXss
through ctypes costs about 1.6 MiB of resident memory (ctypes itself, the libraries, the
Display structure) and python-xlib about 2.9 MiB, while all the daemon needs is one
request and its 32-byte reply. This module writes that request itself with `socket`
and `struct`, which the asyncio event loop has loaded anyway.

Why the connection stays open: an X server started without `-noreset` (e.g. a bare
Xvfb) resets, and zeroes its idle counter, when its last client disconnects; and a
round trip on an open connection is far cheaper than a new connection with its
authentication and setup.

Without Xlib nothing can call `exit()` behind the daemon's back: a dead server is just
a closed socket, reported as IdleSourceUnavailable.

While the user is away the daemon need not ask at all: the SYNC extension's IDLETIME
counter takes an alarm that the server fires at the next input, and the socket sleeps
in the event loop until then.

References: X Window System Protocol (X11R7), "Connection Setup" and QueryExtension;
MIT-SCREEN-SAVER extension protocol 1.1, ScreenSaverQueryInfo; X Synchronization
Extension Protocol 3.1 (Initialize, ListSystemCounters, CreateAlarm, QueryAlarm,
DestroyAlarm, AlarmNotify); Xau for the Xauthority file format.
"""

from __future__ import annotations

import contextlib
import functools
import os
import socket
import struct
import time
from collections.abc import Callable
from typing import NamedTuple, NoReturn

from breakd.adapters.idle import IdleSourceUnavailable
from breakd.adapters.idle.watch import InputWatch

_TIMEOUT = 2.0  # seconds for connect, setup and each reply; a local server answers in µs
_UNIX_SOCKET = "/tmp/.X11-unix/X{}"
_TCP_PORT = 6000

# Xauthority families (Xau / X.h).
_FAMILY_INTERNET = 0
_FAMILY_INTERNET6 = 6
_FAMILY_LOCAL = 256
_FAMILY_WILD = 65535
_COOKIE_NAME = b"MIT-MAGIC-COOKIE-1"

_QUERY_EXTENSION = 98  # core opcode
_SCREEN_SAVER_QUERY_INFO = 1  # minor opcode
_GENERIC_EVENT = 35  # the only event longer than 32 bytes

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


def _pad(data: bytes) -> bytes:
    """`data` padded with zeros to a multiple of four bytes, as the protocol wants."""
    return data + b"\0" * (-len(data) % 4)


def _query_extension(name: bytes) -> bytes:
    """The QueryExtension request for `name`."""
    length = 2 + (len(name) + 3) // 4
    return struct.pack("<BxHHxx", _QUERY_EXTENSION, length, len(name)) + _pad(name)


def _packet_size(head: bytes | bytearray) -> int:
    """The size of the packet whose first 32 bytes start `head`: replies and generic
    events say how many 4-byte units follow; errors and other events have none."""
    if head[0] in (1, _GENERIC_EVENT):
        (extra,) = struct.unpack_from("<I", head, 4)
        return 32 + 4 * extra
    return 32


def _parse_display(display: str) -> tuple[str, str, int, int]:
    """(host, socket path, display number, screen) from a DISPLAY value.

    Forms: `[host]:N[.S]`, `unix:N[.S]`, and a full socket path (XQuartz on macOS sets
    `/private/tmp/com.apple.launchd.xyz/org.xquartz:0`, whose last component, colon and
    all, is the socket's file name), optionally followed by `.S` as libxcb allows.
    Raises ValueError when `display` is none of these.
    """
    if display.startswith("/") or display.startswith("unix:/"):
        path = display.removeprefix("unix:")
        screen = 0
        stem, dot, suffix = path.rpartition(".")
        if dot and suffix.isdecimal() and not os.path.exists(path):
            path, screen = stem, int(suffix)
        _, colon, number = path.rpartition(":")
        return "", path, int(number) if colon and number.isdecimal() else 0, screen
    host, colon, rest = display.rpartition(":")
    number, _, screen = rest.partition(".")
    if not colon or not number.isdecimal() or not (screen.isdecimal() or screen == ""):
        raise ValueError(display)
    if host == "unix":
        host = ""
    elif host.startswith("[") and host.endswith("]"):  # [::1]:0
        host = host[1:-1]
    return host, "", int(number), int(screen or 0)


def _auth_candidates(sock: socket.socket) -> list[tuple[int, bytes]]:
    """The (family, address) pairs under which Xauthority may hold this connection's cookie.

    Local sockets and loopback TCP are FamilyLocal with this host's name, as libxcb and
    `xauth` file them; other TCP peers are FamilyInternet(6) with the peer's address.
    """
    local = (_FAMILY_LOCAL, socket.gethostname().encode())
    if sock.family == socket.AF_UNIX:
        return [local]
    address = sock.getpeername()[0]
    if address.startswith("::ffff:"):  # IPv4-mapped
        address = address[7:]
    if ":" not in address:
        packed = socket.inet_aton(address)
        internet = (_FAMILY_INTERNET, packed)
        return [local, internet] if packed == b"\x7f\0\0\1" else [internet]
    internet6 = (_FAMILY_INTERNET6, socket.inet_pton(socket.AF_INET6, address))
    return [local, internet6] if address == "::1" else [internet6]


def _find_cookie(candidates: list[tuple[int, bytes]], number: int) -> bytes | None:
    """The MIT-MAGIC-COOKIE-1 for display `number` from the Xauthority file, if any.

    File: `$XAUTHORITY`, else `~/.Xauthority`; a missing or unreadable file means no
    cookie (servers without access control need none). Each entry is family (u16,
    big-endian), then address, display number (ASCII), auth name and auth data, each a
    u16 length and bytes. As in libXau, the first entry wins whose family is Wild or
    whose (family, address) is a candidate, and whose display number is empty or equal.
    """
    path = os.environ.get("XAUTHORITY") or os.path.join(os.path.expanduser("~"), ".Xauthority")
    try:
        with open(path, "rb") as file:
            data = file.read()
    except OSError:
        return None
    wanted_number = str(number).encode()
    offset = 0
    while offset + 2 <= len(data):
        (family,) = struct.unpack_from(">H", data, offset)
        offset += 2
        fields = []
        for _ in range(4):  # address, number, name, data
            if offset + 2 > len(data):
                return None
            (length,) = struct.unpack_from(">H", data, offset)
            fields.append(data[offset + 2 : offset + 2 + length])
            offset += 2 + length
        if offset > len(data):
            return None  # truncated entry
        address, entry_number, name, cookie = fields
        if (
            name == _COOKIE_NAME
            and entry_number in (b"", wanted_number)
            and (family == _FAMILY_WILD or (family, address) in candidates)
        ):
            return cookie
    return None


class _XConnection:
    """One X11 client connection: connect, authenticate, set up, then requests and replies.

    Blocking I/O with a deadline per exchange. A reply that arrives after its deadline
    is still framed correctly and skipped later by its sequence number. Events go to
    `on_event`, whoever meets them: a round trip, or the event loop's `read_waiting`.
    Raises IdleSourceUnavailable, never anything lower-level.
    """

    def __init__(self, display: str) -> None:
        self.display = display
        try:
            host, path, number, screen = _parse_display(display)
        except ValueError:
            raise IdleSourceUnavailable(f"{display!r} is not an X display name") from None
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
                sock = socket.create_connection((host, _TCP_PORT + number), timeout=_TIMEOUT)
            except OSError:
                raise IdleSourceUnavailable(f"cannot open X display {self.display}") from None
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            return sock
        if path:
            paths = [path]
        else:
            # The abstract name first, as libxcb does: Linux servers listen on both, and
            # it also works where /tmp/.X11-unix is not shared with the server (sandboxes).
            file = _UNIX_SOCKET.format(number)
            paths = ["\0" + file, file]
        for address in paths:
            sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            sock.settimeout(_TIMEOUT)
            try:
                sock.connect(address)
            except (OSError, ValueError):  # ValueError: no abstract sockets on this OS
                sock.close()
                continue
            return sock
        raise IdleSourceUnavailable(f"cannot open X display {self.display}")

    def _set_up(self, number: int, screen: int) -> int:
        """Authenticate and read the setup reply; the root window of `screen`."""
        try:
            candidates = _auth_candidates(self._sock)
        except OSError:  # the peer is already gone
            self._lose()
        cookie = _find_cookie(candidates, number)
        name = _COOKIE_NAME if cookie is not None else b""
        cookie = cookie or b""
        # 'l': little-endian, protocol 11.0.
        header = struct.pack("<BxHHHHxx", 0x6C, 11, 0, len(name), len(cookie))
        self._send(header + _pad(name) + _pad(cookie))
        deadline = time.monotonic() + _TIMEOUT
        what = "connection setup"
        status, reason_length, _major, _minor, length = struct.unpack(
            "<BBHHH", self._take(8, deadline, what)
        )
        data = self._take(4 * length, deadline, what)
        if status != 1:  # 0 failed, 2 authenticate (more than a cookie: unsupported)
            reason = data[:reason_length] if status == 0 else data
            text = reason.decode("latin-1").strip("\0 \n")
            raise IdleSourceUnavailable(
                f"the X server on {self.display} refused the connection: {text}"
            )
        try:
            self._id_base, self._id_mask = struct.unpack_from("<II", data, 4)
            return self._root_window(data, screen)
        except (struct.error, IndexError):
            raise IdleSourceUnavailable(
                f"the X server on {self.display} sent a malformed connection setup"
            ) from None

    def _root_window(self, setup: bytes, screen: int) -> int:
        """The root window of `screen` from the setup reply (after its 8-byte prefix).

        Skips the vendor string and pixmap formats, then the screens before ours: each is
        40 bytes (root window first) and its depths, each 8 bytes and 24 per visual.
        """
        vendor_length, _max_request, screens, formats = struct.unpack_from("<HHBB", setup, 16)
        if screen >= screens:
            raise IdleSourceUnavailable(f"the X server on {self.display} has no screen {screen}")
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
        this request raises IdleSourceUnavailable.
        """
        self.send_request(request)
        deadline = time.monotonic() + _TIMEOUT
        while True:
            packet = self._take(32, deadline, what)
            extra = _packet_size(packet) - 32
            if extra:
                try:
                    packet += self._take(extra, deadline, what)
                except IdleSourceUnavailable:
                    self._pending[:0] = packet  # whole again for the next call
                    raise
            kind = packet[0]
            if kind > 1:
                self._event(packet)
                continue
            (sequence,) = struct.unpack_from("<H", packet, 2)
            if sequence != self._sequence:
                continue
            if kind == 0:
                raise IdleSourceUnavailable(
                    f"the X server on {self.display} answered the {what} with X error {packet[1]}"
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
        try:
            self._sock.settimeout(0)
            chunk = self._sock.recv(65536)
        except (BlockingIOError, InterruptedError):
            return
        except OSError:
            chunk = b""
        if not chunk:
            self._lose()
        pending = self._pending
        pending += chunk
        while len(pending) >= 32 and len(pending) >= (size := _packet_size(pending)):
            packet = bytes(pending[:size])
            del pending[:size]
            if packet[0] > 1:
                self._event(packet)

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
            self._sock.settimeout(_TIMEOUT)
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
                raise IdleSourceUnavailable(
                    f"the X server on {self.display} did not answer the {what}"
                ) from None
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
        raise IdleSourceUnavailable(f"the X server on {self.display} went away")

    def close(self) -> None:
        self._sock.close()  # idempotent


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


def _find_idle_counter(connection: _XConnection) -> _IdleCounter | None:
    """The server's IDLETIME counter; None without SYNC or without that counter."""
    reply = connection.round_trip(_query_extension(b"SYNC"), "SYNC extension query")
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

    def __init__(self, display: str | None = None) -> None:
        """Connect to `display` (default: $DISPLAY); raise IdleSourceUnavailable if useless."""
        display = display or os.environ.get("DISPLAY") or None
        if display is None:
            raise IdleSourceUnavailable("DISPLAY is not set (no X11 session)")
        self.display = display
        self._connection: _XConnection | None = None
        self._alarm: _Alarm | None = None
        connection = _XConnection(display)
        try:
            reply = connection.round_trip(_query_extension(b"MIT-SCREEN-SAVER"), "extension query")
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
        reply = self._live_connection().round_trip(self._query, "idle-time query")
        # Reply: type, state, sequence, length, saver window, ms until saver, ms idle, ...
        (idle_ms,) = struct.unpack_from("<I", reply, 16)
        return int(idle_ms)

    def _live_connection(self) -> _XConnection:
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
                connection.fileno(),
                connection.read_waiting,
                IdleSourceUnavailable,
                lambda: self._fired(on_input),
            )
            alarm = self._alarm = _Alarm(counter, connection.new_id(), watch)
            connection.send_request(counter.create_alarm(alarm.id, at_most))
            # An X error here means the server refused that alarm.
            query = counter.alarm_request(_SYNC_QUERY_ALARM, alarm.id)
            connection.round_trip(query, "alarm check")
        except IdleSourceUnavailable:
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
            with contextlib.suppress(IdleSourceUnavailable):  # gone with the server
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
