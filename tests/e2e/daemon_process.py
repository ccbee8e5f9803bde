"""The real daemon as a subprocess, driven through the real CLI and socket."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

from tests.desktop import stop_process, wait_until

FAST_CONFIG = """\
sitting:
  remind_after: 3s
  break_after_idle: 1h
  repeat_every: 0s
notify:
  backend: log
log:
  level: debug
"""


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


class DaemonProcess:
    def __init__(
        self,
        workdir: Path,
        config_text: str | None = FAST_CONFIG,
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

    def start(self, *extra: str) -> DaemonProcess:
        args = ["--config", str(self.config)] if self.config.exists() else []
        with self.log_path.open("ab") as log:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "breakd", *args, "run", *extra],
                stdout=log,
                stderr=log,
                stdin=subprocess.DEVNULL,
                env=self.env,
            )
        wait_until(self._answers, timeout=10, message=f"daemon never answered; log:\n{self.log()}")
        return self

    def _answers(self) -> bool:
        assert self.proc is not None
        if self.proc.poll() is not None:
            raise AssertionError(f"daemon exited with {self.proc.returncode}; log:\n{self.log()}")
        return self.cli("status").returncode == 0

    def cli(self, *args: str) -> subprocess.CompletedProcess[str]:
        return cli(*args, env=self.env)

    def status(self) -> dict[str, object]:
        result = self.cli("status", "--json")
        assert result.returncode == 0, result.stderr
        return json.loads(result.stdout)

    def wait_for_state(self, state: str, timeout: float = 10.0) -> dict[str, object]:
        return wait_until(
            lambda: (status := self.status())["state"] == state and status,
            timeout=timeout,
            message=f"state never became {state}; log:\n{self.log()}",
        )

    def wait_for_log(self, text: str, count: int = 1, timeout: float = 10.0) -> str:
        wait_until(
            lambda: self.log().count(text) >= count,
            timeout=timeout,
            message=f"{text!r} x{count} never appeared in the log:\n{self.log()}",
        )
        return self.log()

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

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
