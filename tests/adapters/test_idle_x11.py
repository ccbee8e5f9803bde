"""The X11 idle source: against real Xvfb servers, and a scripted server for the wire details.

Real servers show that the protocol is spoken right (idle time, input, authentication,
TCP, a dead server); the scripted one covers what a real server will not do on demand
(events and late replies in front of the answer, X errors, silence).
"""

from __future__ import annotations

import asyncio
import os
import random
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from breakd.adapters.idle import IdleSourceUnavailable
from breakd.adapters.idle.x11 import X11IdleSource
from breakd.adapters.x11 import connection as x11_connection
from tests.dbus_services import calls_back_when_lost, recorder, until
from tests.desktop import (
    DesktopSession,
    require_tools,
    start_xvfb,
    stop_process,
    wait_until,
)

REPO_ROOT = Path(__file__).resolve().parents[2]
HOSTNAME = socket.gethostname().encode()
LOCAL, INTERNET, INTERNET6, WILD = 256, 0, 6, 65535
COOKIE_NAME = b"MIT-MAGIC-COOKIE-1"


@pytest.fixture(autouse=True)
def no_user_xauthority(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Never read the developer's own cookies; tests that want some write their own."""
    monkeypatch.setenv("XAUTHORITY", str(tmp_path / "no-such-xauthority"))


@pytest.fixture
def source(desktop: DesktopSession) -> Iterator[X11IdleSource]:
    with X11IdleSource(desktop.display) as opened:
        yield opened


def idle_at_least(source: X11IdleSource, seconds: float) -> float:
    """Poll until the session has been idle for `seconds`; return that reading."""

    def reading() -> float | None:
        value = source.idle_seconds()
        return value if value >= seconds else None

    return wait_until(
        reading,
        timeout=5.0,
        interval=0.02,
        message=f"idle time never reached {seconds} s",
    )


def display_number(display: str) -> int:
    return int(display.rpartition(":")[2].partition(".")[0])


def peer_of(source: X11IdleSource) -> Any:
    """Where the source's socket is connected (white box: which transport was chosen)."""
    connection = source._connection
    assert connection is not None
    return connection._sock.getpeername()


def queued_bytes(source: X11IdleSource) -> bytes:
    """What the server has sent that nobody has read yet (white box, without taking it)."""
    connection = source._connection
    assert connection is not None
    try:
        return connection._sock.recv(4096, socket.MSG_PEEK | socket.MSG_DONTWAIT)
    except BlockingIOError:
        return b""


# --- idle time on the shared desktop -------------------------------------------------


@pytest.mark.desktop
def test_idle_time_follows_the_wall_clock_while_nobody_touches_anything(
    source: X11IdleSource,
) -> None:
    first = source.idle_seconds()
    started = time.monotonic()
    later = idle_at_least(source, first + 0.3)
    elapsed = time.monotonic() - started

    assert source.name == "x11-screensaver"
    assert source.display.startswith(":")
    assert later - first == pytest.approx(elapsed, abs=0.15)


def _move_pointer(desktop: DesktopSession) -> None:
    fields = dict(
        line.split("=", 1) for line in desktop.xdotool("getmouselocation", "--shell").split()
    )
    x = (int(fields["X"]) + 101) % 1000 + 10  # never the current position
    desktop.xdotool("mousemove", str(x), "300")


def _press_shift(desktop: DesktopSession) -> None:
    desktop.xdotool("key", "shift")


@pytest.mark.desktop
@pytest.mark.parametrize("touch", [_move_pointer, _press_shift], ids=["mousemove", "key"])
def test_input_resets_the_idle_time(
    desktop: DesktopSession, source: X11IdleSource, touch: Callable[[DesktopSession], None]
) -> None:
    before = idle_at_least(source, 0.4)

    touch(desktop)
    after = source.idle_seconds()

    assert after < 0.25 < before


@pytest.mark.desktop
def test_agrees_with_xprintidle(desktop: DesktopSession, source: X11IdleSource) -> None:
    """xprintidle reads the same counter through libXss; ours must be the same field."""
    require_tools("xprintidle")
    idle_at_least(source, 0.3)

    before = source.idle_seconds()
    theirs = int(desktop.run("xprintidle").stdout) / 1000.0
    after = source.idle_seconds()

    assert before - 0.05 <= theirs <= after + 0.05, (before, theirs, after)


@pytest.mark.desktop
def test_skips_the_keyboard_mapping_events_every_client_gets(
    desktop: DesktopSession, source: X11IdleSource
) -> None:
    """xdotool remaps keys; the server then sends MappingNotify to all clients, us too."""
    source.idle_seconds()
    desktop.xdotool("key", "U2603")  # ☃ is on no key: xdotool maps it to a spare keycode

    queued = wait_until(
        lambda: queued_bytes(source), timeout=5.0, interval=0.02, message="no event arrived"
    )
    assert queued[0] == 34  # MappingNotify, waiting in front of our next reply

    assert source.idle_seconds() < 0.25
    assert source.idle_seconds() < 0.25  # and the stream is still in step


@pytest.mark.desktop
def test_closed_source_refuses_politely(desktop: DesktopSession) -> None:
    opened = X11IdleSource.open(desktop.display)
    opened.idle_seconds()
    opened.close()
    opened.close()

    with pytest.raises(IdleSourceUnavailable, match="closed"):
        opened.idle_seconds()


# --- display names and transports ----------------------------------------------------


@pytest.mark.desktop
@pytest.mark.parametrize(
    "form",
    [":{number}.0", "unix:{number}", "unix:{number}.0", "{path}", "{path}.0", "unix:{path}"],
)
def test_display_name_forms(desktop: DesktopSession, form: str) -> None:
    """`:N` and `unix:N` prefer the abstract socket; a path names the socket file."""
    number = display_number(desktop.display)
    path = f"/tmp/.X11-unix/X{number}"

    with X11IdleSource(form.format(number=number, path=path)) as opened:
        assert opened.idle_seconds() >= 0
        peer = peer_of(opened)

    assert peer == (path if "{path}" in form else b"\0" + path.encode())


def abstract_socket_taken(number: int) -> bool:
    """Whether some server (maybe in another mount namespace) owns display N's abstract name."""
    probe = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        probe.connect(f"\0/tmp/.X11-unix/X{number}")
    except OSError:
        return False
    finally:
        probe.close()
    return True


@pytest.mark.desktop
def test_local_display_falls_back_to_the_socket_file() -> None:
    """Servers that do not listen on the abstract socket (e.g. -nolisten local, non-Linux)."""
    require_tools("Xvfb")
    # Not -displayfd's own pick: without its abstract listener, Xvfb would take a number
    # whose socket file another Xvfb owns and replace that file. A number far above the
    # ones -displayfd hands out, with both names free, is nobody's.
    first = random.randrange(500, 900)
    number = next(
        n
        for n in range(first, first + 100)
        if not abstract_socket_taken(n) and not os.path.exists(f"/tmp/.X11-unix/X{n}")
    )
    xvfb, display = start_xvfb(f":{number}", "-nolisten", "local", screen="320x200x24")
    try:
        assert display == f":{number}"
        assert not abstract_socket_taken(number)
        with X11IdleSource(display) as opened:
            assert opened.idle_seconds() >= 0
            assert peer_of(opened) == f"/tmp/.X11-unix/X{number}"
    finally:
        stop_process(xvfb)


@pytest.mark.desktop
def test_second_screen_uses_its_own_root_window() -> None:
    """The setup reply is walked past screen 0 (its depths and visuals) to screen 1."""
    require_tools("Xvfb", "xwininfo")
    xvfb, display = start_xvfb("-screen", "1", "640x480x16", screen="320x200x24")
    try:
        roots = []
        for screen in (0, 1):
            with X11IdleSource(f"{display}.{screen}") as opened:
                assert opened.idle_seconds() >= 0
                connection = opened._connection
                assert connection is not None
                roots.append(connection.root)
        xwininfo = [
            subprocess.run(
                ["xwininfo", "-root", "-display", f"{display}.{screen}"],
                capture_output=True,
                text=True,
                check=True,
                timeout=10,
            ).stdout
            for screen in (0, 1)
        ]
        with pytest.raises(IdleSourceUnavailable) as raised:
            X11IdleSource(f"{display}.2")
    finally:
        stop_process(xvfb)

    assert roots[0] != roots[1]
    for root, text in zip(roots, xwininfo, strict=True):
        assert f"Window id: {root:#x} (the root window)" in text
    assert str(raised.value) == f"the X server on {display}.2 has no screen 2"


@pytest.mark.parametrize("value", [None, ""], ids=["unset", "empty"])
def test_no_display_is_unavailable(monkeypatch: pytest.MonkeyPatch, value: str | None) -> None:
    if value is None:
        monkeypatch.delenv("DISPLAY", raising=False)
    else:
        monkeypatch.setenv("DISPLAY", value)

    with pytest.raises(IdleSourceUnavailable, match=r"^DISPLAY is not set \(no X11 session\)$"):
        X11IdleSource()


@pytest.mark.parametrize("value", ["wayland-0", ":", ":x", ":0.x", "host:"])
def test_malformed_display_is_unavailable(value: str) -> None:
    with pytest.raises(IdleSourceUnavailable) as raised:
        X11IdleSource(value)

    assert str(raised.value) == f"{value!r} is not an X display name"


@pytest.mark.parametrize("value", [":4321", "/tmp/.X11-unix/no-such-socket"])
def test_unreachable_display_is_unavailable(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv("DISPLAY", value)

    with pytest.raises(IdleSourceUnavailable) as raised:
        X11IdleSource()

    assert str(raised.value) == f"cannot open X display {value}"


@pytest.mark.desktop
def test_server_without_screensaver_extension_is_unavailable() -> None:
    require_tools("Xvfb")
    xvfb, display = start_xvfb("-extension", "MIT-SCREEN-SAVER", screen="320x200x24")
    try:
        with pytest.raises(IdleSourceUnavailable) as raised:
            X11IdleSource(display)
    finally:
        stop_process(xvfb)

    assert str(raised.value) == f"the X server on {display} has no MIT-SCREEN-SAVER extension"


@pytest.mark.desktop
def test_dead_server_raises_instead_of_exiting() -> None:
    require_tools("Xvfb")
    xvfb, display = start_xvfb(screen="320x200x24")
    try:
        opened = X11IdleSource(display)
        opened.idle_seconds()
    finally:
        stop_process(xvfb)

    for _ in range(2):
        with pytest.raises(IdleSourceUnavailable) as raised:
            opened.idle_seconds()
        assert str(raised.value) == f"the X server on {display} went away"
    opened.close()
    opened.close()


# --- authentication --------------------------------------------------------------------


def xauth_entry(family: int, address: bytes, number: str, name: bytes, data: bytes) -> bytes:
    """One Xauthority record: family, then four length-prefixed strings (big-endian)."""
    fields = (address, number.encode(), name, data)
    return struct.pack(">H", family) + b"".join(
        struct.pack(">H", len(field)) + field for field in fields
    )


@pytest.fixture(scope="module")
def authed_xvfb(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, bytes]]:
    """An Xvfb that wants a MIT-MAGIC-COOKIE-1; (display, cookie).

    The server takes every cookie in its -auth file, whatever address or display the
    entry names, so the file can be written before the display number is known.
    """
    require_tools("Xvfb")
    cookie = os.urandom(16)
    server_file = tmp_path_factory.mktemp("xauth") / "server"
    server_file.write_bytes(xauth_entry(LOCAL, HOSTNAME, "0", COOKIE_NAME, cookie))
    xvfb, display = start_xvfb("-auth", str(server_file), screen="320x200x24")
    try:
        yield display, cookie
    finally:
        stop_process(xvfb)


def use_xauthority(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, *entries: bytes, name: str = "xauthority"
) -> Path:
    path = tmp_path / name
    path.write_bytes(b"".join(entries))
    monkeypatch.setenv("XAUTHORITY", str(path))
    return path


@pytest.mark.desktop
def test_cookie_from_xauthority_opens_a_protected_server(
    authed_xvfb: tuple[str, bytes], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    display, cookie = authed_xvfb
    number = str(display_number(display))
    use_xauthority(tmp_path, monkeypatch, xauth_entry(LOCAL, HOSTNAME, number, COOKIE_NAME, cookie))

    with X11IdleSource(display) as opened:
        assert opened.idle_seconds() >= 0
    # The same file satisfies libXau, so the test writes the real format.
    require_tools("xprintidle")
    result = subprocess.run(
        ["xprintidle"], env={**os.environ, "DISPLAY": display}, capture_output=True, timeout=10
    )
    assert result.returncode == 0, result.stderr


@pytest.mark.desktop
@pytest.mark.parametrize(
    "right",
    [
        (LOCAL, HOSTNAME, "{n}"),
        (LOCAL, HOSTNAME, ""),  # no display number: any display
        (WILD, b"", "{n}"),
        (WILD, b"anything", ""),
    ],
    ids=["local", "local-any-display", "wild", "wild-any-display"],
)
def test_picks_the_matching_entry_among_others(
    authed_xvfb: tuple[str, bytes],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    right: tuple[int, bytes, str],
) -> None:
    display, cookie = authed_xvfb
    number = str(display_number(display))
    wrong = bytes(16)
    family, address, entry_number = right
    use_xauthority(
        tmp_path,
        monkeypatch,
        xauth_entry(LOCAL, HOSTNAME, number, b"XDM-AUTHORIZATION-1", bytes(16)),
        xauth_entry(LOCAL, b"some-other-host", number, COOKIE_NAME, wrong),
        xauth_entry(LOCAL, HOSTNAME, number + "0", COOKIE_NAME, wrong),
        xauth_entry(INTERNET, b"\xc0\x00\x02\x01", number, COOKIE_NAME, wrong),
        xauth_entry(family, address, entry_number.format(n=number), COOKIE_NAME, cookie),
        xauth_entry(WILD, b"", "", COOKIE_NAME, wrong),  # after the right one: unused
    )

    with X11IdleSource(display) as opened:
        assert opened.idle_seconds() >= 0


@pytest.mark.desktop
def test_default_xauthority_is_in_the_home_directory(
    authed_xvfb: tuple[str, bytes], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    display, cookie = authed_xvfb
    entry = xauth_entry(LOCAL, HOSTNAME, str(display_number(display)), COOKIE_NAME, cookie)
    (tmp_path / ".Xauthority").write_bytes(entry)
    monkeypatch.delenv("XAUTHORITY")
    monkeypatch.setenv("HOME", str(tmp_path))

    with X11IdleSource(display) as opened:
        assert opened.idle_seconds() >= 0


@pytest.mark.desktop
def test_xauthority_written_by_xauth(
    authed_xvfb: tuple[str, bytes], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    require_tools("xauth")
    display, cookie = authed_xvfb
    path = tmp_path / "by-xauth"
    subprocess.run(
        ["xauth", "-f", str(path), "add", display, ".", cookie.hex()],
        capture_output=True,
        check=True,
        timeout=10,
    )
    monkeypatch.setenv("XAUTHORITY", str(path))

    with X11IdleSource(display) as opened:
        assert opened.idle_seconds() >= 0


@pytest.mark.desktop
@pytest.mark.parametrize(
    ("xauthority", "reason"),
    [
        ("wrong-cookie", "Invalid MIT-MAGIC-COOKIE-1 key"),
        ("no-file", "Authorization required, but no authorization protocol specified"),
        ("truncated", "Authorization required, but no authorization protocol specified"),
    ],
)
def test_refused_connection_names_the_reason(
    authed_xvfb: tuple[str, bytes],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    xauthority: str,
    reason: str,
) -> None:
    display, cookie = authed_xvfb
    entry = xauth_entry(LOCAL, HOSTNAME, str(display_number(display)), COOKIE_NAME, cookie)
    if xauthority == "wrong-cookie":
        use_xauthority(tmp_path, monkeypatch, entry.replace(cookie, os.urandom(16)))
    elif xauthority == "truncated":
        use_xauthority(tmp_path, monkeypatch, entry[:-1])

    with pytest.raises(IdleSourceUnavailable) as raised:
        X11IdleSource(display)

    assert str(raised.value) == f"the X server on {display} refused the connection: {reason}"


@pytest.fixture(scope="module")
def tcp_xvfb(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[int, bytes]]:
    """An Xvfb that also listens on TCP, behind a cookie so only these tests get in."""
    require_tools("Xvfb")
    cookie = os.urandom(16)
    server_file = tmp_path_factory.mktemp("xauth-tcp") / "server"
    server_file.write_bytes(xauth_entry(LOCAL, HOSTNAME, "0", COOKIE_NAME, cookie))
    xvfb, display = start_xvfb("-auth", str(server_file), "-listen", "tcp", screen="320x200x24")
    try:
        yield display_number(display), cookie
    finally:
        stop_process(xvfb)


def has_ipv6_loopback() -> bool:
    try:
        with socket.socket(socket.AF_INET6, socket.SOCK_STREAM) as probe:
            probe.bind(("::1", 0))
    except OSError:
        return False
    return True


@pytest.mark.desktop
@pytest.mark.parametrize(
    ("host", "peer", "family", "address"),
    [
        ("127.0.0.1", "127.0.0.1", LOCAL, HOSTNAME),  # loopback is filed as local
        ("127.0.0.1", "127.0.0.1", INTERNET, b"\x7f\x00\x00\x01"),
        ("[::1]", "::1", LOCAL, HOSTNAME),
        ("[::1]", "::1", INTERNET6, bytes(15) + b"\x01"),
        ("[::ffff:127.0.0.1]", "::ffff:127.0.0.1", INTERNET, b"\x7f\x00\x00\x01"),
    ],
    ids=["ipv4-local", "ipv4-internet", "ipv6-local", "ipv6-internet6", "ipv4-mapped"],
)
def test_tcp_display_on_loopback(
    tcp_xvfb: tuple[int, bytes],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    host: str,
    peer: str,
    family: int,
    address: bytes,
) -> None:
    """host:N is TCP to port 6000+N, with the cookie filed for that peer address."""
    if ":" in host and not has_ipv6_loopback():
        pytest.skip("no IPv6 loopback here")
    number, cookie = tcp_xvfb
    use_xauthority(
        tmp_path,
        monkeypatch,
        xauth_entry(INTERNET, b"\xc0\x00\x02\x01", str(number), COOKIE_NAME, bytes(16)),
        xauth_entry(family, address, str(number), COOKIE_NAME, cookie),
    )

    with X11IdleSource(f"{host}:{number}") as opened:
        assert opened.idle_seconds() >= 0
        assert peer_of(opened)[:2] == (peer, 6000 + number)


# --- the wire protocol against a scripted server ---------------------------------------

ROOTS = (0x1000, 0x2000, 0x3000)
EXTENSION_OPCODE = 144


def setup_success(vendor: bytes = b"breakd test", formats: int = 3) -> bytes:
    """A setup reply with three screens of different shapes; roots from ROOTS."""
    screens = b""
    for index, root in enumerate(ROOTS):
        depths = [(24, index + 1), (1, 0), (32, 2)][: index + 1]
        screens += struct.pack("<IIIII", root, 0x20, 0xFFFFFF, 0, 0) + struct.pack(
            "<HHHHHHIBBBB", 320, 200, 80, 50, 1, 1, 0x21, 0, 0, 24, len(depths)
        )
        for depth, visuals in depths:
            screens += struct.pack("<BxHxxxx", depth, visuals)
            screens += b"".join(
                struct.pack("<IBBHIIIxxxx", 0x21 + n, 4, 8, 256, 0xFF0000, 0xFF00, 0xFF)
                for n in range(visuals)
            )
    data = (
        struct.pack("<IIII", 12101011, 0x400000, 0x1FFFFF, 256)
        + struct.pack("<HHBBBBBBBB", len(vendor), 65535, len(ROOTS), formats, 0, 0, 32, 32, 8, 255)
        + b"\0" * 4
        + vendor
        + b"\0" * (-len(vendor) % 4)
        + b"".join(struct.pack("<BBBxxxxx", 24, 32, 32) for _ in range(formats))
        + screens
    )
    assert len(data) % 4 == 0
    return struct.pack("<BxHHH", 1, 11, 0, len(data) // 4) + data


def reply(sequence: int, body: bytes = b"", first: int = 0, extra: bytes = b"") -> bytes:
    """A reply packet: 32 bytes (+ `extra`, a multiple of four)."""
    packet = struct.pack("<BBHI", 1, first, sequence, len(extra) // 4) + body
    return packet.ljust(32, b"\0") + extra


def idle_reply(sequence: int, idle_ms: int) -> bytes:
    return reply(sequence, struct.pack("<IIIIB", 0, 600_000 - idle_ms, idle_ms, 0, 1), first=0)


def error(sequence: int, code: int) -> bytes:
    return struct.pack("<BBHIHB", 0, code, sequence, 0, 1, EXTENSION_OPCODE).ljust(32, b"\0")


class ScriptedXServer:
    """A unix-socket "X server" that plays one connection from a script, in a thread.

    The script gets this object and uses `read_setup`, `read_request` and `send`.
    `finish()` re-raises what the script raised (e.g. a request it did not expect).
    """

    def __init__(self, path: str, script: Callable[[ScriptedXServer], None]) -> None:
        self.path = path
        self.sequence = 0
        self.auth: tuple[bytes, bytes] | None = None
        self._listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self._listener.bind(path)
        self._listener.listen(1)
        self._listener.settimeout(10)
        self._connection: socket.socket | None = None
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, args=(script,), daemon=True)
        self._thread.start()

    def _run(self, script: Callable[[ScriptedXServer], None]) -> None:
        try:
            self._connection, _ = self._listener.accept()
            self._connection.settimeout(10)
            script(self)
        except BaseException as error:
            self._error = error
        finally:
            if self._connection is not None:
                self._connection.close()  # the client sees EOF once the script is done

    def _read(self, size: int) -> bytes:
        assert self._connection is not None
        data = b""
        while len(data) < size:
            chunk = self._connection.recv(size - len(data))
            if not chunk:
                raise EOFError(f"client closed after {data!r}")
            data += chunk
        return data

    def read_setup(self) -> None:
        order, major, minor, name_length, data_length = struct.unpack("<BxHHHHxx", self._read(12))
        assert (order, major, minor) == (0x6C, 11, 0)
        name = self._read(name_length + -name_length % 4)[:name_length]
        data = self._read(data_length + -data_length % 4)[:data_length]
        self.auth = (name, data)

    def read_request(self) -> tuple[int, int, bytes]:
        """(major opcode, second byte, body after the 4-byte header); counts the sequence."""
        major, minor, length = struct.unpack("<BBH", self._read(4))
        self.sequence += 1
        return major, minor, self._read(4 * length - 4)

    def expect_query_extension(self) -> None:
        major, _, body = self.read_request()
        assert (major, body) == (98, struct.pack("<Hxx", 16) + b"MIT-SCREEN-SAVER")
        self.send(reply(self.sequence, struct.pack("<BBBB", 1, EXTENSION_OPCODE, 90, 150)))

    def expect_query_info(self, root: int) -> int:
        major, minor, body = self.read_request()
        assert (major, minor, body) == (EXTENSION_OPCODE, 1, struct.pack("<I", root))
        return self.sequence

    def send(self, data: bytes) -> None:
        assert self._connection is not None
        self._connection.sendall(data)

    def finish(self) -> None:
        self._thread.join(10)
        assert not self._thread.is_alive(), "the scripted server is still running"
        for sock in (self._connection, self._listener):
            if sock is not None:
                sock.close()
        if self._error is not None:
            raise self._error


@pytest.fixture
def socket_dir() -> Iterator[str]:
    """A short directory for unix sockets (sun_path holds 108 bytes; tmp_path may not fit)."""
    directory = tempfile.mkdtemp(prefix="breakd-x11-")
    try:
        yield directory
    finally:
        for name in os.listdir(directory):
            os.unlink(os.path.join(directory, name))
        os.rmdir(directory)


def serve(socket_dir: str, script: Callable[[ScriptedXServer], None]) -> ScriptedXServer:
    return ScriptedXServer(os.path.join(socket_dir, "org.example:7"), script)


def test_skips_events_and_late_answers_in_front_of_the_reply(socket_dir: str) -> None:
    def script(server: ScriptedXServer) -> None:
        server.read_setup()
        server.send(setup_success())
        server.expect_query_extension()
        sequence = server.expect_query_info(ROOTS[2])
        # Events carry the number of the last request the server processed: ours too.
        mapping_notify = struct.pack("<BxH", 34, sequence).ljust(32, b"\0")
        generic_event = struct.pack("<BBHI", 35, 1, sequence, 2).ljust(32, b"\0") + bytes(8)
        sent_event = struct.pack("<BxH", 0x80 | 33, sequence).ljust(32, b"\0")
        late = reply(sequence - 1, extra=bytes(8)) + error(sequence - 1, 9)
        answer = idle_reply(sequence, 4321)
        server.send(mapping_notify + generic_event + sent_event + late + answer[:10])
        time.sleep(0.05)  # the rest of the reply in a second segment
        server.send(answer[10:])

    server = serve(socket_dir, script)
    with X11IdleSource(server.path + ".2") as opened:
        idle = opened.idle_seconds()
    server.finish()

    assert idle == 4.321
    assert server.auth == (b"", b"")


def test_sends_the_cookie_for_the_socket_path_display(
    socket_dir: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A socket path's display number (XQuartz: ...org.xquartz:0) selects the cookie."""
    cookie = os.urandom(16)
    use_xauthority(
        tmp_path,
        monkeypatch,
        xauth_entry(LOCAL, HOSTNAME, "0", COOKIE_NAME, bytes(16)),
        xauth_entry(LOCAL, HOSTNAME, "7", COOKIE_NAME, cookie),
    )

    def script(server: ScriptedXServer) -> None:
        server.read_setup()
        server.send(setup_success(vendor=b"1234", formats=0))
        server.expect_query_extension()
        server.send(idle_reply(server.expect_query_info(ROOTS[0]), 5))

    server = serve(socket_dir, script)
    with X11IdleSource(server.path) as opened:
        assert opened.idle_seconds() == 0.005
    server.finish()

    assert server.auth == (COOKIE_NAME, cookie)


def test_x_error_for_the_query_is_unavailable(socket_dir: str) -> None:
    def script(server: ScriptedXServer) -> None:
        server.read_setup()
        server.send(setup_success())
        server.expect_query_extension()
        server.send(error(server.expect_query_info(ROOTS[0]), 9))

    server = serve(socket_dir, script)
    with X11IdleSource(server.path) as opened, pytest.raises(IdleSourceUnavailable) as raised:
        opened.idle_seconds()
    server.finish()

    assert str(raised.value) == (
        f"the X server on {server.path} answered the idle-time query with X error 9"
    )


@pytest.mark.parametrize("sent_in_time", [0, 12, 32, 36], ids=lambda n: f"{n}-bytes")
def test_slow_server_times_out_and_its_late_reply_is_skipped(
    socket_dir: str, monkeypatch: pytest.MonkeyPatch, sent_in_time: int
) -> None:
    """The late reply (with 8 extra bytes) may have begun before the deadline: the
    next query must still find where it ends."""
    monkeypatch.setattr(x11_connection, "TIMEOUT", 0.2)

    def script(server: ScriptedXServer) -> None:
        server.read_setup()
        server.send(setup_success())
        server.expect_query_extension()
        late = reply(server.expect_query_info(ROOTS[0]), extra=b"\x01" * 8)
        server.send(late[:sent_in_time])
        answered = server.expect_query_info(ROOTS[0])  # sent after the client gave up
        server.send(late[sent_in_time:] + idle_reply(answered, 2000))

    server = serve(socket_dir, script)
    with X11IdleSource(server.path) as opened:
        started = time.monotonic()
        with pytest.raises(IdleSourceUnavailable) as raised:
            opened.idle_seconds()
        waited = time.monotonic() - started
        second = opened.idle_seconds()
    server.finish()

    assert str(raised.value) == f"the X server on {server.path} did not answer the idle-time query"
    assert 0.15 < waited < 1.0
    assert second == 2.0


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        (
            struct.pack("<BBHHH", 0, 13, 11, 0, 4) + b"Go away, bot!".ljust(16, b"!"),
            "refused the connection: Go away, bot!",
        ),
        (
            struct.pack("<BxxxxxH", 2, 4) + b"need Kerberos".ljust(16, b"\0"),
            "refused the connection: need Kerberos",
        ),
        (setup_success()[:40], "went away"),
        (b"", "went away"),
        (  # says success, but ends before the first screen
            struct.pack("<BxHHH", 1, 11, 0, 17) + setup_success()[8 : 8 + 68],
            "sent a malformed connection setup",
        ),
    ],
    ids=["failed", "authenticate", "cut-short", "closed", "malformed"],
)
def test_bad_setup_is_unavailable(socket_dir: str, answer: bytes, message: str) -> None:
    def script(server: ScriptedXServer) -> None:
        server.read_setup()
        server.send(answer)

    server = serve(socket_dir, script)
    with pytest.raises(IdleSourceUnavailable) as raised:
        X11IdleSource(server.path)
    server.finish()

    assert str(raised.value) == f"the X server on {server.path} {message}"


def test_server_closing_mid_session_is_unavailable(socket_dir: str) -> None:
    def script(server: ScriptedXServer) -> None:
        server.read_setup()
        server.send(setup_success())
        server.expect_query_extension()
        server.expect_query_info(ROOTS[0])
        server.send(idle_reply(server.sequence, 7)[:12])

    server = serve(socket_dir, script)
    with X11IdleSource(server.path) as opened:
        messages = []
        for _ in range(2):  # the first meets half a reply and EOF, the second knows
            with pytest.raises(IdleSourceUnavailable) as raised:
                opened.idle_seconds()
            messages.append(str(raised.value))
    server.finish()

    assert messages == [f"the X server on {server.path} went away"] * 2


# --- watching for the next input (SYNC alarm on IDLETIME) -------------------------------


def _nudge_pointer(desktop: DesktopSession) -> None:
    desktop.xdotool("mousemove_relative", "1", "1")


@pytest.mark.desktop
@pytest.mark.parametrize("touch", [_nudge_pointer, _press_shift], ids=["mousemove", "key"])
def test_watch_calls_back_once_at_the_next_input_and_not_before(
    desktop: DesktopSession, source: X11IdleSource, touch: Callable[[DesktopSession], None]
) -> None:
    calls, on_input = recorder()

    async def scenario() -> asyncio.AbstractEventLoop:
        idle_at_least(source, 0.3)
        assert source.watch_for_input(on_input)
        await asyncio.sleep(1.0)
        assert calls == [], "called back without any input"
        touch(desktop)
        await until(lambda: calls, message="no call back after the input")
        touch(desktop)  # the watch is spent: later input says nothing
        await asyncio.sleep(0.3)
        return asyncio.get_running_loop()

    loop = asyncio.run(scenario())
    assert calls == [loop]


@pytest.mark.desktop
def test_a_second_watch_replaces_the_first(desktop: DesktopSession, source: X11IdleSource) -> None:
    first, on_first = recorder()
    second, on_second = recorder()

    async def scenario() -> None:
        idle_at_least(source, 0.2)
        assert source.watch_for_input(on_first)
        assert source.watch_for_input(on_second)
        _press_shift(desktop)
        await until(lambda: second)
        await asyncio.sleep(0.3)

    asyncio.run(scenario())
    assert (len(first), len(second)) == (0, 1)


@pytest.mark.desktop
def test_stop_watching_means_no_call_back(desktop: DesktopSession, source: X11IdleSource) -> None:
    calls, on_input = recorder()

    async def scenario() -> None:
        source.stop_watching()  # nothing to stop yet: fine
        idle_at_least(source, 0.2)
        assert source.watch_for_input(on_input)
        source.stop_watching()
        source.stop_watching()
        _nudge_pointer(desktop)
        await asyncio.sleep(0.5)
        assert source.idle_seconds() < 2  # the stream is still in step

    asyncio.run(scenario())
    assert calls == []


@pytest.mark.desktop
def test_idle_time_is_read_past_the_alarm_event_and_the_watch_still_fires(
    desktop: DesktopSession, source: X11IdleSource
) -> None:
    """The AlarmNotify waits in front of the next reply; the call back comes from the loop."""
    calls, on_input = recorder()

    async def scenario() -> None:
        idle_at_least(source, 0.3)
        assert source.watch_for_input(on_input)
        counter = source._idle_counter
        assert counter is not None
        assert 0.3 <= source.idle_seconds() < 5  # armed: replies still come through

        _nudge_pointer(desktop)  # the loop does not run until the await below
        queued = wait_until(lambda: queued_bytes(source), timeout=5.0, interval=0.02)
        assert queued[0] == counter.alarm_notify
        assert source.idle_seconds() < 0.25
        assert calls == [], "not from inside idle_seconds"

        await until(lambda: calls)
        await asyncio.sleep(0.2)
        assert len(calls) == 1
        assert source.idle_seconds() < 1  # after it fired, too

        # And again: a new watch after the first one fired.
        idle_at_least(source, 0.2)
        assert source.watch_for_input(on_input)
        _press_shift(desktop)
        await until(lambda: len(calls) == 2)

    asyncio.run(scenario())


@pytest.mark.desktop
def test_the_server_going_away_while_watching_calls_back_and_then_says_so() -> None:
    require_tools("Xvfb")
    xvfb, display = start_xvfb(screen="320x200x24")
    opened = X11IdleSource(display)
    try:
        assert calls_back_when_lost(opened, lambda: stop_process(xvfb)) == 1
        with pytest.raises(IdleSourceUnavailable) as raised:
            opened.idle_seconds()
    finally:
        stop_process(xvfb)
        opened.close()

    assert str(raised.value) == f"the X server on {display} went away"


@pytest.mark.desktop
def test_a_closed_source_cannot_watch(desktop: DesktopSession) -> None:
    opened = X11IdleSource(desktop.display)
    opened.close()

    async def scenario() -> bool:
        return opened.watch_for_input(lambda: None)

    assert asyncio.run(scenario()) is False


# The SYNC conversation, scripted: what a real server will not vary on demand.

SYNC_OPCODE, SYNC_FIRST_EVENT, SYNC_FIRST_ERROR = 134, 83, 134
IDLETIME = 0x3D


def system_counters(*names: bytes) -> bytes:
    """A ListSystemCounters reply body: counter n+0x3C, resolution 4, name, padded."""
    entries = b""
    for index, name in enumerate(names):
        entry = struct.pack("<IiIH", IDLETIME - 1 + index, 0, 4, len(name)) + name
        entries += entry + b"\0" * (-len(entry) % 4)
    return entries


def expect_sync_lookup(server: ScriptedXServer, *counters: bytes) -> None:
    major, _, body = server.read_request()
    assert (major, body) == (98, struct.pack("<Hxx", 4) + b"SYNC")
    present = 1 if counters else 0
    info = struct.pack("<BBBB", present, SYNC_OPCODE, SYNC_FIRST_EVENT, SYNC_FIRST_ERROR)
    server.send(reply(server.sequence, info))
    if not counters:
        return
    assert server.read_request() == (SYNC_OPCODE, 0, struct.pack("<BBxx", 3, 1))
    server.send(reply(server.sequence, struct.pack("<BB", 3, 1)))
    assert server.read_request() == (SYNC_OPCODE, 1, b"")
    listing = system_counters(*counters)
    server.send(reply(server.sequence, struct.pack("<I", len(counters)), extra=listing))


def alarm_notify(alarm: int, state: int) -> bytes:
    """AlarmNotify: alarm, counter value, alarm value (INT64s), time, state."""
    return struct.pack(
        "<BBHIiIiIIB", SYNC_FIRST_EVENT + 1, 1, 0, alarm, 0, 0, 0, 4999, 0, state
    ).ljust(32, b"\0")


def serve_with_setup(socket_dir: str, script: Callable[[ScriptedXServer], None]) -> ScriptedXServer:
    def whole(server: ScriptedXServer) -> None:
        server.read_setup()
        server.send(setup_success())
        server.expect_query_extension()
        script(server)

    return serve(socket_dir, whole)


def test_the_alarm_is_below_the_idle_time_now_and_its_event_may_come_before_any_reply(
    socket_dir: str,
) -> None:
    alarm = 0x400000 | 1  # the first ID of the range the setup gave
    destroyed: list[bytes] = []

    def script(server: ScriptedXServer) -> None:
        expect_sync_lookup(server, b"SERVERTIME", b"IDLETIME", b"DEVICEIDLETIME 2")
        server.send(idle_reply(server.expect_query_info(ROOTS[0]), 5000))
        created = server.read_request()
        assert created == (
            SYNC_OPCODE,
            8,  # CreateAlarm: every value, IDLETIME <= 4999 ms, delta 0, events
            struct.pack("<IIIIiIIiII", alarm, 0x3F, IDLETIME, 0, 0, 4999, 3, 0, 0, 1),
        )
        assert server.read_request() == (SYNC_OPCODE, 10, struct.pack("<I", alarm))
        queried = server.sequence
        # The input came at once: its event, another alarm's, then the QueryAlarm reply.
        server.send(alarm_notify(alarm + 1, 1) + alarm_notify(alarm, 1))
        server.send(reply(queried, extra=bytes(12)))
        destroyed.append(server.read_request()[2])  # DestroyAlarm, once it fired
        server.send(alarm_notify(alarm, 2))  # Destroyed: the watch is over already
        server.send(idle_reply(server.expect_query_info(ROOTS[0]), 3))

    server = serve_with_setup(socket_dir, script)
    calls, on_input = recorder()

    async def scenario() -> float:
        with X11IdleSource(server.path) as opened:
            assert opened.watch_for_input(on_input)
            assert calls == []
            await until(lambda: calls)
            await asyncio.sleep(0.1)
            return opened.idle_seconds()

    assert asyncio.run(scenario()) == 0.003
    server.finish()
    assert len(calls) == 1
    assert destroyed == [struct.pack("<I", alarm)]


@pytest.mark.parametrize(
    "counters", [(), (b"SERVERTIME", b"IDLETIMER")], ids=["no-sync", "no-idletime"]
)
def test_without_an_idletime_counter_the_source_is_sampled(
    socket_dir: str, counters: tuple[bytes, ...]
) -> None:
    """The lookup is made once: the second watch asks nothing before the idle query."""

    def script(server: ScriptedXServer) -> None:
        expect_sync_lookup(server, *counters)
        server.send(idle_reply(server.expect_query_info(ROOTS[0]), 70))

    server = serve_with_setup(socket_dir, script)

    async def scenario() -> tuple[bool, bool, float]:
        with X11IdleSource(server.path) as opened:
            return (
                opened.watch_for_input(lambda: None),
                opened.watch_for_input(lambda: None),
                opened.idle_seconds(),
            )

    assert asyncio.run(scenario()) == (False, False, 0.07)
    server.finish()


def test_a_refused_alarm_is_sampled_instead(socket_dir: str) -> None:
    def script(server: ScriptedXServer) -> None:
        expect_sync_lookup(server, b"IDLETIME")
        server.send(idle_reply(server.expect_query_info(ROOTS[0]), 0))
        major, minor, body = server.read_request()
        assert (major, minor) == (SYNC_OPCODE, 8)
        assert struct.unpack_from("<iI", body, 16) == (0, 0)  # idle 0: at most 0 ms
        created = server.sequence
        server.read_request()  # QueryAlarm: BadAlarm, as CreateAlarm failed
        server.send(error(created, 8) + error(server.sequence, SYNC_FIRST_ERROR + 1))
        assert server.read_request()[:2] == (SYNC_OPCODE, 11)  # destroyed all the same
        server.send(idle_reply(server.expect_query_info(ROOTS[0]), 12))

    server = serve_with_setup(socket_dir, script)

    async def scenario() -> tuple[bool, float]:
        with X11IdleSource(server.path) as opened:
            return opened.watch_for_input(lambda: None), opened.idle_seconds()

    assert asyncio.run(scenario()) == (False, 0.012)
    server.finish()


# --- footprint ---------------------------------------------------------------------------


def test_import_loads_no_ctypes_and_nothing_asyncio_has_not() -> None:
    """The reason this module speaks the protocol itself: no libX11, no ctypes."""
    code = (
        "import asyncio, sys, breakd.adapters.idle\n"
        "before = set(sys.modules)\n"
        "import breakd.adapters.idle.x11\n"
        "print(sorted(set(sys.modules) - before))\n"
        "print('ctypes' in sys.modules)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        timeout=30,
        env={**os.environ, "PYTHONPATH": str(REPO_ROOT)},
    )
    added, ctypes_loaded = result.stdout.splitlines()

    assert ctypes_loaded == "False"
    assert added == str(
        [
            "breakd.adapters.idle.watch",
            "breakd.adapters.idle.x11",
            "breakd.adapters.worker",
            "breakd.adapters.x11",
            "breakd.adapters.x11.connection",
            "breakd.adapters.x11.display",
            "breakd.adapters.x11.errors",
            "breakd.adapters.x11.wire",
        ]
    )
