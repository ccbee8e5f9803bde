"""Who is at the other end of the control socket, and whether its directory is private.

Both ends check: the daemon talks to its own user only, and the CLI sends nothing
to a socket that another user could have put there.
"""

from __future__ import annotations

import _socket  # not `socket`: the CLI's client imports this, and `socket.py` costs it time
import os
import stat
import struct

TYPE_CHECKING = False
if TYPE_CHECKING:
    from os import PathLike

    Place = str | PathLike[str]


def peer_uid(sock: _socket.socket | None) -> int | None:
    """The connected process's uid (Linux SO_PEERCRED); None where the OS has no such call.
    `sock` may be a `socket.socket` (a subclass) or the client's bare `_socket.socket`."""
    option = getattr(_socket, "SO_PEERCRED", None)
    if sock is None or option is None:
        return None
    credentials = sock.getsockopt(_socket.SOL_SOCKET, option, struct.calcsize("3i"))
    _pid, uid, _gid = struct.unpack("3i", credentials)
    return uid


def private_dir_problem(path: Place) -> str | None:
    """Why `path` is not a private directory of this user's (0700, not a link); None if it is."""
    info = os.lstat(path)
    if stat.S_ISLNK(info.st_mode) or not stat.S_ISDIR(info.st_mode):
        return f"{path} is not a directory"
    if info.st_uid != os.getuid():
        return f"{path} belongs to uid {info.st_uid}, not to you"
    if stat.S_IMODE(info.st_mode) & 0o077:
        return f"{path} can be entered by other users (mode {stat.S_IMODE(info.st_mode):o})"
    return None


def socket_problem(path: Place) -> str | None:
    """Why `path` cannot be the control socket (something else sits there); None if it can."""
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return None
    if stat.S_ISSOCK(mode):
        return None
    kind = (
        "a directory"
        if stat.S_ISDIR(mode)
        else "a symbolic link"
        if stat.S_ISLNK(mode)
        else "a file"
    )
    return f"{path} is {kind}, not breakd's socket; remove it"
