"""A private X11 + D-Bus + dunst session for tests, and helpers to drive it.

Real pieces rather than mocks: the adapters' failure modes (activation, unicast
signals, Xvfb's idle counter) only show up against the real programs. Everything is
started as a child process and stopped by its Popen handle, so nothing leaks into the
developer's own session.

Imported by tests/conftest.py, so module import stays cheap: jeepney is imported
only when a session starts.
"""

from __future__ import annotations

import json
import os
import select
import shutil
import signal
import subprocess
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NoReturn, TypeVar

import pytest

from tests.private_session import write_no_activation_bus_config

T = TypeVar("T")

#: The programs a full session needs; `dbus-send` and `busctl` are used by dunstctl.
DESKTOP_TOOLS = ("Xvfb", "dbus-daemon", "dbus-send", "dunst", "dunstctl", "xdotool", "busctl")
REQUIRE_ENV = "BREAKD_REQUIRE_DESKTOP"
NOTIFICATIONS_NAME = "org.freedesktop.Notifications"
START_TIMEOUT = 10.0
COMMAND_TIMEOUT = 10.0
_XDG_HOMES = (
    ("XDG_CONFIG_HOME", "config"),
    ("XDG_STATE_HOME", "state"),
    ("XDG_CACHE_HOME", "cache"),
    ("XDG_DATA_HOME", "data"),
)

DUNSTRC = """\
[global]
    dmenu = {here}/pick_action.sh {here}/pick {here}/menu.log
    idle_threshold = 0
    mouse_left_click = do_action, close_current
    history_length = 50
    show_indicators = no
[urgency_low]
    timeout = 0
[urgency_normal]
    timeout = 0
[urgency_critical]
    timeout = 0
"""

# dunst's "dmenu": gets one line per action of every displayed notification on stdin
# ("#Done (Summary) [3,done]") and invokes the line printed back. The pick file holds
# either a key ("done": first notification offering it) or "id,key".
PICK_ACTION_SH = """\
#!/bin/sh
# pick_action.sh PICKFILE [LOGFILE]
pick_file="$1"; input=$(cat)
if [ -n "${2:-}" ]; then printf '%s\\n---\\n' "$input" >> "$2"; fi
want=$(cat "$pick_file" 2>/dev/null) || exit 0
[ -n "$want" ] || exit 0
case "$want" in *,*) pattern="[$want]" ;; *) pattern=",$want]" ;; esac
printf '%s\\n' "$input" | grep -F -- "$pattern" | head -n 1
"""


def skip_or_fail(reason: str) -> NoReturn:
    """Skip locally, but fail when the environment promises a desktop (CI)."""
    if os.environ.get(REQUIRE_ENV) == "1":
        pytest.fail(f"{reason} ({REQUIRE_ENV}=1)", pytrace=False)
    pytest.skip(reason)


def require_tools(*names: str) -> None:
    """Skip (or fail under BREAKD_REQUIRE_DESKTOP=1) unless every program is on PATH."""
    missing = [name for name in names if shutil.which(name) is None]
    if missing:
        skip_or_fail(f"desktop test tools not installed: {', '.join(missing)}; see README")


def wait_until(
    predicate: Callable[[], T],
    timeout: float = 10.0,
    interval: float = 0.05,
    message: str = "condition not met",
) -> T:
    """Poll until `predicate()` is truthy and return that value; AssertionError on timeout.

    Exceptions from the predicate propagate: a broken check should not look like a slow one.
    """
    deadline = time.monotonic() + timeout
    while True:
        result = predicate()
        if result:
            return result
        if time.monotonic() >= deadline:
            raise AssertionError(f"{message} (after {timeout:g} s; last result: {result!r})")
        time.sleep(interval)


def stop_process(proc: subprocess.Popen[Any], timeout: float = 5.0) -> None:
    """SIGTERM by handle, reap; SIGKILL only if it ignores that."""
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout)


def _log_tail(path: Path, lines: int = 20) -> str:
    try:
        text = path.read_text(errors="replace")
    except OSError:
        return ""
    return "\n".join(text.splitlines()[-lines:])


def _start_with_fd(
    argv: list[str], fd_placeholder: str, log: Path, env: Mapping[str, str] | None = None
) -> tuple[subprocess.Popen[bytes], str]:
    """Start a program that reports readiness by writing one line to a given fd.

    `fd_placeholder` in argv is replaced by the write end of a pipe; the line is
    returned once it arrives, so no sleeping or port guessing is needed.
    """
    read_fd, write_fd = os.pipe()
    argv = [arg.replace(fd_placeholder, str(write_fd)) for arg in argv]
    try:
        with log.open("ab") as log_file:
            proc = subprocess.Popen(
                argv,
                pass_fds=(write_fd,),
                stdin=subprocess.DEVNULL,
                stdout=log_file,
                stderr=subprocess.STDOUT,
                env=None if env is None else dict(env),
            )
    finally:
        os.close(write_fd)
    try:
        line = _read_line(read_fd, START_TIMEOUT)
    except BaseException:
        stop_process(proc)
        raise
    finally:
        os.close(read_fd)
    if not line:
        stop_process(proc)
        raise RuntimeError(
            f"{argv[0]} exited (rc={proc.returncode}) before it was ready:\n{_log_tail(log)}"
        )
    return proc, line


def _read_line(fd: int, timeout: float) -> str:
    """The first line written to `fd`, or "" at EOF; RuntimeError after `timeout`."""
    deadline = time.monotonic() + timeout
    data = b""
    while b"\n" not in data:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise RuntimeError(f"no readiness line after {timeout:g} s (got {data!r})")
        ready, _, _ = select.select([fd], [], [], remaining)
        if ready:
            chunk = os.read(fd, 256)
            if not chunk:
                break
            data += chunk
    return data.decode().strip()


def start_xvfb(
    *extra_args: str, log: Path | None = None, screen: str = "1280x800x24"
) -> tuple[subprocess.Popen[bytes], str]:
    """Start an Xvfb on a free display; returns (process, ":N"). Stop it with stop_process.

    `-noreset` keeps the idle counter from restarting whenever the last client leaves.
    """
    argv = ["Xvfb", "-displayfd", "{fd}", "-screen", "0", screen, "-noreset", "-nolisten", "tcp"]
    proc, number = _start_with_fd([*argv, *extra_args], "{fd}", log or Path(os.devnull))
    return proc, f":{number}"


def start_session_bus(
    directory: Path, env: Mapping[str, str]
) -> tuple[subprocess.Popen[bytes], str]:
    """Start a private dbus-daemon with no activation; returns (process, address)."""
    config = write_no_activation_bus_config(directory)
    return _start_with_fd(
        [
            "dbus-daemon",  # no --session: it conflicts with --config-file (type=session)
            "--nofork",
            "--nopidfile",
            "--print-address={fd}",
            f"--config-file={config}",
        ],
        "{fd}",
        directory / "dbus.log",
        env,
    )


def name_has_owner(bus_address: str, name: str) -> bool:
    """One NameHasOwner call on its own short connection."""
    from jeepney import DBusAddress, new_method_call
    from jeepney.io.blocking import open_dbus_connection
    from jeepney.wrappers import unwrap_msg

    bus = DBusAddress(
        "/org/freedesktop/DBus", bus_name="org.freedesktop.DBus", interface="org.freedesktop.DBus"
    )
    with open_dbus_connection(bus_address) as connection:
        reply = connection.send_and_get_reply(
            new_method_call(bus, "NameHasOwner", "s", (name,)), timeout=COMMAND_TIMEOUT
        )
        return bool(unwrap_msg(reply)[0])


class CommandFailed(subprocess.CalledProcessError):
    """CalledProcessError whose message includes the program's stderr."""

    def __str__(self) -> str:
        return f"{super().__str__()}: {(self.stderr or '').strip()}"


@dataclass
class DesktopSession:
    """A running Xvfb + private session bus (+ dunst), with helpers to drive them."""

    display: str
    bus_address: str
    runtime_dir: Path
    env: dict[str, str]
    processes: list[subprocess.Popen[bytes]] = field(default_factory=list, repr=False)
    _history_floor: int = field(default=0, repr=False)

    @property
    def pick_file(self) -> Path:
        """What the scripted dunst "dmenu" picks: a key ("snooze") or "id,key"."""
        return self.runtime_dir / "pick"

    @property
    def menu_log(self) -> Path:
        """Every menu dunst offered, as given to the pick script, separated by "---"."""
        return self.runtime_dir / "menu.log"

    @property
    def session_vars(self) -> dict[str, str]:
        """The variables that select this session (not the XDG dirs)."""
        return {
            "DISPLAY": self.display,
            "DBUS_SESSION_BUS_ADDRESS": self.bus_address,
            "NO_AT_BRIDGE": "1",
        }

    def subprocess_env(self, **overrides: str) -> dict[str, str]:
        """os.environ as it is now, plus this session's variables and `overrides`.

        Inside a test that is the per-test XDG dirs from conftest, so a daemon started
        with it gets its own config/state/runtime dirs. `env` instead is fixed at start
        and shares the session's dirs between tests.
        """
        env = dict(os.environ)
        env.pop("WAYLAND_DISPLAY", None)
        return {**env, **self.session_vars, **overrides}

    def run(self, *argv: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        """Run a program inside this session; CalledProcessError shows its stderr."""
        result = subprocess.run(
            argv, env=self.env, capture_output=True, text=True, timeout=COMMAND_TIMEOUT
        )
        if check and result.returncode != 0:
            raise CommandFailed(result.returncode, argv, result.stdout, result.stderr)
        return result

    def xdotool(self, *args: str) -> str:
        """e.g. xdotool("mousemove", "10", "20"), xdotool("key", "shift")."""
        return self.run("xdotool", *args).stdout

    def dunstctl(self, *args: str) -> str:
        return self.run("dunstctl", *args).stdout

    def dunst_history(self) -> list[dict[str, str]]:
        """Notifications closed since the last clear_notifications(), newest first.

        Every field as a string: summary, body, appname, id, category, timeout (µs) ...
        Notifications still on screen are not in dunst's history.
        """
        document = json.loads(self.dunstctl("history"))
        entries = document["data"][0] if document["data"] else []
        history = [{key: str(value["data"]) for key, value in entry.items()} for entry in entries]
        return [entry for entry in history if int(entry["id"]) > self._history_floor]

    def displayed_count(self) -> int:
        return int(self.dunstctl("count", "displayed").strip())

    def clear_notifications(self) -> None:
        """Close everything on screen, forget the history and any pending pick.

        dunst 1.9 has no history-clear; ids only grow, so older entries are filtered out.
        """
        self.dunstctl("close-all")
        self._history_floor = 0
        self._history_floor = max((int(entry["id"]) for entry in self.dunst_history()), default=0)
        self.pick_file.write_text("")

    def pick_action(self, want: str) -> None:
        """Choose an action through dunst's context menu, like a user would.

        `want` is a key ("snooze") or "id,key". Returns at once: wait for the
        ActionInvoked signal, not for this call.
        """
        self.pick_file.write_text(want + "\n")
        self.dunstctl("context")

    def name_has_owner(self, name: str = NOTIFICATIONS_NAME) -> bool:
        return name_has_owner(self.bus_address, name)

    def wait_for(
        self,
        predicate: Callable[[], T],
        timeout: float = 10.0,
        interval: float = 0.05,
        message: str = "condition not met",
    ) -> T:
        return wait_until(predicate, timeout, interval, message)

    def stop(self) -> None:
        """Stop the children newest first (dunst, then the bus, then Xvfb)."""
        while self.processes:
            stop_process(self.processes.pop())


def start_desktop(
    runtime_dir: Path, *, dunst: bool = True, dunstrc: str = DUNSTRC
) -> DesktopSession:
    """Start Xvfb, a private bus and (unless dunst=False) dunst; ready when this returns.

    `dunst=False` gives a session with no notification server at all; `dunstrc` is the
    template of dunst's config (`{here}`: the runtime dir). The caller must
    call `stop()`. `runtime_dir` is used as XDG_RUNTIME_DIR and holds configs and logs.
    """
    runtime_dir.mkdir(parents=True, exist_ok=True)
    runtime_dir.chmod(0o700)
    processes: list[subprocess.Popen[bytes]] = []
    session: DesktopSession | None = None
    try:
        xvfb, display = start_xvfb(log=runtime_dir / "xvfb.log")
        processes.append(xvfb)
        env = dict(os.environ)
        env.pop("WAYLAND_DISPLAY", None)
        env.pop("DBUS_SESSION_BUS_ADDRESS", None)
        env.update(DISPLAY=display, XDG_RUNTIME_DIR=str(runtime_dir), NO_AT_BRIDGE="1")
        # A session fixture is set up before the per-test XDG isolation, so os.environ
        # may still name the user's real dirs here: give the session its own.
        for variable, name in _XDG_HOMES:
            path = runtime_dir / name
            path.mkdir(mode=0o700, exist_ok=True)
            env[variable] = str(path)
        bus, address = start_session_bus(runtime_dir, env)
        processes.append(bus)
        env["DBUS_SESSION_BUS_ADDRESS"] = address
        session = DesktopSession(display, address, runtime_dir, env, processes)
        if dunst:
            _start_dunst(session, dunstrc)
        return session
    except BaseException:
        for proc in reversed(processes):
            stop_process(proc)
        raise


def _start_dunst(session: DesktopSession, dunstrc_text: str = DUNSTRC) -> None:
    here = session.runtime_dir
    script = here / "pick_action.sh"
    script.write_text(PICK_ACTION_SH)
    script.chmod(0o755)
    session.pick_file.write_text("")
    dunstrc = here / "dunstrc"
    dunstrc.write_text(dunstrc_text.format(here=here))
    log_path = here / "dunst.log"
    with log_path.open("ab") as log:
        proc = subprocess.Popen(
            ["dunst", "-config", str(dunstrc)],
            env=session.env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    session.processes.append(proc)

    def ready() -> bool:
        if proc.poll() is not None:
            raise RuntimeError(f"dunst exited (rc={proc.returncode}):\n{_log_tail(log_path)}")
        return session.name_has_owner(NOTIFICATIONS_NAME)

    wait_until(ready, START_TIMEOUT, 0.02, f"dunst did not own {NOTIFICATIONS_NAME}")


def restart_dunst(session: DesktopSession) -> None:
    """Stop the session's dunst if it still runs, forget any that exited, start a new one.

    For tests of a notification server that goes away and comes back on the same bus.
    """
    for proc in [proc for proc in session.processes if proc.args[0] == "dunst"]:
        stop_process(proc)
        session.processes.remove(proc)
    _start_dunst(session)
