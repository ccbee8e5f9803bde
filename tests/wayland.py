"""A headless sway (a wlroots Wayland compositor) and a real notification server on it
(mako or swaync), for tests.

sway refuses to run as root ("Unable to drop root"), so it runs as an unprivileged
user (`SWAY_USER`, created with useradd when the tests run as root and it is
missing) in a runtime dir of its own under /tmp: pytest's temp dirs are private
to root, where that user could not reach its socket. `setpriv` drops to that user
and execs sway, so the Popen handle is sway itself and it is stopped by PID.
The server runs as the test's own user on a private session bus. mako is given
WAYLAND_DISPLAY as the absolute path of sway's socket (libwayland allows that);
GTK (swaync) wants the socket's name and its folder as XDG_RUNTIME_DIR.
"""

from __future__ import annotations

import json
import os
import pwd
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.desktop import (
    COMMAND_TIMEOUT,
    START_TIMEOUT,
    CommandFailed,
    _log_tail,
    name_has_owner,
    require_tools,
    skip_or_fail,
    start_session_bus,
    stop_process,
    wait_until,
)

SWAY_USER = "breakd-sway"
MAKO_TOOLS = ("sway", "mako", "makoctl", "busctl", "jq", "setpriv", "dbus-daemon")
"""makoctl 1.7 is a shell script around `busctl --user` and `jq`."""
SWAYNC_TOOLS = ("sway", "swaync", "swaync-client", "setpriv", "dbus-daemon")
MAKORC = """\
default-timeout=0
[mode=do-not-disturb]
invisible=1
"""
"""Notifications stay until answered; the do-not-disturb mode is the one mako's manual
suggests."""


def sway_user() -> pwd.struct_passwd:
    """The unprivileged user sway runs as; created if missing and the tests run as root."""
    try:
        return pwd.getpwnam(SWAY_USER)
    except KeyError:
        pass
    if os.geteuid() != 0 or shutil.which("useradd") is None:
        skip_or_fail(f"sway cannot run as root and there is no user {SWAY_USER} to run it as")
    subprocess.run(
        ["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", SWAY_USER],
        check=True,
        capture_output=True,
        timeout=COMMAND_TIMEOUT,
    )
    return pwd.getpwnam(SWAY_USER)


@dataclass
class WaylandSession:
    """sway, a private session bus and a notification server on them, with the server's
    own command-line tool to drive it."""

    wayland_display: str
    """The absolute path of sway's socket."""
    bus_address: str
    directory: Path
    processes: list[subprocess.Popen[bytes]] = field(default_factory=list, repr=False)

    @property
    def session_vars(self) -> dict[str, str]:
        return {
            "WAYLAND_DISPLAY": self.wayland_display,
            "DBUS_SESSION_BUS_ADDRESS": self.bus_address,
            "NO_AT_BRIDGE": "1",
        }

    def subprocess_env(self, **overrides: str) -> dict[str, str]:
        """os.environ as it is now (a test's own XDG dirs), plus this session's variables."""
        env = {k: v for k, v in os.environ.items() if k != "DISPLAY"}
        return {**env, **self.session_vars, **overrides}

    @property
    def gtk_vars(self) -> dict[str, str]:
        """What a GTK program needs to find sway: the socket's name in XDG_RUNTIME_DIR."""
        path = Path(self.wayland_display)
        return {
            **self.session_vars,
            "GDK_BACKEND": "wayland",
            "WAYLAND_DISPLAY": path.name,
            "XDG_RUNTIME_DIR": str(path.parent),
            "XDG_CONFIG_HOME": str(self.directory / "config"),
            "GSETTINGS_BACKEND": "memory",
        }

    def run(self, *argv: str) -> str:
        """A tool of the server's (makoctl, swaync-client) on this session; its output."""
        env = {**os.environ, **self.gtk_vars}
        result = subprocess.run(
            argv, env=env, capture_output=True, text=True, timeout=COMMAND_TIMEOUT
        )
        if result.returncode != 0:
            raise CommandFailed(result.returncode, argv, result.stdout, result.stderr)
        return result.stdout

    def makoctl(self, *args: str) -> str:
        return self.run("makoctl", *args)

    def notifications(self) -> list[dict[str, Any]]:
        """`makoctl list`: what mako shows now, newest first, each field's value unwrapped."""
        document = json.loads(self.makoctl("list"))
        return [
            {key: value["data"] for key, value in entry.items()} for entry in document["data"][0]
        ]

    def modes(self) -> list[str]:
        return self.makoctl("mode").split()

    def stop(self) -> None:
        """The server, then the bus, then sway."""
        while self.processes:
            stop_process(self.processes.pop())


def _start_sway(directory: Path) -> tuple[subprocess.Popen[bytes], str]:
    user = sway_user()
    directory.chmod(0o700)
    os.chown(directory, user.pw_uid, user.pw_gid)
    config = directory / "sway.cfg"
    config.write_text("output HEADLESS-1 resolution 1280x800\n")
    log_path = directory / "sway.log"
    with log_path.open("wb") as log:
        sway = subprocess.Popen(
            [
                *("setpriv", f"--reuid={user.pw_uid}", f"--regid={user.pw_gid}"),
                *("--clear-groups", "--"),
                *("env", "-i", "PATH=/usr/bin:/bin", f"HOME={directory}"),
                *(f"XDG_RUNTIME_DIR={directory}", "WLR_BACKENDS=headless"),
                *("WLR_LIBINPUT_NO_DEVICES=1", "WLR_RENDERER=pixman"),
                *("sway", "-c", str(config)),
            ],
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
        )

    def socket() -> str | None:
        if sway.poll() is not None:
            raise RuntimeError(f"sway exited (rc={sway.returncode}):\n{_log_tail(log_path)}")
        found = sorted(directory.glob("wayland-*[0-9]"))
        return str(found[0]) if found and found[0].is_socket() else None

    try:
        display = wait_until(socket, START_TIMEOUT, 0.02, "sway made no Wayland socket")
    except BaseException:
        stop_process(sway)
        raise
    return sway, display


def _start_server(
    session: WaylandSession, argv: list[str], env: dict[str, str], owns: tuple[str, ...]
) -> None:
    """Start a notification server; ready once it owns every name in `owns`."""
    name = Path(argv[0]).name
    log_path = session.directory / f"{name}.log"
    with log_path.open("ab") as log:
        server = subprocess.Popen(
            argv,
            env={**os.environ, **env},
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    session.processes.append(server)

    def ready() -> bool:
        if server.poll() is not None:
            raise RuntimeError(f"{name} exited (rc={server.returncode}):\n{_log_tail(log_path)}")
        return all(name_has_owner(session.bus_address, wanted) for wanted in owns)

    wait_until(ready, START_TIMEOUT, 0.02, f"{name} did not own {', '.join(owns)}")


def start_mako(session: WaylandSession) -> None:
    makorc = session.directory / "makorc"
    makorc.write_text(MAKORC)
    argv = ["mako", "-c", str(makorc)]
    _start_server(session, argv, session.session_vars, ("org.freedesktop.Notifications",))


def start_swaync(session: WaylandSession) -> None:
    """swaync with its stock config (Debian's /etc/xdg/swaync)."""
    (session.directory / "config").mkdir(exist_ok=True)
    owns = ("org.freedesktop.Notifications", "org.erikreider.swaync.cc")
    _start_server(session, ["swaync"], session.gtk_vars, owns)


@contextmanager
def mako_session() -> Iterator[WaylandSession]:
    """Headless sway, a private session bus without activation, and mako."""
    require_tools(*MAKO_TOOLS)
    with _wayland_session(start_mako) as session:
        yield session


@contextmanager
def swaync_session() -> Iterator[WaylandSession]:
    """Headless sway, a private session bus without activation, and swaync."""
    require_tools(*SWAYNC_TOOLS)
    with _wayland_session(start_swaync) as session:
        yield session


@contextmanager
def _wayland_session(
    start_server: Callable[[WaylandSession], None],
) -> Iterator[WaylandSession]:
    """All stopped by PID after. Skips when a tool is missing (fails under
    BREAKD_REQUIRE_DESKTOP=1)."""
    directory = Path(tempfile.mkdtemp(prefix="breakd-sway-"))
    session: WaylandSession | None = None
    try:
        sway, display = _start_sway(directory)
        session = WaylandSession(display, "", directory, [sway])
        bus_dir = directory / "bus"
        bus_dir.mkdir()
        bus, session.bus_address = start_session_bus(bus_dir, dict(os.environ))
        session.processes.append(bus)
        start_server(session)
        yield session
    finally:
        if session is not None:
            session.stop()
        shutil.rmtree(directory, ignore_errors=True)


@dataclass
class Sway:
    """A headless sway alone, and `wtype` to type on its virtual keyboard."""

    display: str
    """The absolute path of sway's socket."""
    process: subprocess.Popen[bytes]

    def type(self, text: str) -> None:
        """Key presses through the virtual-keyboard protocol: input, as the compositor sees it."""
        env = {**os.environ, "WAYLAND_DISPLAY": self.display}
        result = subprocess.run(
            ["wtype", text], env=env, capture_output=True, text=True, timeout=COMMAND_TIMEOUT
        )
        if result.returncode != 0:
            raise CommandFailed(result.returncode, ["wtype", text], result.stdout, result.stderr)

    def swaymsg(self, *args: str) -> Any:
        """A command or query to sway over its IPC socket; its answer, parsed."""
        sockets = sorted(Path(self.display).parent.glob("sway-ipc.*.sock"))
        assert sockets, "sway made no IPC socket"
        argv = ["swaymsg", "--raw", "-s", str(sockets[0]), *args]
        result = subprocess.run(argv, capture_output=True, text=True, timeout=COMMAND_TIMEOUT)
        if result.returncode != 0:
            raise CommandFailed(result.returncode, argv, result.stdout, result.stderr)
        return json.loads(result.stdout)

    def windows(self) -> list[dict[str, Any]]:
        """The windows in sway's tree, each as sway describes it (app_id, focused,
        fullscreen_mode)."""

        def walk(node: dict[str, Any]) -> Iterator[dict[str, Any]]:
            if node.get("app_id") is not None:
                yield node
            for child in (*node.get("nodes", ()), *node.get("floating_nodes", ())):
                yield from walk(child)

        return list(walk(self.swaymsg("-t", "get_tree")))

    def open_window(self, app_id: str) -> subprocess.Popen[bytes]:
        """A foot terminal with `app_id`, running `cat`; back once sway has it focused."""
        env = {**os.environ, "WAYLAND_DISPLAY": self.display}
        window = subprocess.Popen(
            ["foot", "--app-id", app_id, "cat"],
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

        def focused() -> bool:
            if window.poll() is not None:
                raise RuntimeError(f"foot exited (rc={window.returncode})")
            return any(w["app_id"] == app_id and w["focused"] for w in self.windows())

        try:
            wait_until(focused, START_TIMEOUT, 0.05, f"sway never focused {app_id}")
        except BaseException:
            stop_process(window)
            raise
        return window

    def stop(self) -> None:
        stop_process(self.process)


@contextmanager
def sway_session() -> Iterator[Sway]:
    """Headless sway (it offers org_kde_kwin_idle and zwlr_foreign_toplevel_manager_v1),
    stopped by PID after."""
    require_tools("sway", "setpriv", "wtype", "swaymsg")
    directory = Path(tempfile.mkdtemp(prefix="breakd-sway-"))
    try:
        process, display = _start_sway(directory)
        sway = Sway(display, process)
        try:
            yield sway
        finally:
            sway.stop()
    finally:
        shutil.rmtree(directory, ignore_errors=True)
