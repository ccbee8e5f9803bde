"""The CLI's side of the control socket: one request, one reply, plain errors; or,
for `breakd status --follow`, one request and a reply at each change.

It speaks through `_socket`, the C module under `socket`: `socket.py` adds only
conveniences this client does not use, and importing it (with `selectors`) took a
tenth of `breakd status`'s time (docs/footprint.md).
"""

from __future__ import annotations

import os
import time
from _socket import AF_UNIX, SOCK_STREAM
from _socket import socket as Socket

from breakd.errors import BreakdError, CommandRejected, DaemonNotRunning
from breakd.ipc import protocol
from breakd.ipc.peer import peer_uid, private_dir_problem, socket_problem
from breakd.paths import socket_file

TYPE_CHECKING = False
if TYPE_CHECKING:  # typing only: importing breakd.ipc.status would import the core
    from collections.abc import Iterator

    from breakd.ipc.status import Reply, StatusReply

NOT_RUNNING = "breakd is not running (start it with `breakd run`)"
BUSY_RETRIES = 20
BUSY_PAUSE = 0.05


def call(command: str, args: dict[str, object] | None = None, timeout: float = 5.0) -> Reply:
    """Send one command and return the daemon's reply; errors become BreakdError with one line."""
    sock = _open(timeout)
    try:
        try:
            sock.sendall(protocol.request(command, args))
            line = _read_line(sock)
        except TimeoutError:
            raise BreakdError(f"breakd did not answer within {timeout:g} s") from None
        except OSError as error:
            raise BreakdError(f"lost the connection to breakd: {error.strerror or error}") from None
    finally:
        sock.close()
    return _checked(line)


def follow(timeout: float = 5.0) -> Iterator[StatusReply]:
    """The status now, then again each time it changes, until the daemon closes the
    connection (it stopped, or dropped a follower that fell behind); waits without
    a timeout between changes, as the daemon sends them by itself."""
    sock = _open(timeout)
    try:
        sock.sendall(protocol.request(protocol.FOLLOW))
        lines = _lines(sock)
        line = next(lines, b"")
        sock.settimeout(None)
        while line:
            yield _checked(line)["status"]
            line = next(lines, b"")
    except TimeoutError:
        raise BreakdError(f"breakd did not answer within {timeout:g} s") from None
    except OSError:
        return  # the daemon went away: the caller tries again
    finally:
        sock.close()


def _open(timeout: float) -> Socket:
    """A connected socket to this user's daemon, after checking who is at the other end."""
    path = socket_file()
    _check_place(path)
    sock = Socket(AF_UNIX, SOCK_STREAM)
    try:
        sock.settimeout(timeout)
        _connect(sock, path)
        uid = peer_uid(sock)
        if uid is not None and uid != os.getuid():
            raise BreakdError(
                f"the process at {path} runs as uid {uid}, not as you; not talking to it"
            )
    except BaseException:
        sock.close()
        raise
    return sock


def _checked(line: bytes) -> Reply:
    """The reply in `line`; an error reply becomes BreakdError (CommandRejected for a refusal)."""
    try:
        message = protocol.decode(line)
    except protocol.ProtocolError as error:
        raise BreakdError(str(error)) from None
    if not message.get("ok"):
        text = str(message.get("message") or message.get("error") or "unknown error")
        if message.get("error") == protocol.NOT_APPLICABLE:
            raise CommandRejected(text)
        raise BreakdError(text)
    return message  # type: ignore[return-value]  # an ok reply of this protocol version


def _check_place(path: str) -> None:
    """Send nothing to a socket that another user could have put there."""
    try:
        problem = private_dir_problem(os.path.dirname(path)) or socket_problem(path)
    except FileNotFoundError:
        raise DaemonNotRunning(NOT_RUNNING) from None
    if problem is not None:
        raise BreakdError(f"runtime directory: {problem}")


def _connect(sock: Socket, path: str) -> None:
    """Connect; a daemon whose queue of waiting connections is full gets a moment to catch up."""
    for _attempt in range(BUSY_RETRIES):
        try:
            sock.connect(path)
            return
        except (FileNotFoundError, ConnectionRefusedError):
            raise DaemonNotRunning(NOT_RUNNING) from None
        except PermissionError:
            raise BreakdError(f"cannot open {path}: permission denied") from None
        except BlockingIOError:
            time.sleep(BUSY_PAUSE)
    raise BreakdError("breakd is busy; try again")


def _read_line(sock: Socket) -> bytes:
    chunks: list[bytes] = []
    size = 0
    while True:
        chunk = sock.recv(65536)
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
        if chunk.endswith(b"\n") or size > protocol.MAX_MESSAGE_BYTES:
            break
    if not chunks:
        raise OSError("the daemon closed the connection without a reply")
    return b"".join(chunks)


def _lines(sock: Socket) -> Iterator[bytes]:
    """The lines the daemon sends, each whole (a line longer than the protocol allows
    ends the stream)."""
    pending = b""
    while True:
        chunk = sock.recv(65536)
        if not chunk:
            return
        pending += chunk
        while b"\n" in pending:
            line, pending = pending.split(b"\n", 1)
            yield line + b"\n"
        if len(pending) > protocol.MAX_MESSAGE_BYTES:
            return
