"""One in-process daemon for a whole Hypothesis run, on an event loop of its own.

Starting a daemon per example would cost more than the example: this one lives
for the test, on a loop in a second thread, and the test talks to it the way a
client does, over its real control socket. Whatever touches the daemon's own
objects (its clock, its fakes) runs on that loop through `run`.
"""

from __future__ import annotations

import asyncio
import json
import socket
import threading
from collections.abc import Coroutine
from pathlib import Path
from types import TracebackType
from typing import Any, TypeVar

from breakd import paths
from tests.fuzz.invariants import new_errors
from tests.inprocess.harness import InProcessDaemon

T = TypeVar("T")
TIMEOUT = 10.0


class DaemonThread:
    def __init__(self, state_dir: Path, config_text: str = "") -> None:
        self.daemon = InProcessDaemon(state_dir, config_text)
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)

    def __enter__(self) -> DaemonThread:
        self._thread.start()
        self.run(self.daemon.__aenter__())
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        try:
            self.run(self.daemon.__aexit__(kind, error, traceback))
        finally:
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(TIMEOUT)
            self._loop.close()

    def run(self, coroutine: Coroutine[Any, Any, T]) -> T:
        return asyncio.run_coroutine_threadsafe(coroutine, self._loop).result(TIMEOUT)

    def new_errors(self) -> list[str]:
        """Once what the last request started has run: the errors it logged (`new_errors`)."""

        async def settled() -> list[str]:
            await self.daemon.settle()
            return new_errors(self.daemon.guard)

        return self.run(settled())

    def exchange(self, payload: bytes) -> dict[str, Any]:
        """Send `payload` as a client would, then end the request; the one reply line, parsed."""
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
            sock.settimeout(TIMEOUT)
            sock.connect(paths.socket_file())
            try:
                sock.sendall(payload)
                sock.shutdown(socket.SHUT_WR)
            except (BrokenPipeError, ConnectionResetError):
                pass  # it answered (and closed) before reading all of it: the reply is read below
            chunks = []
            while chunk := sock.recv(65536):
                chunks.append(chunk)
        data = b"".join(chunks)
        assert data.endswith(b"\n") and data.count(b"\n") == 1, ("not one reply line", data[:200])
        reply = json.loads(data)
        assert isinstance(reply, dict), reply
        return reply
