"""The daemon's side of the control socket, on the daemon's own asyncio loop.

The socket is created under a temporary name, made 0600, then renamed into
place, so no other user ever sees it open; each connection's peer uid is
checked as well. One request and one reply per connection, except for a
`follow` request: its connection stays open and gets the status again at each
change (`followers.py`).
"""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import Awaitable, Callable
from pathlib import Path

from breakd.core.commands import STATUS
from breakd.errors import BreakdError
from breakd.ipc import protocol
from breakd.ipc.followers import Followers
from breakd.ipc.peer import peer_uid, socket_problem
from breakd.repeated_log import RepeatedLog

log = logging.getLogger(__name__)

Handler = Callable[[str, dict[str, object]], Awaitable[bytes]]
READ_TIMEOUT = 5.0


class ControlServer:
    def __init__(self, path: Path, handler: Handler, followers: Followers | None = None) -> None:
        self.path = path
        self._handler = handler
        self._followers = Followers() if followers is None else followers
        self._server: asyncio.base_events.Server | None = None
        self._refusals = RepeatedLog(log)  # another user may knock in a loop

    async def start(self) -> None:
        """Listen on `path`. The caller holds the instance lock, so any socket there is stale."""
        problem = socket_problem(self.path)
        if problem is not None:
            raise BreakdError(f"cannot listen on the control socket: {problem}")
        self.path.unlink(missing_ok=True)
        temporary = self.path.with_name(f".{self.path.name}.{os.getpid()}")
        temporary.unlink(missing_ok=True)
        self._server = await asyncio.start_unix_server(
            self._serve, path=str(temporary), limit=protocol.MAX_MESSAGE_BYTES
        )
        os.chmod(temporary, 0o600)
        os.replace(temporary, self.path)

    async def close(self) -> None:
        if self._server is not None:
            self._server.close()  # no new connections, then end the followers' ones
            await self._followers.close()
            await self._server.wait_closed()
            self._server = None
        self.path.unlink(missing_ok=True)

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            request = await self._request(reader, writer)
            if isinstance(request, bytes):
                writer.write(request)
            elif request[0] == protocol.FOLLOW:
                writer.write(await self._handler(STATUS, {}))  # the status now, then each change
                await self._followers.keep(reader, writer)
                return
            else:
                writer.write(await self._handler(*request))
            await writer.drain()
        except (ConnectionError, asyncio.TimeoutError):
            pass
        finally:
            writer.close()

    async def _request(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> tuple[str, dict[str, object]] | bytes:
        """The command and its args; or, for a request that gets none, the error reply."""
        uid = peer_uid(writer.get_extra_info("socket"))
        if uid is not None and uid != os.getuid():
            self._refusals.warning("refused a control connection from uid %s", uid)
            return protocol.error_reply(protocol.PERMISSION_DENIED, "not your breakd")
        try:
            line = await asyncio.wait_for(reader.readline(), READ_TIMEOUT)
            message = protocol.decode(line)
        except protocol.ProtocolError as error:
            return protocol.error_reply(error.code, str(error))
        except (ValueError, asyncio.LimitOverrunError):
            return protocol.error_reply(protocol.BAD_REQUEST, "request too long or not one line")
        command, args = message.get("command"), message.get("args") or {}
        if not isinstance(command, str) or not isinstance(args, dict):
            return protocol.error_reply(protocol.BAD_REQUEST, "expected a command name and args")
        return command, args
