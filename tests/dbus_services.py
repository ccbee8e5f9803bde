"""Stand-ins for the desktop's D-Bus services, written with jeepney, on private buses.

Each stand-in owns the real well-known name and answers the real interface
(the methods, properties and signals breakd uses, with the real names,
paths and signatures), so the adapters under test speak real D-Bus through a
real dbus-daemon. Values the test needs to steer (idle time, lock state,
inhibitors) are plain attributes or methods.

All stand-ins of a test run on one `ServiceHost`: a thread with its own
asyncio loop, so that the test's own code (blocking CLI calls, or an
`asyncio.run` of the adapter under test) never has to serve them.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import subprocess
import threading
import time
from collections.abc import Callable, Coroutine, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from breakd.adapters.watcher import WatcherUnavailable
from tests.desktop import (
    _start_with_fd,
    require_tools,
    skip_or_fail,
    start_session_bus,
    stop_process,
)
from tests.private_session import write_no_activation_bus_config

T = TypeVar("T")
Handler = Callable[[Any], "tuple[str, tuple[Any, ...]] | None"]
"""Answers a method call with (signature, body), raises DBusError, or returns None: no answer."""

CALL_TIMEOUT = 5.0
PROPERTIES = "org.freedesktop.DBus.Properties"
UNKNOWN_METHOD = "org.freedesktop.DBus.Error.UnknownMethod"
NOT_SUPPORTED = "org.freedesktop.DBus.Error.NotSupported"
REQUEST_NAME_DO_NOT_QUEUE = 4
PRIMARY_OWNER = 1


class DBusError(Exception):
    """Raised by a handler: the caller gets this D-Bus error."""

    def __init__(self, name: str, text: str = "") -> None:
        super().__init__(f"{name}: {text}")
        self.name = name
        self.text = text


@dataclass(frozen=True)
class Call:
    """A method call a stand-in received."""

    sender: str
    path: str
    interface: str
    member: str
    body: tuple[Any, ...]


# -- the buses ---------------------------------------------------------------------


@dataclass
class PrivateBuses:
    """A private session bus and a second one standing in for the system bus."""

    session_address: str
    system_address: str
    processes: list[Any] = field(default_factory=list, repr=False)

    def env(self, base: Mapping[str, str] | None = None, **overrides: str) -> dict[str, str]:
        """`base` (default os.environ) pointed at these buses, with no display at all."""
        env = dict(os.environ if base is None else base)
        for variable in ("DISPLAY", "WAYLAND_DISPLAY"):
            env.pop(variable, None)
        env["DBUS_SESSION_BUS_ADDRESS"] = self.session_address
        env["DBUS_SYSTEM_BUS_ADDRESS"] = self.system_address
        env["NO_AT_BRIDGE"] = "1"
        return {**env, **overrides}

    def kill(self, bus: str) -> None:
        """SIGKILL one bus ("session" or "system"): it vanishes without a word to anyone."""
        process = self.processes[0 if bus == "session" else 1]
        process.kill()
        process.wait(CALL_TIMEOUT)

    def stop(self) -> None:
        while self.processes:
            stop_process(self.processes.pop())


@contextmanager
def private_buses(directory: Path) -> Iterator[PrivateBuses]:
    """Two dbus-daemons with no service activation; stopped on exit.

    Fails rather than skips under BREAKD_REQUIRE_DESKTOP=1 when dbus-daemon is missing.
    """
    require_tools("dbus-daemon")
    buses = PrivateBuses("", "")
    try:
        for name in ("session", "system"):
            folder = directory / f"{name}-bus"
            folder.mkdir(parents=True, exist_ok=True)
            proc, address = start_session_bus(folder, dict(os.environ))
            buses.processes.append(proc)
            setattr(buses, f"{name}_address", address)
        yield buses
    finally:
        buses.stop()


# -- the thread that serves them ---------------------------------------------------


class ServiceHost:
    """One thread running one asyncio loop, on which every stand-in of a test runs."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self._thread.start()
        self.services: list[StandIn] = []

    def on_loop(self) -> bool:
        """Called from the host's own thread (a stand-in's handler)?"""
        return threading.current_thread() is self._thread

    def run(self, coroutine: Coroutine[Any, Any, T], timeout: float = CALL_TIMEOUT) -> T:
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(timeout)

    def stop(self) -> None:
        for service in reversed(self.services):
            service.stop()
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(CALL_TIMEOUT)
        self.loop.close()


@contextmanager
def service_host() -> Iterator[ServiceHost]:
    host = ServiceHost()
    try:
        yield host
    finally:
        host.stop()


# -- a stand-in: names, methods, properties, signals ---------------------------------


class StandIn:
    """Owns `names` on a bus and answers method calls from its handler table.

    Subclasses register methods with `self.method(path, interface, member, handler)`
    and properties with `self.properties[(path, interface)][name] = (signature, value)`;
    org.freedesktop.DBus.Properties Get and GetAll come for free.
    """

    names: tuple[str, ...] = ()
    fds = False
    """True: connect with file-descriptor passing (jeepney's thread-based connection), for
    a service whose methods hand out descriptors, as logind's Inhibit does."""

    def __init__(self, host: ServiceHost, bus_address: str) -> None:
        self.host = host
        self.close_after_reply: list[int] = []
        self.bus_address = bus_address
        self.handlers: dict[tuple[str, str, str], Handler] = {}
        self.properties: dict[tuple[str, str], dict[str, tuple[str, Any]]] = {}
        self.path_aliases: dict[str, str] = {}
        self.calls: list[Call] = []
        self._router: Any = None
        self._connection: Any = None
        self._server: asyncio.Task[None] | None = None

    def start(self) -> StandIn:
        self.host.run(self._start())
        self.host.services.append(self)
        return self

    def stop(self) -> None:
        """Close the connection: the names leave the bus, as when a service exits."""
        if self._connection is not None:
            self.host.run(self._stop())
        if self in self.host.services:
            self.host.services.remove(self)

    def method(self, path: str, interface: str, member: str, handler: Handler) -> None:
        self.handlers[(path, interface, member)] = handler

    def emit(
        self,
        path: str,
        interface: str,
        member: str,
        signature: str,
        body: tuple,
        destination: str | None = None,
    ) -> None:
        """Send a signal from this service: broadcast, as the real one does, or to one peer."""
        from jeepney import DBusAddress, HeaderFields, new_signal

        message = new_signal(DBusAddress(path, interface=interface), member, signature, body)
        if destination is not None:
            message.header.fields[HeaderFields.destination] = destination
        if self.host.on_loop():  # from a handler: the loop cannot also wait for itself
            self.host.loop.create_task(self._router.send(message))
        else:
            self.host.run(self._router.send(message))

    def set_property(
        self, path: str, interface: str, name: str, signature: str, value: Any
    ) -> None:
        """Change a property and signal PropertiesChanged with the new value."""
        self.properties.setdefault((path, interface), {})[name] = (signature, value)
        self.emit(
            path,
            PROPERTIES,
            "PropertiesChanged",
            "sa{sv}as",
            (interface, {name: (signature, value)}, []),
        )

    async def _start(self) -> None:
        from jeepney import MessageType
        from jeepney.bus_messages import MatchRule, message_bus
        from jeepney.io.asyncio import DBusRouter, open_dbus_connection
        from jeepney.wrappers import unwrap_msg

        if self.fds:
            from jeepney.io.threading import open_dbus_connection as open_with_fds

            self._connection = await asyncio.to_thread(
                open_with_fds, self.bus_address, enable_fds=True
            )
            self._router = _FdRouter(self._connection, asyncio.get_running_loop())
        else:
            self._connection = await open_dbus_connection(self.bus_address)
            self._router = DBusRouter(self._connection)
        self._calls_in: asyncio.Queue[Any] = asyncio.Queue()
        self._filter = self._router.filter(
            MatchRule(type=MessageType.method_call), queue=self._calls_in
        )
        self._server = asyncio.ensure_future(self._serve())
        for name in self.names:
            reply = await self._router.send_and_get_reply(
                message_bus.RequestName(name, REQUEST_NAME_DO_NOT_QUEUE)
            )
            (result,) = unwrap_msg(reply)
            if result != PRIMARY_OWNER:
                raise RuntimeError(f"could not own {name} (RequestName said {result})")

    async def _stop(self) -> None:
        if self._server is not None:
            self._server.cancel()
        self._filter.close()
        with contextlib.suppress(Exception):  # the bus may be gone already
            await self._router.__aexit__(None, None, None)
        with contextlib.suppress(Exception):
            await self._connection.close()
        self._connection = None

    async def _serve(self) -> None:
        from jeepney import HeaderFields
        from jeepney.wrappers import new_error, new_method_return

        while True:
            message = await self._calls_in.get()
            fields = message.header.fields
            path = fields.get(HeaderFields.path, "")
            path = self.path_aliases.get(path, path)
            interface = fields.get(HeaderFields.interface, "")
            member = fields.get(HeaderFields.member, "")
            sender = fields.get(HeaderFields.sender, "")
            self.calls.append(Call(sender, path, interface, member, tuple(message.body)))
            try:
                answer = self._dispatch(path, interface, member, message)
                if answer is None:
                    continue  # a wedged service: never answers
                reply = new_method_return(message, *answer)
            except DBusError as error:
                reply = new_error(message, error.name, "s", (error.text,))
            await self._router.send(reply)
            while self.close_after_reply:  # our copies of descriptors the caller now holds
                os.close(self.close_after_reply.pop())

    def _dispatch(
        self, path: str, interface: str, member: str, message: Any
    ) -> tuple[str, tuple] | None:
        if interface == PROPERTIES and member in ("Get", "GetAll"):
            wanted = message.body[0]
            values = self.properties.get((path, wanted))
            if values is None:
                raise DBusError(UNKNOWN_METHOD, f"no properties for {wanted} on {path}")
            if member == "GetAll":
                return "a{sv}", (dict(values),)
            name = message.body[1]
            if name not in values:
                raise DBusError("org.freedesktop.DBus.Error.UnknownProperty", name)
            return "v", (values[name],)
        handler = self.handlers.get((path, interface, member))
        if handler is None:
            raise DBusError(UNKNOWN_METHOD, f"no {interface}.{member} on {path}")
        return handler(message)


class _FdRouter:
    """jeepney's thread-based connection, which passes file descriptors, behind the few
    calls a stand-in makes of jeepney's asyncio router. One thread receives; replies and
    filtered messages are handed to the host's loop."""

    def __init__(self, connection: Any, loop: asyncio.AbstractEventLoop) -> None:
        self._connection = connection
        self._loop = loop
        self._filters: list[tuple[Any, asyncio.Queue[Any]]] = []
        self._replies: dict[int, asyncio.Future[Any]] = {}
        self._thread = threading.Thread(target=self._receive, daemon=True)
        self._thread.start()

    def filter(self, rule: Any, *, queue: asyncio.Queue[Any]) -> Any:
        entry = (rule, queue)
        self._filters.append(entry)
        return _Unfilter(self._filters, entry)

    async def send(self, message: Any) -> None:
        self._connection.send(message)

    async def send_and_get_reply(self, message: Any) -> Any:
        serial = next(self._connection.outgoing_serial)
        reply = self._replies[serial] = self._loop.create_future()
        self._connection.send(message, serial=serial)
        return await asyncio.wait_for(reply, CALL_TIMEOUT)

    async def __aexit__(self, *exc_info: object) -> None:
        self._connection.interrupt()
        await asyncio.to_thread(self._thread.join, CALL_TIMEOUT)

    def _receive(self) -> None:
        from jeepney import HeaderFields, MessageType

        while True:
            try:
                message = self._connection.receive()
            except Exception:  # interrupted, or the bus went away
                return
            kind = message.header.message_type
            if kind in (MessageType.method_return, MessageType.error):
                serial = message.header.fields.get(HeaderFields.reply_serial)
                future = self._replies.pop(serial, None)
                if future is not None:
                    self._loop.call_soon_threadsafe(_settle, future, message)
                continue
            for rule, queue in list(self._filters):
                if rule.matches(message):
                    self._loop.call_soon_threadsafe(queue.put_nowait, message)


def _settle(future: asyncio.Future[Any], message: Any) -> None:
    if not future.done():
        future.set_result(message)


@dataclass
class _Unfilter:
    filters: list[Any]
    entry: Any

    def close(self) -> None:
        if self.entry in self.filters:
            self.filters.remove(self.entry)


# -- the services --------------------------------------------------------------------


class MutterIdleMonitor(StandIn):
    """GNOME Shell's org.gnome.Mutter.IdleMonitor: `idle_ms` is what GetIdletime answers,
    and `user_input()` is the user touching something.

    As Mutter does, a user-active watch gets an ID above zero, fires once, with a
    WatchFired addressed to the caller alone, and is then removed; RemoveWatch of an
    unknown ID is no error.
    """

    names = ("org.gnome.Mutter.IdleMonitor",)
    PATH = "/org/gnome/Mutter/IdleMonitor/Core"

    def __init__(self, host: ServiceHost, bus_address: str, idle_ms: int = 0) -> None:
        super().__init__(host, bus_address)
        self.idle_ms = idle_ms
        self.active_watches: dict[int, str] = {}
        """Watch ID: the unique name of the caller who added it."""
        self._last_id = 0
        interface = self.names[0]
        self.method(self.PATH, interface, "GetIdletime", lambda _: ("t", (self.idle_ms,)))
        self.method(self.PATH, interface, "AddUserActiveWatch", self._add_user_active_watch)
        self.method(self.PATH, interface, "RemoveWatch", self._remove_watch)

    def _add_user_active_watch(self, message: Any) -> tuple[str, tuple]:
        from jeepney import HeaderFields

        self._last_id += 1
        self.active_watches[self._last_id] = message.header.fields[HeaderFields.sender]
        return "u", (self._last_id,)

    def _remove_watch(self, message: Any) -> tuple[str, tuple]:
        self.active_watches.pop(message.body[0], None)
        return "", ()

    def user_input(self) -> None:
        """Idle time back to 0, and every user-active watch fired and removed."""
        self.idle_ms = 0
        fired, self.active_watches = self.active_watches, {}
        for watch_id, caller in fired.items():
            self.emit(self.PATH, self.names[0], "WatchFired", "u", (watch_id,), caller)


class ScreenSaver(StandIn):
    """A ScreenSaver service: org.freedesktop.ScreenSaver as KDE serves it by default.

    KDE answers on /ScreenSaver and /org/freedesktop/ScreenSaver and signals on both;
    GNOME owns org.freedesktop.ScreenSaver too but refuses GetSessionIdleTime
    (`reports_idle_time=False`). With `name="org.gnome.ScreenSaver"` and
    `paths=("/org/gnome/ScreenSaver",)` it stands in for GNOME Shell's own.
    """

    def __init__(
        self,
        host: ServiceHost,
        bus_address: str,
        *,
        name: str = "org.freedesktop.ScreenSaver",
        paths: tuple[str, ...] = ("/ScreenSaver", "/org/freedesktop/ScreenSaver"),
        idle_ms: int = 0,
        reports_idle_time: bool = True,
    ) -> None:
        super().__init__(host, bus_address)
        self.names = (name,)
        self.paths = paths
        self.idle_ms = idle_ms
        self.active = False
        self.reports_idle_time = reports_idle_time
        for path in paths:
            self.method(path, name, "GetActive", lambda _: ("b", (self.active,)))
            self.method(path, name, "GetSessionIdleTime", self._idle_time)

    def _idle_time(self, _message: Any) -> tuple[str, tuple]:
        if not self.reports_idle_time:
            raise DBusError(NOT_SUPPORTED, "This method is not implemented")
        return "u", (self.idle_ms,)

    def set_active(self, active: bool) -> None:
        self.active = active
        for path in self.paths:
            self.emit(path, self.names[0], "ActiveChanged", "b", (active,))


class Login1(StandIn):
    """systemd-logind's Manager and one Session, on the stand-in system bus.

    `session_pids` are the PIDs GetSessionByPID knows (others get NoSessionForPID,
    like a process started by systemd --user); `auto` resolves to the session.
    """

    names = ("org.freedesktop.login1",)
    fds = True
    MANAGER_PATH = "/org/freedesktop/login1"
    MANAGER = "org.freedesktop.login1.Manager"
    SESSION = "org.freedesktop.login1.Session"

    def __init__(
        self,
        host: ServiceHost,
        bus_address: str,
        *,
        session_id: str = "7",
        session_pids: tuple[int, ...] = (),
        locked: bool = False,
        block_inhibited: str = "handle-lid-switch",
    ) -> None:
        super().__init__(host, bus_address)
        self.session_id = session_id
        self.session_path = f"/org/freedesktop/login1/session/_3{session_id}"
        self.session_pids = set(session_pids)
        self.path_aliases["/org/freedesktop/login1/session/auto"] = self.session_path
        self.properties[(self.MANAGER_PATH, self.MANAGER)] = {
            "BlockInhibited": ("s", block_inhibited),
            "IdleHint": ("b", False),
        }
        self.properties[(self.session_path, self.SESSION)] = {
            "Id": ("s", session_id),
            "LockedHint": ("b", locked),
            "Active": ("b", True),
        }
        self.inhibitors: list[tuple[str, str, str, str, int, int]] = []
        self.method(
            self.MANAGER_PATH,
            self.MANAGER,
            "ListInhibitors",
            lambda _: ("a(ssssuu)", (list(self.inhibitors),)),
        )
        self.method(self.MANAGER_PATH, self.MANAGER, "GetSession", self._get_session)
        self.method(self.MANAGER_PATH, self.MANAGER, "Inhibit", self._inhibit)
        self.method(self.MANAGER_PATH, self.MANAGER, "GetSessionByPID", self._get_session_by_pid)

    def _inhibit(self, message: Any) -> tuple[str, tuple]:
        """Inhibit(what, who, why, mode) -> h, as `systemd-inhibit` calls it.

        Like logind: the caller gets the write end of a pipe, and the inhibitor lasts
        until every copy of it is closed (the holder exits), which the read end sees as
        end of file. The PID in the list is 0: the stand-in does not look it up.
        """
        what, who, why, mode = message.body
        if mode not in ("block", "delay"):
            raise DBusError("org.freedesktop.DBus.Error.InvalidArgs", f"Invalid mode {mode}")
        held = (what, who, why, mode, os.getuid(), 0)
        read_end, write_end = os.pipe()
        self.close_after_reply.append(write_end)
        self.inhibitors.append(held)
        self._inhibitors_changed()

        def released() -> None:
            if os.read(read_end, 1):
                return
            self.host.loop.remove_reader(read_end)
            os.close(read_end)
            if held in self.inhibitors:
                self.inhibitors.remove(held)
                self._inhibitors_changed()

        self.host.loop.add_reader(read_end, released)
        return "h", (write_end,)

    def _get_session(self, message: Any) -> tuple[str, tuple]:
        if message.body[0] != self.session_id:
            raise DBusError(
                "org.freedesktop.login1.NoSuchSession", f"No session '{message.body[0]}' known"
            )
        return "o", (self.session_path,)

    def _get_session_by_pid(self, message: Any) -> tuple[str, tuple]:
        if message.body[0] not in self.session_pids:
            raise DBusError(
                "org.freedesktop.login1.NoSessionForPID",
                f"PID {message.body[0]} does not belong to any known session",
            )
        return "o", (self.session_path,)

    def set_locked_hint(self, locked: bool) -> None:
        self.set_property(self.session_path, self.SESSION, "LockedHint", "b", locked)

    def lock(self) -> None:
        """The Lock signal, as `loginctl lock-session` makes logind send it."""
        self.emit(self.session_path, self.SESSION, "Lock", "", ())

    def unlock(self) -> None:
        self.emit(self.session_path, self.SESSION, "Unlock", "", ())

    def prepare_for_sleep(self, sleeping: bool) -> None:
        self.emit(self.MANAGER_PATH, self.MANAGER, "PrepareForSleep", "b", (sleeping,))

    def inhibit(self, what: str, who: str, why: str, mode: str = "block") -> None:
        """What `systemd-inhibit --what=WHAT --who=WHO --why=WHY` makes logind list;
        BlockInhibited changes (and is signalled) with it."""
        self.inhibitors.append((what, who, why, mode, os.getuid(), os.getpid()))
        self._inhibitors_changed()

    def release(self, who: str) -> None:
        self.inhibitors = [held for held in self.inhibitors if held[1] != who]
        self._inhibitors_changed()

    def _inhibitors_changed(self) -> None:
        whats = sorted({part for held in self.inhibitors for part in held[0].split(":")})
        self.set_block_inhibited(":".join(["handle-lid-switch", *whats]))

    def set_block_inhibited(self, what: str) -> None:
        """e.g. "handle-lid-switch:idle" while `systemd-inhibit --what=idle` runs."""
        self.set_property(self.MANAGER_PATH, self.MANAGER, "BlockInhibited", "s", what)


class GnomeSessionManager(StandIn):
    """gnome-session's org.gnome.SessionManager: IsInhibited and the inhibitor signals."""

    names = ("org.gnome.SessionManager",)
    PATH = "/org/gnome/SessionManager"
    IDLE = 8

    INHIBITOR = "org.gnome.SessionManager.Inhibitor"

    def __init__(self, host: ServiceHost, bus_address: str) -> None:
        super().__init__(host, bus_address)
        self.inhibitors: dict[str, int] = {}
        self.held_by: dict[str, tuple[str, str]] = {}
        self._next = 1
        self.method(self.PATH, self.names[0], "IsInhibited", self._is_inhibited)
        self.method(
            self.PATH, self.names[0], "GetInhibitors", lambda _: ("ao", (list(self.inhibitors),))
        )

    def _is_inhibited(self, message: Any) -> tuple[str, tuple]:
        flags = message.body[0]
        return "b", (any(held & flags for held in self.inhibitors.values()),)

    def add_inhibitor(self, flags: int, app_id: str = "app", reason: str = "") -> str:
        """Like an app calling Inhibit(app_id, xid, reason, flags); returns the inhibitor's path.

        The inhibitor object answers GetAppId, GetReason and GetFlags, as gnome-session's do.
        """
        path = f"{self.PATH}/Inhibitor{self._next}"
        self._next += 1
        self.inhibitors[path] = flags
        self.held_by[path] = (app_id, reason)
        self.method(path, self.INHIBITOR, "GetAppId", lambda _: ("s", (app_id,)))
        self.method(path, self.INHIBITOR, "GetReason", lambda _: ("s", (reason,)))
        self.method(path, self.INHIBITOR, "GetFlags", lambda _: ("u", (flags,)))
        self.emit(self.PATH, self.names[0], "InhibitorAdded", "o", (path,))
        return path

    def remove_inhibitor(self, path: str) -> None:
        del self.inhibitors[path]
        del self.held_by[path]
        for member in ("GetAppId", "GetReason", "GetFlags"):
            self.handlers.pop((path, self.INHIBITOR, member), None)
        self.emit(self.PATH, self.names[0], "InhibitorRemoved", "o", (path,))


class Swaync(StandIn):
    """SwayNotificationCenter's control centre: `GetDnd`, `IsInhibited` (0.8+) and the
    `Subscribe`/`SubscribeV2` broadcasts it sends on every change (count, dnd, cc_open
    [, inhibited]). `version` "0.7" has no IsInhibited and sends only Subscribe; "0.8"
    sends both, as swaync does. Only for what the real swaync of Debian 12 (0.7.3,
    tests/e2e/test_swaync.py) cannot show: 0.8's SubscribeV2 and inhibitors.
    """

    names = ("org.erikreider.swaync.cc",)
    PATH = "/org/erikreider/swaync/cc"

    def __init__(self, host: ServiceHost, bus_address: str, version: str = "0.8") -> None:
        super().__init__(host, bus_address)
        self.version = version
        self.dnd = False
        self.inhibited = False
        interface = self.names[0]
        self.method(self.PATH, interface, "GetDnd", lambda _: ("b", (self.dnd,)))
        if version != "0.7":
            self.method(self.PATH, interface, "IsInhibited", lambda _: ("b", (self.inhibited,)))

    def set_dnd(self, dnd: bool) -> None:
        self.dnd = dnd
        self._broadcast()

    def set_inhibited(self, inhibited: bool) -> None:
        self.inhibited = inhibited
        self._broadcast()

    def _broadcast(self) -> None:
        self.emit(self.PATH, self.names[0], "Subscribe", "ubb", (0, self.dnd, False))
        if self.version != "0.7":
            body = (0, self.dnd, False, self.inhibited)
            self.emit(self.PATH, self.names[0], "SubscribeV2", "ubbb", body)


class Mako(StandIn):
    """mako's `fr.emersion.Mako` at /fr/emersion/Mako, under the notification server's name.

    `ListModes` (1.7+); with `version` "1.10" also the `Modes` property, whose change
    mako signals by invalidating it (PropertiesChanged with the name in the third
    argument). "1.7" signals nothing, as mako 1.7 to 1.9 do. Only for what the real
    mako of Debian 12 (1.7.1, tests/e2e/test_mako.py) cannot show: the 1.10+ API.
    """

    names = ("org.freedesktop.Notifications",)
    PATH = "/fr/emersion/Mako"
    INTERFACE = "fr.emersion.Mako"

    def __init__(self, host: ServiceHost, bus_address: str, version: str = "1.10") -> None:
        super().__init__(host, bus_address)
        self.version = version
        self.modes = ["default"]
        self.method(self.PATH, self.INTERFACE, "ListModes", lambda _: ("as", (self.modes,)))
        if version != "1.7":
            self.properties[(self.PATH, self.INTERFACE)] = {"Modes": ("as", self.modes)}

    def set_modes(self, *modes: str) -> None:
        """What `makoctl mode -s MODES` does."""
        self.modes = list(modes)
        if self.version != "1.7":
            self.properties[(self.PATH, self.INTERFACE)]["Modes"] = ("as", self.modes)
            body = (self.INTERFACE, {}, ["Modes"])
            self.emit(self.PATH, PROPERTIES, "PropertiesChanged", "sa{sv}as", body)


# -- watching a session source from a test's own event loop ---------------------------


async def until(
    predicate: Callable[[], T], timeout: float = 5.0, message: str = "condition not met"
) -> T:
    """Poll `predicate` on the running loop (letting the adapters run) until it is truthy."""
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        result = predicate()
        if result:
            return result
        if asyncio.get_running_loop().time() >= deadline:
            raise AssertionError(f"{message} (after {timeout:g} s; last result: {result!r})")
        await asyncio.sleep(0.01)


def recorder() -> tuple[list[asyncio.AbstractEventLoop], Callable[[], None]]:
    """A callback for an idle source's watch_for_input, and its calls: the loop each ran on."""
    calls: list[asyncio.AbstractEventLoop] = []
    return calls, lambda: calls.append(asyncio.get_running_loop())


def calls_back_when_lost(source: Any, lose: Callable[[], None]) -> int:
    """Arm the idle source's watch, `lose` what it stands on, and wait for the call back
    that sends the daemon to `idle_seconds`; how many calls came."""
    calls, on_input = recorder()

    async def scenario() -> None:
        assert source.watch_for_input(on_input)
        lose()
        await until(lambda: calls, message="no call back when the source was lost")
        await asyncio.sleep(0.1)

    asyncio.run(scenario())
    return len(calls)


class Watching:
    """`source.watch()` as a task, collecting what it emits; cancelled on exit.

    `expect(...)` waits for the next events and checks them in order, so an
    extra or missing event shows up as a failure in the step that caused it.
    """

    def __init__(self, source: Any) -> None:
        self.source = source
        self.events: list[Any] = []
        self._seen = 0
        self.task: asyncio.Future[None] | None = None

    async def __aenter__(self) -> Watching:
        self.task = asyncio.ensure_future(self.source.watch(self._take))
        return self

    def _take(self, said: Any) -> None:
        self.events.append(said)

    async def __aexit__(self, *exc_info: object) -> None:
        assert self.task is not None
        self.task.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await self.task

    async def expect(self, *expected: Any, timeout: float = 5.0) -> None:
        start = self._seen
        await until(
            lambda: len(self.events) - start >= len(expected) or (self.task and self.task.done()),
            timeout,
            f"expected {list(expected)} after {self.events[:start]}",
        )
        if self.task is not None and self.task.done() and self.task.exception():
            raise AssertionError(f"watch ended early: {self.task.exception()!r}")
        got = self.events[start : start + len(expected)]
        self._seen = start + len(expected)
        assert got == list(expected), f"after {self.events[:start]}"

    async def ended(self, timeout: float = 5.0) -> BaseException | None:
        """How watch() ended: the exception it raised, or None if it returned."""
        assert self.task is not None
        await until(self.task.done, timeout, "watch() did not end")
        return self.task.exception()

    async def stopped(self, timeout: float = 5.0) -> WatcherUnavailable:
        """The error watch() ended with, checked to be what the supervisor counts as
        stopped: WatcherUnavailable after it had reported."""
        ended = await self.ended(timeout)
        assert isinstance(ended, WatcherUnavailable), repr(ended)
        assert self.events, f"ended before reporting anything (unavailable): {ended}"
        return ended

    async def unavailable(self, timeout: float = 5.0) -> WatcherUnavailable:
        """The error watch() ended with, checked to be what the supervisor counts as
        unavailable: WatcherUnavailable before it reported anything."""
        ended = await self.ended(timeout)
        assert isinstance(ended, WatcherUnavailable), repr(ended)
        assert not self.events, f"reported {self.events} before it ended: stopped"
        return ended


class WatchingReadings(Watching):
    """A busy signal's watch, keeping what the combiner keeps of it: each reading that
    differs from the one before (a signal may say the same again)."""

    def _take(self, said: Any) -> None:
        if not self.events or self.events[-1] != said:
            self.events.append(said)


class Impostor(StandIn):
    """A connection that owns no name, to send signals that only look like the real ones.

    Broadcast, the bus itself keeps them from a source (its match rules name the
    sender); sent straight to the source's connection, only the source's own
    check of the sender does.
    """


class PlasmaNotifications(StandIn):
    """KDE Plasma's notification server: only what breakd reads, the `Inhibited` property.

    Plasma sets it during manual DND, app inhibitions, screen sharing and (6.4+) full
    screen, and signals PropertiesChanged; `set_inhibited` does the same. Not covered:
    Plasma's own reasons for setting it, and its Inhibit/UnInhibit methods.
    """

    names = ("org.freedesktop.Notifications",)
    PATH = "/org/freedesktop/Notifications"

    def __init__(self, host: ServiceHost, bus_address: str, inhibited: bool = False) -> None:
        super().__init__(host, bus_address)
        self.properties[(self.PATH, self.names[0])] = {"Inhibited": ("b", inhibited)}

    def set_inhibited(self, inhibited: bool) -> None:
        self.set_property(self.PATH, self.names[0], "Inhibited", "b", inhibited)


# -- a session bus that starts real desktop services on demand ------------------------

SERVICE_DIRS = (Path("/usr/share/dbus-1/services"),)


@dataclass
class ActivatingBus:
    """A private session bus that D-Bus-activates a few real services (xfconfd, dconf-service).

    The bus runs with the test's own HOME and XDG dirs in its environment, and the
    services it starts inherit that environment, never the caller's: whatever they
    write lands under `home`, not in the machine's real config.
    """

    address: str
    env: dict[str, str]
    services: tuple[str, ...]
    process: Any = field(repr=False)

    def run(self, *argv: str) -> Any:
        """A program on this bus with the same XDG dirs (xfconf-query, gsettings)."""
        result = subprocess.run(
            argv, env=self.env, capture_output=True, text=True, timeout=CALL_TIMEOUT * 2
        )
        if result.returncode != 0:
            raise AssertionError(f"{argv} failed ({result.returncode}): {result.stderr.strip()}")
        return result

    def service_pid(self, name: str) -> int | None:
        """The PID of the process that owns `name` now, or None."""
        from jeepney import DBusAddress, new_method_call
        from jeepney.io.blocking import open_dbus_connection
        from jeepney.wrappers import DBusErrorResponse, unwrap_msg

        bus = DBusAddress("/org/freedesktop/DBus", "org.freedesktop.DBus", "org.freedesktop.DBus")
        with open_dbus_connection(self.address) as connection:
            call = new_method_call(bus, "GetConnectionUnixProcessID", "s", (name,))
            try:
                return int(unwrap_msg(connection.send_and_get_reply(call, timeout=CALL_TIMEOUT))[0])
            except DBusErrorResponse:
                return None

    def stop_service(self, name: str) -> None:
        """SIGTERM the activated service by the PID the bus knows for it; wait until it left."""
        pid = self.service_pid(name)
        if pid is None:
            return
        os.kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + CALL_TIMEOUT
        while self.service_pid(name) == pid:
            if time.monotonic() > deadline:
                os.kill(pid, signal.SIGKILL)
                deadline = time.monotonic() + CALL_TIMEOUT
            time.sleep(0.02)
        # Wait for it to exit: a zombie is left for the bus (or, once it is gone, PID 1) to reap.
        deadline = time.monotonic() + CALL_TIMEOUT
        while _running(pid) and time.monotonic() < deadline:
            time.sleep(0.02)

    def stop(self) -> None:
        """The activated services first (they are the bus's children), then the bus."""
        try:
            for name in self.services:
                self.stop_service(name)
        finally:
            stop_process(self.process)


def _running(pid: int) -> bool:
    """The process exists and has not exited (a zombie has)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rpartition(")")[2].split()[0] != "Z"


@contextmanager
def activating_bus(directory: Path, *services: str) -> Iterator[ActivatingBus]:
    """A session bus that can activate `services` (and nothing else) in `directory`'s own XDG dirs.

    Only the named services' .service files are offered, so no notification server or
    accessibility bus starts by surprise. Fails rather than skips under
    BREAKD_REQUIRE_DESKTOP=1 when a service is not installed.
    """
    require_tools("dbus-daemon")
    offered = directory / "services"
    offered.mkdir(parents=True, exist_ok=True)
    for name in services:
        found = next(
            (path for folder in SERVICE_DIRS if (path := folder / f"{name}.service").is_file()),
            None,
        )
        if found is None:
            skip_or_fail(f"{name} is not installed (no {name}.service); see README")
        (offered / found.name).write_text(found.read_text())
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("XDG_", "DBUS_", "DISPLAY", "WAYLAND_"))
    }
    for variable, name in (
        ("HOME", "home"),
        ("XDG_CONFIG_HOME", "config"),
        ("XDG_DATA_HOME", "data"),
        ("XDG_CACHE_HOME", "cache"),
        ("XDG_RUNTIME_DIR", "runtime"),
    ):
        path = directory / name
        path.mkdir(mode=0o700, parents=True, exist_ok=True)
        env[variable] = str(path)
    env["NO_AT_BRIDGE"] = "1"
    config = write_no_activation_bus_config(directory)
    text = config.read_text().replace(
        "<listen>", f"<servicedir>{offered}</servicedir>\n  <listen>", 1
    )
    config.write_text(text)
    process, address = _start_with_fd(
        [
            "dbus-daemon",
            "--nofork",
            "--nopidfile",
            "--print-address={fd}",
            f"--config-file={config}",
        ],
        "{fd}",
        directory / "dbus.log",
        env,
    )
    env["DBUS_SESSION_BUS_ADDRESS"] = address
    bus = ActivatingBus(address, env, services, process)
    try:
        yield bus
    finally:
        bus.stop()
