"""One Wayland client connection, blocking: connect, list the globals, bind, round trips.

Each exchange has a deadline, so an unresponsive compositor holds its caller for a few
seconds at most; the daemon's callers are its idle worker, never its loop
(`idle_reader.py`). Between round trips the event loop may watch the socket and call
`read_waiting`, so a client that waits for an event sleeps until the compositor has one.
"""

from __future__ import annotations

import os
import socket
import time
from collections.abc import Callable
from typing import NamedTuple, NoReturn

from breakd.adapters.wayland import protocols as p
from breakd.adapters.wayland.errors import WaylandError, WaylandLost, WaylandUnavailable
from breakd.adapters.wayland.wire import Value, WireError, decode, encode, split

TIMEOUT = 2.0
"""Seconds for connect and each round trip; a local compositor answers in µs."""
DISPLAY_ID = 1
SERVER_IDS = 0xFF000000
"""The first id of the objects a compositor makes (libwayland's WL_SERVER_ID_START)."""

Handler = Callable[[int, bytes], None]
"""Called with an event's opcode and payload, for the events of one object."""


class Global(NamedTuple):
    """One global the compositor offers: its numeric name and highest version."""

    name: int
    version: int


def socket_path(display: str | None = None) -> str:
    """Where the compositor listens, as libwayland finds it: `display` (default
    $WAYLAND_DISPLAY, else "wayland-0") as an absolute path, or in $XDG_RUNTIME_DIR."""
    display = display or os.environ.get("WAYLAND_DISPLAY") or "wayland-0"
    if os.path.isabs(display):
        return display
    runtime = os.environ.get("XDG_RUNTIME_DIR")
    if not runtime:
        raise WaylandUnavailable(f"XDG_RUNTIME_DIR is not set, so {display} cannot be found")
    return os.path.join(runtime, display)


class WaylandConnection:
    """One connection: requests out, events to the handler of their object.

    Raises WaylandUnavailable (WaylandLost, WaylandError), never anything lower-level.
    """

    def __init__(self, display: str | None = None, *, list_globals: bool = True) -> None:
        """Connect and ask for the globals; with `list_globals` False the caller waits
        for them (`AsyncWayland.open`), else they are in `globals` on return."""
        self.path = socket_path(display)
        self._sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self._sock.settimeout(TIMEOUT)
        try:
            self._sock.connect(self.path)
        except OSError as error:
            self._sock.close()
            reason = error.strerror or str(error)
            raise WaylandUnavailable(
                f"cannot connect to the Wayland compositor at {self.path}: {reason}"
            ) from None
        self._pending = bytearray()
        self._handlers: dict[int, Handler] = {DISPLAY_ID: self._display_event}
        self._next_id = DISPLAY_ID + 1
        self._free_ids: list[int] = []
        self._closed = False
        self._lost_because: str | None = None
        self.globals: dict[str, Global] = {}
        try:
            self._registry = self.new_id(self._registry_event)
            self.send(DISPLAY_ID, p.DISPLAY_GET_REGISTRY, self._registry)
            if list_globals:
                self.round_trip("the list of globals")
        except BaseException:
            self.close()
            raise

    # -- objects ------------------------------------------------------------------

    def new_id(self, handler: Handler | None = None) -> int:
        """An id for a new object, whose events go to `handler`; freed ids are used again
        (the compositor keeps a slot for each id ever used)."""
        object_id = self._free_ids.pop() if self._free_ids else self._next_id
        if object_id == self._next_id:
            self._next_id += 1
        self._handlers[object_id] = handler or _ignore
        return object_id

    def adopt(self, object_id: int, handler: Handler) -> None:
        """Events of an object the compositor made (its id came in an event) go to `handler`."""
        self._handlers[object_id] = handler

    def forget(self, object_id: int) -> None:
        """Its events from now on are dropped: the compositor confirms an id of ours with
        delete_id, and sends nothing more for one of its own once it was destroyed."""
        if object_id >= SERVER_IDS:
            self._handlers.pop(object_id, None)
        else:
            self._handlers[object_id] = _ignore

    def bind(self, interface: str, version: int, handler: Handler | None = None) -> int:
        """Bind the global `interface` at `version` (at most what it offers); its id.
        KeyError when it is not offered."""
        offered = self.globals[interface]
        object_id = self.new_id(handler)
        version = min(version, offered.version)
        self.send(self._registry, p.REGISTRY_BIND, offered.name, interface, version, object_id)
        return object_id

    # -- exchanges ----------------------------------------------------------------

    def send(self, object_id: int, request: p.Message, *values: Value) -> None:
        """`request` (a row of `protocols.py`) to the object `object_id`."""
        try:
            message = encode(object_id, request.opcode, request.signature, *values)
        except WireError as error:
            raise WaylandUnavailable(f"a request breakd could not encode: {error}") from None
        self._live()
        try:
            self._sock.settimeout(TIMEOUT)
            self._sock.sendall(message)
        except OSError:
            self._lose()

    def round_trip(self, what: str) -> None:
        """wl_display.sync and wait for its callback: every event sent before it has then
        been handled. WaylandLost when none comes within TIMEOUT."""
        done = self.sync()
        deadline = time.monotonic() + TIMEOUT
        while not done():
            left = deadline - time.monotonic()
            if left <= 0:
                self.gave_up(what)
            self._receive(left)

    def sync(self) -> Callable[[], bool]:
        """Send wl_display.sync; whether its callback has come, once events are read."""
        done = False

        def callback(opcode: int, payload: bytes) -> None:
            nonlocal done
            done = opcode == p.CALLBACK_DONE.opcode
            self.forget(callback_id)

        callback_id = self.new_id(callback)
        self.send(DISPLAY_ID, p.DISPLAY_SYNC, callback_id)
        return lambda: done

    def gave_up(self, what: str) -> NoReturn:
        """The compositor did not answer in time: the connection is closed, WaylandLost."""
        self._lose(f"the Wayland compositor at {self.path} did not answer ({what})")

    def read_waiting(self) -> None:
        """Handle whatever events have arrived, without waiting; WaylandLost once the
        compositor is gone."""
        while self._receive(0.0):  # the rest, if more than one read's worth came
            pass

    def _receive(self, timeout: float) -> bool:
        """One read, of what comes within `timeout` (nothing at 0 if nothing is there);
        whether anything came."""
        self._live()
        try:
            if timeout <= 0:
                self._sock.setblocking(False)
            else:
                self._sock.settimeout(timeout)
            data = self._sock.recv(65536)
        except (BlockingIOError, InterruptedError, TimeoutError):
            return False
        except OSError:
            self._lose()
        if not data:
            self._lose()
        self._take_in(data)
        return True

    def _take_in(self, data: bytes) -> None:
        self._pending += data
        try:
            for object_id, opcode, payload in split(self._pending):
                self._handlers.get(object_id, _ignore)(opcode, payload)
        except WireError as error:
            self.close()
            raise WaylandUnavailable(
                f"the Wayland compositor at {self.path} sent a malformed message: {error}"
            ) from None

    # -- wl_display and wl_registry -------------------------------------------------

    def _display_event(self, opcode: int, payload: bytes) -> None:
        if opcode == p.DISPLAY_ERROR.opcode:
            object_id, code, message = decode(p.DISPLAY_ERROR.signature, payload)
            assert isinstance(object_id, int) and isinstance(code, int)
            self.close()
            raise WaylandError(object_id, code, str(message))
        if opcode == p.DISPLAY_DELETE_ID.opcode:
            (object_id,) = decode(p.DISPLAY_DELETE_ID.signature, payload)
            assert isinstance(object_id, int)
            if self._handlers.pop(object_id, None) is not None:
                self._free_ids.append(object_id)

    def _registry_event(self, opcode: int, payload: bytes) -> None:
        if opcode == p.REGISTRY_GLOBAL.opcode:
            name, interface, version = decode(p.REGISTRY_GLOBAL.signature, payload)
            assert isinstance(name, int) and isinstance(version, int)
            self.globals[str(interface)] = Global(name, version)
        elif opcode == p.REGISTRY_GLOBAL_REMOVE.opcode:
            (name,) = decode(p.REGISTRY_GLOBAL_REMOVE.signature, payload)
            self.globals = {
                key: offered for key, offered in self.globals.items() if offered.name != name
            }

    # -- the end ----------------------------------------------------------------------

    def _live(self) -> None:
        """WaylandLost, saying why again, once the connection is gone."""
        if self._closed:
            raise WaylandLost(
                self._lost_because
                or f"the connection to the Wayland compositor at {self.path} is closed"
            )

    def _lose(self, reason: str | None = None) -> NoReturn:
        self.close()
        self._lost_because = (
            reason or f"the Wayland compositor at {self.path} closed the connection"
        )
        raise WaylandLost(self._lost_because)

    def fileno(self) -> int:
        return self._sock.fileno()

    def close(self) -> None:
        """Safe to call twice."""
        if not self._closed:
            self._closed = True
            self._sock.close()


def _ignore(opcode: int, payload: bytes) -> None:
    pass
