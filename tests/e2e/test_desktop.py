"""The daemon on a real desktop: Xvfb for idle time, xdotool for input, dunst for reminders."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from tests.desktop import DesktopSession, wait_until
from tests.e2e.daemon_process import DaemonProcess

pytestmark = pytest.mark.desktop

AWAY_QUICKLY = """\
sitting:
  remind_after: 1h
  break_after_idle: 2s
activity:
  poll_every: 1s
notify:
  backend: log
"""

REMIND_QUICKLY = """\
sitting:
  remind_after: 2s
  break_after_idle: 1h
  repeat_every: 0s
notify:
  backend: plyer
"""


def test_no_input_makes_the_user_away_and_input_brings_them_back_from_zero(
    desktop: DesktopSession, tmp_path: Path
) -> None:
    desktop.xdotool("mousemove", "10", "10")
    daemon = DaemonProcess(tmp_path, AWAY_QUICKLY, env=desktop.subprocess_env()).start()
    try:
        first = daemon.status()
        assert first["idle_source"] == "x11-screensaver"
        away = daemon.wait_for_state("away", timeout=10)
        assert away["sitting_seconds"] is None
        later = wait_until(
            lambda: (status := daemon.status())["idle_seconds"] > away["idle_seconds"] and status,
            message="idle time did not grow while nobody touched the X server",
        )
        assert later["state"] == "away"

        desktop.xdotool("mousemove", "200", "300")
        back = daemon.wait_for_state("sitting", timeout=5)
        assert back["sitting_seconds"] <= 1
        assert back["idle_seconds"] <= 1
        assert "natural break of" in daemon.log()
    finally:
        daemon.stop()


def wakeups(pid: int) -> int:
    """Times the daemon's threads went to sleep and were woken: voluntary context switches."""
    total = 0
    for status in Path(f"/proc/{pid}/task").glob("*/status"):
        for line in status.read_text().splitlines():
            if line.startswith("voluntary_ctxt_switches:"):
                total += int(line.split()[1])
    return total


def test_while_away_nothing_wakes_the_daemon_until_input_comes(
    desktop: DesktopSession, tmp_path: Path
) -> None:
    """X11's SYNC idle alarm reports the return: no sampling every poll_every (1 s here)."""
    desktop.xdotool("mousemove", "10", "10")
    daemon = DaemonProcess(tmp_path, AWAY_QUICKLY, env=desktop.subprocess_env()).start()
    try:
        daemon.wait_for_state("away", timeout=10)
        assert daemon.proc is not None
        time.sleep(0.5)  # the status call's own work settles
        before = wakeups(daemon.proc.pid)
        time.sleep(4)
        assert wakeups(daemon.proc.pid) - before <= 1, "the daemon woke while nobody was there"
        desktop.xdotool("mousemove", "200", "300")
        daemon.wait_for_log("natural break of", timeout=3)  # no status call: the alarm woke it
        assert daemon.status()["state"] == "sitting"
    finally:
        daemon.stop()


def test_typing_keeps_the_user_sitting(desktop: DesktopSession, tmp_path: Path) -> None:
    """Input more often than break_after_idle (2 s) for 5 s: one unbroken sitting."""
    desktop.xdotool("key", "shift")
    daemon = DaemonProcess(tmp_path, AWAY_QUICKLY, env=desktop.subprocess_env()).start()
    try:
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            desktop.xdotool("key", "shift")
            assert daemon.status()["state"] == "sitting"
            time.sleep(0.5)
        status = daemon.status()
        assert status["sitting_seconds"] >= 5
        assert "natural break" not in daemon.log()
    finally:
        daemon.stop()


def test_a_reminder_through_plyer_arrives_in_the_notification_server(
    desktop: DesktopSession, tmp_path: Path
) -> None:
    desktop.clear_notifications()
    desktop.xdotool("mousemove", "20", "20")
    daemon = DaemonProcess(tmp_path, REMIND_QUICKLY, env=desktop.subprocess_env()).start()
    try:
        desktop.xdotool("mousemove", "30", "30")
        daemon.wait_for_state("reminding", timeout=10)
        wait_until(lambda: daemon.status()["notifier"] == "plyer (NotifySendNotification)")
        wait_until(lambda: desktop.displayed_count() >= 1, message="no notification on screen")
        desktop.dunstctl("close-all")
        [shown] = wait_until(desktop.dunst_history, message="nothing in dunst's history")
        assert shown["summary"] == "Stretch break: Standing lunge"
        assert shown["appname"] == "breakd"
        assert "Navel in" in shown["body"]
        assert "Hold 30 s each side." in shown["body"]
    finally:
        daemon.stop()
