"""The real daemon as a subprocess, driven through the real CLI and socket."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

from breakd.ipc import protocol
from tests.desktop import stop_process, wait_until
from tests.private_session import SESSION_VARIABLES, fresh_xdg_dirs


def cli(
    *args: str, env: dict[str, str] | None = None, timeout: float = 10.0
) -> subprocess.CompletedProcess[str]:
    """`breakd ARGS` exactly as a user runs it, through `python -m breakd`."""
    return subprocess.run(
        [sys.executable, "-m", "breakd", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=timeout,
        check=False,
    )


def isolated_env(root: Path) -> dict[str, str]:
    """os.environ with fresh XDG dirs under `root` and no desktop session.

    For a daemon shared by a module's tests, which outlives each test's own dirs.
    """
    env = {k: v for k, v in os.environ.items() if k not in SESSION_VARIABLES}
    env.update(fresh_xdg_dirs(root))
    return env


class DaemonProcess:
    def __init__(
        self,
        workdir: Path,
        config_text: str | None,
        env: dict[str, str] | None = None,
    ) -> None:
        self.workdir = workdir
        self.env = dict(env or os.environ)
        self.config = workdir / "config.yaml"
        self.log_path = workdir / "daemon.log"
        self.proc: subprocess.Popen[bytes] | None = None
        self.expected_errors: list[str] = []
        """Text of ERROR lines this test provokes on purpose; any other fails `stop()`."""
        if config_text is not None:
            self.config.write_text(config_text)

    def start(self, *extra: str, wrapper: Sequence[str] = ()) -> DaemonProcess:
        """Start `breakd run`, under `wrapper` (a command that execs its arguments) if given."""
        args = ["--config", str(self.config)] if self.config.exists() else []
        with self.log_path.open("ab") as log:
            self.proc = subprocess.Popen(
                [*wrapper, sys.executable, "-m", "breakd", *args, "run", *extra],
                stdout=log,
                stderr=log,
                stdin=subprocess.DEVNULL,
                env=self.env,
            )
        wait_until(
            self._answers,
            timeout=10,
            interval=0.01,
            message=f"daemon never answered; log:\n{self.log()}",
        )
        return self

    @property
    def socket_path(self) -> Path:
        """Where the daemon listens: under XDG_RUNTIME_DIR, or where breakd falls back to
        without it (a test without one sets TMPDIR to a dir of its own)."""
        if "XDG_RUNTIME_DIR" in self.env:
            return Path(self.env["XDG_RUNTIME_DIR"]) / "breakd" / "control.sock"
        run_user = Path(f"/run/user/{os.getuid()}")
        if run_user.is_dir() and os.access(run_user, os.W_OK):
            return run_user / "breakd" / "control.sock"
        return Path(self.env["TMPDIR"]) / f"breakd-{os.getuid()}" / "control.sock"

    def _running(self) -> bool:
        assert self.proc is not None
        if self.proc.poll() is not None:
            raise AssertionError(f"daemon exited with {self.proc.returncode}; log:\n{self.log()}")
        return True

    def _answers(self) -> bool:
        return self._running() and self._ask_status() is not None

    def _ask_status(self) -> dict[str, object] | None:
        """The status request the CLI sends, on the socket (no Python to start for each
        poll); None while nothing listens there."""
        reply = self.ask("status")
        if reply is None:
            return None
        assert reply["ok"] is True, reply
        return reply["status"]  # type: ignore[return-value]

    def ask(self, command: str, **args: object) -> dict[str, object] | None:
        """One request as the CLI sends it, on the socket; the reply, or None while nothing
        listens there. Fails if no reply comes within 5 s."""
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
            sock.settimeout(5)
            try:
                sock.connect(str(self.socket_path))
            except (ConnectionRefusedError, FileNotFoundError):
                return None
            sock.sendall(protocol.request(command, args))
            reply: dict[str, object] = json.loads(sock.makefile("rb").readline())
        return reply

    def cli(self, *args: str) -> subprocess.CompletedProcess[str]:
        return cli(*args, env=self.env)

    def status(self) -> dict[str, object]:
        """What `breakd status --json` prints; asked on the socket, as tests poll it often."""
        status = self._ask_status()
        assert status is not None, f"the daemon does not answer; log:\n{self.log()}"
        return status

    def wait_for_state(self, state: str, timeout: float = 10.0) -> dict[str, object]:
        return wait_until(
            lambda: (status := self.status())["state"] == state and status,
            timeout=timeout,
            message=f"state never became {state}; log:\n{self.log()}",
        )

    def wait_for_log(self, text: str, count: int = 1, timeout: float = 10.0, after: int = 0) -> str:
        """The log from offset `after` on, once `text` is in it `count` times."""
        wait_until(
            lambda: self.log(after).count(text) >= count,
            timeout=timeout,
            interval=0.02,
            message=f"{text!r} x{count} never appeared in the log:\n{self.log(after)}",
        )
        return self.log(after)

    def log(self, after: int = 0) -> str:
        """The log, or what was written from offset `after` (a `log_mark()`) on."""
        if not self.log_path.exists():
            return ""
        return self.log_path.read_bytes()[after:].decode(errors="replace")

    def log_mark(self) -> int:
        """Where the log ends now, for `wait_for_log(after=...)`."""
        return self.log_path.stat().st_size if self.log_path.exists() else 0

    def signal(self, signum: signal.Signals) -> None:
        assert self.proc is not None
        self.proc.send_signal(signum)

    def stop(self) -> int:
        """SIGTERM and return the exit code; fails if the daemon logged an unexpected error."""
        if self.proc is None:
            return 0
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                stop_process(self.proc)
        unexpected = unexpected_errors(self.log(), self.expected_errors)
        assert unexpected == [], f"the daemon logged errors:\n{self.log()}"
        return self.proc.returncode


def unexpected_errors(log: str, expected: list[str]) -> list[str]:
    """ERROR lines and tracebacks in a daemon's log that no text in `expected` accounts for."""
    bad = [
        line
        for line in log.splitlines()
        if (" ERROR " in line or line.startswith("Traceback"))
        and not any(text in line for text in expected)
    ]
    return bad
