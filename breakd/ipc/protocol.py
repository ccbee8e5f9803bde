"""One JSON object per line, each way, with the protocol version in every message.

Request:  {"breakd": 1, "command": "snooze", "args": {"duration": "10m"}}
Reply:    {"breakd": 1, "ok": true, "message": "...", "status": {...}}
Error:    {"breakd": 1, "ok": false, "error": "<code>", "message": "..."}

A `follow` request (`{"breakd": 1, "command": "follow", "args": {}}`) gets the
status reply at once and keeps the connection: one more reply line (with an empty
message) each time what the status shows changes, and at least each minute the
sitting time goes up. It is not a command of the command table: the daemon's
server answers it, and the CLI sends it for `breakd status --follow`.

Plain dicts, no dataclasses: the CLI imports this on every call.
"""

from __future__ import annotations

import json

TYPE_CHECKING = False
if TYPE_CHECKING:  # typing only: importing breakd.ipc.status would import the core
    from breakd.ipc.status import StatusReply

PROTOCOL_VERSION = 1
MAX_MESSAGE_BYTES = 64 * 1024
FOLLOW = "follow"


# Error codes a reply can carry.
BAD_REQUEST = "bad_request"
UNKNOWN_COMMAND = "unknown_command"
BAD_ARGUMENT = "bad_argument"
NOT_APPLICABLE = "not_applicable"
VERSION_MISMATCH = "version_mismatch"
PERMISSION_DENIED = "permission_denied"
FAILED = "failed"


class ProtocolError(ValueError):
    """A message that is not valid breakd protocol; `code` is one of the codes above."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


def encode(message: dict[str, object]) -> bytes:
    return (
        json.dumps({"breakd": PROTOCOL_VERSION, **message}, separators=(",", ":")).encode() + b"\n"
    )


def decode(line: bytes) -> dict[str, object]:
    """Parse one line; raises ProtocolError for anything but a current-version JSON object."""
    try:
        message = json.loads(line)
    except (ValueError, UnicodeDecodeError) as error:
        raise ProtocolError(BAD_REQUEST, f"not a JSON line: {error}") from None
    except RecursionError:
        raise ProtocolError(BAD_REQUEST, "not a JSON line: nested too deeply") from None
    if not isinstance(message, dict):
        raise ProtocolError(BAD_REQUEST, "expected a JSON object")
    version = message.get("breakd")
    if version != PROTOCOL_VERSION:
        raise ProtocolError(
            VERSION_MISMATCH,
            f"protocol version {version!r} is not supported (this breakd speaks {PROTOCOL_VERSION}); "
            "restart the daemon after an upgrade",
        )
    return message


def request(command: str, args: dict[str, object] | None = None) -> bytes:
    return encode({"command": command, "args": args or {}})


def reply(message: str, status: StatusReply) -> bytes:
    return encode({"ok": True, "message": message, "status": status})


def error_reply(code: str, message: str) -> bytes:
    return encode({"ok": False, "error": code, "message": message})
