"""Start breakd at login: one module per mechanism, behind one small protocol.

`systemd.py` (a systemd user unit), `xdg.py` (an XDG autostart entry) and
`launchd.py` (a macOS LaunchAgent).
`select.py` is the one place that decides which of them is the default here.

Each method writes something that starts exactly the breakd that ran the
command (see `launch_argv`), marked so that breakd can later tell its own
unchanged output from a file the user edited (see `ownership.py`). The calls
to `systemctl` and `launchctl` go through a `Runner`, so tests can stand in
for an OS that is not the one they run on.

Nothing here is imported on the `breakd status` path.
"""

from __future__ import annotations

import enum
import os
import subprocess
import sys
from collections.abc import Mapping, Sequence
from typing import NamedTuple, Protocol

from breakd.errors import BreakdError, UsageError

COMMAND_TIMEOUT = 30.0


class AutostartError(BreakdError):
    """A step of enable/disable failed; the message is one line naming what and why."""


class AutostartConflict(BreakdError):
    """The file is not breakd's own (or was edited since), and --force was not given."""


class Ownership(enum.Enum):
    """What is at a method's location, compared with what `enable` would write now."""

    ABSENT = "not set up"
    CURRENT = "up to date"
    STALE = (
        "written by breakd for another command (moved Python, other --config); enable rewrites it"
    )
    CHANGED = "edited since breakd wrote it"
    FOREIGN = "not written by breakd"

    @property
    def is_breakds(self) -> bool:
        """True when breakd may replace or remove it without --force."""
        return self in (Ownership.CURRENT, Ownership.STALE)


class CommandResult(NamedTuple):
    returncode: int
    stdout: str
    stderr: str

    def first_line(self) -> str:
        """The one line worth showing from a failed command (stderr first)."""
        for text in (self.stderr, self.stdout):
            for line in text.splitlines():
                if line.strip():
                    return line.strip()
        return f"exit status {self.returncode}"


class Runner(Protocol):
    """Runs one external command to completion; never raises for a failed or missing program."""

    def __call__(
        self, argv: Sequence[str], extra_env: Mapping[str, str] | None = None
    ) -> CommandResult: ...


def run_command(argv: Sequence[str], extra_env: Mapping[str, str] | None = None) -> CommandResult:
    """The real Runner: a missing program is rc 127, a hung one rc 124, both with a message."""
    env = None if not extra_env else {**os.environ, **extra_env}
    try:
        done = subprocess.run(
            list(argv),
            capture_output=True,
            text=True,
            env=env,
            stdin=subprocess.DEVNULL,
            timeout=COMMAND_TIMEOUT,
            check=False,
        )
    except FileNotFoundError:
        return CommandResult(127, "", f"{argv[0]}: command not found")
    except subprocess.TimeoutExpired:
        return CommandResult(124, "", f"no answer within {COMMAND_TIMEOUT:g} s")
    except OSError as error:
        return CommandResult(126, "", f"{argv[0]}: {error.strerror or error}")
    return CommandResult(done.returncode, done.stdout, done.stderr)


class AutostartMethod(Protocol):
    """One way to start breakd at login.

    `render` is pure: the exact content `install` writes for `argv`. `inspect`
    compares what is there now with that content. `activate`/`deactivate` tell
    the OS (systemctl, launchctl) and return lines to show the user; they raise
    AutostartError with one line when the OS refuses.
    """

    name: str
    title: str

    @property
    def location(self) -> str:
        """The file this method owns, as shown to the user."""
        ...

    def render(self, argv: Sequence[str]) -> str: ...

    def inspect(self, argv: Sequence[str]) -> Ownership: ...

    def install(self, argv: Sequence[str]) -> None: ...

    def remove(self) -> None: ...

    def activate(self, replaced: bool, running_pid: int | None = None) -> list[str]:
        """After install; `replaced` means an older version was there (restart if running).
        `running_pid`: a breakd already answers on the control socket (maybe not this
        method's), so starting another now would only fail with "already running"."""
        ...

    def deactivate(self) -> list[str]:
        """Before remove."""
        ...

    def live_state(self) -> str | None:
        """One line on what the OS thinks of it now (e.g. "enabled, active"), if it can tell."""
        ...


def launch_argv(config: str | None, executable: str | None = None) -> list[str]:
    """The command that starts this very breakd: `<this interpreter> -m breakd [--config ABS] run`.

    The interpreter path is made absolute but not resolved: a virtualenv's
    `bin/python` is a symlink, and resolving it would leave the venv (and its
    breakd) behind. `-m breakd` works the same for venv, pipx and system installs.
    """
    interpreter = executable if executable is not None else sys.executable
    if not interpreter:
        raise AutostartError("cannot tell which Python runs breakd (sys.executable is empty)")
    argv = [os.path.abspath(interpreter), "-m", "breakd"]
    if config is not None:
        argv += ["--config", os.path.abspath(os.path.expanduser(config))]
    argv.append("run")
    for arg in argv:
        if any(ord(char) < 0x20 or char == "\x7f" for char in arg):
            raise UsageError(f"cannot autostart a path with a control character in it: {arg!r}")
    return argv
