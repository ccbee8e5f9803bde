"""A systemd user unit that runs breakd for as long as the graphical session lasts.

`$XDG_CONFIG_HOME/systemd/user/breakd.service`, wanted by and ordered after
`graphical-session.target` (the session starts it and stops it, PartOf=),
restarted on failure, its stderr going to the journal. systemctl is reached
through the user instance's private socket; where none answers (no user
instance, or another user's shell), the unit is enabled offline and starts
with the next graphical login.
"""

from __future__ import annotations

import os
import re
import socket
import stat
from collections.abc import Sequence
from pathlib import Path

from breakd.adapters.autostart import AutostartError, CommandResult, Runner
from breakd.adapters.autostart.files import StampedTextFile, remove_file
from breakd.adapters.autostart.ownership import stamp_text

UNIT = "breakd.service"
LOGS_HINT = "logs: journalctl --user -u breakd"
_NEEDS_QUOTES = re.compile(r"""[\s"'\\;]""")
_OFFLINE = {"SYSTEMD_OFFLINE": "1"}

UNIT_BODY = """\
# `breakd autostart disable` removes this file; edit it and breakd leaves it alone.
[Unit]
Description=breakd, a reminder to get up and stretch after long sitting
PartOf=graphical-session.target
After=graphical-session.target

[Service]
Type=exec
ExecStart={exec_start}
Restart=on-failure
RestartSec=5
# Exit status 2 is a config or usage error: restarting would not fix it.
RestartPreventExitStatus=2

[Install]
WantedBy=graphical-session.target
"""


def user_manager_reachable(runtime_dir: str | None) -> bool:
    """Does a systemd user instance answer on `$XDG_RUNTIME_DIR/systemd/private`?

    That socket is what `systemctl --user` talks to. Connecting to it (rather than
    only seeing that it exists) tells a live manager from a stale socket, with no
    subprocess and no wait.
    """
    if not runtime_dir or not os.path.isabs(runtime_dir):
        return False
    path = os.path.join(runtime_dir, "systemd", "private")
    try:
        if not stat.S_ISSOCK(os.stat(path).st_mode):
            return False
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as probe:
            probe.settimeout(1.0)
            probe.connect(path)
    except OSError:
        return False
    return True


def quote_exec_start(argv: Sequence[str]) -> str:
    """argv as an ExecStart= line, quoted the way systemd.service(5) unquotes it.

    `%` starts a specifier everywhere (so `%%`); `$` expands a variable in the
    arguments but not in the program path (so `$$` only there).
    """
    words = []
    for index, arg in enumerate(argv):
        text = arg.replace("%", "%%")
        if index > 0:
            text = text.replace("$", "$$")
        if text and not _NEEDS_QUOTES.search(text):
            words.append(text)
        else:
            words.append('"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"')
    return " ".join(words)


class SystemdUserUnit(StampedTextFile):
    name = "systemd"
    title = "systemd user unit"

    def __init__(
        self, config_home: Path, runtime_dir: str | None, runner: Runner, systemctl: str | None
    ) -> None:
        """`systemctl` is its path, or None where it is not installed."""
        self.path = config_home / "systemd" / "user" / UNIT
        self._runtime_dir = runtime_dir
        self._run = runner
        self._systemctl_path = systemctl

    def render(self, argv: Sequence[str]) -> str:
        return stamp_text(UNIT_BODY.format(exec_start=quote_exec_start(argv)))

    def remove(self) -> None:
        """Delete the file, then let a running manager forget the unit."""
        remove_file(self.path)
        if self._systemctl_path is not None and self._reachable():
            self._systemctl_ok("daemon-reload")

    def activate(self, replaced: bool, running_pid: int | None = None) -> list[str]:
        if self._systemctl_path is None:
            return [
                f"systemctl not found, so {UNIT} is not enabled; "
                f"where systemd runs: systemctl --user enable --now {UNIT}"
            ]
        if not self._reachable():
            self._systemctl_ok("enable", UNIT, offline=True)
            return [
                f"systemctl --user cannot reach a systemd user instance here, so {UNIT} "
                "is enabled but not started: it starts with your next graphical login"
            ]
        self._systemctl_ok("daemon-reload")
        if running_pid is not None and not self._active():
            self._systemctl_ok("enable", UNIT)
            return [
                f"{UNIT} is enabled and starts with your next graphical login; breakd runs now "
                f"outside systemd (pid {running_pid}): to hand it to systemd, stop that one, "
                f"then: systemctl --user start {UNIT}"
            ]
        if replaced:
            self._systemctl_ok("try-restart", UNIT)
        self._systemctl_ok("enable", "--now", UNIT)
        lines = [f"{UNIT} is enabled and running; {LOGS_HINT}"]
        if self._systemctl("is-active", "graphical-session.target").returncode != 0:
            lines.append(
                "note: graphical-session.target is not active in this session; if your desktop "
                "does not start it, breakd will not start at login: use --method xdg instead"
            )
        return lines

    def _active(self) -> bool:
        return self._systemctl("is-active", UNIT).stdout.strip() in ("active", "reloading")

    def deactivate(self) -> list[str]:
        if self._systemctl_path is None:
            return [f"systemctl not found; removing {UNIT} without disabling it"]
        if not self._reachable():
            self._systemctl_ok("disable", UNIT, offline=True)
            return [f"systemctl --user cannot reach a systemd user instance; disabled {UNIT}"]
        self._systemctl_ok("disable", "--now", UNIT)
        return [f"stopped and disabled {UNIT}"]

    def live_state(self) -> str | None:
        if self._systemctl_path is None:
            return None
        if not self._reachable():
            enabled = self._systemctl("is-enabled", UNIT, offline=True).stdout.strip()
            return f"{UNIT}: {enabled or 'unknown'} (no systemd user instance answers here)"
        enabled = self._systemctl("is-enabled", UNIT).stdout.strip() or "unknown"
        active = self._systemctl("is-active", UNIT).stdout.strip() or "unknown"
        return f"{UNIT}: {enabled}, {active}"

    def _reachable(self) -> bool:
        return user_manager_reachable(self._runtime_dir)

    def _systemctl(self, *args: str, offline: bool = False) -> CommandResult:
        assert self._systemctl_path is not None
        return self._run(
            [self._systemctl_path, "--user", *args], extra_env=_OFFLINE if offline else None
        )

    def _systemctl_ok(self, *args: str, offline: bool = False) -> None:
        """Run `systemctl --user ARGS`; a failure is one AutostartError line."""
        result = self._systemctl(*args, offline=offline)
        if result.returncode != 0:
            raise AutostartError(
                f"`systemctl --user {' '.join(args)}` failed: {result.first_line()}"
            )
