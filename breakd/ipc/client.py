"""The CLI's side of the control socket: one request, one reply, plain errors."""

from __future__ import annotations

import socket

from breakd.errors import BreakdError, CommandRejected, DaemonNotRunning
from breakd.ipc import protocol
from breakd.paths import socket_path

TYPE_CHECKING = False
if TYPE_CHECKING:  # typing only: importing breakd.ipc.status would import the core
    from breakd.ipc.status import Reply

NOT_RUNNING = "breakd is not running (start it with `breakd run`)"


def call(command: str, args: dict[str, object] | None = None, timeout: float = 5.0) -> Reply:
    """Send one command and return the daemon's reply; errors become BreakdError with one line."""
    path = socket_path()
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
        sock.settimeout(timeout)
        try:
            sock.connect(str(path))
        except (FileNotFoundError, ConnectionRefusedError):
            raise DaemonNotRunning(NOT_RUNNING) from None
        except PermissionError:
            raise BreakdError(f"cannot open {path}: permission denied") from None
        try:
            sock.sendall(protocol.request(command, args))
            line = _read_line(sock)
        except TimeoutError:
            raise BreakdError(f"breakd did not answer within {timeout:g} s") from None
        except OSError as error:
            raise BreakdError(f"lost the connection to breakd: {error.strerror or error}") from None
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


def _read_line(sock: socket.socket) -> bytes:
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
