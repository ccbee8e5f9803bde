"""What the daemon says when it starts, exactly: one line on what it runs with (config,
socket), one on what it uses, one on what is not here; no library warnings, no source
lines, and the notifier named is the one a reminder would really reach."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from breakd import __version__
from tests.desktop import DESKTOP_TOOLS, DesktopSession, require_tools, skip_or_fail, start_desktop
from tests.e2e.daemon_process import DaemonProcess

LINE = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d breakd (?P<level>[A-Z]+) (?P<text>.*)$")


def log_lines(daemon: DaemonProcess) -> list[str]:
    """The whole log, each line as "LEVEL text"; every line must be breakd's."""
    log = daemon.log()
    lines = []
    for line in log.splitlines():
        match = LINE.match(line)
        assert match is not None, f"not a line of breakd's log: {line!r}\n{log}"
        lines.append(f"{match['level']} {match['text']}")
    return lines


def test_with_no_session_at_all(tmp_path: Path) -> None:
    """No DISPLAY, no session bus, no XDG_RUNTIME_DIR: the socket falls back to the temp
    dir with a plain note (no platformdirs warning), the log is the notifier, and the
    missing idle source is a warning."""
    if Path(f"/run/user/{os.getuid()}").is_dir():
        skip_or_fail(f"/run/user/{os.getuid()} exists here, so breakd would use it")
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    env = {k: v for k, v in os.environ.items() if k != "XDG_RUNTIME_DIR"}
    env["TMPDIR"] = str(tmp)
    daemon = DaemonProcess(tmp_path, "", env=env).start()
    try:
        pid = daemon.status()["pid"]
        daemon.wait_for_log("not here: ")
    finally:
        daemon.stop()
    lines = log_lines(daemon)
    socket = tmp / f"breakd-{os.getuid()}" / "control.sock"
    assert lines[:3] == [
        f"INFO breakd {__version__} running (pid {pid}); config: {daemon.config};"
        f" control socket: {socket} (XDG_RUNTIME_DIR is not set)",
        "INFO in use: idle source none (you count as present until one appears);"
        " session events none; busy signals camera (free);"
        " reminders through the daemon's log only",
        "WARNING not here: an idle source;"
        " session events logind, screensaver, gnome-session-manager;"
        " busy signals dnd:dunst, dnd:plasma, dnd:xfce, dnd:gnome, dnd:swaync, dnd:mako,"
        " fullscreen:x11, fullscreen:wayland, inhibitors:gnome, inhibitors:logind;"
        " notifiers dbus, plyer (`breakd doctor` says why)",
    ]
    assert lines[3:] == ["INFO stopping"]


def test_in_the_desktop_session(desktop: DesktopSession, tmp_path: Path) -> None:
    """Xvfb + a private bus + dunst: X11 idle, dunst's do-not-disturb and reminders
    through dunst with buttons; nothing else is said before the first event."""
    daemon = DaemonProcess(tmp_path, "", env=desktop.subprocess_env()).start()
    try:
        pid = daemon.status()["pid"]
        daemon.wait_for_log("not here: ")
    finally:
        daemon.stop()
    lines = log_lines(daemon)
    server = desktop.run("dunst", "-v").stdout.strip().rsplit("daemon ", 1)[-1]  # "1.9.0 (date)"
    socket = Path(os.environ["XDG_RUNTIME_DIR"]) / "breakd" / "control.sock"
    assert lines[:3] == [
        f"INFO breakd {__version__} running (pid {pid}); config: {daemon.config};"
        f" control socket: {socket}",
        "INFO in use: idle source x11-screensaver; session events none;"
        " busy signals dnd:dunst (free), fullscreen:x11 (free), camera (free);"
        f" reminders through dunst {server} with buttons",
        "INFO not here: session events logind, screensaver, gnome-session-manager;"
        " busy signals dnd:plasma, dnd:xfce, dnd:gnome, dnd:swaync, dnd:mako,"
        " fullscreen:wayland, inhibitors:gnome, inhibitors:logind (`breakd doctor` says why)",
    ]
    assert lines[3:] == ["INFO stopping"]


def test_with_a_session_bus_but_no_notification_server(tmp_path: Path) -> None:
    """The notifier named is the one that works: plyer through notify-send, found without
    loading plyer, which an idle daemon does not carry until its first reminder."""
    require_tools(*DESKTOP_TOOLS, "notify-send")
    session = start_desktop(tmp_path / "session", dunst=False)
    try:
        env = session.subprocess_env()
        daemon = DaemonProcess(tmp_path, "", env=env).start()
        try:
            daemon.wait_for_log("not here: ")
        finally:
            daemon.stop()
        code = (
            "import asyncio, sys\n"
            "from breakd.adapters.select import working_notifier\n"
            "name, found, passed_over = asyncio.run(working_notifier('auto'))\n"
            "print(name, found.brief, 'plyer' in sys.modules)\n"
        )
        probed = subprocess.run(
            [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=30
        )
    finally:
        session.stop()
    lines = log_lines(daemon)
    assert lines[1].endswith("; reminders through plyer (notify-send) without buttons")
    assert lines[2].endswith("; notifiers dbus (`breakd doctor` says why)")
    assert (probed.returncode, probed.stdout) == (
        0,
        "plyer plyer (notify-send) without buttons False\n",
    ), probed.stderr
