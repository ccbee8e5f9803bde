"""Which X server a DISPLAY names, and the cookie that lets breakd in.

References: Xlib's and libxcb's DISPLAY forms; Xau for the Xauthority file format.
"""

from __future__ import annotations

import os
import socket
import struct

UNIX_SOCKET = "/tmp/.X11-unix/X{}"
TCP_PORT = 6000
COOKIE_NAME = b"MIT-MAGIC-COOKIE-1"

# Xauthority families (Xau / X.h).
_FAMILY_INTERNET = 0
_FAMILY_INTERNET6 = 6
_FAMILY_LOCAL = 256
_FAMILY_WILD = 65535


def parse_display(display: str) -> tuple[str, str, int, int]:
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


def auth_candidates(sock: socket.socket) -> list[tuple[int, bytes]]:
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


def find_cookie(candidates: list[tuple[int, bytes]], number: int) -> bytes | None:
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
            name == COOKIE_NAME
            and entry_number in (b"", wanted_number)
            and (family == _FAMILY_WILD or (family, address) in candidates)
        ):
            return cookie
    return None
