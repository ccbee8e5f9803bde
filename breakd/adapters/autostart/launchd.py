"""A macOS LaunchAgent: `~/Library/LaunchAgents/org.breakd.breakd.plist`.

launchd starts it at login (RunAtLoad), restarts it when it exits with an
error (KeepAlive SuccessfulExit=false) and sends its output to
`~/Library/Logs/breakd.log`. `launchctl bootstrap gui/<uid>` loads it now.
Where launchctl is missing (not macOS), the plist is still written, with a
note, so it can be prepared for a dotfiles repository or tested.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from breakd.adapters.autostart import AutostartError, CommandResult, Ownership, Runner
from breakd.adapters.autostart.files import read_bytes, remove_file, write_atomically
from breakd.adapters.autostart.ownership import classify_plist, stamp_plist

LABEL = "org.breakd.breakd"


class LaunchAgent:
    name = "launchd"
    title = "launchd agent"

    def __init__(self, home: Path, runner: Runner, launchctl: str | None, uid: int) -> None:
        """`launchctl` is its path, or None where it is not installed."""
        self.path = home / "Library" / "LaunchAgents" / f"{LABEL}.plist"
        self.log_path = home / "Library" / "Logs" / "breakd.log"
        self._run = runner
        self._launchctl = launchctl
        self._domain = f"gui/{uid}"

    @property
    def location(self) -> str:
        return str(self.path)

    def payload(self, argv: Sequence[str]) -> dict[str, object]:
        return {
            "Label": LABEL,
            "ProgramArguments": list(argv),
            "RunAtLoad": True,
            "KeepAlive": {"SuccessfulExit": False},
            "ProcessType": "Interactive",
            "StandardOutPath": str(self.log_path),
            "StandardErrorPath": str(self.log_path),
        }

    def render(self, argv: Sequence[str]) -> str:
        return stamp_plist(self.payload(argv)).decode()

    def inspect(self, argv: Sequence[str]) -> Ownership:
        return classify_plist(read_bytes(self.path), self.render(argv).encode())

    def install(self, argv: Sequence[str]) -> None:
        """Also creates ~/Library/Logs: launchd opens the log file but makes no folders."""
        try:
            self.log_path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise AutostartError(
                f"cannot create {self.log_path.parent}: {error.strerror or error}"
            ) from None
        write_atomically(self.path, self.render(argv).encode())

    def remove(self) -> None:
        remove_file(self.path)

    def activate(self, replaced: bool, running_pid: int | None = None) -> list[str]:
        if self._launchctl is None:
            return [
                "launchctl not found (this is not macOS?), so the agent is not loaded now; "
                "launchd loads it at the next login on macOS"
            ]
        loaded = self._loaded()
        if running_pid is not None and not loaded:
            return [
                f"launchd loads {LABEL} at your next login; breakd runs now outside launchd "
                f"(pid {running_pid}): to hand it to launchd, stop that one, then: "
                f"launchctl bootstrap {self._domain} {self.path}"
            ]
        if loaded:
            if not replaced:
                return [f"{LABEL} is already loaded; logs: {self.log_path}"]
            self._launchctl_ok("bootout", f"{self._domain}/{LABEL}")
        self._launchctl_ok("bootstrap", self._domain, str(self.path))
        return [f"loaded {LABEL} into launchd ({self._domain}); logs: {self.log_path}"]

    def deactivate(self) -> list[str]:
        if self._launchctl is None:
            return ["launchctl not found (this is not macOS?); removing the plist only"]
        if not self._loaded():
            return []
        self._launchctl_ok("bootout", f"{self._domain}/{LABEL}")
        return [f"stopped and unloaded {LABEL}"]

    def live_state(self) -> str | None:
        if self._launchctl is None:
            return None
        return f"{LABEL}: {'loaded' if self._loaded() else 'not loaded'} in {self._domain}"

    def _loaded(self) -> bool:
        return self._launchctl_run("print", f"{self._domain}/{LABEL}").returncode == 0

    def _launchctl_run(self, *args: str) -> CommandResult:
        assert self._launchctl is not None
        return self._run([self._launchctl, *args])

    def _launchctl_ok(self, *args: str) -> None:
        result = self._launchctl_run(*args)
        if result.returncode != 0:
            raise AutostartError(f"`launchctl {' '.join(args)}` failed: {result.first_line()}")
