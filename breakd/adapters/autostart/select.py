"""The one place that decides which autostart method applies here, and builds it.

Default: on Linux, the systemd user unit when a systemd user instance answers
on `$XDG_RUNTIME_DIR/systemd/private` (the socket `systemctl --user` uses),
else the XDG autostart entry; launchd on macOS; the XDG entry on other Unix
desktops (the BSDs).
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

from breakd.adapters.autostart import AutostartMethod, Runner, run_command
from breakd.adapters.autostart.launchd import LaunchAgent
from breakd.adapters.autostart.systemd import SystemdUserUnit, user_manager_reachable
from breakd.adapters.autostart.xdg import XdgAutostartEntry

METHODS = ("systemd", "xdg", "launchd")


def native_methods(platform: str = sys.platform) -> tuple[str, ...]:
    """The methods that can be set up on this platform; `disable` and `status` look at these."""
    if platform.startswith("linux"):
        return ("systemd", "xdg")
    if platform == "darwin":
        return ("launchd",)
    return ("xdg",)


def default_method(platform: str = sys.platform, runtime_dir: str | None = None) -> str:
    if platform.startswith("linux"):
        if runtime_dir is None:
            runtime_dir = os.environ.get("XDG_RUNTIME_DIR")
        return "systemd" if user_manager_reachable(runtime_dir) else "xdg"
    return native_methods(platform)[0]


def config_home() -> Path:
    """`$XDG_CONFIG_HOME`, else ~/.config: where systemd and XDG desktops look on every OS."""
    value = os.environ.get("XDG_CONFIG_HOME")
    return Path(value) if value and os.path.isabs(value) else Path.home() / ".config"


def open_method(name: str, runner: Runner = run_command) -> AutostartMethod:
    if name == "systemd":
        return SystemdUserUnit(
            config_home(), os.environ.get("XDG_RUNTIME_DIR"), runner, shutil.which("systemctl")
        )
    if name == "xdg":
        return XdgAutostartEntry(config_home())
    if name == "launchd":
        uid = os.getuid() if hasattr(os, "getuid") else 0
        return LaunchAgent(Path.home(), runner, shutil.which("launchctl"), uid)
    raise ValueError(f"unknown autostart method {name!r}")
