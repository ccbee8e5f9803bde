"""`breakd autostart enable|disable|status`: the CLI's side; the mechanisms live in adapters/autostart/."""

from __future__ import annotations

import shlex

from breakd.adapters.autostart import (
    AutostartConflict,
    AutostartMethod,
    Ownership,
    launch_argv,
)
from breakd.adapters.autostart.select import default_method, native_methods, open_method
from breakd.errors import BreakdError, DaemonNotRunning

_WHY_NOT = {
    Ownership.CHANGED: "was edited since breakd wrote it",
    Ownership.FOREIGN: "was not written by breakd",
}


def run_autostart(action: str, method: str | None, force: bool, config: str | None) -> int:
    if action == "enable":
        return enable(method, force, config)
    if action == "disable":
        return disable(method, force, config)
    return status(method, config)


def enable(method_name: str | None, force: bool, config: str | None) -> int:
    """Write (or keep) the method's file, then tell the OS; see docs/start-at-login.md."""
    from breakd.config.effective import load_effective_config

    load_effective_config(config)  # a broken config fails here, not silently at every login
    name = method_name or default_method()
    method = open_method(name)
    argv = launch_argv(config)
    state = method.inspect(argv)
    if state is Ownership.CURRENT:
        print(f"{method.location} is already up to date; nothing changed")
    elif state.is_breakds or state is Ownership.ABSENT or force:
        method.install(argv)
        verb = "wrote" if state is Ownership.ABSENT else "replaced"
        print(f"{verb} {method.location} ({method.title}), which runs: {shlex.join(argv)}")
    else:
        raise AutostartConflict(
            f"{method.location} {_WHY_NOT[state]}; not replacing it (use --force to replace it)"
        )
    replaced = state not in (Ownership.ABSENT, Ownership.CURRENT)
    for line in method.activate(replaced, running_pid=_running_pid()):
        print(line)
    for other in native_methods():
        if other != name and open_method(other).inspect(argv) is not Ownership.ABSENT:
            print(
                f"note: breakd is also set up with {other}; remove that with "
                f"`breakd autostart disable --method {other}` so it is not started twice"
            )
    return 0


def disable(method_name: str | None, force: bool, config: str | None) -> int:
    """Remove what breakd set up; without --method, every method this platform has."""
    argv = launch_argv(config)
    found: list[AutostartMethod] = []
    for name in [method_name] if method_name else native_methods():
        method = open_method(name)
        state = method.inspect(argv)
        if state is Ownership.ABSENT:
            continue
        if not state.is_breakds and not force:
            raise AutostartConflict(
                f"{method.location} {_WHY_NOT[state]}; not removing it "
                "(use --force to remove it anyway)"
            )
        found.append(method)
    if not found:
        print("breakd autostart is not set up; nothing to remove")
        return 0
    for method in found:
        for line in method.deactivate():
            print(line)
        method.remove()
        print(f"removed {method.location}")
    return 0


def status(method_name: str | None, config: str | None) -> int:
    """Which method is set up, whether its file is what enable would write now, and the daemon."""
    argv = launch_argv(config)
    shown = False
    for name in [method_name] if method_name else native_methods():
        method = open_method(name)
        state = method.inspect(argv)
        if state is Ownership.ABSENT and not method_name:
            continue
        shown = True
        print(f"autostart: {method.name} ({method.title}) {method.location}: {state.value}")
        live = method.live_state() if state is not Ownership.ABSENT else None
        if live:
            print(f"  {live}")
    if not shown:
        fallback = open_method(default_method())
        print(
            f"autostart: not set up; `breakd autostart enable` would write "
            f"{fallback.location} ({fallback.name})"
        )
    print(f"daemon: {_daemon_state()}")
    return 0


def _running_pid() -> int | None:
    """The pid of a breakd that answers on the control socket, if one does."""
    from breakd.ipc.client import call

    try:
        details = call("status", timeout=2.0).get("status")
    except (BreakdError, OSError):
        return None
    pid = details.get("pid") if isinstance(details, dict) else None
    return pid if isinstance(pid, int) else None


def _daemon_state() -> str:
    from breakd.ipc.client import call

    try:
        reply = call("status", timeout=2.0)
    except DaemonNotRunning:
        return "not running"
    except (BreakdError, OSError) as error:
        return f"not answering ({error})"
    details = reply.get("status")
    pid = details.get("pid") if isinstance(details, dict) else None
    return f"running (pid {pid})" if pid else "running"
